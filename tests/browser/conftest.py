"""Browser tests: the sandbox (simulator + host) on loopback, driven by headless Chromium.

Chromium is Debian's /usr/bin/chromium (or CHROMIUM_PATH) when present, else Playwright's own
(`python -m playwright install chromium`). With CI set, a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Error, Page, sync_playwright

from sandbox.servers import Sandbox, start_sandbox
from tests.conftest import fresh_state_store_url

# Flags for a closed network (no background calls home), as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    running = start_sandbox(eas_key_dir=tmp_path_factory.mktemp("eas-keys"),
                            host_overrides={"STATE_STORE_URL": fresh_state_store_url()})
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no Chromium to drive ({exc.message.splitlines()[0]}); "
                        "run scripts/test, which installs one")
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, sandbox: Sandbox, login: str = "alice", password: str = "alice-demo",
            next_path: str = "") -> None:
    suffix = f"?next={next_path}" if next_path else ""
    page.goto(f"{sandbox.host_url}/login{suffix}")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("button[type=submit]")
