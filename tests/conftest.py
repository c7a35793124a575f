"""Shared fixtures: a sandbox host app with a known connected app, and a signed-in client."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app

SECRET_VALUE = "s" * 48
SECOND_SECRET_VALUE = "t" * 48
HOST = "http://localhost"


def base_env(**overrides: str) -> dict[str, str]:
    env = {
        "APP_ENV": "sandbox",
        "SECRET_KEY": "k" * 64,
        "TABLEAU_SERVER_URL": "http://127.0.0.1:8001",
        "TABLEAU_CLIENT_ID": "client-123",
        "TABLEAU_SECRET_ID": "secret-1",
        "TABLEAU_SECRET_VALUE": SECRET_VALUE,
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.fixture
def app() -> Iterator[Flask]:
    yield create_app({"ENV": base_env(), "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, login: str = "alice", password: str = "alice-demo", next: str = ""):
        page = self.client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/login", data={"login": login, "password": password, "csrf_token": token, "next": next}
        )

    def csrf(self) -> str:
        return csrf_from(self.client.get("/").get_data(as_text=True))


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)
