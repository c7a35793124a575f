"""Configuration: every bad setting stops the start with a message naming the variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from config import ConfigError, load_settings
from host.extension import current_host_of
from tests.conftest import base_env

ROOT = Path(__file__).resolve().parents[2]
PROD = {"APP_ENV": "production", "TABLEAU_SERVER_URL": "https://tableau.example.com",
        "USERS_FILE": "config/views.json"}


def problems(**overrides) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(base_env(**overrides))
    return caught.value.message


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"APP_ENV": None}, "APP_ENV is not set"),
        ({"APP_ENV": "staging"}, "APP_ENV='staging'"),
        ({**PROD, "SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({**PROD, "SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"TABLEAU_SECRET_VALUE": None}, "TABLEAU_SECRET_VALUE is not set"),
        ({"TABLEAU_SECRET_VALUE": "x" * 31}, "TABLEAU_SECRET_VALUE is too short"),
        ({"TABLEAU_SECRET_ID": None}, "TABLEAU_SECRET_ID is not set"),
        ({"TABLEAU_CLIENT_ID": None}, "TABLEAU_CLIENT_ID is not set"),
        ({"TOKEN_LIFETIME_SECONDS": "601"}, "TOKEN_LIFETIME_SECONDS=601 is out of range"),
        ({"TOKEN_LIFETIME_SECONDS": "0"}, "TOKEN_LIFETIME_SECONDS=0 is out of range"),
        ({"TOKEN_LIFETIME_SECONDS": "5m"}, "TOKEN_LIFETIME_SECONDS='5m' is not a whole number"),
        ({"TRUST_MODE": "magic"}, "TRUST_MODE='magic' is unknown"),
        ({"TABLEAU_SERVER_URL": None}, "TABLEAU_SERVER_URL is not set"),
        ({"TABLEAU_SERVER_URL": "tableau.example.com"}, "is not an absolute http(s) URL"),
        ({**PROD, "TABLEAU_SERVER_URL": "http://tableau.example.com"}, "must use https outside"),
        ({"TABLEAU_SIGNING_SECRET": "2"}, "TABLEAU_SIGNING_SECRET=2 but TABLEAU_SECRET_2_ID"),
        ({"TABLEAU_SIGNING_SECRET": "3"}, "TABLEAU_SIGNING_SECRET='3' must be 1 or 2"),
        ({"TABLEAU_SECRET_2_ID": "s2"}, "TABLEAU_SECRET_2_VALUE is not set"),
        ({"TABLEAU_SEND_GROUPS": "maybe"}, "TABLEAU_SEND_GROUPS='maybe' is not a boolean"),
        ({"VIEWS_FILE": "/nonexistent/views.json"}, "VIEWS_FILE: file /nonexistent/views.json"),
        ({"TABLEAU_SERVER_URL": "https://10ax.online.tableau.com/#/site/acme/home"},
         "set TABLEAU_SERVER_URL=https://10ax.online.tableau.com; it names site 'acme': use /t/acme/ in "
         "your views' src"),
        ({"TABLEAU_SERVER_URL": "https://tableau.example.com/t/acme/views/Sales/Overview"},
         "set TABLEAU_SERVER_URL=https://tableau.example.com; it names site 'acme'"),
        ({"TABLEAU_SERVER_URL": "https://tableau.example.com/#/home"},
         "without a path, query or #fragment: set TABLEAU_SERVER_URL=https://tableau.example.com"),
        ({"TABLEAU_SERVER_URL": "https://tableau.example.com/?lang=en"},
         "set TABLEAU_SERVER_URL=https://tableau.example.com"),
    ],
)
def test_each_bad_setting_gives_its_clear_error(overrides, expected):
    assert expected in problems(**overrides)


def test_secret_messages_say_how_to_generate_a_value():
    assert "secrets.token_hex(32)" in problems(**PROD, SECRET_KEY=None)


def test_all_problems_are_reported_at_once():
    message = problems(TABLEAU_CLIENT_ID=None, TABLEAU_SECRET_ID=None)
    assert "TABLEAU_CLIENT_ID" in message and "TABLEAU_SECRET_ID" in message


def test_secret_values_never_appear_in_errors_or_repr():
    message = problems(TABLEAU_SECRET_VALUE="v" * 20 + "TOPSECRET")
    assert "TOPSECRET" not in message
    settings = load_settings(base_env())
    assert settings.direct.signing_secret.value not in repr(settings.direct.signing_secret)
    assert settings.secret_key not in repr(settings)


def test_sandbox_may_run_without_a_session_key_but_production_may_not():
    assert len(load_settings(base_env(SECRET_KEY=None)).secret_key) == 64
    assert "SECRET_KEY is not set" in problems(**PROD, SECRET_KEY=None)


def test_env_example_lists_exactly_what_config_and_gunicorn_read():
    source = "".join(path.read_text() for path in sorted((ROOT / "config").glob("*.py")))
    read = set(re.findall(r'"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"', source))  # every quoted VARIABLE_NAME
    read.discard("FLASK_RUN_FROM_CLI")  # Flask's CLI sets it; not a setting
    serving = (ROOT / "gunicorn.conf.py").read_text()  # WEB_WORKERS, PORT, ...: read by name
    read |= set(re.findall(r'(?:environ\.get|_positive_int)\(["\']([A-Z][A-Z0-9_]+)["\']', serving))
    example = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found in config"
    assert read == example


EAS_ENV = {"EAS_ISSUER": "https://idp.example/", "EAS_CLIENT_ID": "host",
           "EAS_CLIENT_SECRET": "c" * 40, "EAS_REDIRECT_URI": "https://app.example/auth/eas/callback"}


def test_trust_mode_eas_needs_the_eas_settings_and_not_the_connected_app_secret():
    message = problems(TRUST_MODE="eas", TABLEAU_CLIENT_ID=None, TABLEAU_SECRET_ID=None,
                       TABLEAU_SECRET_VALUE=None)
    for name in ("EAS_ISSUER", "EAS_CLIENT_ID", "EAS_CLIENT_SECRET", "EAS_REDIRECT_URI"):
        assert f"{name} is not set" in message
    assert "TABLEAU_SECRET_VALUE" not in message
    settings = load_settings(base_env(TRUST_MODE="eas", TABLEAU_CLIENT_ID=None, TABLEAU_SECRET_ID=None,
                                      TABLEAU_SECRET_VALUE=None, **EAS_ENV))
    assert settings.direct is None and settings.eas.tokens_from_eas


def test_the_issuer_is_kept_exactly_as_written_and_metadata_is_derived_from_it():
    eas = load_settings(base_env(**EAS_ENV)).eas
    assert eas.issuer == "https://idp.example/"
    assert eas.metadata_url == "https://idp.example/.well-known/openid-configuration"
    assert eas.tokens_from_eas is False  # TRUST_MODE=direct: the host signs after the IdP login


def test_eas_urls_must_be_https_outside_the_sandbox():
    message = problems(**PROD, **{**EAS_ENV, "EAS_ISSUER": "http://idp.example"})
    assert "EAS_ISSUER='http://idp.example' must use https" in message


def test_with_an_eas_and_no_users_file_there_is_no_local_sign_in():
    env = {**PROD, "USERS_FILE": None, **EAS_ENV}
    settings = load_settings(base_env(**env))
    assert settings.users_file is None and not settings.local_sign_in


def test_a_corrupt_state_file_stops_the_start_naming_the_file(tmp_path) -> None:
    broken = tmp_path / "state.db"
    broken.write_bytes(b"this is not a SQLite database" * 100)
    with pytest.raises(ConfigError) as refused:
        create_app({"ENV": base_env(STATE_STORE_URL=f"sqlite:///{broken}")})
    assert str(broken) in str(refused.value) and "move the file aside" in str(refused.value)


def test_a_state_store_url_it_cannot_use_is_refused_with_the_forms_it_takes() -> None:
    with pytest.raises(ConfigError, match="STATE_STORE_URL"):
        create_app({"ENV": base_env(STATE_STORE_URL="memcached://localhost")})


def test_the_post_logout_uri_defaults_to_this_hosts_home_page():
    assert load_settings(base_env(**EAS_ENV)).eas.post_logout_redirect_uri == "https://app.example/"
    chosen = load_settings(base_env(**EAS_ENV, EAS_POST_LOGOUT_REDIRECT_URI="https://app.example/bye"))
    assert chosen.eas.post_logout_redirect_uri == "https://app.example/bye"
    message = problems(**PROD, **EAS_ENV, EAS_POST_LOGOUT_REDIRECT_URI="http://app.example/")
    assert "EAS_POST_LOGOUT_REDIRECT_URI='http://app.example/' must use https" in message


def test_token_retries_exhausted_is_a_message_unless_set_to_tableau_sign_in():
    assert load_settings(base_env()).token_retries_exhausted == "message"
    assert load_settings(base_env()).retry_fallback == "FAIL"
    chosen = load_settings(base_env(TOKEN_RETRIES_EXHAUSTED=" Tableau-Sign-In "))
    assert (chosen.token_retries_exhausted, chosen.retry_fallback) == ("tableau-sign-in", "LOGIN")


@pytest.mark.parametrize("value", ["login", "LOGIN", "password", "message,tableau-sign-in"])
def test_an_unknown_token_retries_exhausted_names_the_two_choices(value):
    message = problems(TOKEN_RETRIES_EXHAUSTED=value)
    assert f"TOKEN_RETRIES_EXHAUSTED={value.lower()!r} is unknown: use message" in message
    assert "or tableau-sign-in" in message


def test_the_time_to_finish_an_eas_sign_in_is_a_setting():
    assert load_settings(base_env()).limits.pending_sign_in_seconds == 300  # 5 minutes
    settings = load_settings(base_env(EAS_SIGN_IN_MINUTES="2"))
    assert settings.limits.pending_sign_in_seconds == 120
    assert "EAS_SIGN_IN_MINUTES" in problems(EAS_SIGN_IN_MINUTES="0")
    assert "EAS_SIGN_IN_MINUTES" in problems(EAS_SIGN_IN_MINUTES="45")
    # ...and the EAS client's pending sign-ins (Authlib's state, nonce, PKCE verifier) follow it.
    app = create_app({"ENV": base_env(EAS_SIGN_IN_MINUTES="2", TRUST_MODE="direct,eas", **EAS_ENV),
                      "TESTING": True})
    assert current_host_of(app).eas.oauth_client.framework.expires_in == 120
