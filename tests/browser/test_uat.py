"""The demo in unified-access-token mode (scripts/demo --trust uat): a signed-in user's dashboard
loads every viz with the host's UAT, and the page's token is a UAT the simulator verified through
the host's published key set; the failure lab fails and recovers with UATs too."""

from __future__ import annotations

from collections.abc import Iterator

import jwt
import pytest
from playwright.sync_api import Page, expect

from sandbox.servers import Sandbox
from tests.browser.conftest import sign_in
from tests.browser.test_demo_flow import COUNT_EVENTS
from tests.uat_keys import running_uat_sandbox

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def uat_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from running_uat_sandbox(tmp_path_factory)


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


def test_the_lab_fails_and_recovers_with_uats_only(page: Page, uat_sandbox: Sandbox):
    """The lab's first token and every retry's token are the host's UATs, and its integrator
    scenario breaks the UAT configuration, which a reset mends."""
    refreshed: list[str] = []
    page.on("response", lambda answer: refreshed.append(answer.json()["token"])
            if answer.url.endswith("/api/token") and answer.ok else None)
    sign_in(page, uat_sandbox, next_path="/lab")
    outcome, log = page.locator("#lab-outcome"), page.locator("#lab-log")
    expect(outcome).to_have_text("Loaded", timeout=15_000)
    try:
        expect(page.locator("[data-token-panel] summary")).to_contain_text("Unified access token")
        first = page.get_attribute("#lab-viz", "token")

        page.get_by_role("button", name="Expired token").click()
        expect(outcome).to_have_text("Recovered", timeout=15_000)
        expect(log).to_contain_text("RETRY after 16 LOGIN_FAILED")
        expect(log).to_contain_text("fresh token from /api/token")
        assert refreshed and all(is_hosts_uat(token, uat_sandbox) for token in [first, *refreshed])

        page.get_by_role("button", name="Disable the UAT configuration").click()
        expect(outcome).to_have_text("Failed: the integrator must fix it", timeout=15_000)
        expect(page.get_by_role("alert")).to_contain_text("CONNECTED_APP_DISABLED")
    finally:
        page.get_by_role("button", name="Reset the simulator").click()
    expect(outcome).to_have_text("Loaded", timeout=15_000)
    assert is_hosts_uat(page.get_attribute("#lab-viz", "token"), uat_sandbox)


def is_hosts_uat(token: str, sandbox: Sandbox) -> bool:
    header, claims = jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})
    return header["alg"] == "RS256" and "kid" in header and claims["iss"] == sandbox.host_url
