"""The demo EAS's end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0): it signs the user
out, and sends the browser back only to the client's registered post-logout URI."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from sandbox.eas import EasConfigError
from sandbox.eas.keys import KeyStore

from .helpers import CLIENT_ID, ISSUER, POST_LOGOUT_URI, REDIRECT_URI, Driver, Flow, client_registration


def signed_in_with_id_token(driver: Driver) -> str:
    return driver.tokens(Flow(scope="openid tableau:views:embed"))["id_token"]


def still_signed_in(driver: Driver) -> bool:
    return driver.client.get(Flow().url()).status_code == 302  # a code at once, no sign-in page


def test_the_metadata_offers_the_endpoint(driver: Driver) -> None:
    assert driver.client.get("/.well-known/openid-configuration").json["end_session_endpoint"] == \
        f"{ISSUER}/logout"


def test_with_the_id_token_as_hint_the_browser_goes_back_with_its_state(driver: Driver) -> None:
    id_token = signed_in_with_id_token(driver)
    response = driver.client.get("/logout", query_string={
        "id_token_hint": id_token, "client_id": CLIENT_ID, "post_logout_redirect_uri": POST_LOGOUT_URI,
        "state": "s-123"})
    assert response.status_code == 302 and response.headers["Location"] == f"{POST_LOGOUT_URI}?state=s-123"
    assert not still_signed_in(driver)


def test_the_hint_alone_names_the_client(driver: Driver) -> None:
    response = driver.client.get("/logout", query_string={
        "id_token_hint": signed_in_with_id_token(driver), "post_logout_redirect_uri": POST_LOGOUT_URI})
    assert response.headers["Location"] == POST_LOGOUT_URI


def test_an_expired_hint_still_works(driver: Driver, eas: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    id_token = signed_in_with_id_token(driver)
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)  # long after its exp
    response = driver.client.get("/logout", query_string={
        "id_token_hint": id_token, "post_logout_redirect_uri": POST_LOGOUT_URI})
    assert response.status_code == 302


@pytest.mark.parametrize("target", [REDIRECT_URI, "https://evil.example/", ""],
                         ids=["the-callback", "elsewhere", "none"])
def test_only_a_registered_post_logout_uri(driver: Driver, target: str) -> None:
    driver.tokens()
    response = driver.client.get("/logout", query_string={"client_id": CLIENT_ID,
                                                          "post_logout_redirect_uri": target})
    assert response.status_code == 200 and "Location" not in response.headers
    assert "You are signed out" in response.get_data(as_text=True)
    assert not still_signed_in(driver)


def test_a_hint_for_another_client_or_from_another_issuer_is_not_followed(
        driver: Driver, make_eas, tmp_path) -> None:
    id_token = signed_in_with_id_token(driver)
    mismatch = driver.client.get("/logout", query_string={
        "id_token_hint": id_token, "client_id": "another-client",
        "post_logout_redirect_uri": POST_LOGOUT_URI})
    assert "Location" not in mismatch.headers
    other_keys = tmp_path / "other-keys"
    KeyStore(other_keys).ensure()
    other = Driver(make_eas(key_dir=other_keys).test_client())  # same issuer name, another key
    forged = signed_in_with_id_token(other)
    response = driver.client.get("/logout", query_string={
        "id_token_hint": forged, "post_logout_redirect_uri": POST_LOGOUT_URI})
    assert "Location" not in response.headers


def test_post_logout_uris_are_checked_at_registration(make_eas) -> None:
    with pytest.raises(EasConfigError, match="post-logout redirect URI"):
        make_eas(clients=[client_registration(post_logout_redirect_uris=["http://evil.example/"])])
