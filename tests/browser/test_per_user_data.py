"""Per-user data as users see it: alice and bob get different rows on the Regional view (their
Region attribute), both get every row where the site does not capture attributes, bob's Authors
group opens an authoring view alice cannot, and the token panel shows what went into each token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from sandbox.servers import Sandbox
from sandbox.simulator.state import EXTENSION
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser  # headless Chromium: `pytest -m "not browser"` skips these

EVERY_REGION = ["Central", "East", "South", "West"]


@contextmanager
def signed_in_page(browser: Browser, sandbox: Sandbox, login: str, slug: str) -> Iterator[Page]:
    """A browser of its own, signed in as `login`, on the view page `slug`."""
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, sandbox, login, f"{login}-demo", next_path=f"/views/{slug}")
        expect(page).to_have_url(f"{sandbox.host_url}/views/{slug}")
        yield page
    finally:
        context.close()


def regions_shown(page: Page) -> list[str]:
    """The Region column of the rows the Regional view's frame shows, once it has rendered."""
    frame = page.frame_locator("tableau-viz iframe")
    expect(frame.locator("[data-testid=view-rows]")).to_be_visible(timeout=15_000)
    return sorted(set(frame.locator("[data-testid=view-rows] tbody tr td:first-child").all_inner_texts()))


def caption(page: Page):
    """The view's note on which rows it kept."""
    return page.frame_locator("tableau-viz iframe").locator("[data-testid=user-filter]")


def claim_shown(page: Page, name: str):
    panel = page.locator("[data-token-panel]")
    expect(panel).to_have_attribute("data-token-panel-wired", "true", timeout=10_000)
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return page.locator("[data-token-claims] tr", has=page.locator(f"th:text-is('{name}')"))


def test_alice_and_bob_see_their_own_rows_and_the_panel_says_why(browser, sandbox, simulator):
    with signed_in_page(browser, sandbox, "alice", "regional") as alice:
        assert regions_shown(alice) == ["West"]
        expect(caption(alice)).to_contain_text("Region = West")
        screenshot(alice, "regional-alice")
        expect(claim_shown(alice, "Region")).to_contain_text("West")
        expect(claim_shown(alice, "https://tableau.com/groups")).to_contain_text('["Sales"]')
    with signed_in_page(browser, sandbox, "bob", "regional") as bob:
        assert regions_shown(bob) == ["East"]
        screenshot(bob, "regional-bob")
        expect(claim_shown(bob, "Region")).to_contain_text("East")
        expect(claim_shown(bob, "https://tableau.com/groups")).to_contain_text('["Finance","Authors"]')


def test_where_the_site_does_not_capture_attributes_both_see_every_row(browser, sandbox, simulator):
    # A registry tweak on the running simulator; the `simulator` fixture's reset undoes it.
    sandbox.simulator.extensions[EXTENSION].registry.site("demo").attribute_capture_enabled = False
    for login in ("alice", "bob"):
        with signed_in_page(browser, sandbox, login, "regional") as page:
            assert regions_shown(page) == EVERY_REGION
            expect(caption(page)).to_contain_text("no Region user attribute was captured")
            expect(claim_shown(page, "Region")).to_be_visible()  # sent, and ignored by the site


def test_bobs_authors_group_opens_the_pipeline_authoring_view_alices_does_not(browser, sandbox):
    with signed_in_page(browser, sandbox, "bob", "pipeline-authoring") as bob:
        frame = bob.frame_locator("tableau-authoring-viz iframe")
        expect(frame.locator("main[data-simulator-page=authoring]")).to_be_visible(timeout=15_000)
        expect(claim_shown(bob, "https://tableau.com/groups")).to_contain_text("Authors")
    with signed_in_page(browser, sandbox, "alice", "pipeline-authoring") as alice:
        frame = alice.frame_locator("tableau-authoring-viz iframe")
        expect(frame.locator("main[data-error-reason=permission]")).to_be_visible(timeout=15_000)
        screenshot(alice, "pipeline-authoring-alice")
