"""The session cookie's mode (docs/simulator.md, "Session cookie"): SameSite=Lax, SameSite=None;
Secure, or Partitioned (CHIPS), from the registry or the fault switch; and what Chromium does with
each when the embedding page is on another site and third-party cookies are blocked."""

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from sandbox.simulator.registry import RegistryError, load

from .cross_site import cross_site_embedding
from .helpers import ADMIN, build_registry, make_app, make_token, sign_in


def _set_cookie(client) -> str:
    response = sign_in(client, make_token())
    assert response.status_code == 200
    return response.headers["Set-Cookie"]


@pytest.mark.parametrize(("mode", "present", "absent"), [
    ("lax", ["HttpOnly", "SameSite=Lax"], ["Secure", "Partitioned"]),
    ("cross-site", ["HttpOnly", "Secure", "SameSite=None"], ["Partitioned"]),
    ("partitioned", ["HttpOnly", "Secure", "SameSite=None", "Partitioned"], []),
])
def test_the_registry_mode_shapes_the_cookie(mode, present, absent):
    header = _set_cookie(make_app(build_registry(sessionCookie=mode)).test_client())
    attributes = {part.strip() for part in header.split(";")}
    assert set(present) <= attributes and not set(absent) & attributes


def test_the_fault_switch_overrides_the_mode_until_cleared(client):
    assert "Partitioned" not in _set_cookie(client)
    shown = client.put("/_simulator/faults", json={"sessionCookie": "partitioned"}, headers=ADMIN)
    assert shown.get_json()["faults"]["sessionCookie"] == "partitioned"
    assert "Partitioned" in _set_cookie(client)
    assert client.delete("/_simulator/faults", headers=ADMIN).status_code == 204
    assert "SameSite=Lax" in _set_cookie(client)


def test_a_bad_mode_is_refused_naming_the_choices(client):
    response = client.put("/_simulator/faults", json={"sessionCookie": "third-party"}, headers=ADMIN)
    assert response.status_code == 400 and "partitioned" in response.get_json()["error"]["detail"]
    with pytest.raises(RegistryError, match="sessionCookie"):
        load(build_registry(sessionCookie="strict"))


# --- in Chromium: host page on localhost, simulator on 127.0.0.1 -----------------------------------

# Chromium's cookie controls (CookieControlsMode): 0 allows third-party cookies, 1 blocks them.
ALLOW_THIRD_PARTY, BLOCK_THIRD_PARTY = 0, 1


@pytest.fixture(scope="module")
def chromium() -> str | None:
    """Chromium's path (None: Playwright's own); skips when there is none, except in CI."""
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if executable is None and not os.environ.get("CI"):
        pytest.skip("no Chromium to drive; run scripts/test, which installs one")
    return executable


def _load(executable: str | None, profile: Path, url: str, cookie_controls: int) -> tuple[list[str], str]:
    """Open `url` in a fresh profile with the given cookie controls; the page's events once the
    frame shows a page, and which page the frame shows.

    Runs Playwright in a thread of its own: the browser tests may hold a sync Playwright open in
    this thread for the whole session, and one thread runs only one at a time.
    """
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_load_in_thread, executable, profile, url, cookie_controls).result()


def _load_in_thread(executable: str | None, profile: Path, url: str,
                    cookie_controls: int) -> tuple[list[str], str]:
    (profile / "Default").mkdir()
    prefs = {"profile": {"cookie_controls_mode": cookie_controls}}
    (profile / "Default" / "Preferences").write_text(json.dumps(prefs))
    with sync_playwright() as running:
        context = running.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        try:
            page = context.new_page()
            page.goto(url)
            kind = page.frame_locator("tableau-viz iframe").locator("main").get_attribute(
                "data-simulator-page", timeout=15_000)
            if kind == "viz":
                page.wait_for_function("() => window.events.length > 0", timeout=15_000)
            return page.evaluate("window.events"), kind
        finally:
            context.close()


@pytest.mark.browser  # drives headless Chromium
@pytest.mark.parametrize(("mode", "cookie_controls", "loads"), [
    ("partitioned", BLOCK_THIRD_PARTY, True),
    ("cross-site", BLOCK_THIRD_PARTY, False),
    ("cross-site", ALLOW_THIRD_PARTY, True),
    ("lax", ALLOW_THIRD_PARTY, False),
])
def test_what_chromium_does_with_each_mode_across_sites(chromium, tmp_path, mode, cookie_controls, loads):
    with cross_site_embedding(mode) as url:
        events, kind = _load(chromium, tmp_path, url, cookie_controls)
    if loads:
        assert (kind, events) == ("viz", ["firstinteractive"])
    else:
        # The sign-in succeeded but the browser kept no cookie for the frame: Tableau's sign-in page
        # shows inside it and no event fires, as the known pitfall from public issue
        # trackers describes (Safari blocks third-party cookies).
        assert (kind, events) == ("signin", [])
