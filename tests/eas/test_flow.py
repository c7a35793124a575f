"""The whole authorization-code flow yields the JWT Tableau accepts under OAuth 2.0 trust (Register EAS
to Enable SSO for Embedded Content, Configure Connected Apps with OAuth 2.0 Trust)."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from authlib.oidc.core import CodeIDToken
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from tableau_rules.claims import GROUPS_CLAIM, MAX_TOKEN_BYTES

from .helpers import ALL_SCOPES, CLIENT_ID, ISSUER, SITE_ID, Driver, Flow, query


def test_code_flow_gives_an_rs256_jwt_shaped_for_tableau(driver: Driver) -> None:
    before = int(time.time())
    body = driver.tokens()
    token = body["access_token"]

    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"] in [k["kid"] for k in driver.client.get("/jwks.json").json["keys"]]
    claims = driver.verify(token)
    assert claims["iss"] == ISSUER
    assert claims["aud"] == "tableau"
    assert claims["sub"] == "alice@example.com"
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] - claims["iat"] == 300
    assert uuid.UUID(claims["jti"]).version == 4
    assert claims["scp"] == ["tableau:views:embed", "tableau:views:embed_authoring", "tableau:insights:embed"]
    assert claims[GROUPS_CLAIM] == ["Sales"]
    assert claims["Region"] == "West" and claims["Department"] == "Sales"
    assert len(token) < MAX_TOKEN_BYTES
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    assert body["scope"] == ALL_SCOPES and body["refresh_token"]


def test_token_response_is_not_cacheable(driver: Driver) -> None:
    flow = Flow()
    response = driver.exchange(driver.code(flow), flow.verifier)
    assert response.headers["Cache-Control"] == "no-store"


def test_state_is_echoed_and_iss_names_the_issuer(driver: Driver) -> None:
    flow = Flow(state="opaque-state-123")
    params = query(driver.sign_in(flow))
    assert params["state"] == "opaque-state-123"
    assert params["iss"] == ISSUER  # RFC 9207
    assert set(params) == {"code", "state", "iss"}


def test_signed_in_user_gets_a_code_without_the_page_again(driver: Driver) -> None:
    driver.tokens()
    flow = Flow()
    # consent auto-granted (Register EAS to Enable SSO for Embedded Content)
    params = query(driver.client.get(flow.url()))
    assert params["state"] == flow.state and params["iss"] == ISSUER
    response = driver.exchange(params["code"], flow.verifier)
    assert driver.verify(response.json["access_token"])["sub"] == "alice@example.com"


def test_client_secret_basic_works_and_a_wrong_secret_is_refused(driver: Driver) -> None:
    flow = Flow()
    code = driver.code(flow)
    refused = driver.exchange(code, flow.verifier, basic=True, secret="not-the-secret-at-all")
    assert refused.status_code == 401 and refused.json["error"] == "invalid_client"
    flow = Flow()
    accepted = driver.exchange(driver.code(flow), flow.verifier, basic=True)
    assert accepted.status_code == 200


def test_authoring_scope_brings_views_embed_and_openid_stays_out_of_scp(driver: Driver) -> None:
    body = driver.tokens(Flow(scope="openid tableau:views:embed_authoring"))
    assert body["scope"] == "openid tableau:views:embed tableau:views:embed_authoring"
    assert driver.verify(body["access_token"])["scp"] == ["tableau:views:embed",
                                                          "tableau:views:embed_authoring"]


@pytest.mark.parametrize("scope", ["openid", "", "tableau:metrics:embed"])
def test_a_request_without_a_usable_tableau_scope_is_refused(driver: Driver, scope: str) -> None:
    flow = Flow(scope=scope)
    params = query(driver.client.get(flow.url(scope=scope or None)))
    assert params["error"] == "invalid_scope" and params["state"] == flow.state and params["iss"] == ISSUER


def test_each_user_gets_their_own_claims_and_no_empty_groups(driver: Driver) -> None:
    claims = driver.verify(driver.tokens(login="carol", password="carol-pw")["access_token"])
    assert claims["sub"] == "carol@elsewhere.example"
    assert GROUPS_CLAIM not in claims
    assert set(claims) == {"iss", "aud", "sub", "iat", "exp", "jti", "scp"}


def test_site_level_eas_uses_the_site_id_as_audience(make_eas) -> None:
    driver = Driver(make_eas(audience=SITE_ID).test_client())
    assert driver.verify(driver.tokens()["access_token"], audience=SITE_ID)["aud"] == SITE_ID


def test_id_token_carries_the_nonce_and_validates_as_a_client_would(driver: Driver) -> None:
    flow = Flow(scope="openid tableau:views:embed", extra={"nonce": "n-0S6_WzA2Mj"})
    body = driver.tokens(flow)
    keys = KeySet.import_key_set(driver.client.get("/jwks.json").json)
    decoded = jose_jwt.decode(body["id_token"], keys, algorithms=["RS256"])
    claims = CodeIDToken(decoded.claims, decoded.header, {"iss": {"values": [ISSUER]}},
                         {"nonce": "n-0S6_WzA2Mj", "client_id": CLIENT_ID,
                          "access_token": body["access_token"]})
    claims.validate()  # iss, aud, exp, iat, nonce, at_hash: what Authlib's client checks
    assert claims["sub"] == "alice@example.com" and claims["aud"] == CLIENT_ID
    assert claims["auth_time"] <= claims["iat"]


def test_a_reused_nonce_is_refused(driver: Driver) -> None:
    driver.tokens(Flow(scope="openid tableau:views:embed", extra={"nonce": "same-nonce"}))
    flow = Flow(scope="openid tableau:views:embed", extra={"nonce": "same-nonce"})
    params = query(driver.client.get(flow.url()))
    assert params["error"] == "invalid_request"


def test_no_id_token_without_openid(driver: Driver) -> None:
    assert "id_token" not in driver.tokens(Flow(scope="tableau:views:embed"))
