"""The failure lab's server side: sandbox only, signed in, same origin and CSRF for every action."""

from __future__ import annotations

import pytest

from app import create_app
from config import ConfigError
from tests.conftest import HOST, Auth, base_env

LAB_ENV = {"SANDBOX_ADMIN_TOKEN": "a" * 40, "SANDBOX_SITE_ID": "site-1"}
SAME_ORIGIN = {"Origin": HOST, "Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def lab_client():
    # The simulator is not running: actions that reach it must say so, not crash.
    app = create_app({"ENV": base_env(**LAB_ENV, TABLEAU_SERVER_URL="http://127.0.0.1:9"),
                      "TESTING": True})
    return app.test_client()


def test_no_lab_without_its_settings(client, auth):
    auth.login()
    assert client.get("/lab").status_code == 404


def test_lab_settings_are_refused_outside_the_sandbox():
    env = base_env(**LAB_ENV, APP_ENV="production", TABLEAU_SERVER_URL="https://t.example",
                   USERS_FILE="config/views.json")
    with pytest.raises(ConfigError, match="for APP_ENV=sandbox only"):
        create_app({"ENV": env})


def test_lab_page_needs_sign_in_and_offers_every_documented_code(lab_client):
    assert lab_client.get("/lab").status_code == 302
    Auth(lab_client).login()
    html = lab_client.get("/lab").get_data(as_text=True)
    assert 'value="10091"' in html and 'value="10106"' in html
    assert 'data-lab-action="disable-app"' in html


def test_actions_need_csrf_and_same_origin(lab_client):
    auth = Auth(lab_client)
    auth.login()
    assert lab_client.post("/lab/actions/reset", headers=SAME_ORIGIN).status_code == 400  # no CSRF
    cross = {"Origin": "https://evil.example", "X-CSRFToken": auth.csrf()}
    assert lab_client.post("/lab/actions/reset", headers=cross).status_code == 403


def test_unknown_code_and_unreachable_simulator_get_clear_answers(lab_client):
    auth = Auth(lab_client)
    auth.login()
    headers = {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}
    bad = lab_client.post("/lab/actions/fail-next", headers=headers, json={"code": 4242})
    assert bad.status_code == 400 and "4242" in bad.get_json()["error"]
    down = lab_client.post("/lab/actions/reset", headers=headers)
    assert down.status_code == 502 and "not reachable" in down.get_json()["error"]
    assert lab_client.post("/lab/actions/explode", headers=headers).status_code == 404


def test_the_cookie_switch_takes_only_the_simulators_modes(lab_client):
    auth = Auth(lab_client)
    auth.login()
    headers = {**SAME_ORIGIN, "X-CSRFToken": auth.csrf()}
    bad = lab_client.post("/lab/actions/session-cookie", headers=headers, json={"mode": "open"})
    assert bad.status_code == 400
    assert bad.get_json()["error"] == ("mode 'open' is not a session cookie mode: use one of lax, "
                                       "cross-site, partitioned")
    down = lab_client.post("/lab/actions/session-cookie", headers=headers,
                           json={"mode": "partitioned"})
    assert down.status_code == 502 and "not reachable" in down.get_json()["error"]


def test_without_an_answer_about_the_cookie_the_lab_says_it_cannot_switch_it(lab_client):
    Auth(lab_client).login()
    html = lab_client.get("/lab").get_data(as_text=True)
    assert "This simulator cannot switch its session cookie" in html
    assert 'data-lab-action="session-cookie"' not in html
