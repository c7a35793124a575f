"""The demo as a newcomer sees it: sign in, open the dashboard, every viz becomes interactive."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "demo.png"

# Counts firstinteractive events per component, registered before any page script runs.
COUNT_EVENTS = """
window.__interactive = [];
window.__loadErrors = [];
document.addEventListener('firstinteractive', (e) => window.__interactive.push(e.target.id), true);
document.addEventListener('vizloaderror', (e) => window.__loadErrors.push(e.detail), true);
"""


def test_sign_in_open_dashboard_every_viz_fires_firstinteractive(page: Page, sandbox):
    page.add_init_script(COUNT_EVENTS)
    sign_in(page, sandbox, next_path="/dashboards/sales")
    expect(page).to_have_url(f"{sandbox.host_url}/dashboards/sales")
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("Alice Analyst")
    page.wait_for_function("() => window.__interactive.length >= 3", timeout=15_000)
    assert sorted(page.evaluate("window.__interactive")) == [
        "embed-overview", "embed-regional", "embed-trend"]
    assert page.evaluate("window.__loadErrors") == []
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):  # refreshes the README's picture on demand
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.screenshot(path=str(SCREENSHOT))


def test_authoring_and_pulse_pages_load(page: Page, sandbox):
    page.add_init_script(COUNT_EVENTS)
    sign_in(page, sandbox, next_path="/views/authoring")
    page.wait_for_function("() => window.__interactive.length >= 1", timeout=15_000)
    page.goto(f"{sandbox.host_url}/views/pulse")
    page.wait_for_function("() => window.__interactive.length >= 1", timeout=15_000)
    assert page.evaluate("window.__loadErrors") == []
