"""At phone width (375 px) the header fits: nothing sticks out sideways, signed in or not."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from sandbox.servers import Sandbox
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const bar = document.querySelector('.topbar');
  const right = Math.max(...[...bar.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right));
  return {page: document.documentElement.scrollWidth, bar: bar.scrollWidth, right, width: innerWidth};
}"""


def test_the_header_fits_at_375_px(browser: Browser, sandbox: Sandbox) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        for path in ("/", "/troubleshoot"):
            page.goto(sandbox.host_url + path)
            found = page.evaluate(OVERFLOW)
            assert found["bar"] <= 375 and found["right"] <= 375, (path, found)
        sign_in(page, sandbox)  # the widest header: name, sign-out, the lab link
        page.goto(sandbox.host_url + "/views")
        found = page.evaluate(OVERFLOW)
        assert found["page"] <= 375 and found["bar"] <= 375 and found["right"] <= 375, found
        assert page.locator(".topbar button", has_text="Sign out").is_visible()
        assert page.locator(".nav a", has_text="Gallery").is_visible()
    finally:
        context.close()


def test_the_favicon_loads(browser: Browser, sandbox: Sandbox) -> None:
    context = browser.new_context()
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    try:
        page.goto(sandbox.host_url + "/")
        href = page.locator('link[rel="icon"]').get_attribute("href")
        assert page.request.get(sandbox.host_url + href).headers["content-type"].startswith("image/svg+xml")
        assert page.request.get(sandbox.host_url + "/favicon.ico").ok
        assert missing == []
    finally:
        context.close()
