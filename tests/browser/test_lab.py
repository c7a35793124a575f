"""The failure lab as a demo visitor uses it: press a button, watch the page recover or explain."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these


@pytest.fixture
def lab(page: Page, sandbox):
    sign_in(page, sandbox, next_path="/lab")
    expect(page.locator("#lab-outcome")).to_have_text("Loaded", timeout=15_000)
    yield page
    page.get_by_role("button", name="Reset the simulator").click()
    expect(page.locator("#lab-outcome")).to_have_text("Loaded", timeout=15_000)


def test_reused_token_is_retried_and_the_page_says_it_recovered(lab: Page):
    lab.get_by_role("button", name="Reused token").click()
    expect(lab.locator("#lab-armed")).to_contain_text("Reused token")
    expect(lab.locator("#lab-outcome")).to_have_text("Recovered", timeout=15_000)
    expect(lab.locator("#lab-log")).to_contain_text("RETRY after 10091 JTI_ALREADY_USED")
    expect(lab.locator("#lab-log")).to_contain_text("fresh token from /api/token")


def test_expired_token_is_retried(lab: Page):
    lab.get_by_role("button", name="Expired token").click()
    expect(lab.locator("#lab-outcome")).to_have_text("Recovered", timeout=15_000)
    expect(lab.locator("#lab-log")).to_contain_text("RETRY after 16 LOGIN_FAILED")


def test_disabled_app_is_explained_to_the_integrator(lab: Page):
    lab.get_by_role("button", name="Disable the connected app").click()
    expect(lab.locator("#lab-outcome")).to_have_text("Failed: the integrator must fix it", timeout=15_000)
    expect(lab.get_by_role("alert")).to_contain_text("CONNECTED_APP_DISABLED")
