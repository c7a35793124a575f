"""The token API: session, same origin and CSRF required; the subject is never the caller's choice."""

from __future__ import annotations

import jwt
import pytest

from tests.conftest import HOST, SECRET_VALUE

SAME_ORIGIN = {"Origin": HOST, "Sec-Fetch-Site": "same-origin"}


def post_token(client, headers=None, json=None):
    body = {"components": ["viz"]} if json is None else json
    return client.post("/api/token", headers=headers or {}, json=body)


def test_signed_out_caller_gets_401_json(client):
    response = post_token(client, headers=SAME_ORIGIN)
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"] == "sign in first"
    assert "token" not in response.get_json()


def test_signed_in_same_origin_with_csrf_gets_a_fresh_token(client, auth):
    auth.login()
    headers = {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}
    first = post_token(client, headers)
    second = post_token(client, headers)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    body = first.get_json()
    claims = jwt.decode(body["token"], SECRET_VALUE, algorithms=["HS256"], audience="tableau")
    assert claims["sub"] == "alice@example.com"
    assert claims["exp"] == body["expires_at"]
    assert claims["jti"] != jwt.decode(second.get_json()["token"], options={"verify_signature": False})["jti"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.localhost"},
        {},
    ],
)
def test_cross_site_or_unknown_origin_gets_403(client, auth, headers):
    auth.login()
    response = post_token(client, {**headers, "X-CSRFToken": auth.csrf()})
    assert response.status_code == 403
    assert response.is_json and "token" not in response.get_json()


@pytest.mark.parametrize("csrf", [None, "forged-token"])
def test_missing_or_wrong_csrf_gets_403_json(client, auth, csrf):
    auth.login()
    headers = dict(SAME_ORIGIN)
    if csrf:
        headers["X-CSRFToken"] = csrf
    response = post_token(client, headers)
    assert response.status_code == 403
    assert response.is_json and "CSRF" in response.get_json()["error"]


def test_a_request_naming_another_user_still_gets_the_signed_in_users_token(client, auth):
    auth.login("bob", "bob-demo")
    headers = {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}
    body = {"components": ["viz"], "sub": "alice@example.com", "user": "alice", "username": "alice"}
    response = client.post("/api/token?sub=alice@example.com&user=alice", headers=headers, json=body)
    token = response.get_json()["token"]
    assert jwt.decode(token, options={"verify_signature": False})["sub"] == "bob@example.com"


def test_unknown_component_kind_gets_400(client, auth):
    auth.login()
    headers = {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}
    response = post_token(client, headers, json={"components": ["metrics"]})
    assert response.status_code == 400
    assert "metrics" in response.get_json()["error"]


def test_authoring_components_get_both_authoring_scopes(client, auth):
    auth.login()
    headers = {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}
    token = post_token(client, headers, json={"components": ["authoring"]}).get_json()["token"]
    scp = jwt.decode(token, options={"verify_signature": False})["scp"]
    assert scp == ["tableau:views:embed_authoring", "tableau:views:embed"]


def test_get_is_not_allowed(client, auth):
    auth.login()
    assert client.get("/api/token", headers=SAME_ORIGIN).status_code == 405


@pytest.mark.parametrize("body", [[1], "viz", 7])
def test_a_body_that_is_not_an_object_gets_400(client, auth, body):
    auth.login()
    response = post_token(client, {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}, json=body)
    assert response.status_code == 400 and "JSON object" in response.get_json()["error"]
