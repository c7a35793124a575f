"""Users told, never stranded: the server-side session ends while a view is open (signed out in
another tab); at the next token refresh the page says so, and its link signs in and comes back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from host.extension import current_host_of
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

READY = "() => document.querySelector('[data-embed-page]').dataset.embedReady === '1'"


def test_signed_out_elsewhere_the_next_refresh_says_the_session_ended_and_the_link_returns(
        page: Page, sandbox):
    page.clock.install()
    sign_in(page, sandbox, next_path="/views/overview")
    page.wait_for_function(READY, timeout=15_000)

    other = page.context.new_page()  # another tab of the same browser: same session cookie
    other.goto(f"{sandbox.host_url}/views")
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_text("You are signed out.")).to_be_visible()
    other.close()

    notice = page.locator("[data-session-ended]")
    expect(notice).to_have_count(0)
    lifetime = current_host_of(sandbox.host).settings.token_lifetime_seconds
    page.clock.fast_forward((lifetime - 59) * 1000)  # past the refresh point, 60 s before expiry
    expect(notice).to_contain_text("Your session has ended.")
    assert page.evaluate("document.querySelector('[data-embed-page]').dataset.embedTokenError") == "401"
    screenshot(page, "session-ended")

    notice.get_by_role("link", name="Sign in again").click()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fviews%2Foverview&reason=session-ended$"))
    expect(page.locator("[data-login-reason]")).to_have_text(
        "Your session has ended. Sign in again to go back to the page you were on.")
    page.fill("#login", "alice")
    page.fill("#password", "alice-demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{sandbox.host_url}/views/overview")
    page.wait_for_function(READY, timeout=15_000)
    expect(notice).to_have_count(0)
