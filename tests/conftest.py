"""Shared fixtures: a sandbox host app with a known connected app, and a signed-in client."""

from __future__ import annotations

import json
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from app import create_app
from config import CONFIG_DIR
from tests.state.redis_server import RedisServer, redis_server_binary

SECRET_VALUE = "s" * 48
SECOND_SECRET_VALUE = "t" * 48
HOST = "http://localhost"
# Demo users of the sandbox: the published passwords are <login>-demo.
DEMO_USERS = CONFIG_DIR / "sandbox_users.json"


def cheap_users_file() -> Path:
    """The demo users with a fast hash: every test sign-in would otherwise pay ~0.5 s of scrypt.
    Production hashing is unchanged (tests/host/signin/test_users.py checks the real file once)."""
    data = json.loads(DEMO_USERS.read_text(encoding="utf-8"))
    for user in data["users"]:
        user["password_hash"] = generate_password_hash(f"{user['login']}-demo", "pbkdf2:sha256:1")
    path = Path(tempfile.mkdtemp(prefix="host-tests-")) / "users.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


TEST_USERS_FILE = str(cheap_users_file())
# Each app gets its own state store file: rate-limit counters and sessions never leak between tests.
STATE_DIR = Path(tempfile.mkdtemp(prefix="host-state-"))


def fresh_state_store_url() -> str:
    return f"sqlite:///{STATE_DIR / uuid.uuid4().hex}.db"


def base_env(**overrides: str) -> dict[str, str]:
    env = {
        "APP_ENV": "sandbox",
        "SECRET_KEY": "k" * 64,
        "TABLEAU_SERVER_URL": "http://127.0.0.1:8001",
        "TABLEAU_CLIENT_ID": "client-123",
        "TABLEAU_SECRET_ID": "secret-1",
        "TABLEAU_SECRET_VALUE": SECRET_VALUE,
        "USERS_FILE": TEST_USERS_FILE,
        "STATE_STORE_URL": fresh_state_store_url(),
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.fixture(autouse=True)
def no_running_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The CLI reads the running demo's settings file; tests never see a real demo's."""
    path = tmp_path / "sandbox.env"
    monkeypatch.setenv("SANDBOX_ENV_FILE", str(path))
    return path


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


@pytest.fixture
def persistent_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server of the test's own, with appendonly yes: what Redis acknowledged survives
    its restart, so the sessions it kept stay valid (as a production Redis holding them runs)."""
    server = RedisServer(redis_server_binary(), tmp_path / "redis", appendonly=True)
    server.start()
    yield server
    server.stop()
