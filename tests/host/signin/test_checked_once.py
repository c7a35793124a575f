"""The session cookie and the CSRF token are verified once per process, and still refused
whenever Flask's and Flask-WTF's own checks would refuse them (host/signin/cookie_session.py,
host/csrf.py)."""

from __future__ import annotations

import time

import pytest
from flask import request
from flask.testing import FlaskClient

from app import create_app
from host.signin import cookie_session
from tests.conftest import HOST, Auth, base_env, csrf_from

SAME_ORIGIN = {"Origin": HOST, "Sec-Fetch-Site": "same-origin"}


def token_call(client: FlaskClient, csrf: str | None, **headers: str):
    sent = {**SAME_ORIGIN, **headers, **({"X-CSRFToken": csrf} if csrf else {})}
    return client.post("/api/token", headers=sent, json={"components": ["viz"]})


def signed_in(client: FlaskClient) -> tuple[Auth, str]:
    auth = Auth(client)
    assert auth.login().status_code == 302
    return auth, auth.csrf()


def test_a_token_accepted_for_one_session_is_refused_for_another(app):
    alice, bob = app.test_client(), app.test_client()
    _, alice_csrf = signed_in(alice)
    _, bob_csrf = signed_in(bob)
    assert token_call(alice, alice_csrf).status_code == 200  # now remembered as valid
    assert token_call(alice, alice_csrf).status_code == 200
    refused = token_call(bob, alice_csrf)
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "CSRF check failed: The CSRF tokens do not match."
    assert token_call(bob, bob_csrf).status_code == 200


def test_missing_and_tampered_tokens_are_refused_after_a_good_one(app):
    client = app.test_client()
    _, csrf = signed_in(client)
    assert token_call(client, csrf).status_code == 200
    assert token_call(client, None).get_json()["error"] == "CSRF check failed: The CSRF token is missing."
    tampered = csrf[:-2] + ("AA" if not csrf.endswith("AA") else "BB")
    assert token_call(client, tampered).get_json()["error"] == "CSRF check failed: The CSRF token is invalid."


def test_a_header_token_is_remembered_only_once_it_was_itself_checked(app):
    """A request may carry a valid form token beside a forged header: only the header counts for
    the token API, so the forged one is refused then, and stays refused."""
    client = app.test_client()
    _, csrf = signed_in(client)
    forged = {**SAME_ORIGIN, "X-CSRFToken": "forged-not-a-token"}
    beside_good_form = client.post("/api/token", headers=forged, data={"csrf_token": csrf})
    assert beside_good_form.status_code == 403
    assert client.post("/api/token", headers=forged, json={}).status_code == 403
    assert token_call(client, csrf).status_code == 200


def test_two_sessions_of_one_user_each_get_their_own_csrf_token(app):
    first, second = app.test_client(), app.test_client()
    signed_in(first)
    signed_in(second)
    first_csrf = csrf_from(first.get("/views/overview").get_data(as_text=True))
    second_csrf = csrf_from(second.get("/views/overview").get_data(as_text=True))  # a remembered page
    assert first_csrf != second_csrf
    assert token_call(first, first_csrf).status_code == 200
    assert token_call(second, second_csrf).status_code == 200
    assert token_call(first, second_csrf).status_code == 403
    assert token_call(second, first_csrf).status_code == 403


def test_over_https_a_remembered_token_still_needs_a_referrer_from_this_host():
    app = create_app({"ENV": base_env(), "TESTING": True, "SESSION_COOKIE_SECURE": False})
    client = app.test_client()
    _, csrf = signed_in(client)
    assert token_call(client, csrf).status_code == 200  # remembered, over http
    https = {"base_url": "https://localhost:5000"}
    origin = {"Origin": "https://localhost:5000", "Sec-Fetch-Site": "same-origin"}
    no_referrer = client.post("/api/token", headers={**origin, "X-CSRFToken": csrf}, json={}, **https)
    assert no_referrer.get_json()["error"] == "CSRF check failed: The referrer header is missing."
    elsewhere = client.post("/api/token", json={}, **https, headers={
        **origin, "X-CSRFToken": csrf, "Referer": "https://evil.example/"})
    assert elsewhere.get_json()["error"] == "CSRF check failed: The referrer does not match the host."
    here = client.post("/api/token", json={}, **https, headers={
        **origin, "X-CSRFToken": csrf, "Referer": "https://localhost:5000/views/overview"})
    assert here.status_code == 200


def test_with_a_csrf_time_limit_tokens_expire_as_flask_wtf_says(monkeypatch):
    app = create_app({"ENV": base_env(), "TESTING": True, "WTF_CSRF_TIME_LIMIT": 60})
    client = app.test_client()
    _, csrf = signed_in(client)
    assert token_call(client, csrf).status_code == 200
    later = time.time() + 120
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    expired = token_call(client, csrf)
    assert expired.get_json()["error"] == "CSRF check failed: The CSRF token has expired."


def test_a_remembered_cookie_past_the_session_lifetime_is_signed_out(app, monkeypatch):
    client = app.test_client()
    _, csrf = signed_in(client)
    assert token_call(client, csrf).status_code == 200  # the cookie is now remembered
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(cookie_session.time, "time", lambda: later)
    assert token_call(client, csrf).status_code == 401


def test_a_tampered_cookie_is_refused_although_the_real_one_is_remembered(app):
    client = app.test_client()
    _, csrf = signed_in(client)
    assert token_call(client, csrf).status_code == 200
    real = client.get_cookie("session").value
    payload, _, signature = real.rpartition(".")
    client.set_cookie("session", payload + "." + signature[::-1])
    assert token_call(client, csrf).status_code == 401
    client.set_cookie("session", real)
    assert token_call(client, csrf).status_code == 200


def test_changing_one_requests_session_leaves_the_remembered_cookie_as_it_was(app):
    interface = app.session_interface
    client = app.test_client()
    signed_in(client)
    cookie = client.get_cookie("session").value
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        first = interface.open_session(app, request)
        first["sid"] = "someone-else"
        second = interface.open_session(app, request)
    assert second["sid"] != "someone-else"


@pytest.mark.parametrize("size", [4, 5])
def test_remembering_is_bounded(app, monkeypatch, size):
    monkeypatch.setattr(cookie_session, "REMEMBERED_COOKIES", size)
    interface = cookie_session.VerifiedOnceSessionInterface()
    serializer = interface.get_signing_serializer(app)
    for n in range(3 * size):
        cookie = serializer.dumps({"sid": f"s{n}"})
        with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
            assert interface.open_session(app, request)["sid"] == f"s{n}"
    assert len(interface._verified) <= size
