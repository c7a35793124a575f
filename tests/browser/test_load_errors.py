"""Each action class of the browser module, in headless Chromium against the simulator."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from host.extension import current_host_of
from tableau_rules.catalogue import entry
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

READY = "() => document.querySelector('[data-embed-page]').dataset.embedReady === '{n}'"


@pytest.fixture
def token_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.endswith("/api/token") else None)
    return seen


def container(page: Page) -> dict:
    return page.evaluate("() => ({...document.querySelector('[data-embed-page]').dataset})")


def open_view(page: Page, sandbox, path: str = "/views/overview") -> None:
    sign_in(page, sandbox, next_path=path)
    expect(page).to_have_url(f"{sandbox.host_url}{path}")


def test_10091_then_success_with_exactly_one_extra_token_request(page, sandbox, simulator,
                                                                 token_requests):
    simulator("PUT", "/_simulator/faults", {"failNextSignIn": 10091})
    open_view(page, sandbox)
    page.wait_for_function(READY.format(n=1), timeout=15_000)
    assert container(page)["embedActions"] == "RETRY:10091"
    assert len(token_requests) == 1


def test_retry_budget_spent_ends_in_a_plain_message_not_tableau_sign_in(page, sandbox, simulator,
                                                                        token_requests):
    simulator("PUT", "/_simulator/faults", {"jtiStoreFailing": True})  # every sign-in: 10100
    open_view(page, sandbox)
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible(timeout=15_000)
    expect(alert).to_contain_text(entry(10100).resolution)
    assert container(page)["embedActions"] == "RETRY:10100 RETRY:10100 FAIL:10100"
    assert len(token_requests) == 2
    viz = page.locator("tableau-viz")
    assert viz.get_attribute("token")  # never handed over to Tableau's password form
    expect(viz).to_be_hidden()


def test_unknown_auth_error_switches_to_iframe_auth_and_loads(page, sandbox, simulator):
    page.route("**/api/embed/signin", lambda route: route.abort())  # the request itself fails
    open_view(page, sandbox)
    page.wait_for_function(READY.format(n=1), timeout=15_000)
    assert container(page)["embedActions"] == "IFRAME_AUTH:unknown-auth-error"
    assert page.locator("tableau-viz").get_attribute("iframe-auth") == ""


def test_configuration_error_shows_code_and_resolution_and_does_not_retry(page, sandbox, simulator,
                                                                           token_requests):
    client_id = current_host_of(sandbox.host).settings.direct.client_id
    site_id = current_host_of(sandbox.host).settings.lab.site_id
    simulator("PUT", f"/api/3.22/sites/{site_id}/connected-applications/{client_id}",
              {"connectedApplication": {"enabled": False}})
    open_view(page, sandbox)
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible(timeout=15_000)
    disabled = entry(10090)
    expect(alert).to_contain_text("10090")
    expect(alert).to_contain_text(disabled.name)
    expect(alert).to_contain_text(disabled.resolution)
    assert container(page)["embedActions"] == "FAIL:10090"
    assert token_requests == []


def test_the_page_token_is_refreshed_before_it_expires(page, sandbox, simulator, token_requests):
    page.clock.install()
    open_view(page, sandbox, "/dashboards/sales")
    page.wait_for_function(READY.format(n=3), timeout=15_000)
    tokens = page.eval_on_selector_all("[token]", "els => els.map(e => e.getAttribute('token'))")
    # one JWT shared by every viz (Authentication and Embedding)
    assert len(tokens) == 3 and len(set(tokens)) == 1
    assert token_requests == []
    lifetime = current_host_of(sandbox.host).settings.token_lifetime_seconds
    page.clock.fast_forward((lifetime - 59) * 1000)  # past the refresh point, 60 s before expiry
    page.wait_for_function(
        "() => document.querySelector('[data-embed-page]').dataset.embedTokenRefreshes === '1'",
        timeout=10_000)
    assert len(token_requests) == 1  # one request for the whole page, not one per viz
