"""The token panel as a demo audience sees it: the page's claims, a live expiry, each refresh."""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import Page, expect

from host.extension import current_host_of
from tests.browser.conftest import screenshot, sign_in, sign_in_at_eas

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def claim_row(page: Page, name: str):
    return page.locator("[data-token-claims] tr", has=page.locator(f"th:text-is('{name}')"))


def test_the_panel_shows_the_page_claims_and_updates_on_refresh(page: Page, sandbox):
    page.clock.install()
    sign_in(page, sandbox, next_path="/views/overview")
    token = page.locator("tableau-viz").get_attribute("token")
    claims = claims_of(token)
    panel = page.locator("[data-token-panel]")
    expect(panel).to_have_attribute("data-token-panel-wired", "true")
    panel.locator("summary").click()  # collapsed until asked

    expect(claim_row(page, "sub")).to_contain_text("alice@example.com")
    expect(claim_row(page, "jti")).to_contain_text(claims["jti"])
    expect(claim_row(page, "scp")).to_contain_text('["tableau:views:embed"]')
    expect(page.locator("[data-token-header] tr", has_text="alg")).to_contain_text("HS256")
    expect(panel.locator("[data-scope-check]")).to_have_text("in the token")
    expect(panel.locator("[data-token-left]")).to_contain_text("left")
    expect(panel).to_contain_text("Direct trust")
    assert token.rsplit(".", 1)[1] not in panel.inner_text()  # never the signature
    screenshot(page, "token-panel")

    lifetime = current_host_of(sandbox.host).settings.token_lifetime_seconds
    page.clock.fast_forward((lifetime - 59) * 1000)  # past the refresh point, 60 s before expiry
    expect(panel.locator("[data-token-log] li")).to_have_count(2, timeout=10_000)
    expect(panel.locator("[data-token-log] li").nth(1)).to_contain_text("refresh 1 from the token API")
    expect(claim_row(page, "jti")).not_to_contain_text(claims["jti"])
    expect(claim_row(page, "sub")).to_contain_text("alice@example.com")


def test_the_lab_shows_the_same_panel(page: Page, sandbox):
    sign_in(page, sandbox, next_path="/lab")
    panel = page.locator("[data-token-panel]")
    expect(panel).to_have_attribute("data-token-panel-wired", "true", timeout=10_000)
    panel.locator("summary").click()
    expect(claim_row(page, "sub")).to_contain_text("alice@example.com")


def test_after_an_eas_sign_in_the_panel_names_oauth_trust_and_rs256(page: Page, sandbox):
    sign_in_at_eas(page, sandbox, "/views/overview")
    panel = page.locator("[data-token-panel]")
    expect(panel).to_have_attribute("data-token-panel-wired", "true", timeout=10_000)
    panel.locator("summary").click()
    expect(panel).to_contain_text("OAuth 2.0 trust (EAS)")
    expect(panel.locator("[data-token-alg]")).to_have_text("RS256")  # read from the token itself
    expect(claim_row(page, "iss")).to_contain_text(sandbox.eas_url)
