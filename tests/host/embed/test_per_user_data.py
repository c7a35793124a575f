"""Per-user data through the host's own tokens, checked by the live simulator: the Region attribute
filters the Regional view's rows, bob's Authors group opens an authoring view alice cannot, and each
depends on the host sending them (TABLEAU_SEND_USER_ATTRIBUTES, TABLEAU_SEND_GROUPS)."""

from __future__ import annotations

import re

from tests.host.live_simulator import LiveSimulator

from .on_simulator import page_token, tableau_page

ROWS = re.compile(r"<tr><td>(\w+)</td><td>[\w ]+</td><td>\d+</td></tr>")


def regional_regions(simulator: LiveSimulator, app, login: str) -> set[str]:
    page = tableau_page(simulator, page_token(app, login, "regional"), "/t/demo/views/Superstore/Regional")
    assert page.status_code == 200
    return set(ROWS.findall(page.text))


def test_alice_and_bob_see_their_own_regions(make_host, simulator):
    app = make_host()
    assert regional_regions(simulator, app, "alice") == {"West"}
    assert regional_regions(simulator, app, "bob") == {"East"}


def test_without_attributes_from_the_host_both_see_every_row(make_host, simulator):
    app = make_host(TABLEAU_SEND_USER_ATTRIBUTES="false")
    assert regional_regions(simulator, app, "alice") == regional_regions(simulator, app, "bob") == {
        "West", "East", "Central", "South"}


def test_where_the_site_does_not_capture_attributes_both_see_every_row(make_host, simulator):
    app = make_host()
    simulator.site().attribute_capture_enabled = False  # make_host's reset undoes it
    assert regional_regions(simulator, app, "alice") == regional_regions(simulator, app, "bob") == {
        "West", "East", "Central", "South"}


def test_bobs_authors_group_opens_the_pipeline_authoring_view_and_alices_does_not(make_host, simulator):
    app = make_host()
    path = "/t/demo/authoring/Forecast/Pipeline"
    bob = tableau_page(simulator, page_token(app, "bob", "pipeline-authoring"), path)
    alice = tableau_page(simulator, page_token(app, "alice", "pipeline-authoring"), path)
    assert bob.status_code == 200 and 'data-simulator-page="authoring"' in bob.text
    assert alice.status_code == 403 and 'data-error-reason="permission"' in alice.text


def test_without_groups_from_the_host_bob_cannot_author_the_pipeline(make_host, simulator):
    app = make_host(TABLEAU_SEND_GROUPS="false")
    bob = tableau_page(simulator, page_token(app, "bob", "pipeline-authoring"),
                       "/t/demo/authoring/Forecast/Pipeline")
    assert bob.status_code == 403 and 'data-error-reason="permission"' in bob.text
