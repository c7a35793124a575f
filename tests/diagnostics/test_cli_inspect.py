"""`flask tableau inspect`: the rule table through the CLI, --json shape, signatures, exit codes."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask

from tests.conftest import SECRET_VALUE
from tests.diagnostics.conftest import FakeTableau
from tests.diagnostics.tokens import NOW, good_claims, rule_cases, signed


def inspect(app: Flask, *args: str, token: str | None = None):
    return app.test_cli_runner().invoke(args=["tableau", "inspect", *args], input=token)


@pytest.mark.parametrize("case_id", [c[0] for c in rule_cases(NOW)])
def test_each_crafted_token_is_reported(app: Flask, case_id: str) -> None:
    # Made now, against the wall clock the CLI reads: a token made at collection may have expired.
    _, token, code, rule, component = next(c for c in rule_cases() if c[0] == case_id)
    args = ["--json", *(["--component", component] if component else [])]
    result = inspect(app, *args, token=token)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (code, rule) in [(p["code"], p["rule"]) for p in report["problems"]]


def test_json_shape_for_a_clean_token(app: Flask) -> None:
    result = inspect(app, "--json", "-", token=signed(good_claims()) + "\n")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "header", "claims", "size", "signature", "problems"}
    assert report["ok"] is True and report["problems"] == [] and report["signature"] == "not checked"
    assert report["claims"]["sub"] == "alice@example.com" and report["header"]["kid"] == "secret-1"


def test_problem_shape(app: Flask) -> None:
    report = json.loads(inspect(app, "--json", token=signed(good_claims(jti=None))).stdout)
    assert report["problems"] == [{
        "code": 10094, "name": "MISSING_REQUIRED_JTI", "rule": "claims.jti",
        "message": "'jti' (a unique JWT ID) is missing",
        "resolution": "Verify the 'jti' (JWT ID) is included in the JWT.",
    }]


def test_text_output_lists_code_and_fix_and_never_the_token(app: Flask) -> None:
    token = signed(good_claims(aud="Tableau"))
    result = inspect(app, token=token)
    assert result.exit_code == 1
    assert "10084 JWT_PARSE_ERROR [claims.aud]" in result.stdout and "fix: " in result.stdout
    assert '"sub": "alice@example.com"' in result.stdout
    assert token not in result.output and token.split(".")[2] not in result.output


def test_token_as_argument(app: Flask) -> None:
    assert inspect(app, signed(good_claims())).exit_code == 0


def test_secret_from_the_environment(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    token = signed(good_claims())
    monkeypatch.setenv("GOOD_SECRET", SECRET_VALUE)
    monkeypatch.setenv("WRONG_SECRET", "w" * 48)
    ok = inspect(app, "--json", "--secret-env", "GOOD_SECRET", token=token)
    assert ok.exit_code == 0 and json.loads(ok.stdout)["signature"] == "verified"
    bad = inspect(app, "--json", "--secret-env", "WRONG_SECRET", token=token)
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["signature"] == "invalid" and [p["code"] for p in report["problems"]] == [127]
    assert SECRET_VALUE not in ok.output + bad.output


def test_jwks_url(app: Flask, fake_tableau: FakeTableau) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    fake_tableau.jwks = {"keys": [{**public, "kid": "k1"}]}
    token = jwt.encode(good_claims(aud="site-id"), key, algorithm="RS256",
                       headers={"kid": "k1", "iss": "https://eas.example.com"})
    result = inspect(app, "--json", "--trust", "eas", "--jwks-url", f"{fake_tableau.url}/jwks.json",
                     token=token)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["signature"] == "verified"


@pytest.mark.parametrize("args", [
    ["--secret-env", "NO_SUCH_VARIABLE_SET"],
    ["--secret-env", "A", "--jwks-url", "https://jwks.invalid/"],
    ["--component", "dashboard"],
    ["--trust", "saml"],
], ids=["unset-secret-env", "both-verifiers", "unknown-component", "unknown-trust"])
def test_usage_errors_exit_2(app: Flask, args: list[str]) -> None:
    assert inspect(app, *args, token=signed(good_claims())).exit_code == 2


def test_empty_input_exits_2(app: Flask) -> None:
    result = inspect(app, token="  \n")
    assert result.exit_code == 2 and "no token given" in result.output


def test_unreachable_jwks_exits_2_without_traceback(app: Flask, fake_tableau: FakeTableau) -> None:
    result = inspect(app, "--jwks-url", f"{fake_tableau.url}/nothing-here", token=signed(good_claims()))
    assert result.exit_code == 2 and "cannot fetch the key set" in result.output
    assert "Traceback" not in result.output
