"""The host against a live simulator: REST calls go over HTTP, as they would to Tableau."""

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


@pytest.fixture(autouse=True)
def fresh_simulator(simulator: LiveSimulator) -> None:
    simulator.reset()  # registry as loaded, no sessions: each test starts from the demo site


@pytest.fixture
def make_host(simulator: LiveSimulator) -> Callable[..., Flask]:
    def make(**overrides: str | None) -> Flask:
        return create_app({"ENV": simulator.host_env(**overrides), "TESTING": True})

    return make


def signed_in(app: Flask, login: str) -> Auth:
    auth = Auth(app.test_client())
    assert auth.login(login, f"{login}-demo").status_code == 302
    return auth
