"""Former 500s found by fuzzing answer 400 or a friendly page; error pages carry real titles."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app import create_app
from tests.conftest import HOST, Auth, base_env
from tests.host.lab.test_lab import LAB_ENV

SAME_ORIGIN = {"Origin": HOST, "Sec-Fetch-Site": "same-origin"}
NESTED = "[" * 1000 + "]" * 1000  # 2 KB, deeper than Python's JSON parser goes
EAS_ENV = {"EAS_ISSUER": "http://127.0.0.1:9", "EAS_CLIENT_ID": "embedding-host",
           "EAS_CLIENT_SECRET": "c" * 40, "EAS_REDIRECT_URI": "http://localhost/auth/eas/callback"}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def signed_in_headers(app: Flask):
    client = app.test_client()
    auth = Auth(client)
    auth.login()
    return client, {**SAME_ORIGIN, "X-CSRFToken": auth.csrf(), "Content-Type": "application/json"}


@pytest.mark.parametrize(("body", "expected"), [
    (NESTED, "nested too deeply"),
    ('{"components": ["viz"', "not JSON"),
    (b"\xff\xfe\xfa", "not JSON"),
])
def test_an_unreadable_token_api_body_is_a_400_that_says_why(body: str, expected: str) -> None:
    client, headers = signed_in_headers(create_app({"ENV": base_env(), "TESTING": True}))
    response = client.post("/api/token", headers=headers, data=body)
    assert response.status_code == 400 and expected in response.get_json()["error"]


@pytest.mark.parametrize(("body", "expected"), [
    (NESTED, "nested too deeply"),
    ('{"code": 1e400}', "not a documented"),  # a float too big for int(): OverflowError once
    ('{"code": 10091.5}', "not a documented"),
    ('{"code": true}', "not a documented"),
])
def test_an_unusable_lab_action_body_is_a_400(body: str, expected: str) -> None:
    app = create_app({"ENV": base_env(**LAB_ENV, TABLEAU_SERVER_URL="http://127.0.0.1:9"), "TESTING": True})
    client, headers = signed_in_headers(app)
    response = client.post("/lab/actions/fail-next", headers=headers, data=body)
    assert response.status_code == 400 and expected in response.get_json()["error"]


def test_an_unexpected_error_is_a_500_page_with_a_real_title() -> None:
    app = create_app({"ENV": base_env()})
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler answers

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("a bug")

    response = app.test_client().get("/boom", headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert title(html) == "Internal Server Error · Tableau Embedding Host"
    assert "property object" not in html and "a bug" not in html


def test_a_404_page_has_its_title(client) -> None:
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404 and title(response.get_data(as_text=True)).startswith("Not Found ·")


# --- the EAS callback ---------------------------------------------------------------------------


@pytest.fixture
def eas_host() -> Flask:
    # The EAS is never contacted in these tests: each answer is decided from the callback alone.
    return create_app({"ENV": base_env(**EAS_ENV), "TESTING": True})


@pytest.mark.parametrize("query", ["", "?state=abc", "?state=abc&iss=http://127.0.0.1:9"])
def test_a_callback_without_a_code_is_a_friendly_400(eas_host: Flask, query: str) -> None:
    response = eas_host.test_client().get(f"/auth/eas/callback{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and title(html).startswith("Sign-in not completed")
    assert "carried no authorization code" in html


@pytest.mark.parametrize(("error", "message"), [
    ("invalid_request", "incomplete or malformed"),
    ("unauthorized_client", "may not sign users in this way"),
    ("access_denied", "You declined the sign-in"),
    ("unsupported_response_type", "does not offer this kind of sign-in"),
    ("invalid_scope", "refused the permissions"),
    ("server_error", "ran into an error"),
    ("temporarily_unavailable", "busy or down for maintenance"),
])
def test_each_oauth_error_gets_its_fixed_message_never_the_requests_text(eas_host: Flask, error: str,
                                                                        message: str) -> None:
    client = eas_host.test_client()
    with client.session_transaction() as session:
        session["_state_eas_s1"] = {"data": {}}  # even for a flow this browser started
    response = client.get("/auth/eas/callback", query_string={
        "error": error, "state": "s1", "error_description": "Call +1 555 0100 to unlock your account"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and f"<code>{error}</code>" in html
    assert "555 0100" not in html


def test_an_unknown_error_code_is_not_shown(eas_host: Flask) -> None:
    response = eas_host.test_client().get("/auth/eas/callback",
                                          query_string={"error": "please_call_support_at_evil"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "did not complete the sign-in" in html
    assert "please_call_support" not in html
