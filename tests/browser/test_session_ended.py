"""Users told, never stranded: when the page's token can no longer be renewed (the server-side
session ended: signed out in another tab, or gone from the store; or the EAS behind the token API
down past the page's retries), the next token refresh says so, and its link signs in and comes
back to the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from host.extension import current_host_of
from tableau_rules.catalogue import catalogue
from tests.browser.conftest import screenshot, sign_in, sign_in_at_eas

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

READY = "() => document.querySelector('[data-embed-page]').dataset.embedReady === '1'"
TOKEN_ERROR = "document.querySelector('[data-embed-page]').dataset.embedTokenError"
# Counts the page's failed token requests (embed:token {ok: false}), to step through its retries.
COUNT_TOKEN_FAILURES = """() => {
  window.tokenFailures = 0;
  document.querySelector('[data-embed-page]').addEventListener('embed:token', (event) => {
    if (!event.detail.ok) window.tokenFailures += 1;
  });
}"""
SESSION_ENDED_AT_LOGIN = "Your session has ended. Sign in again to go back to the page you were on."


def open_view(page: Page, sandbox) -> None:
    page.clock.install()
    sign_in(page, sandbox, next_path="/views/overview")
    page.wait_for_function(READY, timeout=15_000)


def fast_forward_to_the_refresh(page: Page) -> None:
    """Past the refresh point, 60 s before the page token's expiry (data-expires-at)."""
    left_ms = page.evaluate(
        "Number(document.querySelector('[data-embed-page]').dataset.expiresAt) * 1000 - Date.now()")
    page.clock.fast_forward(int(left_ms) - 59_000)


def sign_in_again_and_come_back(page: Page, sandbox, notice: Locator, reason: str, said: str) -> None:
    notice.get_by_role("link", name="Sign in again").click()
    expect(page).to_have_url(re.compile(rf"/login\?next=%2Fviews%2Foverview&reason={reason}$"))
    expect(page.locator("[data-login-reason]")).to_have_text(said)
    page.fill("#login", "alice")
    page.fill("#password", "alice-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()  # (signed in still: "Sign out" too)
    expect(page).to_have_url(f"{sandbox.host_url}/views/overview")
    page.wait_for_function(READY, timeout=15_000)
    expect(notice).to_have_count(0)


def test_signed_out_elsewhere_the_next_refresh_says_the_session_ended_and_the_link_returns(
        page: Page, sandbox):
    open_view(page, sandbox)
    other = page.context.new_page()  # another tab of the same browser: same session cookie
    other.goto(f"{sandbox.host_url}/views")
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_text("You are signed out.")).to_be_visible()
    other.close()

    notice = page.locator("[data-session-ended]")
    expect(notice).to_have_count(0)
    fast_forward_to_the_refresh(page)
    expect(notice).to_contain_text("Your session has ended.")
    assert page.evaluate(TOKEN_ERROR) == "401"
    screenshot(page, "session-ended")
    sign_in_again_and_come_back(page, sandbox, notice, "session-ended", SESSION_ENDED_AT_LOGIN)


def delete_the_server_side_session(page: Page, sandbox) -> None:
    """Delete this browser's sign-in from the host's state store, as an expiry or a store that
    lost it would; the browser keeps its cookie, which now names a session nobody has."""
    host = sandbox.host
    cookies = host.session_interface
    value = next(c["value"] for c in page.context.cookies(sandbox.host_url)
                 if c["name"] == cookies.get_cookie_name(host))
    sid = cookies.get_signing_serializer(host).loads(value)["sid"]
    assert current_host_of(host).state.take(f"signin:{sid}") is not None, "no such session to delete"


def test_session_gone_from_the_store_the_next_refresh_says_so_and_the_link_returns(page: Page, sandbox):
    open_view(page, sandbox)
    delete_the_server_side_session(page, sandbox)

    notice = page.locator("[data-session-ended]")
    expect(notice).to_have_count(0)
    fast_forward_to_the_refresh(page)
    expect(notice).to_contain_text("Your session has ended.")
    assert page.evaluate(TOKEN_ERROR) == "401"
    sign_in_again_and_come_back(page, sandbox, notice, "session-ended", SESSION_ENDED_AT_LOGIN)


def test_eas_down_past_the_retries_the_page_says_access_cannot_be_renewed_and_the_link_returns(
        page: Page, sandbox):
    page.clock.install()
    sign_in_at_eas(page, sandbox, "/views/overview")  # the view's token is the EAS's: renewed there
    expect(page).to_have_url(f"{sandbox.host_url}/views/overview", timeout=10_000)
    page.wait_for_function(READY, timeout=15_000)
    page.evaluate(COUNT_TOKEN_FAILURES)
    retry = catalogue().retry
    renewal = page.locator("[data-renewal-failed]")

    sandbox.eas.config["EAS_DOWN"] = True  # a restarting EAS: every answer 503
    try:
        fast_forward_to_the_refresh(page)
        for failures in range(1, retry.max_attempts + 1):  # the refresh, then all but the last retry
            page.wait_for_function(f"() => window.tokenFailures === {failures}", timeout=15_000)
            expect(renewal).to_have_count(0)  # bounded retries first: nobody is signed out at once
            page.clock.fast_forward(retry.max_delay_ms)  # past the next retry's backoff
        page.wait_for_function(f"() => window.tokenFailures === {retry.max_attempts + 1}", timeout=15_000)
        expect(renewal).to_contain_text("We can’t renew your access right now.")
        assert page.evaluate(TOKEN_ERROR) == "503"
        screenshot(page, "renewal-failed")
    finally:
        sandbox.eas.config["EAS_DOWN"] = False

    # Still signed in here (only the EAS was away): the link goes straight back to the page, where
    # a fresh token from the EAS, now up, loads the view; signing in again would rotate the session.
    renewal.get_by_role("link", name="Sign in again").click()
    expect(page).to_have_url(f"{sandbox.host_url}/views/overview")
    page.wait_for_function(READY, timeout=15_000)
    expect(renewal).to_have_count(0)
