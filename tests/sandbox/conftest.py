"""Fixtures for the simulator tests (helpers in helpers.py)."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .helpers import make_app


@pytest.fixture
def app() -> Flask:
    """The test registry's simulator: admin credential passed in, clock pinned (helpers.NOW)."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
