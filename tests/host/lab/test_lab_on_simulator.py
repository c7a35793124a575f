"""The failure lab against the sandbox's simulator in UAT mode (`scripts/demo --trust uat`), over
HTTP: its UAT actions break the host's unified access tokens the way the connected-app ones break
direct trust, a reset mends them, and a user signed in at the EAS gets the EAS's token there."""

from __future__ import annotations

import re
from collections.abc import Iterator

import jwt
import pytest
import requests

from sandbox.servers import Sandbox
from tests.conftest import csrf_from
from tests.uat_keys import running_uat_sandbox


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from running_uat_sandbox(tmp_path_factory)


class Browser:
    """A signed-in user's requests to the host, with the page's CSRF token and origin."""

    def __init__(self, sandbox: Sandbox, session: requests.Session) -> None:
        self.sandbox = sandbox
        self.session = session
        page = session.get(f"{sandbox.host_url}/views", timeout=5).text
        self.headers = {"X-CSRFToken": csrf_from(page), "Origin": sandbox.host_url}

    def act(self, name: str) -> requests.Response:
        return self.session.post(f"{self.sandbox.host_url}/lab/actions/{name}", json={},
                                 headers=self.headers, timeout=10)

    def refreshed_token(self) -> str:
        """A token from /api/token, as the lab page's retries get theirs."""
        return self.session.post(f"{self.sandbox.host_url}/api/token", json={"components": ["viz"]},
                                 headers=self.headers, timeout=5).json()["token"]


@pytest.fixture
def alice(sandbox: Sandbox) -> Iterator[Browser]:
    """alice, signed in with the host's own form; the simulator is reset after the test."""
    session = requests.Session()
    form = session.get(f"{sandbox.host_url}/login", timeout=5).text
    session.post(f"{sandbox.host_url}/login", timeout=5, headers={"Origin": sandbox.host_url},
                 data={"login": "alice", "password": "alice-demo", "csrf_token": csrf_from(form)})
    browser = Browser(sandbox, session)
    yield browser
    assert browser.act("reset").json() == {"ok": True, "action": "reset"}


def signs_in(sandbox: Sandbox, token: str) -> int:
    """The simulator's answer to an embed sign-in with `token`: 200, or the connected-app code."""
    answer = requests.post(f"{sandbox.simulator_url}/api/embed/signin", timeout=5,
                           json={"jwt": token, "site": "demo", "component": "viz"},
                           headers={"Origin": sandbox.host_url})
    return 200 if answer.status_code == 200 else answer.json()["result"]["errors"][0]["code"]


def test_a_disabled_uat_configuration_refuses_the_pages_uats_until_enabled(alice, sandbox):
    assert jwt.get_unverified_header(alice.refreshed_token())["alg"] == "RS256"
    assert alice.act("disable-uat").json()["ok"] is True
    assert signs_in(sandbox, alice.refreshed_token()) == 10090
    assert alice.act("enable-uat").json()["ok"] is True
    assert signs_in(sandbox, alice.refreshed_token()) == 200


def test_a_revoked_host_key_is_10085_until_the_lab_is_reset(alice, sandbox):
    assert alice.act("revoke-uat-key").json()["ok"] is True
    assert signs_in(sandbox, alice.refreshed_token()) == 10085
    assert alice.act("reset").json()["ok"] is True
    assert signs_in(sandbox, alice.refreshed_token()) == 200


def test_an_eas_user_gets_the_eas_token_and_no_buttons_that_cannot_touch_it(sandbox):
    session = requests.Session()
    form = session.get(f"{sandbox.host_url}/auth/eas/login?next=/lab", timeout=5)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    lab = session.post(form.url, timeout=10, data={"csrf_token": csrf, "login": "alice",
                                                   "password": "alice-demo", "decision": "allow"})
    assert lab.url == f"{sandbox.host_url}/lab" and lab.status_code == 200
    token = re.search(r'<tableau-viz id="lab-viz"[^>]* token="([^"]+)"', lab.text).group(1)
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == sandbox.eas_url
    assert "OAuth 2.0 trust (EAS)" in lab.text
    offered = set(re.findall(r'data-lab-(?:action|scenario)="([^"]+)"', lab.text))
    assert not offered & {"disable-app", "revoke-secret", "disable-uat", "revoke-uat-key", "expired"}
    expired = session.get(f"{sandbox.host_url}/lab?scenario=expired", timeout=5)
    assert expired.status_code == 400 and "comes from the EAS" in expired.text
    refused = Browser(sandbox, session).act("disable-uat")
    assert refused.status_code == 409 and "OAuth 2.0 trust (EAS)" in refused.json()["error"]
