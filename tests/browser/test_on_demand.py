"""On-demand access in the demo: carol has no Tableau account; her Guests group allows on-demand
access on the demo site, so her token says so and the view loads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

COUNT_EVENTS = """
window.__interactive = [];
window.__loadErrors = [];
document.addEventListener('firstinteractive', (e) => window.__interactive.push(e.target.id), true);
document.addEventListener('vizloaderror', (e) => window.__loadErrors.push(e.detail), true);
"""


def test_carol_loads_a_view_on_demand_and_the_panel_shows_why(page: Page, sandbox):
    page.add_init_script(COUNT_EVENTS)
    sign_in(page, sandbox, "carol", "carol-demo", next_path="/views/overview")
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("carol@elsewhere.example")
    page.wait_for_function("() => window.__interactive.length >= 1", timeout=15_000)
    assert page.evaluate("window.__loadErrors") == []
    frame = page.frame_locator("tableau-viz iframe")
    expect(frame.locator("main[data-simulator-page=viz]")).to_be_visible()
    screenshot(page, "on-demand-carol")

    panel = page.locator("[data-token-panel]")
    expect(panel).to_have_attribute("data-token-panel-wired", "true", timeout=10_000)
    panel.locator("summary").click()
    claims = page.locator("[data-token-claims]")
    expect(claims.locator("tr", has=page.locator("th:text-is('https://tableau.com/oda')"))).to_contain_text("true")
    expect(claims.locator("tr", has=page.locator("th:text-is('https://tableau.com/groups')"))).to_contain_text(
        '["Guests"]')


def test_my_content_lists_each_users_own_workbooks(page: Page, sandbox):
    sign_in(page, sandbox, "bob", "bob-demo", next_path="/views")
    page.get_by_role("link", name="My content").click()
    expect(page.locator("[data-testid=workbook]")).to_have_count(3)
    expect(page.locator("[data-workbook=Budget]")).to_contain_text("Summary")
    screenshot(page, "my-content-bob")
    page.get_by_role("link", name="Regional").click()
    expect(page).to_have_url(f"{sandbox.host_url}/views/regional")


def test_my_content_fits_a_phone(browser, sandbox):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        sign_in(page, sandbox, "bob", "bob-demo", next_path="/my-content")
        expect(page.locator("[data-testid=workbook]")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "my-content-phone")
    finally:
        context.close()
