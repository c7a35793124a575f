"""/troubleshoot on a host that signs UATs: UAT is the default trust and the configured username
claim is the one checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from config import load_settings
from host.embed.uat_token import mint_uat_for_user
from host.signin.users import User
from tests.conftest import base_env, csrf_from
from tests.uat_keys import uat_env

ALICE = User(login="alice", display_name="Alice", tableau_username="alice@example.com", password_hash="x")


@pytest.fixture
def env(key_file: Path) -> dict[str, str]:
    return base_env(**uat_env(key_file, UAT_USERNAME_CLAIM="upn"))


@pytest.fixture
def client(env: dict[str, str]) -> FlaskClient:
    app: Flask = create_app({"ENV": env, "TESTING": True})
    return app.test_client()


def check(client: FlaskClient, token: str) -> str:
    csrf = csrf_from(client.get("/troubleshoot").get_data(as_text=True))
    answer = client.post("/troubleshoot", data={"token": token, "trust": "uat", "csrf_token": csrf})
    return answer.get_data(as_text=True)


def test_uat_is_the_default_trust(client: FlaskClient):
    html = client.get("/troubleshoot").get_data(as_text=True)
    assert '<option selected value="uat">unified access token (UAT)</option>' in html


def test_the_configured_username_claim_is_checked(client: FlaskClient, env):
    token = mint_uat_for_user(load_settings(env), ALICE, ["viz"]).token
    assert "No documented rule is broken" in check(client, token)
    other = mint_uat_for_user(load_settings({**env, "UAT_USERNAME_CLAIM": "email"}), ALICE, ["viz"]).token
    html = check(client, other)
    assert 'data-code="10084"' in html and "the username claim &#39;upn&#39; is missing" in html
