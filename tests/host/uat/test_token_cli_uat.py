"""`flask tableau token` on a host that signs UATs: a UAT by default, either kind on request."""

from __future__ import annotations

import jwt
from flask import Flask

from app import create_app
from tests.conftest import base_env
from tests.uat_keys import uat_env


def mint(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["tableau", "token", "--user", "alice", *args])


def test_a_uat_host_mints_uats_and_direct_tokens_on_request(key_file):
    app = create_app({"ENV": base_env(**uat_env(key_file, TRUST_MODE="direct,uat")), "TESTING": True})
    own = mint(app)
    assert own.exit_code == 0, own.output
    assert jwt.get_unverified_header(own.stdout.strip())["alg"] == "RS256"
    direct = mint(app, "--trust", "direct")
    assert jwt.get_unverified_header(direct.stdout.strip())["alg"] == "HS256"


def test_asking_for_a_trust_that_is_not_configured_says_so(uat_app: Flask, app: Flask):
    refused = mint(uat_app, "--trust", "direct")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "direct trust is not configured (TRUST_MODE has no direct)" in refused.stderr
    assert "unified access tokens are not configured" in mint(app, "--trust", "uat").stderr


def inspect(app: Flask, token: str, *args: str):
    return app.test_cli_runner().invoke(args=["tableau", "inspect", *args], input=token)


def test_inspect_checks_each_token_as_the_trust_that_made_it(key_file):
    # A UAT piped to `inspect` without --trust is checked as a UAT: no false 10087 (not HS256).
    app = create_app({"ENV": base_env(**uat_env(key_file, TRUST_MODE="direct,uat")), "TESTING": True})
    for trust, note in (("uat", "'iss' is this host's UAT issuer"), ("direct", "signed with HS256")):
        token = mint(app, "--trust", trust).stdout.strip()
        found = inspect(app, token)
        assert found.exit_code == 0, found.output
        assert f"note: checked as a {trust} token ({note})" in found.stderr
    forced = inspect(app, mint(app, "--trust", "uat").stdout.strip(), "--trust", "direct")
    assert forced.exit_code == 1 and "10087" in forced.stdout and "note: checked as" not in forced.stderr
