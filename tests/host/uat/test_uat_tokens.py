"""Unified access tokens minted by the host: header and claims, the page and the token API hand
them out, the public key set verifies them, and the preflight refuses what Tableau would."""

from __future__ import annotations

import jwt
import pytest
from flask import Flask

from app import create_app
from config import load_settings
from host.embed.mint_uat import UatSigner, key_thumbprint, load_signer, mint_unified_access_token
from host.embed.uat_token import mint_uat_for_user
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules, check_token
from tests.conftest import Auth, base_env
from tests.uat_keys import ISSUER, TENANT_ID, pem, uat_env, write_key

TENANT_CLAIM = "https://tableau.com/tenantId"
SITE_CLAIM = "https://tableau.com/siteId"
ALICE = User(login="alice", display_name="Alice", tableau_username="alice@example.com", password_hash="x",
             attributes={"Region": "West", "email": "not-the-user@example.com"}, groups=("Sales",))


def verify(token: str, signer: UatSigner) -> dict:
    key = jwt.PyJWK(signer.public_jwk()).key
    return jwt.decode(token, key, algorithms=["RS256"], options={"require": ["exp", "jti"]})


def test_the_token_carries_the_claims_the_uat_documentation_lists():
    signer = UatSigner(pem())
    minted = mint_unified_access_token(
        signer=signer, issuer=ISSUER, tenant_id=TENANT_ID, username="alice@example.com",
        scopes=["tableau:views:embed"], site_id="site-1", extra_claims={"Region": "West",
        "iss": "attacker"}, groups=["Sales"], now=1_700_000_000)
    header = jwt.get_unverified_header(minted.token)
    assert header == {"alg": "RS256", "kid": signer.key_id, "typ": "JWT"}
    claims = jwt.decode(minted.token, options={"verify_signature": False})
    assert claims["iss"] == ISSUER and claims["email"] == "alice@example.com"
    assert claims[TENANT_CLAIM] == TENANT_ID and claims[SITE_CLAIM] == "site-1"
    assert claims["scp"] == ["tableau:views:embed"] and claims["exp"] == 1_700_000_300
    assert claims["Region"] == "West" and claims["https://tableau.com/groups"] == ["Sales"]
    assert "sub" not in claims and "aud" not in claims
    assert signer.key_id == key_thumbprint(signer.public_jwk())
    assert "PRIVATE" not in repr(signer) and "d" not in signer.public_jwk()


def test_each_token_is_fresh_and_the_key_is_read_once(key_file):
    settings = load_settings(base_env(**uat_env(key_file)))
    first, second = (mint_uat_for_user(settings, ALICE, ["viz"]) for _ in range(2))
    assert jwt.decode(first.token, options={"verify_signature": False})["jti"] != \
        jwt.decode(second.token, options={"verify_signature": False})["jti"]
    assert load_signer(key_file) is load_signer(key_file)
    claims = verify(first.token, load_signer(key_file))
    # The username claim is the configured one: a user attribute of that name never replaces it.
    assert claims["email"] == "alice@example.com"
    assert check_token(first.token, trust="uat", component="viz") == []


def test_a_configured_username_claim_and_site_are_used(key_file):
    settings = load_settings(base_env(**uat_env(key_file, UAT_USERNAME_CLAIM="upn", UAT_SITE_ID="s-1")))
    token = mint_uat_for_user(settings, ALICE, ["viz"]).token
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["upn"] == "alice@example.com" and claims[SITE_CLAIM] == "s-1"


def test_a_scope_the_configuration_does_not_allow_is_never_sent(key_file):
    settings = load_settings(base_env(**uat_env(key_file, UAT_SCOPES="tableau:views:embed")))
    with pytest.raises(BrokenRules) as refused:
        mint_uat_for_user(settings, ALICE, ["authoring"])
    assert [p.code for p in refused.value.problems] == [10097]
    assert "tableau:views:embed_authoring" in str(refused.value)
    allowed = load_settings(base_env(**uat_env(key_file, UAT_SCOPES="tableau:views:*")))
    assert mint_uat_for_user(allowed, ALICE, ["authoring"]).token


def test_rest_scopes_may_be_asked_for_directly(key_file):
    settings = load_settings(base_env(**uat_env(key_file, UAT_SCOPES="tableau:content:read")))
    token = mint_uat_for_user(settings, ALICE, scopes=["tableau:content:read"]).token
    assert jwt.decode(token, options={"verify_signature": False})["scp"] == ["tableau:content:read"]


def test_the_page_and_the_token_api_hand_out_uats(uat_app: Flask, key_file):
    client = uat_app.test_client()
    auth = Auth(client)
    auth.login()
    page = client.get("/views/overview").get_data(as_text=True)
    signer = load_signer(key_file)
    assert "Unified access token" in page  # the token panel (sandbox) names the trust
    page_token = page.split('token="', 1)[1].split('"', 1)[0]
    assert verify(page_token, signer)["email"] == "alice@example.com"
    answer = client.post("/api/token", json={"components": ["viz"]},
                         headers={"X-CSRFToken": auth.csrf(), "Origin": "http://localhost"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert verify(answer.get_json()["token"], signer)[TENANT_CLAIM] == TENANT_ID


def test_the_key_set_is_public_cached_and_verifies_the_tokens(uat_app: Flask, key_file):
    answer = uat_app.test_client().get("/.well-known/jwks.json")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    keys = answer.get_json()["keys"]
    assert [k["kid"] for k in keys] == [load_signer(key_file).key_id]
    assert {"d", "p", "q", "dp", "dq", "qi"}.isdisjoint(keys[0])
    assert keys[0]["use"] == "sig" and keys[0]["alg"] == "RS256" and keys[0]["kty"] == "RSA"


def test_two_keys_are_both_published_and_the_chosen_one_signs(tmp_path, key_file):
    second = write_key(tmp_path / "second.pem", index=1)
    env = base_env(**uat_env(key_file, UAT_KEY_2_FILE=str(second), UAT_SIGNING_KEY="2",
                             UAT_JWKS_MAX_AGE_SECONDS="60"))
    app = create_app({"ENV": env, "TESTING": True})
    answer = app.test_client().get("/.well-known/jwks.json")
    assert [k["kid"] for k in answer.get_json()["keys"]] == [load_signer(second).key_id,
                                                             load_signer(key_file).key_id]
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    token = mint_uat_for_user(load_settings(env), ALICE, ["viz"]).token
    assert jwt.get_unverified_header(token)["kid"] == load_signer(second).key_id


def test_without_uat_there_is_no_key_set(app: Flask):
    assert app.test_client().get("/.well-known/jwks.json").status_code == 404
