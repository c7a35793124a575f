"""`flask tableau rotate eas-key` beside a running sandbox: each step done at the demo EAS through
its admin API, the running host's verifier and Tableau (the simulator) following the EAS's JWKS;
elsewhere, the steps for a real IdP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests
from dotenv import dotenv_values
from flask import Flask

from config import LabSettings
from host.extension import current_host_of
from host.rotation.eas_key import rotate_eas_key
from host.rotation.run import Rotation, RotationError
from sandbox.eas.tokens import TokenIssuer
from sandbox.servers import Sandbox, start_sandbox
from tests.host.rotation.test_rotate_cli import embed_sign_in, flat, rotate

EAS_LIFETIME = 42  # seconds: what the rotation must wait after the switch (+5)


@pytest.fixture
def demo(tmp_path: Path, no_running_demo: Path) -> Iterator[Sandbox]:
    sandbox = start_sandbox(eas_key_dir=tmp_path / "eas-keys", settings_file=no_running_demo,
                            eas_token_lifetime=EAS_LIFETIME)
    yield sandbox
    sandbox.stop()


def eas_token(sandbox: Sandbox) -> str:
    """A viz token from the demo EAS for alice, signed with the key it signs with now."""
    state = sandbox.eas.extensions["eas"]
    return TokenIssuer(state.settings, state.keys).access_token(state.users.get("alice"),
                                                                "tableau:views:embed")


def published(sandbox: Sandbox) -> list[str]:
    return [k["kid"] for k in requests.get(f"{sandbox.eas_url}/jwks.json", timeout=5).json()["keys"]]


def add_key(sandbox: Sandbox) -> str:
    return requests.post(f"{sandbox.eas_url}/_eas/keys", timeout=30,
                         headers={"Authorization": f"Bearer {sandbox.admin_token}"}).json()["kid"]


def host_verifies(sandbox: Sandbox, token: str) -> str:
    """The running host's own EAS verifier (its cached JWKS) checks the token: the subject."""
    with sandbox.host.app_context():
        return current_host_of(sandbox.host).eas.verifier.verify(token)["sub"]


def test_rotates_the_eas_key_step_by_step(app: Flask, demo: Sandbox, no_running_demo: Path):
    before = eas_token(demo)
    old = jwt.get_unverified_header(before)["kid"]
    assert host_verifies(demo, before) == "alice@example.com"  # the host now caches the old key only
    settings_before = no_running_demo.read_text()

    result = rotate(app, "eas-key", "--drain-seconds", "0")
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines() if line.startswith("step")] == [
        "step 1/5", "step 2/5", "step 3/5", "step 4/5", "step 5/5"]
    assert "done: the EAS's signing key is rotated" in result.output

    after = eas_token(demo)
    new = jwt.get_unverified_header(after)["kid"]
    assert new != old and published(demo) == [new]
    assert new in result.output and old in result.output
    # The host meets an unknown kid and fetches the JWKS again; Tableau takes the new token, and
    # the old key's tokens are refused now that it is gone.
    assert host_verifies(demo, after) == "alice@example.com"
    assert embed_sign_in(demo, after).status_code == 200
    assert embed_sign_in(demo, before).json()["result"]["errors"][0]["code"] == 10085
    assert no_running_demo.read_text() == settings_before  # nothing changed on the host
    assert dotenv_values(no_running_demo)["SANDBOX_ADMIN_TOKEN"] not in result.output


def test_waits_the_eas_token_lifetime_after_the_switch(demo: Sandbox):
    slept: list[float] = []
    settings = current_host_of(demo.host).settings
    rotation = Rotation(settings, settings.lab, settings.signing_file, out=lambda _: None,
                        sleep=slept.append)
    rotate_eas_key(rotation)
    assert slept == [EAS_LIFETIME + 5]  # the EAS's lifetime, not the host's TOKEN_LIFETIME_SECONDS
    assert rotation.done == 5


def test_refuses_while_the_eas_publishes_a_second_key(app: Flask, demo: Sandbox):
    signing = jwt.get_unverified_header(eas_token(demo))["kid"]
    spare = add_key(demo)
    result = rotate(app, "eas-key", "--drain-seconds", "0")
    assert result.exit_code == 1
    assert f"already publishes a key besides the one it signs with ({spare})" in result.output
    assert "steps done: 0" in result.output
    assert published(demo) == [signing, spare]  # untouched


def test_a_refused_admin_credential_stops_before_any_step(app: Flask, demo: Sandbox, no_running_demo: Path):
    text = no_running_demo.read_text().replace(demo.admin_token, "not-the-admin-credential")
    no_running_demo.write_text(text)
    kids = published(demo)
    result = rotate(app, "eas-key", "--drain-seconds", "0")
    assert result.exit_code == 1
    assert "the demo EAS refused GET /_eas/keys: HTTP 401" in result.output
    assert "steps done: 0" in result.output and "not-the-admin-credential" not in result.output
    assert published(demo) == kids


def test_a_host_without_an_eas_has_no_eas_key_to_rotate(app: Flask, tmp_path: Path):
    settings = current_host_of(app).settings  # direct trust only: no EAS_ISSUER
    assert settings.eas is None
    rotation = Rotation(settings, LabSettings(admin_token="a" * 40, site_id="site-1"),
                        tmp_path / "sandbox.env", out=lambda _: None)
    with pytest.raises(RotationError, match=r"no EAS is configured \(EAS_ISSUER\)"):
        rotate_eas_key(rotation)
    assert rotation.done == 0


def test_without_the_demo_it_prints_the_steps_for_a_real_idp(app: Flask):
    result = rotate(app, "eas-key")
    assert result.exit_code == 0
    assert "not beside the running demo" in result.stderr
    steps = flat(result.stdout)
    assert "1. At the EAS (<your EAS>)" in steps and "Keycloak: Realm settings > Keys" in steps
    assert "python -m sandbox.eas use-key --kid <new kid>" in steps and "step 1/5" not in steps
