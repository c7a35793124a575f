"""Signing in through the demo EAS (OAuth 2.0 code + PKCE) and loading a viz with the EAS's JWT."""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in_at_eas

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

READY = "() => document.querySelector('[data-embed-page]').dataset.embedReady === '1'"


def header_of(token: str) -> dict:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_sign_in_with_the_eas_and_load_a_viz_with_its_token(page: Page, sandbox):
    sign_in_at_eas(page, sandbox, "/views/overview")
    expect(page).to_have_url(f"{sandbox.host_url}/views/overview", timeout=10_000)
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("alice@example.com")
    page.wait_for_function(READY, timeout=15_000)
    token = page.locator("tableau-viz").get_attribute("token")
    assert header_of(token)["alg"] == "RS256"  # the EAS's JWT, not one minted by the host
    actions = page.evaluate("() => document.querySelector('[data-embed-page]').dataset.embedActions")
    assert actions is None


def test_denying_at_the_eas_shows_a_friendly_page_and_no_session(page: Page, sandbox):
    page.goto(f"{sandbox.host_url}/login")
    page.get_by_role("link", name="Sign in with the EAS").click()
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="Sign-in not completed")).to_be_visible()
    expect(page.locator("body")).to_contain_text("access_denied")
    page.goto(f"{sandbox.host_url}/views")
    expect(page).to_have_url(f"{sandbox.host_url}/login?next=/views")
