"""Admin credential and the fault switch."""

import json
import time

import pytest

from sandbox.simulator import create_app
from sandbox.simulator.admin_auth import ENV as ADMIN_ENV

from .helpers import (
    ADMIN,
    ADMIN_TOKEN,
    APP_URL,
    HOST_ORIGIN,
    NOW,
    SECRET,
    SECRET_ID,
    answered_code,
    build_registry,
    make_app,
    make_token,
    sign_in,
    state,
)


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}", "Accept": "application/json"}


def test_the_admin_api_is_refused_when_no_credential_is_configured():
    client = make_app(admin_token=None).test_client()  # and the (empty) environment has none
    assert client.get(APP_URL, headers=ADMIN).status_code == 403
    assert client.put("/_simulator/faults", json={"down": True}, headers=ADMIN).status_code == 403


def test_each_simulator_keeps_the_credential_it_was_created_with(monkeypatch):
    first, second = make_app(admin_token="first-credential"), make_app(admin_token="second-credential")
    monkeypatch.setenv(ADMIN_ENV, "changed-later")
    assert first.test_client().get(APP_URL, headers=bearer("first-credential")).status_code == 200
    assert first.test_client().get(APP_URL, headers=bearer("second-credential")).status_code == 401
    assert second.test_client().get(APP_URL, headers=bearer("second-credential")).status_code == 200
    assert first.test_client().get(APP_URL, headers=bearer("changed-later")).status_code == 401


def test_by_default_the_credential_is_read_from_the_environment_once(monkeypatch):
    monkeypatch.setenv(ADMIN_ENV, "from-the-environment")
    app = create_app(build_registry())  # what sandbox/servers.py does today
    monkeypatch.setenv(ADMIN_ENV, "changed-later")
    client = app.test_client()
    assert client.get(APP_URL, headers=bearer("from-the-environment")).status_code == 200
    assert client.get(APP_URL, headers=bearer("changed-later")).status_code == 401
    monkeypatch.delenv(ADMIN_ENV)
    assert create_app(build_registry()).test_client().get(APP_URL, headers=ADMIN).status_code == 403


def test_the_credential_may_come_from_the_env_passed_in():
    client = make_app(admin_token=None, env={ADMIN_ENV: "from-env-argument"}).test_client()
    assert client.get(APP_URL, headers=bearer("from-env-argument")).status_code == 200


def test_the_admin_api_needs_the_bearer_credential(client):
    response = client.get(APP_URL, headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get(APP_URL).status_code == 401


def test_secret_values_are_shown_only_when_created(client):
    created = client.post(f"{APP_URL}/secrets", headers=ADMIN).get_json()["connectedApplicationSecret"]
    listed = client.get(APP_URL, headers=ADMIN).get_data(as_text=True)
    assert created["value"] not in listed and created["id"] in listed


def test_server_error_fault_answers_5xx_with_cors_so_the_page_can_read_it(client):
    client.put("/_simulator/faults", json={"serverError": 503}, headers=ADMIN)
    response = sign_in(client, make_token())
    assert response.status_code == 503
    assert response.headers["Access-Control-Allow-Origin"] == HOST_ORIGIN


def test_down_fault_answers_without_cors_until_cleared(client):
    client.put("/_simulator/faults", json={"down": True}, headers=ADMIN)
    response = sign_in(client, make_token())
    assert response.status_code == 503 and "Access-Control-Allow-Origin" not in response.headers
    assert client.get("/javascripts/api/tableau.embedding.3.latest.min.js").status_code == 503
    assert client.delete("/_simulator/faults", headers=ADMIN).status_code == 204
    assert sign_in(client, make_token()).status_code == 200


def test_latency_fault_delays_answers(client):
    client.put("/_simulator/faults", json={"latencyMs": 50}, headers=ADMIN)
    started = time.monotonic()
    assert sign_in(client, make_token()).status_code == 200
    assert time.monotonic() - started >= 0.05


@pytest.mark.parametrize("code", [12345, "1e400", 10091.5, True])
def test_an_undocumented_code_is_refused_by_the_fault_switch(client, code):
    body = f'{{"failNextSignIn": {code}}}' if code == "1e400" else json.dumps({"failNextSignIn": code})
    headers = {**ADMIN, "Content-Type": "application/json"}
    response = client.put("/_simulator/faults", data=body, headers=headers)
    assert response.status_code == 400
    assert sign_in(client, make_token()).status_code == 200


def test_jti_store_fault_is_cleared(client):
    client.put("/_simulator/faults", json={"jtiStoreFailing": True}, headers=ADMIN)
    assert answered_code(sign_in(client, make_token())) == 10100
    client.delete("/_simulator/faults", headers=ADMIN)
    assert sign_in(client, make_token()).status_code == 200


def test_reset_restores_the_registry_and_clears_faults_sessions_and_used_jtis(client):
    client.put(APP_URL, json={"connectedApplication": {"enabled": False}}, headers=ADMIN)
    client.put("/_simulator/faults", json={"latencyMs": 5}, headers=ADMIN)
    token = make_token()
    assert answered_code(sign_in(client, token)) == 10090  # disabled app
    assert client.post("/_simulator/faults/reset", headers=ADMIN).status_code == 204
    assert sign_in(client, token).status_code == 200  # enabled again, and the jti is unused
    faults = client.get("/_simulator/faults", headers=ADMIN).get_json()["faults"]
    assert faults["latencyMs"] == 0


def test_reset_needs_the_admin_credential(client):
    assert client.post("/_simulator/faults/reset").status_code == 401


def test_reset_goes_back_to_the_registry_and_environment_seen_at_creation(monkeypatch):
    monkeypatch.setenv("SIM_TEST_SECRET", SECRET)
    data = build_registry(app__secrets=[{"id": SECRET_ID, "value": "${SIM_TEST_SECRET}"}])
    app = create_app(data, admin_token=ADMIN_TOKEN)  # ${...} from os.environ, read now
    state(app).clock = lambda: NOW
    monkeypatch.setenv("SIM_TEST_SECRET", "a-later-value-of-the-variable-xxxxxxxx")
    data["sites"][0]["connectedApps"][0]["enabled"] = False  # the caller's dict changes later
    client = app.test_client()
    assert client.post("/_simulator/faults/reset", headers=ADMIN).status_code == 204
    assert sign_in(client, make_token()).status_code == 200  # same secret, app still enabled
