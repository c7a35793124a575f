"""OAuth 2.0 trust: tokens from a registered EAS, server-wide or site-level.

Sources: "Register EAS to Enable SSO for Embedded Content" (server-wide) and "Configure Connected
Apps with OAuth 2.0 Trust" (site-level).
"""

from .helpers import (
    EAS_ISSUER,
    SITE_ID,
    VIEW_URL,
    answered_code,
    build_registry,
    eas_token,
    jwks,
    make_app,
    rsa_key,
    sign_in,
)


def _server() -> dict:
    return {"issuer": EAS_ISSUER, "jwks": jwks(rsa_key())}


def test_a_server_wide_eas_token_signs_in_with_aud_tableau():
    client = make_app(build_registry(authorizationServers=[_server()])).test_client()
    assert sign_in(client, eas_token()).status_code == 200
    assert client.get(VIEW_URL).status_code == 200
    assert answered_code(sign_in(client, eas_token(aud=SITE_ID))) == 10084


def test_a_site_level_eas_token_carries_the_site_id_as_audience():
    client = make_app(build_registry(site__authorizationServers=[_server()])).test_client()
    assert sign_in(client, eas_token(aud=SITE_ID)).status_code == 200
    assert answered_code(sign_in(client, eas_token())) == 10084


def test_an_eas_token_signed_by_another_key_is_refused():
    client = make_app(build_registry(authorizationServers=[_server()])).test_client()
    assert answered_code(sign_in(client, eas_token(rsa_key(3072)))) == 10085


def test_eas_sessions_follow_the_site_embedding_settings():
    data = build_registry(authorizationServers=[_server()],
                          site__embedding={"unrestrictedEmbedding": False, "allowList": "https://portal.example"})
    client = make_app(data).test_client()
    assert answered_code(sign_in(client, eas_token())) == 10092  # the host's origin is not listed
    assert sign_in(client, eas_token(), origin="https://portal.example").status_code == 200
    assert "frame-ancestors https://portal.example" in client.get(VIEW_URL).headers["Content-Security-Policy"]
