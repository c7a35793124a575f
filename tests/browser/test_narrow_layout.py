"""Phone width (375 px): the header and the pages fit, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

PHONE = {"width": 375, "height": 740}
OVERFLOW = """() => {
  const header = document.querySelector('header.topbar');
  const root = document.documentElement;
  return {header: [header.scrollWidth, header.clientWidth], page: [root.scrollWidth, root.clientWidth]};
}"""


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def assert_fits(page: Page, where: str) -> None:
    sizes = page.evaluate(OVERFLOW)
    assert sizes["header"][0] <= sizes["header"][1], f"{where}: header {sizes['header']}"
    assert sizes["page"][0] <= sizes["page"][1], f"{where}: page {sizes['page']}"


def test_signed_out_pages_fit_at_375_px(phone: Page, sandbox):
    for path in ("/", "/login", "/troubleshoot"):
        phone.goto(f"{sandbox.host_url}{path}")
        assert_fits(phone, path)


def test_signed_in_pages_fit_at_375_px(phone: Page, sandbox):
    sign_in(phone, sandbox, next_path="/views")
    assert_fits(phone, "/views")
    screenshot(phone, "header-375px")
    for path in ("/views/overview", "/dashboards/sales", "/lab"):
        phone.goto(f"{sandbox.host_url}{path}")
        phone.wait_for_selector("[data-embed-wired]")
        assert_fits(phone, path)
