"""create_app and the CLI refuse bad input with a message that says what to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox.eas import EasConfigError, create_app
from sandbox.eas.__main__ import main

from .conftest import USERS, write_users
from .helpers import CLIENT_SECRET, ISSUER, client_registration


@pytest.mark.parametrize("lifetime", [601, 3600, 0, -5])
def test_lifetime_over_ten_minutes_or_not_positive_is_refused(make_eas: Any, lifetime: int) -> None:
    with pytest.raises(EasConfigError, match="10096"):
        make_eas(token_lifetime_seconds=lifetime)


def test_lifetime_is_configurable_up_to_600(make_eas: Any) -> None:
    from .helpers import Driver
    driver = Driver(make_eas(token_lifetime_seconds=600).test_client())
    claims = driver.verify(driver.tokens()["access_token"])
    assert claims["exp"] - claims["iat"] == 600


@pytest.mark.parametrize("issuer", ["http://eas.example", "ftp://localhost", "localhost:8002",
                                    "https://eas.example/?x=1", "https://eas.example/#f", ""])
def test_bad_issuer_is_refused(make_eas: Any, issuer: str) -> None:
    with pytest.raises(EasConfigError, match="issuer"):
        make_eas(issuer=issuer)


@pytest.mark.parametrize("audience", ["Tableau", "", "site-demo"])
def test_audience_must_be_tableau_or_a_site_id(make_eas: Any, audience: str) -> None:
    with pytest.raises(EasConfigError, match="audience"):
        make_eas(audience=audience)


@pytest.mark.parametrize(("overrides", "match"), [
    ({"client_secret": "short"}, "at least 16"),
    ({"redirect_uris": []}, "non-empty list"),
    ({"redirect_uris": ["http://evil.example/cb"]}, "https URL"),
    ({"redirect_uris": ["https://host.example/cb#frag"]}, "fragment"),
    ({"scopes": ["tableau:metrics:embed"]}, "unknown scopes"),
    ({"grant_types": ["client_credentials", "authorization_code"]}, "unsupported grant_types"),
    ({"secret": "typo"}, "unknown keys"),
])
def test_bad_client_registration_is_refused(make_eas: Any, overrides: dict, match: str) -> None:
    with pytest.raises(EasConfigError, match=match) as info:
        make_eas(clients=[client_registration(**overrides)])
    assert CLIENT_SECRET not in str(info.value)


def test_users_file_must_be_marked_sandbox_only(tmp_path: Path, make_eas: Any) -> None:
    path = write_users(tmp_path / "u.json", sandbox_only=False)
    with pytest.raises(EasConfigError, match="sandbox_only"):
        make_eas(users_file=path)


@pytest.mark.parametrize("name", ["sub", "https://tableau.com/oda", "https://tableau.com/tenantId"])
def test_attribute_named_like_a_claim_is_refused(tmp_path: Path, make_eas: Any, name: str) -> None:
    users = [{**USERS[0], "attributes": {name: "true"}}]
    with pytest.raises(EasConfigError, match=f"'{name}'.* are JWT claims of their own"):
        make_eas(users_file=write_users(tmp_path / "u.json", users))


def test_missing_users_file_is_refused(tmp_path: Path, make_eas: Any) -> None:
    with pytest.raises(EasConfigError, match="cannot read"):
        make_eas(users_file=tmp_path / "absent.json")


def test_serve_without_the_secret_variable_fails_before_starting(
    key_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("EAS_TEST_SECRET_UNSET", raising=False)
    code = main(["serve", "--issuer", ISSUER, "--port", "8002", "--client-id", "host",
                 "--client-secret-env", "EAS_TEST_SECRET_UNSET", "--redirect-uri",
                 "http://localhost:5000/cb", "--key-dir", str(key_dir)])
    assert code == 2
    assert "EAS_TEST_SECRET_UNSET" in capsys.readouterr().err


def test_serve_with_a_bad_lifetime_fails_before_starting(
    key_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EAS_TEST_SECRET", CLIENT_SECRET)
    code = main(["serve", "--issuer", ISSUER, "--port", "80", "--client-id", "host",
                 "--client-secret-env", "EAS_TEST_SECRET", "--redirect-uri", "http://localhost:5000/cb",
                 "--key-dir", str(key_dir), "--token-lifetime", "900"])
    assert code == 2
    err = capsys.readouterr().err
    assert "token_lifetime_seconds" in err and CLIENT_SECRET not in err


def test_bad_port_is_refused_by_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", "--issuer", ISSUER, "--port", "70000", "--client-id", "h",
              "--client-secret-env", "X", "--redirect-uri", "http://localhost:5000/cb"])
    assert info.value.code == 2
    assert "not a TCP port" in capsys.readouterr().err


def test_create_app_builds_without_clients(users_file: Path, key_dir: Path) -> None:
    app = create_app(issuer=ISSUER, users_file=users_file, key_dir=key_dir)
    assert app.test_client().get("/jwks.json").status_code == 200
