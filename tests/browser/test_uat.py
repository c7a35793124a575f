"""The demo in unified-access-token mode (scripts/demo --trust uat): a signed-in user's dashboard
loads every viz with the host's UAT, and the page's token is a UAT the simulator verified through
the host's published key set."""

from __future__ import annotations

from collections.abc import Iterator

import jwt
import pytest
from playwright.sync_api import Page

from sandbox.servers import Sandbox, start_sandbox
from tests.browser.conftest import sign_in
from tests.browser.test_demo_flow import COUNT_EVENTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def uat_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    running = start_sandbox(trust="uat", uat_key_dir=tmp_path_factory.mktemp("uat-keys"),
                            eas_key_dir=tmp_path_factory.mktemp("eas-keys"))
    yield running
    running.stop()


def test_a_uat_loads_every_viz_of_the_dashboard(page: Page, uat_sandbox: Sandbox):
    page.add_init_script(COUNT_EVENTS)
    sign_in(page, uat_sandbox, next_path="/dashboards/sales")
    page.wait_for_function("() => window.__interactive.length >= 3", timeout=15_000)
    assert sorted(page.evaluate("window.__interactive")) == ["embed-overview", "embed-regional",
                                                             "embed-trend"]
    assert page.evaluate("window.__loadErrors") == []
    token = page.get_attribute("#embed-overview", "token")
    header, claims = jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "RS256" and claims["iss"] == uat_sandbox.host_url
    assert claims["email"] == "alice@example.com" and "https://tableau.com/tenantId" in claims
    keys = page.request.get(f"{uat_sandbox.host_url}/.well-known/jwks.json").json()["keys"]
    assert header["kid"] in [k["kid"] for k in keys]
