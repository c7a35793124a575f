"""The host's unified access tokens against the sandbox's simulator, over HTTP, as a real Tableau
would take them: a valid one signs in (embed and REST with isUat), and each documented UAT
misconfiguration gets the code the simulator documents (docs/simulator-codes.md, "Unified access
tokens"), which `flask tableau inspect --trust uat` names too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import jwt
import pytest
import requests

from config import Settings, load_settings
from host.embed.mint_uat import load_signer
from host.embed.uat_token import mint_uat_for_user, uat_expected
from host.extension import current_host_of
from host.signin.users import User
from sandbox.servers import Sandbox
from tableau_rules.jwt_rules import inspect_token
from tests.conftest import csrf_from
from tests.uat_keys import running_uat_sandbox, write_key

ALICE = User(login="alice", display_name="Alice", tableau_username="alice@example.com", password_hash="x")
TENANT_CLAIM = "https://tableau.com/tenantId"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from running_uat_sandbox(tmp_path_factory)


@pytest.fixture(scope="module")
def host_settings(sandbox: Sandbox) -> Settings:
    return current_host_of(sandbox.host).settings


def embed_sign_in(sandbox: Sandbox, token: str) -> requests.Response:
    return requests.post(f"{sandbox.simulator_url}/api/embed/signin", timeout=5,
                         json={"jwt": token, "site": "demo", "component": "viz"},
                         headers={"Origin": sandbox.host_url})


def rest_sign_in(sandbox: Sandbox, token: str) -> requests.Response:
    body = {"credentials": {"jwt": token, "isUat": True, "site": {"contentUrl": "demo"}}}
    return requests.post(f"{sandbox.simulator_url}/api/3.27/auth/signin", json=body, timeout=5,
                         headers={"Accept": "application/json"})


def embed_code(answer: requests.Response) -> int:
    return answer.json()["result"]["errors"][0]["code"]


def rest_code(answer: requests.Response) -> int:
    return int(answer.json()["error"]["code"])


def misconfigured(sandbox: Sandbox, **changes: str) -> Settings:
    """The sandbox host's settings with some UAT settings changed, as a mistyped .env would."""
    return load_settings({**sandbox.host_env, **changes})


def test_the_demo_registered_the_hosts_key_set_with_the_simulator(sandbox, host_settings):
    registered = requests.get(
        f"{sandbox.simulator_url}/api/3.27/sites/{host_settings.lab.site_id}/settings/unified-access-token",
        headers={"Authorization": f"Bearer {sandbox.admin_token}", "Accept": "application/json"},
        timeout=5).json()["unifiedAccessToken"]
    assert registered["jwksUri"] == f"{sandbox.host_url}/.well-known/jwks.json"
    assert registered["issuer"] == sandbox.host_url == host_settings.uat.issuer
    assert registered["tenantId"] == host_settings.uat.tenant_id


def test_a_valid_uat_signs_in_to_embed_and_to_rest_with_isuat(sandbox, host_settings):
    answer = embed_sign_in(sandbox, mint_uat_for_user(host_settings, ALICE, ["viz"]).token)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["user"], answer.json()["trust"]) == ("alice@example.com", "uat")
    token = mint_uat_for_user(host_settings, ALICE, scopes=["tableau:content:read"]).token
    signed_in = rest_sign_in(sandbox, token)
    assert signed_in.status_code == 200, signed_in.text
    credentials = signed_in.json()["credentials"]
    listing = requests.get(
        f"{sandbox.simulator_url}/api/3.27/sites/{credentials['site']['id']}/workbooks", timeout=5,
        headers={"X-Tableau-Auth": credentials["token"], "Accept": "application/json"})
    names = {w["name"] for w in listing.json()["workbooks"]["workbook"]}
    assert listing.status_code == 200 and "Superstore" in names


def assert_refused_everywhere(sandbox: Sandbox, host_settings: Settings, token: str, code: int) -> None:
    """The simulator answers `code` at the embed and the REST sign-in, and the inspector, given
    the host's (correct) configuration, names the same code."""
    assert embed_code(embed_sign_in(sandbox, token)) == code
    assert rest_code(rest_sign_in(sandbox, token)) == code
    found = inspect_token(token, trust="uat", component="viz", expected=uat_expected(host_settings.uat))
    assert code in [p.code for p in found.problems]


def test_wrong_issuer_is_10082(sandbox, host_settings):
    settings = misconfigured(sandbox, UAT_ISSUER="https://app.example.com")
    token = mint_uat_for_user(settings, ALICE, ["viz"]).token
    assert_refused_everywhere(sandbox, host_settings, token, 10082)


def test_a_key_the_host_does_not_publish_is_10085(sandbox, host_settings, tmp_path: Path):
    other = write_key(tmp_path / "unpublished.pem", index=7)
    settings = misconfigured(sandbox, UAT_KEY_FILE=str(other))
    token = mint_uat_for_user(settings, ALICE, ["viz"]).token
    assert jwt.get_unverified_header(token)["kid"] == load_signer(other).key_id
    assert_refused_everywhere(sandbox, host_settings, token, 10085)


def test_a_missing_tenant_is_10084(sandbox, host_settings):
    # The host never mints one (UAT_TENANT_ID is required): a token made without it, with the
    # host's own key, as another minter might.
    claims = jwt.decode(mint_uat_for_user(host_settings, ALICE, ["viz"]).token,
                        options={"verify_signature": False})
    del claims[TENANT_CLAIM]
    signer = load_signer(host_settings.uat.signing_key)
    token = signer.sign(signer.payload_segment(claims))
    assert_refused_everywhere(sandbox, host_settings, token, 10084)


def test_a_wrong_tenant_is_10084(sandbox, host_settings):
    settings = misconfigured(sandbox, UAT_TENANT_ID="00000000-0000-0000-0000-000000000000")
    token = mint_uat_for_user(settings, ALICE, ["viz"]).token
    assert_refused_everywhere(sandbox, host_settings, token, 10084)


def test_the_wrong_username_claim_is_10084(sandbox, host_settings):
    settings = misconfigured(sandbox, UAT_USERNAME_CLAIM="upn")  # the configuration says email
    token = mint_uat_for_user(settings, ALICE, ["viz"]).token
    assert jwt.decode(token, options={"verify_signature": False})["upn"] == "alice@example.com"
    assert_refused_everywhere(sandbox, host_settings, token, 10084)


def test_a_scope_the_configuration_does_not_allow_is_10097(sandbox, host_settings):
    # The host believes tableau:users:read is allowed; the UAT configuration does not allow it.
    scopes = " ".join((*host_settings.uat.scopes, "tableau:users:read"))
    settings = misconfigured(sandbox, UAT_SCOPES=scopes)
    token = mint_uat_for_user(settings, ALICE, scopes=["tableau:views:embed", "tableau:users:read"]).token
    assert_refused_everywhere(sandbox, host_settings, token, 10097)


def test_the_hosts_preflight_refuses_what_its_own_settings_forbid(host_settings):
    narrow = replace(host_settings, uat=replace(host_settings.uat, scopes=("tableau:views:embed",)))
    with pytest.raises(ValueError, match="10097"):
        mint_uat_for_user(narrow, ALICE, scopes=["tableau:content:read"])


def test_a_lab_reset_registers_the_uat_configuration_again(sandbox, host_settings):
    browser = requests.Session()
    form = browser.get(f"{sandbox.host_url}/login", timeout=5).text
    browser.post(f"{sandbox.host_url}/login", timeout=5, headers={"Origin": sandbox.host_url},
                 data={"login": "alice", "password": "alice-demo", "csrf_token": csrf_from(form)})
    csrf = csrf_from(browser.get(f"{sandbox.host_url}/views", timeout=5).text)
    answer = browser.post(f"{sandbox.host_url}/lab/actions/reset", json={}, timeout=5,
                          headers={"X-CSRFToken": csrf, "Origin": sandbox.host_url})
    assert answer.json() == {"ok": True, "action": "reset"}
    assert embed_sign_in(sandbox, mint_uat_for_user(host_settings, ALICE, ["viz"]).token).status_code == 200


def test_doctor_views_signs_in_to_rest_with_the_hosts_uat(sandbox, host_settings):
    # No connected-app secret needed: the doctor signs in as "My content" does, with isUat.
    from host.diagnostics import doctor
    from host.diagnostics.rest_views import check_views_on_tableau
    from host.signin.users import UserDirectory

    users = UserDirectory.load(host_settings.users_file, sandbox=True)

    def statuses(login: str) -> dict[str, str]:
        lines = check_views_on_tableau(doctor.Context(host_settings, users), login)
        return {line.check: line.status for line in lines}

    alice, bob = statuses("alice"), statuses("bob")
    assert "rest sign-in" not in alice and alice["view overview"] == "ok"
    # The Budget workbook is shown to the Finance group only, and bob is in it.
    assert alice["view budget"] == "fail" and bob["view budget"] == "ok"
    # Without the "My content" page the doctor still signs a UAT as the pages do.
    host_settings = replace(host_settings, rest=None)
    assert statuses("bob")["view budget"] == "ok"
