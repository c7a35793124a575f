"""On-demand access ("Troubleshoot Connected Apps" 67, 10101, 10102): a user with no Tableau account
(carol) sees content through a group that allows on-demand access, on the demo registry."""

from .helpers import HOST_ORIGIN, answered_code, sign_in
from .seed import GROUPS, seed_app, seed_token

ODA = "https://tableau.com/oda"
# Carol as config/sandbox_users.json has her: no account on the demo site.
CAROL = {"sub": "carol@elsewhere.example", ODA: "true", GROUPS: ["Guests"]}
OVERVIEW = "/t/demo/views/Superstore/Overview"


def _on_demand_site(**changes):
    """The demo site: usage-based licensing and a Guests group that allows on-demand access."""
    return seed_app(**changes)


def test_carol_loads_a_view_on_demand():
    client = _on_demand_site().test_client()
    response = sign_in(client, seed_token(CAROL), origin=HOST_ORIGIN)
    assert response.status_code == 200, response.text
    info = response.get_json()
    assert (info["user"], info["onDemand"], info["groups"]) == ("carol@elsewhere.example", True, ["Guests"])
    page = client.get(OVERVIEW)
    assert page.status_code == 200 and 'data-simulator-page="viz"' in page.text


def test_the_groups_claim_counts_for_on_demand_users_even_without_group_assertions():
    client = _on_demand_site(groupAssertionsEnabled=False).test_client()
    assert sign_in(client, seed_token(CAROL)).get_json()["groups"] == ["Guests"]


def test_an_on_demand_user_holds_only_the_permissions_of_her_groups():
    client = _on_demand_site().test_client()
    sign_in(client, seed_token(CAROL))
    assert client.get("/t/demo/views/Budget/Summary").status_code == 403  # Finance only


def test_67_on_tableau_server():
    app = _on_demand_site()
    app.extensions["tableau_simulator"].registry.deployment = "server"
    response = sign_in(app.test_client(), seed_token(CAROL))
    assert (response.status_code, answered_code(response)) == (403, 67)


def test_67_when_no_group_of_the_token_allows_on_demand_access():
    for groups in ([], ["Sales"], ["NoSuchGroup"]):
        response = sign_in(_on_demand_site().test_client(), seed_token({**CAROL, GROUPS: groups}))
        assert (response.status_code, answered_code(response)) == (403, 67)
    no_claim = seed_token(CAROL, drop=(GROUPS,))
    assert answered_code(sign_in(_on_demand_site().test_client(), no_claim)) == 67


def test_10101_without_usage_based_licensing():
    response = sign_in(_on_demand_site(usageBasedLicensing=False).test_client(), seed_token(CAROL))
    assert (response.status_code, answered_code(response)) == (403, 10101)


def test_10102_through_iframe_auth():
    form = {"jwt": seed_token(CAROL), "site": "demo", "component": "viz", "target": OVERVIEW}
    response = _on_demand_site().test_client().post("/embed/iframe-auth", data=form,
                                                    headers={"Origin": HOST_ORIGIN})
    assert (response.status_code, answered_code(response)) == (403, 10102)
