"""The failure lab's server side: sandbox only, signed in, same origin and CSRF for every action;
the page's token is the one the embed pages give the same user, in every trust."""

from __future__ import annotations

import re
import time
from pathlib import Path

import jwt
import pytest

from app import create_app
from config import ConfigError
from host.embed.uat_keys import key_ids
from host.extension import current_host_of
from tests.conftest import HOST, Auth, base_env
from tests.uat_keys import ISSUER, uat_env, write_key

LAB_ENV = {"SANDBOX_ADMIN_TOKEN": "a" * 40, "SANDBOX_SITE_ID": "site-1"}
SAME_ORIGIN = {"Origin": HOST, "Sec-Fetch-Site": "same-origin"}
# The simulator is not running: actions that reach it must say so, not crash.
NO_SIMULATOR = "http://127.0.0.1:9"


@pytest.fixture
def lab_client():
    app = create_app({"ENV": base_env(**LAB_ENV, TABLEAU_SERVER_URL=NO_SIMULATOR), "TESTING": True})
    return app.test_client()


@pytest.fixture(params=["uat", "direct,uat"])
def uat_lab_client(request, tmp_path: Path):
    """TRUST_MODE uat alone, and beside direct trust as `scripts/demo --trust uat` runs it."""
    env = uat_env(write_key(tmp_path / "uat-key.pem"), TRUST_MODE=request.param)
    app = create_app({"ENV": base_env(**env, **LAB_ENV, TABLEAU_SERVER_URL=NO_SIMULATOR),
                      "TESTING": True})
    client = app.test_client()
    Auth(client).login()
    return client


def page_token(html: str) -> tuple[dict, dict]:
    """The header and claims of the lab viz's token."""
    token = re.search(r'<tableau-viz id="lab-viz"[^>]* token="([^"]+)"', html).group(1)
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


def buttons(html: str) -> set[str]:
    return set(re.findall(r'data-lab-(?:action|scenario)="([^"]+)"', html))


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


def test_in_uat_mode_the_lab_carries_the_pages_uat_and_says_so(uat_lab_client):
    answer = uat_lab_client.get("/lab")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    header, claims = page_token(html)
    settings = current_host_of(uat_lab_client.application).settings
    assert header["alg"] == "RS256" and header["kid"] in key_ids(settings.uat)
    assert claims["iss"] == ISSUER and claims["email"] == "alice@example.com"
    assert "Unified access token" in html and "Direct trust" not in html


def test_in_uat_mode_the_lab_breaks_the_uat_configuration_not_the_connected_app(uat_lab_client):
    offered = buttons(uat_lab_client.get("/lab").get_data(as_text=True))
    assert {"disable-uat", "revoke-uat-key", "expired", "fail-next", "block-origin"} <= offered
    assert not offered & {"disable-app", "revoke-secret"}
    headers = {**SAME_ORIGIN, "X-CSRFToken": Auth(uat_lab_client).csrf()}
    refused = uat_lab_client.post("/lab/actions/revoke-secret", headers=headers)
    assert refused.status_code == 409
    assert refused.get_json()["error"] == ("'revoke-secret' does not apply to your pages' tokens "
                                           "(Unified access token); the lab shows the actions that do")
    down = uat_lab_client.post("/lab/actions/disable-uat", headers=headers)
    assert down.status_code == 502 and "not reachable" in down.get_json()["error"]


def test_the_expired_scenario_starts_with_an_expired_uat_the_page_believes_fresh(uat_lab_client):
    html = uat_lab_client.get("/lab?scenario=expired").get_data(as_text=True)
    header, claims = page_token(html)
    assert header["alg"] == "RS256" and claims["iss"] == ISSUER
    assert claims["exp"] < time.time()
    # So the page does not refresh it before the viz signs in: Tableau's 16 is what it recovers from.
    assert int(re.search(r'data-expires-at="(\d+)"', html).group(1)) > time.time()


def test_with_direct_trust_the_lab_is_as_before(lab_client):
    Auth(lab_client).login()
    html = lab_client.get("/lab").get_data(as_text=True)
    header, claims = page_token(html)
    assert (header["alg"], header["kid"], claims["iss"]) == ("HS256", "secret-1", "client-123")
    assert "Direct trust" in html
    offered = buttons(html)
    assert {"disable-app", "revoke-secret", "expired"} <= offered
    assert not offered & {"disable-uat", "revoke-uat-key"}
    _, expired = page_token(lab_client.get("/lab?scenario=expired").get_data(as_text=True))
    assert expired["exp"] < time.time()
    headers = {**SAME_ORIGIN, "X-CSRFToken": Auth(lab_client).csrf()}
    assert lab_client.post("/lab/actions/disable-uat", headers=headers).status_code == 409
