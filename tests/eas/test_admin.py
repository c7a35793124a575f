"""The demo EAS's admin API (its signing keys), what `flask tableau rotate eas-key` drives from
another process: a key is published before it signs, signing switches to a published key only, and
the signing key cannot be removed. Guarded by a bearer credential; never shows key material."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox.eas.__main__ import main
from sandbox.eas.faults import DOWN

from .helpers import CLIENT_SECRET, ISSUER, Driver

ADMIN_TOKEN = "test-eas-admin-credential"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def eas(make_eas: Callable[..., Flask]) -> Flask:
    return make_eas(admin_token=ADMIN_TOKEN, token_lifetime_seconds=120)


@pytest.fixture
def admin(eas: Flask) -> FlaskClient:
    return eas.test_client()


def published(client: FlaskClient) -> list[str]:
    return [k["kid"] for k in client.get("/jwks.json").json["keys"]]


def kid_of(driver: Driver) -> str:
    return jwt.get_unverified_header(driver.tokens()["access_token"])["kid"]


def test_lists_the_signing_key_and_the_token_lifetime(admin: FlaskClient):
    answer = admin.get("/_eas/keys", headers=ADMIN)
    assert answer.status_code == 200
    assert answer.json == {"signing": published(admin)[0], "keys": published(admin),
                           "tokenLifetimeSeconds": 120}
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_new_key_is_published_before_it_signs(admin: FlaskClient, driver: Driver):
    old = kid_of(driver)
    added = admin.post("/_eas/keys", headers=ADMIN)
    assert added.status_code == 201
    new = added.json["kid"]
    assert published(admin) == [old, new] and added.json["signing"] == old
    assert kid_of(driver) == old  # still signed with the old key

    switched = admin.put("/_eas/keys/signing", json={"kid": new}, headers=ADMIN)
    assert switched.status_code == 200 and switched.json["signing"] == new
    assert kid_of(driver) == new

    assert admin.delete(f"/_eas/keys/{old}", headers=ADMIN).status_code == 204
    assert published(admin) == [new]


def test_answers_carry_kids_only_never_key_material(admin: FlaskClient):
    for answer in (admin.post("/_eas/keys", headers=ADMIN), admin.get("/_eas/keys", headers=ADMIN)):
        text = answer.get_data(as_text=True)
        assert '"d"' not in text and '"n"' not in text and "PRIVATE" not in text


def test_the_signing_key_cannot_be_removed(admin: FlaskClient):
    signing = admin.get("/_eas/keys", headers=ADMIN).json["signing"]
    answer = admin.delete(f"/_eas/keys/{signing}", headers=ADMIN)
    assert answer.status_code == 409
    assert "switch signing to another key first" in answer.json["error_description"]
    assert published(admin) == [signing]


@pytest.mark.parametrize(("method", "path", "body", "status", "says"), [
    ("PUT", "/_eas/keys/signing", {"kid": "no-such-kid"}, 404, "no key with kid 'no-such-kid'"),
    ("PUT", "/_eas/keys/signing", {"key": "x"}, 400, '{"kid": '),
    ("PUT", "/_eas/keys/signing", None, 400, '{"kid": '),
    ("DELETE", "/_eas/keys/no-such-kid", None, 404, "no key with kid 'no-such-kid'"),
])
def test_bad_requests_say_what_is_wrong(admin: FlaskClient, method: str, path: str, body: dict | None,
                                        status: int, says: str):
    before = admin.get("/_eas/keys", headers=ADMIN).json
    answer = admin.open(path, method=method, json=body, headers=ADMIN)
    assert answer.status_code == status
    assert says in answer.json["error_description"]
    assert admin.get("/_eas/keys", headers=ADMIN).json == before


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-credential", f"Basic {ADMIN_TOKEN}",
                                           f"Bearer {ADMIN_TOKEN}x"])
def test_a_missing_or_wrong_credential_is_refused(admin: FlaskClient, authorization: str | None):
    headers = {"Authorization": authorization} if authorization else {}
    for method in ("GET", "POST"):
        answer = admin.open("/_eas/keys", method=method, headers=headers)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
    assert len(published(admin)) == 1  # the POST added nothing


@pytest.mark.parametrize("admin_token", [None, ""])
def test_without_a_credential_the_admin_api_is_off(make_eas: Callable[..., Flask], admin_token: str | None):
    client = make_eas(admin_token=admin_token).test_client()
    for method in ("GET", "POST"):
        answer = client.open("/_eas/keys", method=method, headers={"Authorization": "Bearer "})
        assert answer.status_code == 403 and "admin API is disabled" in answer.json["error_description"]
    assert len(published(client)) == 1


def test_a_switched_off_eas_still_answers_its_admin_api(eas: Flask, admin: FlaskClient):
    eas.config[DOWN] = True
    assert admin.get("/jwks.json").status_code == 503
    assert admin.get("/_eas/keys", headers=ADMIN).status_code == 200


def test_the_cli_adds_a_key_then_switches_to_it(driver: Driver, key_dir: Path,
                                               capsys: pytest.CaptureFixture[str]):
    old = kid_of(driver)
    assert main(["add-key", "--key-dir", str(key_dir)]) == 0
    new = capsys.readouterr().out.split("kid ")[1].split(",")[0]
    assert published(driver.client) == [old, new] and kid_of(driver) == old
    assert main(["use-key", f"--kid={new}", "--key-dir", str(key_dir)]) == 0
    assert kid_of(driver) == new
    assert main(["use-key", "--kid", "no-such-kid", "--key-dir", str(key_dir)]) == 2
    assert "no key with kid 'no-such-kid'" in capsys.readouterr().err


def test_add_key_without_a_key_file_says_how_to_make_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["add-key", "--key-dir", str(tmp_path)]) == 2
    assert "no key file at" in capsys.readouterr().err and not list(tmp_path.iterdir())


def test_serve_with_an_unset_admin_credential_variable_fails_before_starting(
        key_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("EAS_TEST_SECRET", CLIENT_SECRET)
    monkeypatch.delenv("EAS_TEST_ADMIN_UNSET", raising=False)
    code = main(["serve", "--issuer", ISSUER, "--port", "8002", "--client-id", "host",
                 "--client-secret-env", "EAS_TEST_SECRET", "--redirect-uri", "http://localhost:5000/cb",
                 "--key-dir", str(key_dir), "--admin-token-env", "EAS_TEST_ADMIN_UNSET"])
    assert code == 2
    assert "EAS_TEST_ADMIN_UNSET (the admin credential) is not set" in capsys.readouterr().err
