"""Fixtures for the demo EAS: fast demo users, a pre-generated key, a ready app and driver."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from sandbox.eas import create_app
from sandbox.eas.keys import KEYS_FILE, KeyStore

from .helpers import ISSUER, Driver, client_registration

# Same shape as config/sandbox_users.json, with cheap hashes so the tests stay fast.
USERS = [
    {"login": "alice", "display_name": "Alice Analyst", "tableau_username": "alice@example.com",
     "password": "alice-pw", "attributes": {"Region": "West", "Department": "Sales"}, "groups": ["Sales"]},
    {"login": "bob", "display_name": "Bob Builder", "tableau_username": "bob@example.com",
     "password": "bob-pw", "attributes": {"Region": "East"}, "groups": ["Finance", "Authors"]},
    {"login": "carol", "display_name": "Carol", "tableau_username": "carol@elsewhere.example",
     "password": "carol-pw", "attributes": {}, "groups": []},
]


def write_users(path: Path, users: list[dict[str, Any]] = USERS, **top: Any) -> Path:
    data = {"sandbox_only": True, **top, "users": [
        {**{k: v for k, v in u.items() if k != "password"},
         "password_hash": generate_password_hash(u["password"], method="pbkdf2:sha256:1000")}
        for u in users]}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_users(tmp_path_factory.mktemp("eas-users") / "users.json")


@pytest.fixture(scope="session")
def _seed_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("eas-seed-keys")
    KeyStore(directory).ensure()
    return directory


@pytest.fixture
def key_dir(tmp_path: Path, _seed_keys: Path) -> Path:
    """A fresh key directory per test, holding a copy of one pre-generated key (RSA is slow)."""
    directory = tmp_path / "eas-keys"
    directory.mkdir()
    shutil.copy(_seed_keys / KEYS_FILE, directory / KEYS_FILE)
    return directory


@pytest.fixture
def make_eas(users_file: Path, key_dir: Path) -> Callable[..., Flask]:
    def make(**kwargs: Any) -> Flask:
        options: dict[str, Any] = {"issuer": ISSUER, "clients": [client_registration()],
                                   "users_file": users_file, "key_dir": key_dir}
        options.update(kwargs)
        app = create_app(**options)
        app.testing = True
        return app
    return make


@pytest.fixture
def eas(make_eas: Callable[..., Flask]) -> Flask:
    return make_eas()


@pytest.fixture
def driver(eas: Flask) -> Driver:
    return Driver(eas.test_client())
