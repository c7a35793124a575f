"""SIGNING_SETTINGS_FILE: the next token after the file changes is signed as the file now says,
without a restart; a file made unusable leaves signing as it was."""

from __future__ import annotations

import logging
from pathlib import Path

import jwt
import pytest

from config import load_settings
from config.signing_file import update_settings_file
from host.embed.mint_uat import load_signer
from host.embed.signing import describe, signing_now
from host.embed.viz_token import mint_for_user, own_token_for_user
from host.signin.users import User
from tests.conftest import SECOND_SECRET_VALUE, SECRET_VALUE, base_env
from tests.uat_keys import uat_env, write_key

ALICE = User(login="alice", display_name="Alice", tableau_username="alice@example.com", password_hash="x")


def kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


@pytest.fixture
def signing_file(tmp_path: Path) -> Path:
    path = tmp_path / "signing.env"
    update_settings_file(path, {"TABLEAU_SECRET_ID": "old", "TABLEAU_SECRET_VALUE": SECRET_VALUE})
    return path


def test_switching_the_secret_takes_effect_at_the_next_token(signing_file):
    settings = load_settings(base_env(SIGNING_SETTINGS_FILE=str(signing_file)))
    assert kid(mint_for_user(settings, ALICE, ["viz"]).token) == "old"
    update_settings_file(signing_file, {"TABLEAU_SECRET_2_ID": "new",
                                        "TABLEAU_SECRET_2_VALUE": SECOND_SECRET_VALUE})
    assert kid(mint_for_user(settings, ALICE, ["viz"]).token) == "old"  # added, not yet signing
    update_settings_file(signing_file, {"TABLEAU_SIGNING_SECRET": "2"})
    token = mint_for_user(settings, ALICE, ["viz"]).token
    assert kid(token) == "new"
    jwt.decode(token, SECOND_SECRET_VALUE, algorithms=["HS256"], audience="tableau")
    assert describe(signing_now(settings)) == "secret 'new' signs, 'old' spare"


def test_a_broken_file_keeps_the_last_good_signing_and_logs_why_without_values(signing_file, caplog):
    settings = load_settings(base_env(SIGNING_SETTINGS_FILE=str(signing_file)))
    mint_for_user(settings, ALICE, ["viz"])
    update_settings_file(signing_file, {"TABLEAU_SIGNING_SECRET": "2"})  # no second secret
    with caplog.at_level(logging.ERROR, logger="host.embed.signing"):
        assert kid(mint_for_user(settings, ALICE, ["viz"]).token) == "old"
    assert "TABLEAU_SIGNING_SECRET=2 but TABLEAU_SECRET_2_ID/_VALUE are not set" in caplog.text
    assert SECRET_VALUE not in caplog.text
    signing_file.unlink()  # gone altogether: still signing as before
    assert kid(mint_for_user(settings, ALICE, ["viz"]).token) == "old"


def test_uat_keys_switch_the_same_way(tmp_path, signing_file):
    first, second = write_key(tmp_path / "one.pem"), write_key(tmp_path / "two.pem", index=1)
    update_settings_file(signing_file, {"UAT_KEY_FILE": str(first)})
    settings = load_settings(base_env(**uat_env(first), SIGNING_SETTINGS_FILE=str(signing_file)))
    assert kid(own_token_for_user(settings, ALICE, ["viz"]).token) == load_signer(first).key_id
    update_settings_file(signing_file, {"UAT_KEY_2_FILE": str(second), "UAT_SIGNING_KEY": "2"})
    assert kid(own_token_for_user(settings, ALICE, ["viz"]).token) == load_signer(second).key_id
    assert signing_now(settings).uat.key_files == (second, first)
