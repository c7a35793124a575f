"""Third-party cookies, as in production: the host on one site (localhost), Tableau (the simulator)
on another (127.0.0.1), in a browser that blocks third-party cookies. Tableau's session cookie,
not partitioned, is refused and the page ends in Tableau's advice ("Authentication and
Embedding"); partitioned (CHIPS), the view loads; the failure lab's button switches between them.

The simulator's switch is `PUT /_simulator/faults {"sessionCookie": ...}` (docs/simulator.md,
"Session cookie"). Tests that need it skip, saying so, against a simulator without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Page, Playwright, expect

from sandbox.servers import DEMO_HOST_NAME, DEMO_SIMULATOR_NAME, Sandbox, start_sandbox
from tableau_rules.catalogue import catalogue
from tests.browser.conftest import admin_caller, screenshot, sign_in
from tests.browser.conftest import context_with_cookie_preferences as browser_with

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

COOKIE = "workgroup_session_id"
READY = "() => document.querySelector('[data-embed-page]').dataset.embedReady === '1'"


@pytest.fixture(scope="module")
def cross_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The demo's layout: host and EAS on localhost, the simulator on 127.0.0.1."""
    running = start_sandbox(public_name=DEMO_HOST_NAME, simulator_name=DEMO_SIMULATOR_NAME,
                            eas_key_dir=tmp_path_factory.mktemp("eas-keys"))
    assert running.host_url.startswith("http://localhost:")
    assert running.simulator_url.startswith("http://127.0.0.1:")
    yield running
    running.stop()


@pytest.fixture
def admin(cross_site: Sandbox) -> Iterator[Callable[..., requests.Response]]:
    call = admin_caller(cross_site)
    yield call
    assert call("POST", "/_simulator/faults/reset").status_code == 204


def cookie_mode(admin: Callable[..., requests.Response]) -> str | None:
    """The simulator's session cookie mode, or None when it has no switch."""
    return admin("GET", "/_simulator/faults", None).json()["faults"].get("sessionCookie")


def require_cookie_switch(admin: Callable[..., requests.Response]) -> None:
    if cookie_mode(admin) is None:
        pytest.skip("this simulator cannot switch its session cookie (no sessionCookie in "
                    "/_simulator/faults)")


def set_cookie_mode(admin: Callable[..., requests.Response], mode: str) -> None:
    answer = admin("PUT", "/_simulator/faults", {"sessionCookie": mode})
    assert answer.status_code == 200, answer.text


@pytest.fixture
def blocking(playwright: Playwright, tmp_path) -> Iterator[Page]:
    """A page in a browser that blocks third-party cookies."""
    context = browser_with(playwright, tmp_path / "profile", block_third_party=True)
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def session_cookies(page: Page) -> list[dict]:
    return [c for c in page.context.cookies() if c["name"] == COOKIE]


def test_blocked_and_not_partitioned_the_page_shows_tableau_advice(blocking: Page, cross_site, admin):
    if cookie_mode(admin) is not None:
        set_cookie_mode(admin, "cross-site")  # SameSite=None; Secure, not partitioned
    # (A simulator without the switch sets SameSite=Lax, which a cross-site answer cannot set
    # either: the same refusal, for another reason.)
    blocking.clock.install()
    sign_in(blocking, cross_site, next_path="/views/overview")
    # Tableau signed in (no load error) but its cookie was refused: the frame asks to sign in.
    frame = blocking.frame_locator("tableau-viz iframe")
    expect(frame.get_by_text("Sign in to Tableau")).to_be_visible(timeout=15_000)
    assert session_cookies(blocking) == []
    blocking.clock.fast_forward(catalogue().first_interactive_ms)
    advice = blocking.get_by_role("alert").locator("[data-cookie-advice]")
    expect(advice).to_contain_text("Tableau’s advice (“Authentication and Embedding”)")
    expect(advice).to_contain_text("browsers must be configured to allow third-party cookies")
    expect(advice).to_contain_text(f"Allow cookies from {cross_site.simulator_url}")
    screenshot(blocking, "third-party-cookie-advice")


def test_blocked_but_partitioned_the_view_loads(blocking: Page, cross_site, admin):
    require_cookie_switch(admin)
    set_cookie_mode(admin, "partitioned")
    sign_in(blocking, cross_site, next_path="/views/overview")
    blocking.wait_for_function(READY, timeout=15_000)
    expect(blocking.get_by_role("alert")).to_have_count(0)
    [cookie] = session_cookies(blocking)
    assert cookie["partitionKey"] == f"http://{DEMO_HOST_NAME}"  # kept for the host's site only


def test_the_lab_button_partitions_the_cookie_and_the_viz_loads(blocking: Page, cross_site, admin):
    require_cookie_switch(admin)
    set_cookie_mode(admin, "cross-site")
    sign_in(blocking, cross_site, next_path="/lab")
    expect(blocking.locator("#lab-cookie-mode")).to_have_attribute("data-mode", "cross-site")
    frame = blocking.frame_locator("tableau-viz iframe")
    expect(frame.get_by_text("Sign in to Tableau")).to_be_visible(timeout=15_000)
    blocking.get_by_role("button", name="Partition Tableau's cookie").click()
    expect(blocking.locator("#lab-armed")).to_contain_text("Partition Tableau's cookie")
    expect(blocking.locator("#lab-outcome")).to_have_text("Loaded", timeout=15_000)
    expect(blocking.locator("#lab-cookie-mode")).to_have_attribute("data-mode", "partitioned")
    assert cookie_mode(admin) == "partitioned"
    blocking.get_by_role("button", name="Stop partitioning Tableau's cookie").click()
    expect(blocking.locator("#lab-cookie-mode")).to_have_attribute("data-mode", "cross-site")
