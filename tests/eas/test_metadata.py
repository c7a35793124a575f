"""Metadata at both well-known URLs (RFC 8414, OpenID Discovery) and a public-only JWKS."""

from __future__ import annotations

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from .helpers import ISSUER, Driver

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def test_both_well_known_urls_agree_and_describe_the_server(driver: Driver) -> None:
    oidc = driver.client.get("/.well-known/openid-configuration")
    oauth = driver.client.get("/.well-known/oauth-authorization-server")
    assert oidc.status_code == oauth.status_code == 200
    assert oidc.json == oauth.json
    data = oidc.json
    assert data["issuer"] == ISSUER
    assert data["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert data["token_endpoint"] == f"{ISSUER}/token"
    assert data["jwks_uri"] == f"{ISSUER}/jwks.json"
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["response_types_supported"] == ["code"]
    assert set(data["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    assert "tableau:views:embed" in data["scopes_supported"]
    assert data["authorization_response_iss_parameter_supported"] is True
    AuthorizationServerMetadata(data).validate()  # RFC 8414 §2 rules, as Authlib checks them


def test_metadata_endpoints_follow_an_issuer_with_a_path(make_eas) -> None:
    app = make_eas(issuer="https://eas.example/tenant")
    data = app.test_client().get("/.well-known/openid-configuration", base_url="https://eas.example").json
    assert data["issuer"] == "https://eas.example/tenant"
    assert data["token_endpoint"] == "https://eas.example/tenant/token"


def test_jwks_publishes_public_rsa_keys_only(driver: Driver) -> None:
    keys = driver.client.get("/jwks.json").json["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]
    assert not PRIVATE_MEMBERS & set(key)
    # base64url of a 2048-bit modulus (Register EAS to Enable SSO for Embedded Content, 10088)
    assert len(key["n"]) >= 342


def test_public_jwks_helper_matches_the_endpoint(eas, driver: Driver) -> None:
    from sandbox.eas import public_jwks
    assert public_jwks(eas) == driver.client.get("/jwks.json").json
