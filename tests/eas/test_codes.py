"""Codes are single use and bound to the client and the exact redirect URI (RFC 6749 §4.1.2, §4.1.3)."""

from __future__ import annotations

from typing import Any

from .helpers import CLIENT_ID, REDIRECT_URI, Driver, Flow, client_registration


def test_replayed_code_is_refused_and_revokes_what_it_issued(driver: Driver) -> None:
    flow = Flow()
    code = driver.code(flow)
    first = driver.exchange(code, flow.verifier)
    assert first.status_code == 200

    replay = driver.exchange(code, flow.verifier)
    assert replay.status_code == 400 and replay.json["error"] == "invalid_grant"
    # RFC 6749 §4.1.2: tokens issued from the replayed code are revoked.
    refreshed = driver.refresh(first.json["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json["error"] == "invalid_grant"


def test_replay_does_not_touch_other_grants(driver: Driver) -> None:
    other = driver.tokens()
    flow = Flow()
    code = driver.code(flow)
    driver.exchange(code, flow.verifier)
    driver.exchange(code, flow.verifier)
    assert driver.refresh(other["refresh_token"]).status_code == 200


def test_unregistered_redirect_uri_is_refused_without_redirecting(driver: Driver) -> None:
    flow = Flow()
    for uri in ("https://evil.example/cb", REDIRECT_URI + "/extra", REDIRECT_URI + "?x=1",
                REDIRECT_URI.replace("5000", "5001")):
        response = driver.client.get(flow.url(redirect_uri=uri))
        assert response.status_code == 400, uri  # never sent to an unchecked URI (§4.1.2.1)
        assert "Location" not in response.headers


def test_missing_redirect_uri_is_refused(driver: Driver) -> None:
    response = driver.client.get(Flow().url(redirect_uri=None))
    assert response.status_code == 400 and "Location" not in response.headers


def test_unknown_client_is_refused_without_redirecting(driver: Driver) -> None:
    response = driver.client.get(Flow().url(client_id="someone-else"))
    assert response.status_code == 400 and "Location" not in response.headers


def test_token_request_with_another_redirect_uri_is_refused(driver: Driver) -> None:
    flow = Flow()
    response = driver.exchange(driver.code(flow), flow.verifier, redirect_uri="http://localhost:5000/other")
    assert response.status_code == 400 and response.json["error"] == "invalid_grant"


def test_code_from_another_client_is_refused(make_eas: Any) -> None:
    second = {"client_id": "second-client", "client_secret": "second-client-secret-xyz",
              "redirect_uris": [REDIRECT_URI]}
    driver = Driver(make_eas(clients=[client_registration(), second]).test_client())
    flow = Flow()
    code = driver.code(flow)
    response = driver.client.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
        "code_verifier": flow.verifier, "client_id": "second-client",
        "client_secret": "second-client-secret-xyz"})
    assert response.status_code == 400 and response.json["error"] == "invalid_grant"
    assert driver.exchange(code, flow.verifier).status_code == 200  # still good for its own client


def test_expired_code_is_refused(eas: Any, driver: Driver) -> None:
    flow = Flow()
    code = driver.code(flow)
    store = eas.extensions["eas"].store
    real_clock = store.clock
    store.clock = lambda: real_clock() + 61  # codes live 60 s
    assert driver.exchange(code, flow.verifier).json["error"] == "invalid_grant"


def test_token_endpoint_requires_client_authentication(driver: Driver) -> None:
    flow = Flow()
    response = driver.client.post("/token", data={
        "grant_type": "authorization_code", "code": driver.code(flow), "redirect_uri": REDIRECT_URI,
        "code_verifier": flow.verifier, "client_id": CLIENT_ID})
    assert response.json["error"] == "invalid_client"
