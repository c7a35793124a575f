"""The EAS's tokens sign in at the Tableau simulator registered with this EAS (Register EAS to Enable SSO
for Embedded Content server-wide, Configure Connected Apps with OAuth 2.0 Trust site-level): the
end-to-end check that the token is shaped the way Tableau wants it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox.eas import public_jwks
from sandbox.simulator import create_app as create_simulator

from .helpers import ISSUER, SITE_ID, Driver

SEED = Path(__file__).resolve().parents[2] / "sandbox" / "registry.json"
ORIGIN = "http://localhost:5000"


def simulator(eas: Flask, *, site_level: bool = False) -> Flask:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    server = {"issuer": ISSUER, "jwks": public_jwks(eas)}  # pinned keys: no network in tests
    if site_level:
        data["sites"][0]["authorizationServers"] = [server]
    else:
        data["authorizationServers"] = [server]
    # The seed names ${SANDBOX_SECRET_VALUE} (the connected app's secret), unused by the EAS path.
    return create_simulator(data, env={"SANDBOX_SECRET_VALUE": "x" * 48})


def embed_sign_in(client: FlaskClient, token: str, component: str = "viz") -> Any:
    return client.post("/api/embed/signin", json={"jwt": token, "site": "demo", "component": component},
                       headers={"Origin": ORIGIN})


@pytest.mark.parametrize("component", ["viz", "authoring", "pulse"])
def test_eas_token_signs_in_for_every_component(eas: Flask, driver: Driver, component: str) -> None:
    response = embed_sign_in(simulator(eas).test_client(), driver.tokens()["access_token"], component)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_site_level_eas_token_signs_in(make_eas: Any) -> None:
    eas = make_eas(audience=SITE_ID)
    token = Driver(eas.test_client()).tokens()["access_token"]
    response = embed_sign_in(simulator(eas, site_level=True).test_client(), token)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_new_sign_in_needs_a_fresh_token_which_refresh_provides(eas: Flask, driver: Driver) -> None:
    tableau = simulator(eas)
    body = driver.tokens()
    assert embed_sign_in(tableau.test_client(), body["access_token"]).status_code == 200
    reused = embed_sign_in(tableau.test_client(), body["access_token"])  # another browser session
    # jti used (Troubleshoot Connected Apps)
    assert reused.status_code != 200 and "10091" in reused.get_data(as_text=True)
    fresh = driver.refresh(body["refresh_token"]).json["access_token"]
    assert embed_sign_in(tableau.test_client(), fresh).status_code == 200


def test_a_user_unknown_to_tableau_is_refused_with_code_5(eas: Flask, driver: Driver) -> None:
    token = driver.tokens(login="carol", password="carol-pw")["access_token"]
    response = embed_sign_in(simulator(eas).test_client(), token)
    assert response.status_code != 200
    # SYSTEM_USER_NOT_FOUND (Register EAS to Enable SSO for Embedded Content)
    assert response.get_json()["result"]["errors"][0]["code"] == 5
