"""Refresh tokens give a fresh JWT (new jti: Tableau takes each once, 10091) and rotate (RFC 9700 §4.14.2)."""

from __future__ import annotations

from .helpers import Driver, Flow, client_registration


def test_refresh_gives_a_new_jwt_with_a_new_jti_and_a_new_refresh_token(driver: Driver) -> None:
    first = driver.tokens()
    response = driver.refresh(first["refresh_token"])
    assert response.status_code == 200
    second = response.json
    old, new = driver.verify(first["access_token"]), driver.verify(second["access_token"])
    assert new["jti"] != old["jti"]
    assert new["sub"] == old["sub"] and new["scp"] == old["scp"]
    assert second["refresh_token"] != first["refresh_token"]
    assert "id_token" not in second


def test_a_rotated_refresh_token_is_refused_and_revokes_its_family(driver: Driver) -> None:
    first = driver.tokens()
    second = driver.refresh(first["refresh_token"]).json
    reuse = driver.refresh(first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json["error"] == "invalid_grant"
    # Reuse means a copy leaked: the newest token of the family goes too.
    assert driver.refresh(second["refresh_token"]).json["error"] == "invalid_grant"


def test_refresh_can_narrow_the_scope_but_not_widen_it(driver: Driver) -> None:
    first = driver.tokens(Flow(scope="tableau:views:embed tableau:views:embed_authoring"))
    narrowed = driver.refresh(first["refresh_token"], scope="tableau:views:embed")
    assert driver.verify(narrowed.json["access_token"])["scp"] == ["tableau:views:embed"]
    widened = driver.refresh(narrowed.json["refresh_token"], scope="tableau:insights:embed")
    assert widened.json["error"] == "invalid_scope"


def test_unknown_refresh_token_is_refused(driver: Driver) -> None:
    assert driver.refresh("made-up-refresh-token").json["error"] == "invalid_grant"


def test_client_without_refresh_grant_gets_no_refresh_token(make_eas) -> None:
    app = make_eas(clients=[client_registration(grant_types=["authorization_code"])])
    assert "refresh_token" not in Driver(app.test_client()).tokens()
