"""The simulator as a tool for other people's apps: started on a free port it prints, a readiness
endpoint, sites and users managed through the admin API, server info for REST clients."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import jwt
import pytest
import requests

from sandbox.simulator.registry import RegistryError

from .helpers import (
    ADMIN,
    ADMIN_TOKEN,
    API,
    HOST_ORIGIN,
    SITE_ID,
    build_registry,
    make_app,
    make_token,
    sign_in,
)
from .seed import SEED, SEED_DATA

ROOT = Path(__file__).resolve().parents[2]
USERS = f"{API}/users"
SEED_SITE = SEED_DATA["sites"][0]
SEED_APP = SEED_SITE["connectedApps"][0]
SEED_SECRET = "x" * 48


@pytest.fixture
def running_simulator():
    """`python -m sandbox.simulator --port 0` as a user starts it; yields the URL it printed."""
    env = {**os.environ, "SANDBOX_SECRET_VALUE": SEED_SECRET, "SIMULATOR_ADMIN_TOKEN": ADMIN_TOKEN}
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "sandbox.simulator", "--registry", str(SEED), "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = process.stdout.readline()  # "" if the process died before binding
        match = re.fullmatch(r"Tableau simulator listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert match and match[2] != "0", f"unexpected first line {line!r}"
        yield match[1]
    finally:
        process.terminate()
        process.wait()


def test_port_0_prints_the_chosen_port_and_the_simulator_is_ready_there(running_simulator):
    ready = requests.get(f"{running_simulator}/_simulator/ready", timeout=5)
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "sites": [{"id": SEED_SITE["id"], "contentUrl": "demo"}]}


def test_a_user_added_through_the_admin_api_signs_in_without_a_restart(running_simulator):
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"}
    sites = requests.get(f"{running_simulator}/api/3.24/sites", headers=admin, timeout=5).json()
    assert [(s["id"], s["contentUrl"]) for s in sites["sites"]["site"]] == [(SEED_SITE["id"], "demo")]
    added = requests.post(f"{running_simulator}/api/3.24/sites/{SEED_SITE['id']}/users", headers=admin,
                          json={"user": {"name": "dana@example.com", "siteRole": "Viewer"}}, timeout=5)
    assert added.status_code == 201 and added.json()["user"]["siteRole"] == "Viewer"
    body = {"jwt": _seed_token("dana@example.com"), "site": "demo", "component": "viz"}
    response = requests.post(f"{running_simulator}/api/embed/signin", headers={"Origin": HOST_ORIGIN},
                             json=body, timeout=5)
    assert response.status_code == 200 and response.json()["user"] == "dana@example.com"


def _seed_token(user: str) -> str:
    """A token from the demo's connected app against the real clock (the process runs on it)."""
    claims = {"iss": SEED_APP["clientId"], "sub": user, "aud": "tableau", "jti": str(uuid.uuid4()),
              "exp": int(time.time()) + 300, "scp": ["tableau:views:embed"]}
    headers = {"kid": SEED_APP["secrets"][0]["id"], "iss": SEED_APP["clientId"]}
    return jwt.encode(claims, SEED_SECRET, algorithm="HS256", headers=headers)


def test_users_are_added_listed_and_removed(client):
    dana = {"user": {"name": "dana@example.com", "siteRole": "Creator"}}
    assert client.post(USERS, json=dana, headers=ADMIN).status_code == 201
    listed = client.get(USERS, headers=ADMIN).get_json()
    dana = next(u for u in listed["users"]["user"] if u["name"] == "dana@example.com")
    assert dana["siteRole"] == "Creator" and "password" not in dana
    assert listed["pagination"]["totalAvailable"] == "3"
    assert sign_in(client, make_token(sub="dana@example.com")).status_code == 200
    assert client.delete(f"{USERS}/{dana['id']}", headers=ADMIN).status_code == 204
    assert sign_in(client, make_token(sub="dana@example.com")).get_json()["result"]["errors"][0]["code"] == 5


BAD_USERS = {
    "duplicate": ({"name": "alice@example.com", "siteRole": "Viewer"}, 409, "already on the site"),
    "no-name": ({"siteRole": "Viewer"}, 400, "user.name"),
    "unknown-role": ({"name": "erin@example.com", "siteRole": "Boss"}, 400, "Explorer"),
    "password-not-text": ({"name": "erin@example.com", "siteRole": "Viewer", "password": 1}, 400, "password"),
}


@pytest.mark.parametrize(("user", "status", "named"), BAD_USERS.values(), ids=BAD_USERS.keys())
def test_a_bad_user_is_refused_naming_the_problem(client, user, status, named):
    response = client.post(USERS, json={"user": user}, headers=ADMIN)
    assert response.status_code == status and named in response.get_json()["error"]["detail"]


def test_a_viewer_may_not_open_web_authoring(client):
    client.post(USERS, json={"user": {"name": "vic@example.com", "siteRole": "Viewer"}}, headers=ADMIN)
    scopes = ["tableau:views:embed_authoring", "tableau:views:embed"]
    token = make_token(sub="vic@example.com", scp=scopes)
    assert sign_in(client, token, component="authoring").status_code == 200
    page = client.get("/t/demo/authoring/Superstore/Overview")
    assert page.status_code == 403 and 'data-error-reason="permission"' in page.text
    assert client.get("/t/demo/views/Superstore/Overview").status_code == 200


def test_a_site_is_found_by_id_or_content_url_in_json_or_xml(client):
    by_url = client.get("/api/3.24/sites/demo?key=contentUrl", headers=ADMIN).get_json()["site"]
    assert by_url == {"id": SITE_ID, "name": "Demo site", "contentUrl": "demo"}
    xml = client.get(f"/api/3.24/sites/{SITE_ID}", headers={"Authorization": ADMIN["Authorization"]})
    assert xml.mimetype == "application/xml"
    assert f'<site id="{SITE_ID}" name="Demo site" contentUrl="demo"' in xml.text
    assert client.get("/api/3.24/sites/nope?key=contentUrl", headers=ADMIN).status_code == 404
    assert client.get("/api/3.24/sites").status_code == 401  # the admin credential is needed


def test_readiness_ignores_the_fault_switch_and_needs_no_credential(client):
    client.put("/_simulator/faults", json={"down": True}, headers=ADMIN)
    assert client.get("/_simulator/ready").status_code == 200
    assert sign_in(client, make_token()).status_code == 503


def test_server_info_in_json_and_xml(client):
    info = client.get("/api/3.24/serverinfo", headers={"Accept": "application/json"}).get_json()
    assert info["serverInfo"]["restApiVersion"] == "3.27" and info["serverInfo"]["productVersion"]["value"]
    xml = client.get("/api/3.24/serverInfo").text
    assert "<restApiVersion>3.27</restApiVersion>" in xml and '<productVersion build="' in xml


def test_a_bad_site_role_in_the_registry_is_refused():
    with pytest.raises(RegistryError, match="siteRole"):
        make_app(build_registry(site__users=[{"name": "a@example.com", "siteRole": "Boss"}]))
