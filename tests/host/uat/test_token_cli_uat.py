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
