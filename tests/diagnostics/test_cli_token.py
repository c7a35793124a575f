"""`flask tableau token`: mints for a known user, the token alone on stdout; refuses an unknown one."""

from __future__ import annotations

import jwt
import pytest
from flask import Flask

from tableau_rules.jwt_rules import check_token
from tests.conftest import SECRET_VALUE


def mint(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["tableau", "token", *args])


@pytest.mark.parametrize("name", ["alice", "alice@example.com"], ids=["login", "tableau-username"])
def test_mints_for_a_known_user(app: Flask, name: str) -> None:
    result = mint(app, "--user", name)
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert result.stdout == token + "\n"  # the token and nothing else on stdout
    claims = jwt.decode(token, SECRET_VALUE, algorithms=["HS256"], audience="tableau")
    assert claims["sub"] == "alice@example.com" and claims["scp"] == ["tableau:views:embed"]
    assert "credential" in result.stderr and token not in result.stderr


def test_components_set_the_scopes(app: Flask) -> None:
    result = mint(app, "--user", "bob", "--component", "authoring", "--component", "pulse")
    token = result.stdout.strip()
    assert check_token(token, component="authoring") == [] and check_token(token, component="pulse") == []


def test_refuses_an_unknown_user(app: Flask) -> None:
    result = mint(app, "--user", "mallory")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no user 'mallory'" in result.stderr and "alice" in result.stderr


def test_tableau_usernames_are_case_sensitive(app: Flask) -> None:
    # Troubleshoot Connected Apps, code 5: case sensitive
    assert mint(app, "--user", "ALICE@example.com").exit_code == 2
