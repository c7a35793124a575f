"""`flask tableau doctor` with TRUST_MODE uat: key, configuration, the key set Tableau fetches and
a test mint, each a line with its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from host.diagnostics import doctor
from host.embed.mint_uat import load_signer
from tests.conftest import base_env
from tests.diagnostics.conftest import FakeTableau
from tests.diagnostics.test_doctor import run
from tests.uat_keys import uat_env, write_key


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return write_key(tmp_path / "uat-key.pem")


def make_app(fake: FakeTableau, key_file: Path, **env: str) -> Flask:
    env = {"UAT_JWKS_URL": f"{fake.url}/jwks.json", **env}
    settings = base_env(TABLEAU_SERVER_URL=fake.url, **uat_env(key_file, **env))
    return create_app({"ENV": settings, "TESTING": True})


def publish(fake: FakeTableau, *paths: Path) -> None:
    fake.jwks = {"keys": [load_signer(p).public_jwk() for p in paths]}


def test_a_good_uat_setup_is_all_ok(fake_tableau: FakeTableau, key_file: Path):
    publish(fake_tableau, key_file)
    code, statuses = run(make_app(fake_tableau, key_file))
    assert code == 0
    assert {k: v for k, v in statuses.items() if k.startswith("uat") or k == "secrets"} == {
        "secrets": "ok", "uat signing key": "ok", "uat configuration": "ok", "uat jwks": "ok",
        "uat minting": "ok"}


def test_the_key_line_names_size_and_kid_and_never_the_key(fake_tableau: FakeTableau, key_file: Path):
    publish(fake_tableau, key_file)
    result = make_app(fake_tableau, key_file).test_cli_runner().invoke(args=["tableau", "doctor"])
    assert f"RSA 2048 bits, kid {load_signer(key_file).key_id}" in result.stdout
    assert "PRIVATE" not in result.stdout
    assert "publishes the signing key (1 key)" in result.stdout  # a plural only for two


def test_a_key_set_without_the_signing_key_fails(fake_tableau: FakeTableau, key_file: Path, tmp_path):
    publish(fake_tableau, write_key(tmp_path / "other.pem", index=3))
    code, statuses = run(make_app(fake_tableau, key_file))
    assert code == 1 and statuses["uat jwks"] == "fail"


def test_no_key_set_at_the_url_fails(fake_tableau: FakeTableau, key_file: Path):
    code, statuses = run(make_app(fake_tableau, key_file, UAT_JWKS_URL=f"{fake_tableau.url}/nothing"))
    assert code == 1 and statuses["uat jwks"] == "fail"


def test_without_a_jwks_url_it_warns(fake_tableau: FakeTableau, key_file: Path):
    code, statuses = run(make_app(fake_tableau, key_file, UAT_JWKS_URL=""))
    assert code == 0 and statuses["uat jwks"] == "warn"


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_key_others_may_read_is_a_warning(fake_tableau: FakeTableau, key_file: Path):
    publish(fake_tableau, key_file)
    os.chmod(key_file, 0o644)
    _, statuses = run(make_app(fake_tableau, key_file))
    assert statuses["uat signing key"] == "warn"


def test_a_key_gone_since_the_start_fails(fake_tableau: FakeTableau, key_file: Path):
    app = make_app(fake_tableau, key_file)
    key_file.unlink()
    code, statuses = run(app)
    assert code == 1 and statuses["uat signing key"] == "fail"


def test_settings_that_do_not_load_are_listed_with_their_fix(tmp_path: Path, capsys):
    env = base_env(**uat_env(tmp_path / "missing.pem", UAT_ISSUER=None))
    assert doctor.main(env) == 1
    out = capsys.readouterr().out
    assert "fail config: UAT_ISSUER is not set" in out
    assert "UAT_KEY_FILE: no key at" in out and "flask tableau uat-key" in out
