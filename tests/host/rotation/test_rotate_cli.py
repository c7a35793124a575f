"""`flask tableau rotate` beside a running sandbox (its settings file is the host's signing file):
each step done against the simulator, the host signing as the file says; elsewhere, the steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests
from dotenv import dotenv_values
from flask import Flask

from host.embed.viz_token import own_token_for_user
from host.extension import current_host_of
from host.signin.users import User
from sandbox.servers import Sandbox, start_sandbox

ALICE = User(login="alice", display_name="Alice", tableau_username="alice@example.com", password_hash="x")


def running(tmp_path: Path, settings_file: Path, trust: str = "direct") -> Sandbox:
    return start_sandbox(trust=trust, uat_key_dir=tmp_path / "uat-keys", eas_key_dir=tmp_path / "eas-keys",
                         settings_file=settings_file)


@pytest.fixture
def demo(tmp_path: Path, no_running_demo: Path) -> Iterator[Sandbox]:
    sandbox = running(tmp_path, no_running_demo)  # the file the CLI reads as the running demo's
    yield sandbox
    sandbox.stop()


@pytest.fixture
def uat_demo(tmp_path: Path, no_running_demo: Path) -> Iterator[Sandbox]:
    sandbox = running(tmp_path, no_running_demo, trust="uat")
    yield sandbox
    sandbox.stop()


def flat(text: str) -> str:
    """Printed steps are wrapped to the terminal: compare words, not line breaks."""
    return " ".join(text.split())


def rotate(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["tableau", "rotate", *args])


def admin_get(sandbox: Sandbox, path: str) -> dict:
    site = current_host_of(sandbox.host).settings.lab.site_id
    return requests.get(f"{sandbox.simulator_url}/api/3.27/sites/{site}{path}", timeout=5,
                        headers={"Authorization": f"Bearer {sandbox.admin_token}",
                                 "Accept": "application/json"}).json()


def embed_sign_in(sandbox: Sandbox, token: str) -> requests.Response:
    return requests.post(f"{sandbox.simulator_url}/api/embed/signin", timeout=5,
                         json={"jwt": token, "site": "demo", "component": "viz"},
                         headers={"Origin": sandbox.host_url})


def host_token(sandbox: Sandbox) -> str:
    return own_token_for_user(current_host_of(sandbox.host).settings, ALICE, ["viz"]).token


def test_rotates_the_secret_step_by_step(app: Flask, demo: Sandbox, no_running_demo: Path):
    settings = current_host_of(demo.host).settings
    old = settings.direct.signing_secret.id
    assert jwt.get_unverified_header(host_token(demo))["kid"] == old
    result = rotate(app, "secret", "--drain-seconds", "0")
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines() if line.startswith("step")] == [
        "step 1/4", "step 2/4", "step 3/4", "step 4/4"]
    values = dotenv_values(no_running_demo)
    new = values["TABLEAU_SECRET_ID"]
    assert new != old and "TABLEAU_SECRET_2_ID" not in values and values["TABLEAU_SIGNING_SECRET"] == "1"
    assert values["TABLEAU_SECRET_VALUE"] not in result.output  # never printed
    app_secrets = admin_get(demo, f"/connected-applications/{settings.direct.client_id}")
    assert [s["id"] for s in app_secrets["connectedApplication"]["secrets"]["secret"]] == [new]
    token = host_token(demo)  # the running host, not restarted, signs with the new secret
    assert jwt.get_unverified_header(token)["kid"] == new
    assert embed_sign_in(demo, token).status_code == 200


def test_refuses_when_the_app_already_holds_two_secrets(app: Flask, demo: Sandbox):
    client_id = current_host_of(demo.host).settings.direct.client_id
    site = current_host_of(demo.host).settings.lab.site_id
    requests.post(f"{demo.simulator_url}/api/3.27/sites/{site}/connected-applications/{client_id}/secrets",
                  headers={"Authorization": f"Bearer {demo.admin_token}"}, timeout=5)
    result = rotate(app, "secret", "--drain-seconds", "0")
    assert result.exit_code == 1
    assert "already holds two secrets (its limit): delete the one the host does not use" in result.output
    assert "steps done: 0" in result.output


def test_rotates_the_uat_key_and_destroys_the_old_one(app: Flask, uat_demo: Sandbox):
    settings = current_host_of(uat_demo.host).settings
    old_key = settings.uat.signing_key
    old_kid = jwt.get_unverified_header(host_token(uat_demo))["kid"]
    result = rotate(app, "uat-key", "--drain-seconds", "0")
    assert result.exit_code == 0, result.output
    assert "step 5/5" in result.output and "PRIVATE" not in result.output
    assert not old_key.exists()
    keys = requests.get(f"{uat_demo.host_url}/.well-known/jwks.json", timeout=5).json()["keys"]
    token = host_token(uat_demo)
    new_kid = jwt.get_unverified_header(token)["kid"]
    assert new_kid != old_kid and [k["kid"] for k in keys] == [new_kid]
    assert embed_sign_in(uat_demo, token).json()["trust"] == "uat"


def test_an_inline_key_set_is_kept_in_step(app: Flask, uat_demo: Sandbox):
    host = current_host_of(uat_demo.host).settings
    inline = {**admin_get(uat_demo, "/settings/unified-access-token")["unifiedAccessToken"]}
    inline.pop("jwksUri")
    inline["jwks"] = requests.get(f"{uat_demo.host_url}/.well-known/jwks.json", timeout=5).json()
    requests.put(f"{uat_demo.simulator_url}/api/3.27/sites/{host.lab.site_id}/settings/unified-access-token",
                 json={"unifiedAccessToken": {k: v for k, v in inline.items() if v is not None}},
                 headers={"Authorization": f"Bearer {uat_demo.admin_token}"}, timeout=5)
    assert rotate(app, "uat-key", "--drain-seconds", "0").exit_code == 0
    registered = admin_get(uat_demo, "/settings/unified-access-token")["unifiedAccessToken"]
    token = host_token(uat_demo)
    assert [k["kid"] for k in registered["jwks"]["keys"]] == [jwt.get_unverified_header(token)["kid"]]
    assert embed_sign_in(uat_demo, token).status_code == 200


def test_without_the_demo_it_prints_the_steps_and_changes_nothing(app: Flask):
    result = rotate(app, "secret")
    assert result.exit_code == 0
    assert "not beside the running demo" in result.stderr
    assert "1. In Tableau: Settings > Connected Apps > client-123 > Generate New" in flat(result.stdout)
    assert "TABLEAU_SIGNING_SECRET=2" in result.stdout and "step 1/4" not in result.stdout


def test_steps_only_beside_the_demo_changes_nothing(app: Flask, demo: Sandbox, no_running_demo: Path):
    before = no_running_demo.read_text()
    result = rotate(app, "secret", "--steps")
    assert result.exit_code == 0 and "Generate New Secret" in flat(result.stdout)
    assert no_running_demo.read_text() == before


@pytest.mark.parametrize("what", ["uat-key", "eas-key"])
def test_uat_and_eas_keys_have_their_steps(app: Flask, what: str):
    result = rotate(app, what, "--steps")
    assert result.exit_code == 0
    expected = "UAT_KEY_2_FILE" if what == "uat-key" else "python -m sandbox.eas add-key"
    assert expected in flat(result.stdout)
