"""`flask tableau inspect`: the rule table through the CLI, --json shape, signatures, exit codes."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.cli import FlaskGroup

from app import create_app
from tests.conftest import SECRET_VALUE, base_env
from tests.diagnostics.conftest import FakeTableau
from tests.diagnostics.tokens import NOW, good_claims, raw, rule_cases, signed

EAS_ENV = {"TRUST_MODE": "eas", "TABLEAU_CLIENT_ID": None, "TABLEAU_SECRET_ID": None,
           "TABLEAU_SECRET_VALUE": None, "EAS_ISSUER": "https://idp.example/", "EAS_CLIENT_ID": "host",
           "EAS_CLIENT_SECRET": "c" * 40, "EAS_REDIRECT_URI": "http://localhost/auth/eas/callback"}


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
    assert set(report) == {"ok", "header", "claims", "size", "signature", "problems", "warnings"}
    assert report["ok"] is True and report["problems"] == [] and report["signature"] == "not checked"
    assert report["warnings"] == []
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
    token = jwt.encode(good_claims(aud="site-id", iss="https://eas.example.com"), key, algorithm="RS256",
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


# --- against the host's configured IDs (the app fixture: client-123, secret-1) ------------------


def test_a_token_of_another_connected_app_is_flagged(app: Flask) -> None:
    token = signed(good_claims(iss="another-app"), iss="another-app")
    report = json.loads(inspect(app, "--json", token=token).stdout)
    assert [(p["code"], p["rule"]) for p in report["problems"]] == [(10089, "config.iss")]
    assert "'another-app' is not this host's connected app" in report["problems"][0]["message"]


def test_a_token_of_another_secret_is_flagged(app: Flask) -> None:
    result = inspect(app, token=signed(good_claims(), kid="an-old-secret"))
    assert result.exit_code == 1
    assert "10085 COULD_NOT_FETCH_JWT_KEYS [config.kid]" in result.stdout
    assert "'an-old-secret' is none of this host's secret IDs ('secret-1')" in result.stdout


def test_the_eas_issuer_is_compared_for_eas_tokens(app: Flask) -> None:
    eas_app = create_app({"ENV": base_env(**EAS_ENV), "TESTING": True})
    token = raw({"alg": "RS256", "kid": "k1"}, good_claims(iss="https://other-idp.example/", aud="tableau"))
    report = json.loads(inspect(eas_app, "--json", "--trust", "eas", token=token).stdout)
    assert ("config.iss", 10082) in [(p["rule"], p["code"]) for p in report["problems"]]


# --- warnings: no documented code, still worth a look ------------------------------------------


@pytest.mark.parametrize(("claims", "header", "rule"), [
    ({"iat": int(time.time()) + 3600}, {}, "claims.iat-future"),
    ({"nbf": int(time.time()) + 3600}, {}, "claims.nbf-future"),
    ({}, {"iss": "client-123-typo"}, "header.iss-differs"),
], ids=["future-iat", "future-nbf", "header-iss-differs"])
def test_warnings_are_shown_and_exit_1(app: Flask, claims: dict, header: dict, rule: str) -> None:
    token = signed(good_claims(**claims), **header)
    report = json.loads(inspect(app, "--json", token=token).stdout)
    assert [w["rule"] for w in report["warnings"]] == [rule] and report["ok"] is False
    text = inspect(app, token=token)
    assert text.exit_code == 1 and f"warning (no documented code) [{rule}]" in text.stdout
    assert "fix: " in text.stdout
    assert "ok: no documented rule" not in text.stdout  # a warning is never reported as ok
    if not report["problems"]:
        assert "warn: no documented rule is broken, but 1 warning below" in text.stdout


# --- with no host configuration at all ----------------------------------------------------------


def test_inspect_needs_no_host_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real CLI path: Flask's group loads the app, whose settings do not load.
    for name in ("APP_ENV", "TABLEAU_SERVER_URL", "TABLEAU_CLIENT_ID", "TABLEAU_SECRET_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # the group sets it; restored after the test
    flask = FlaskGroup(create_app=create_app, load_dotenv=False)
    runner = CliRunner()
    good = runner.invoke(flask, ["tableau", "inspect", "--json"], input=signed(good_claims()))
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["claims"]["sub"] == "alice@example.com"
    assert "settings do not load" in good.stderr
    assert "Traceback" not in good.output
    bad = runner.invoke(flask, ["tableau", "inspect"], input=signed(good_claims(jti=None)))
    assert bad.exit_code == 1 and "10094 MISSING_REQUIRED_JTI" in bad.stdout
    assert runner.invoke(flask, ["tableau", "inspect"], input=" ").exit_code == 2  # could not run
