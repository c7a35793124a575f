"""Per-user data on the demo registry: a view filtered by the `Region` user attribute where the
site captures attributes, and group claims that grant a workbook otherwise forbidden."""

import re

import pytest

from sandbox.simulator.registry import RegistryError, load

from .helpers import HOST_ORIGIN, build_registry, sign_in
from .seed import ALICE, AUTHORING, BOB, GROUPS, seed_app, seed_token

REGIONAL = "/t/demo/views/Superstore/Regional"
PIPELINE_AUTHORING = "/t/demo/authoring/Forecast/Pipeline"
BUDGET = "/t/demo/views/Budget/Summary"


def _page(app, claims, path, *, scp=None, drop=()):
    client = app.test_client()
    token = seed_token(claims, drop=drop) if scp is None else seed_token(claims, scp=scp, drop=drop)
    component = "authoring" if "/authoring/" in path else "viz"
    assert sign_in(client, token, component=component, origin=HOST_ORIGIN).status_code == 200
    return client.get(path)


def _rows(page) -> list[tuple[str, str, str]]:
    return re.findall(r"<tr><td>(\w+)</td><td>([\w ]+)</td><td>(\d+)</td></tr>", page.text)


def _bar_values(page) -> list[str]:
    return re.findall(r"<title>[^<:]+: (\d+)</title>", page.text)


def test_alice_and_bob_see_their_own_region_rows_and_totals():
    app = seed_app()
    alice, bob = _page(app, ALICE, REGIONAL), _page(app, BOB, REGIONAL)
    assert {row[0] for row in _rows(alice)} == {"West"} and len(_rows(alice)) == 3
    assert {row[0] for row in _rows(bob)} == {"East"} and len(_rows(bob)) == 3
    assert _bar_values(alice) == ["252", "222", "251"]
    assert _bar_values(bob) == ["209", "205", "265"]
    assert 'data-filter-value="West"' in alice.text and "Region = West" in alice.text


def test_without_attribute_capture_everyone_sees_every_row():
    app = seed_app(attributeCaptureEnabled=False)
    for claims in (ALICE, BOB):
        page = _page(app, claims, REGIONAL)
        assert len(_rows(page)) == 12 and _bar_values(page) == ["742", "719", "836"]
        assert 'data-filter-value=""' in page.text and "no Region user attribute was captured" in page.text


def test_a_token_without_the_attribute_sees_every_row():
    page = _page(seed_app(), ALICE, REGIONAL, drop=("Region",))
    assert len(_rows(page)) == 12


def test_an_attribute_matching_no_row_shows_an_empty_view_not_an_error():
    page = _page(seed_app(), {**ALICE, "Region": "North"}, REGIONAL)
    assert page.status_code == 200 and "No rows for this user." in page.text and _bar_values(page) == []


def test_the_authors_group_claim_grants_web_authoring_that_alice_cannot_open():
    app = seed_app()
    assert _page(app, BOB, PIPELINE_AUTHORING, scp=AUTHORING).status_code == 200
    refused = _page(app, ALICE, PIPELINE_AUTHORING, scp=AUTHORING)
    assert refused.status_code == 403 and 'data-error-reason="permission"' in refused.text
    assert _page(app, ALICE, "/t/demo/views/Forecast/Pipeline").status_code == 200  # viewing is open


def test_the_group_claim_counts_only_when_the_site_allows_group_assertions():
    without_authors = {**BOB, GROUPS: ["Finance"]}
    assert _page(seed_app(), without_authors, PIPELINE_AUTHORING, scp=AUTHORING).status_code == 403
    no_assertions = seed_app(groupAssertionsEnabled=False)
    assert _page(no_assertions, BOB, PIPELINE_AUTHORING, scp=AUTHORING).status_code == 403


def test_a_workbook_viewable_by_a_static_group_only():
    app = seed_app()
    assert _page(app, BOB, BUDGET).status_code == 200
    assert _page(app, {**BOB, GROUPS: []}, BUDGET).status_code == 200  # bob is a static member
    assert _page(app, ALICE, BUDGET).status_code == 403


BAD = {
    "filter-on-a-labelled-chart": (
        {"site__workbooks": [{"contentUrl": "W", "name": "W", "project": "Sales", "views": [
            {"contentUrl": "V", "name": "V", "userFilter": {"attribute": "Region", "field": "Region"},
             "chart": {"type": "bar", "labels": ["a"], "values": [1]}}]}]}, "row chart"),
    "row-without-the-value": (
        {"site__workbooks": [{"contentUrl": "W", "name": "W", "project": "Sales", "views": [
            {"contentUrl": "V", "name": "V", "chart": {"type": "bar", "label": "k", "value": "n",
                                                       "rows": [{"k": "a"}]}}]}]}, "number in 'n'"),
    "unknown-group": (
        {"site__workbooks": [{"contentUrl": "W", "name": "W", "project": "Sales",
                              "permissions": {"view": {"groups": ["Nobody"]}},
                              "views": [{"contentUrl": "V", "name": "V",
                                         "chart": {"type": "bar", "labels": ["a"], "values": [1]}}]}]},
        "Nobody"),
    "unknown-capability": (
        {"site__workbooks": [{"contentUrl": "W", "name": "W", "project": "Sales",
                              "permissions": {"delete": {"users": []}},
                              "views": [{"contentUrl": "V", "name": "V",
                                         "chart": {"type": "bar", "labels": ["a"], "values": [1]}}]}]},
        "delete"),
    "member-not-a-user": ({"site__groups": [{"name": "G", "members": ["mallory@example.com"]}]}, "mallory"),
}


@pytest.mark.parametrize(("changes", "named"), BAD.values(), ids=BAD.keys())
def test_the_registry_refuses_bad_permissions_and_filters_naming_them(changes, named):
    with pytest.raises(RegistryError, match=named):
        load(build_registry(**changes))
