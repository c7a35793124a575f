"""On-demand access from the host's side: carol (no Tableau account, in the Guests group) gets
`https://tableau.com/oda: "true"` and her groups, and the simulator answers as "Troubleshoot
Connected Apps" says: a view on demand, or 67, 10101, 10102 when something does not allow it."""

from __future__ import annotations

import pytest
import requests

from config import ConfigError, load_settings
from tests.conftest import base_env
from tests.host.conftest import signed_in

from .on_simulator import ORIGIN, claims_of, embed_sign_in, page_token, refused_code, tableau_page

ODA = "https://tableau.com/oda"
GROUPS = "https://tableau.com/groups"
OVERVIEW = "/t/demo/views/Superstore/Overview"


def test_carols_token_asks_for_on_demand_access_with_her_groups(make_host):
    app = make_host()
    carol = claims_of(page_token(app, "carol", "overview"))
    assert (carol["sub"], carol[ODA], carol[GROUPS]) == ("carol@elsewhere.example", "true", ["Guests"])
    for login in ("alice", "bob"):  # they have accounts: never on demand
        assert ODA not in claims_of(page_token(app, login, "overview"))


def test_carol_sees_a_view_on_demand(make_host, simulator):
    app = make_host()
    signin = embed_sign_in(simulator, page_token(app, "carol", "overview"))
    assert signin.status_code == 200, signin.text
    assert (signin.json()["onDemand"], signin.json()["groups"]) == (True, ["Guests"])
    page = tableau_page(simulator, page_token(app, "carol", "overview"), OVERVIEW)
    assert page.status_code == 200 and 'data-simulator-page="viz"' in page.text


def test_on_demand_users_see_only_what_their_groups_may(make_host, simulator):
    token = page_token(make_host(), "carol", "budget")
    budget = tableau_page(simulator, token, "/t/demo/views/Budget/Summary")  # Finance only
    assert budget.status_code == 403 and 'data-error-reason="permission"' in budget.text


def test_67_on_tableau_server(make_host, simulator):
    simulator.registry().deployment = "server"  # on-demand access is Tableau Cloud only
    refused = embed_sign_in(simulator, page_token(make_host(), "carol", "overview"))
    assert (refused.status_code, refused_code(refused)) == (403, 67)


def test_67_when_no_group_of_hers_allows_on_demand_access(make_host, simulator):
    simulator.site().group("Guests").on_demand_access = False
    refused = embed_sign_in(simulator, page_token(make_host(), "carol", "overview"))
    assert (refused.status_code, refused_code(refused)) == (403, 67)


def test_10101_on_a_site_without_usage_based_licensing(make_host, simulator):
    simulator.site().usage_based_licensing = False
    refused = embed_sign_in(simulator, page_token(make_host(), "carol", "overview"))
    assert (refused.status_code, refused_code(refused)) == (403, 10101)


def test_10102_through_iframe_auth(make_host, simulator):
    form = {"jwt": page_token(make_host(), "carol", "overview"), "site": "demo", "component": "viz",
            "target": OVERVIEW}
    refused = requests.post(f"{simulator.url}/embed/iframe-auth", data=form, headers={"Origin": ORIGIN},
                            timeout=5, allow_redirects=False)
    assert refused.status_code == 403 and 'data-error-code="10102"' in refused.text


def test_with_on_demand_access_off_carol_is_unknown_to_tableau(make_host, simulator):
    token = page_token(make_host(TABLEAU_ON_DEMAND_ACCESS="false"), "carol", "overview")
    assert ODA not in claims_of(token) and GROUPS in claims_of(token)  # sandbox sends groups anyway
    refused = embed_sign_in(simulator, token)
    assert refused_code(refused) == 5  # SYSTEM_USER_NOT_FOUND


def test_my_content_lists_what_carols_groups_may_see(make_host):
    page = signed_in(make_host(), "carol").client.get("/my-content")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-workbook="Superstore"' in text and 'data-workbook="Budget"' not in text


def test_on_demand_settings():
    assert load_settings(base_env()).on_demand_groups == ("Guests",)  # the sandbox's demo site
    assert load_settings(base_env(TABLEAU_ON_DEMAND_GROUPS="Guests, Partners,Guests")).on_demand_groups == (
        "Guests", "Partners")
    assert load_settings(base_env(TABLEAU_ON_DEMAND_ACCESS="false")).on_demand_groups == ()
    production = {"APP_ENV": "production", "TABLEAU_SERVER_URL": "https://tableau.example.com",
                  "USERS_FILE": None, "EAS_ISSUER": "https://idp.example.com", "EAS_CLIENT_ID": "c",
                  "EAS_CLIENT_SECRET": "s", "EAS_REDIRECT_URI": "https://host.example/auth/eas/callback"}
    assert load_settings(base_env(**production)).on_demand_groups == ()  # off outside the sandbox
    with pytest.raises(ConfigError) as caught:
        load_settings(base_env(**production, TABLEAU_ON_DEMAND_ACCESS="true"))
    assert "TABLEAU_ON_DEMAND_GROUPS is not set" in caught.value.message
