"""Host tests against a live Tableau simulator (tests/host/live_simulator.py), on request."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from app import create_app
from tests.conftest import Auth
from tests.host.live_simulator import LiveSimulator, start_simulator


@pytest.fixture(scope="module")
def simulator() -> Iterator[LiveSimulator]:
    running = start_simulator()
    yield running
    running.stop()


@pytest.fixture
def make_host(simulator: LiveSimulator) -> Callable[..., Flask]:
    """A host app for the live simulator; keyword arguments override its settings."""
    simulator.reset()  # registry as loaded, no sessions: each test starts from the demo site

    def make(**overrides: str | None) -> Flask:
        return create_app({"ENV": simulator.host_env(**overrides), "TESTING": True})

    return make


def signed_in(app: Flask, login: str) -> Auth:
    """A test client of `app` signed in as a demo user (password <login>-demo)."""
    auth = Auth(app.test_client())
    assert auth.login(login, f"{login}-demo").status_code == 302
    return auth
