"""Past a limit, 429 with Retry-After (JSON for fetch callers, a page for a browser's form), for that
client or session only: /troubleshoot's checks per client, POST /api/token per session."""

from __future__ import annotations

import jwt
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from tests.conftest import HOST, Auth, base_env, csrf_from

HOUR = 3600  # the limits below are per hour: no test run straddles a window
A_JWT = jwt.encode({"sub": "alice@example.com", "aud": "tableau"}, "x" * 48, algorithm="HS256",
                   headers={"kid": "secret-1", "iss": "client-123"})


def client_at(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def check(client: FlaskClient, accept: str = "text/html"):
    csrf = csrf_from(client.get("/troubleshoot").get_data(as_text=True))
    return client.post("/troubleshoot", data={"token": A_JWT, "csrf_token": csrf}, headers={"Accept": accept})


def assert_refused_for_a_while(answer) -> None:
    assert answer.status_code == 429
    assert 0 < int(answer.headers["Retry-After"]) <= HOUR


def test_troubleshoot_checks_past_the_limit_get_429_and_another_client_is_unaffected() -> None:
    app = create_app({"ENV": base_env(TROUBLESHOOT_LIMIT_PER_CLIENT="2/hour"), "TESTING": True})
    busy = client_at(app, "203.0.113.9")
    assert [check(busy).status_code for _ in range(2)] == [200, 200]
    as_fetch = check(busy, accept="application/json")
    assert_refused_for_a_while(as_fetch)
    assert as_fetch.is_json and as_fetch.get_json()["error"].startswith("Too many requests")
    as_form = check(busy)
    assert_refused_for_a_while(as_form)
    assert "Too many requests" in as_form.get_data(as_text=True) and not as_form.is_json
    other = check(client_at(app, "198.51.100.7"))
    assert other.status_code == 200 and 'data-testid="check-result"' in other.get_data(as_text=True)


def post_token(client: FlaskClient, csrf: str):
    return client.post("/api/token", json={"components": ["viz"]},
                       headers={"Origin": HOST, "Sec-Fetch-Site": "same-origin", "X-CSRFToken": csrf})


def test_token_calls_past_the_limit_get_429_json_and_another_session_is_unaffected() -> None:
    app = create_app({"ENV": base_env(TOKEN_API_LIMIT_PER_SESSION="3/hour"), "TESTING": True})
    first, second = Auth(app.test_client()), Auth(app.test_client())
    assert first.login().status_code == 302 and second.login().status_code == 302  # alice, twice
    csrf = first.csrf()
    answers = [post_token(first.client, csrf) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert_refused_for_a_while(answers[-1])
    assert answers[-1].get_json()["error"].startswith("Too many requests")
    assert "token" not in answers[-1].get_json()
    assert post_token(second.client, second.csrf()).status_code == 200  # her other browser
