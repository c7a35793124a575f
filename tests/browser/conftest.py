"""Browser tests: the sandbox (simulator + host) on loopback, driven by headless Chromium.

Chromium is Debian's /usr/bin/chromium (or CHROMIUM_PATH) when present, else Playwright's own
(`python -m playwright install chromium`). With CI set, a missing browser fails the run.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Error, Page, Playwright, sync_playwright

from sandbox.servers import Sandbox, start_sandbox

# Flags for a closed network (no background calls home), as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Chromium 156 builds its omnibox popup (a WebUI page of some 300 files) for every new tab,
    # headless too: CPU the tests' pages need on a small machine.
    "--disable-features=WebUIOmniboxFullPopup,WebUIOmniboxPopup,AimEnabled",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    running = start_sandbox(eas_key_dir=tmp_path_factory.mktemp("eas-keys"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


def no_chromium(exc: Error) -> None:
    """Without a browser: fail in CI, skip elsewhere with how to get one."""
    if os.environ.get("CI"):
        raise exc
    pytest.skip(f"no Chromium to drive ({exc.message.splitlines()[0]}); "
                "run scripts/test, which installs one")


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    try:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
    except Error as exc:
        no_chromium(exc)
    yield launched
    launched.close()


def context_with_cookie_preferences(playwright: Playwright, profile: Path,
                                    block_third_party: bool) -> BrowserContext:
    """A browser with a profile of its own that blocks (or allows) third-party cookies.

    Chromium's profile preference `profile.cookie_controls_mode` (1: block third-party cookies,
    0: allow) decides, whatever the build's default; a command-line switch does not
    (docs/simulator.md, "Session cookie"). So the preference is written before the browser starts.
    """
    (profile / "Default").mkdir(parents=True, exist_ok=True)
    preferences = {"profile": {"cookie_controls_mode": 1 if block_third_party else 0,
                               "block_third_party_cookies": block_third_party}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences), encoding="utf-8")
    try:
        return playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
    except Error as exc:
        no_chromium(exc)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def admin_caller(sandbox: Sandbox) -> Callable[..., requests.Response]:
    """`call(method, path, body)`: the simulator's admin API with the sandbox's credential (JSON)."""
    headers = {"Authorization": f"Bearer {sandbox.admin_token}", "Accept": "application/json"}

    def call(method: str, path: str, body: dict | None = None) -> requests.Response:
        return requests.request(method, sandbox.simulator_url + path, json=body, headers=headers,
                                timeout=5)

    return call


@pytest.fixture
def simulator(sandbox: Sandbox) -> Iterator[Callable[..., None]]:
    """Admin calls to the simulator that must succeed; everything is reset after each test."""
    admin = admin_caller(sandbox)

    def call(method: str, path: str, body: dict | None = None) -> None:
        response = admin(method, path, body)
        assert response.status_code < 400, response.text

    yield call
    call("POST", "/_simulator/faults/reset")


def sign_in(page: Page, sandbox: Sandbox, login: str = "alice", password: str = "alice-demo",
            next_path: str = "") -> None:
    suffix = f"?next={next_path}" if next_path else ""
    page.goto(f"{sandbox.host_url}/login{suffix}")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("button[type=submit]")


def sign_in_at_eas(page: Page, sandbox: Sandbox, next_path: str) -> None:
    page.goto(f"{sandbox.host_url}/login?next={next_path}")
    page.get_by_role("link", name="Sign in with the EAS").click()
    page.fill("input[name=login]", "alice")
    page.fill("input[name=password]", "alice-demo")
    page.get_by_role("button", name="Sign in").click()


def screenshot(page: Page, name: str) -> None:
    """Save `name`.png under $BROWSER_SCREENSHOTS when it is set (to look at what a test saw)."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
