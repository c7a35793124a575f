"""Static files at versioned URLs (host/assets): a second visit to a view page asks the host for
none of them, and the page still works from the browser's cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

FILE_PREFIXES = ("/assets/", "/static/")


@contextmanager
def paths_requested(app: Flask) -> Iterator[list[str]]:
    """Every path the host's server is asked for while inside (counted at the server, so a file
    the browser takes from its cache is not counted)."""
    seen: list[str] = []
    inner = app.wsgi_app

    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ.get("PATH_INFO", ""))
        return inner(environ, start_response)

    app.wsgi_app = counting
    try:
        yield seen
    finally:
        app.wsgi_app = inner


def open_view(page: Page, url: str) -> None:
    """Open the view page in a new tab of the same browser (its cache) and wait until it works."""
    page.goto(url)
    expect(page.locator("[data-embed-page]")).to_have_attribute("data-embed-wired", "true")
    expect(page.locator("[data-embed-page]")).to_have_attribute("data-embed-ready", "1", timeout=15_000)


def test_second_visit_to_a_view_page_requests_no_static_file(page: Page, sandbox):
    sign_in(page, sandbox)
    url = f"{sandbox.host_url}/views/overview"
    encodings = {}
    page.on("response", lambda r: encodings.update({r.url: r.headers.get("content-encoding")}))
    with paths_requested(sandbox.host) as first:
        open_view(page, url)
    files = [p for p in first if p.startswith(FILE_PREFIXES)]
    assert files and all(p.startswith("/assets/") for p in files), first
    # The first visit got them compressed (Chromium accepts gzip); the page itself is not (BREACH).
    assert all(encodings[sandbox.host_url + p] == "gzip" for p in files if p.endswith(".js")), encodings
    assert encodings[url] is None

    second_tab = page.context.new_page()
    with paths_requested(sandbox.host) as second:
        open_view(second_tab, url)
    assert "/views/overview" in second  # the page itself is never kept (no-store: it holds a token)
    assert [p for p in second if p.startswith(FILE_PREFIXES)] == []
    # The stylesheet came from the cache and applies: the header is laid out as a flex row.
    assert second_tab.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
