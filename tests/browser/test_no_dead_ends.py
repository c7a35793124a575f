"""No dead ends: a view that never becomes interactive ends in a final message within the catalogue's
time (timeouts.firstInteractiveMs), driven by Playwright's clock rather than by waiting it out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from host.extension import current_host_of
from sandbox.servers import Sandbox, start_sandbox
from tableau_rules.catalogue import catalogue
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

VIEWS_WITH_MISTAKES = Path(__file__).resolve().parent / "data" / "views_with_mistakes.json"
ACTIONS = "() => document.querySelector('[data-embed-page]').dataset.embedActions || ''"


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The sandbox with a views file holding a misspelt sheet name."""
    running = start_sandbox(eas_key_dir=tmp_path_factory.mktemp("eas-keys"),
                            host_overrides={"VIEWS_FILE": str(VIEWS_WITH_MISTAKES)})
    yield running
    running.stop()


def expect_final_message(page: Page, src: str) -> None:
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This view did not finish loading.")
    expect(alert).to_contain_text(f"View: {src}")
    expect(alert).to_contain_text("The view’s address is wrong")
    expect(alert).to_contain_text("Your account may not have permission to see this view.")
    expect(alert.locator("[data-cookie-advice]")).to_contain_text("“Authentication and Embedding”")
    # The sandbox is a debug page: the integrator also gets the code and the fix.
    expect(alert).to_contain_text("first-interactive-timeout")
    expect(alert).to_contain_text(catalogue().load_errors["first-interactive-timeout"].resolution)
    expect(page.locator("tableau-viz")).to_be_hidden()


def test_a_misspelt_sheet_name_ends_in_the_final_message(page: Page, mistakes: Sandbox):
    page.clock.install()
    sign_in(page, mistakes, next_path="/views/misspelt")
    # Tableau answers with its own Not Found page in the frame, and no event reaches the page.
    expect(page.frame_locator("tableau-viz iframe").locator("body")).to_contain_text("Not Found")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.clock.fast_forward(catalogue().first_interactive_ms)
    expect_final_message(page, f"{mistakes.simulator_url}/t/demo/views/Superstore/Overveiw")
    assert page.evaluate(ACTIONS) == "FAIL:first-interactive-timeout"
    screenshot(page, "final-message-misspelt-sheet")


def test_an_iframe_auth_load_that_fails_ends_in_the_final_message(page: Page, sandbox: Sandbox,
                                                                     simulator):
    host = current_host_of(sandbox.host).settings
    simulator("PUT", f"/api/3.22/sites/{host.lab.site_id}/connected-applications/"
                     f"{host.direct.client_id}", {"connectedApplication": {"enabled": False}})
    page.route("**/api/embed/signin", lambda route: route.abort())  # -> unknown-auth-error
    page.clock.install()
    sign_in(page, sandbox, next_path="/views/overview")
    page.wait_for_function(f"() => ({ACTIONS})() === 'IFRAME_AUTH:unknown-auth-error'",
                           timeout=15_000)
    # Under iframe-auth the sign-in error shows inside the frame only (10090, app disabled).
    expect(page.frame_locator("tableau-viz iframe").locator("body")).to_contain_text("10090")
    page.clock.fast_forward(catalogue().first_interactive_ms)
    expect_final_message(page, f"{sandbox.simulator_url}/t/demo/views/Superstore/Overview")
    assert page.evaluate(ACTIONS) == "IFRAME_AUTH:unknown-auth-error FAIL:first-interactive-timeout"
