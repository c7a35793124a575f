"""Fixtures for the simulator tests (helpers in helpers.py)."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox.simulator import create_app

from .helpers import ADMIN_TOKEN, build_registry


@pytest.fixture
def app() -> Flask:
    return create_app(build_registry(), public_url="http://localhost:8001")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(autouse=True)
def admin_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMULATOR_ADMIN_TOKEN", ADMIN_TOKEN)
