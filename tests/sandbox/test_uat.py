"""Unified access tokens: a site's UAT configuration, the embed and REST sign-ins that accept them,
one code per misconfiguration (docs/simulator-codes.md), the admin API and key rotation."""

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sandbox.simulator.registry import RegistryError, load

from .helpers import (
    ADMIN,
    API,
    NOW,
    SITE_ID,
    VIEW_URL,
    answered_code,
    build_registry,
    jwks,
    make_app,
    make_token,
    rsa_key,
    sign_in,
)
from .uat_helpers import (
    SITE_CLAIM,
    TENANT_CLAIM,
    UAT_ISSUER,
    UAT_KID,
    KeyServer,
    rest_sign_in,
    uat_app,
    uat_config,
    uat_token,
)

UAT_SETTINGS = f"{API}/settings/unified-access-token"


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.stop()


def test_a_valid_uat_loads_a_view():
    client = uat_app().test_client()
    response = sign_in(client, uat_token())
    assert response.status_code == 200, response.text
    info = response.get_json()
    assert (info["user"], info["trust"]) == ("alice@example.com", "uat")
    assert info["scopes"] == ["tableau:views:embed"]
    page = client.get(VIEW_URL)
    assert page.status_code == 200 and 'data-simulator-page="viz"' in page.text


def test_a_valid_uat_signs_in_to_rest_in_json_and_lists_content():
    client = uat_app().test_client()
    response = rest_sign_in(client, uat_token(claims={"scp": ["tableau:content:read"]}))
    assert response.status_code == 200, response.text
    credentials = response.get_json()["credentials"]
    assert credentials["site"]["id"] == SITE_ID and credentials["user"]["id"]
    listing = client.get(f"{API}/workbooks", headers={"X-Tableau-Auth": credentials["token"],
                                                      "Accept": "application/json"})
    assert listing.status_code == 200 and listing.get_json()["workbooks"]["workbook"]


def test_a_valid_uat_signs_in_to_rest_in_xml_with_the_isuat_attribute():
    client = uat_app().test_client()
    xml = (f'<tsRequest><credentials jwt="{uat_token()}" isUat="true">'
           '<site contentUrl="demo"/></credentials></tsRequest>')
    response = client.post("/api/3.24/auth/signin", data=xml, content_type="application/xml")
    assert response.status_code == 200 and '<credentials token="' in response.text


def test_the_username_claim_and_tenant_may_be_configured_and_a_site_id_must_match():
    client = uat_app(usernameClaim="upn").test_client()
    token = uat_token(claims={"upn": "bob@example.com", SITE_CLAIM: SITE_ID}, drop=("email",))
    assert sign_in(client, token).get_json()["user"] == "bob@example.com"
    other_site = uat_token(claims={"upn": "bob@example.com", SITE_CLAIM: "another-site"}, drop=("email",))
    assert answered_code(sign_in(client, other_site)) == 10084


# One code per misconfiguration; where Tableau names none, docs/simulator-codes.md says why.
MISCONFIGURED = {
    "wrong-issuer": (lambda: uat_token(claims={"iss": "https://other.example/uat"}), 10082),
    "unknown-kid": (lambda: uat_token(kid="retired-key"), 10085),
    "no-kid": (lambda: uat_token(kid=None), 10083),
    "missing-tenant": (lambda: uat_token(drop=(TENANT_CLAIM,)), 10084),
    "wrong-tenant": (lambda: uat_token(claims={TENANT_CLAIM: "another-tenant"}), 10084),
    "wrong-username-claim": (lambda: uat_token(claims={"sub": "alice@example.com"}, drop=("email",)), 10084),
    "username-not-a-user": (lambda: uat_token(claims={"email": "Alice@example.com"}), 5),
    "disallowed-scope": (lambda: uat_token(claims={"scp": ["tableau:views:embed", "tableau:x:*"]}), 10097),
    "signed-by-another-key": (lambda: uat_token(rsa_key(name="stranger")), 10085),
    "hs256": (lambda: uat_token(key="a-shared-secret-that-is-long-enough!", algorithm="HS256"), 10087),
    "ps256": (lambda: uat_token(algorithm="PS256"), 10087),
    "expired": (lambda: uat_token(claims={"exp": int(NOW) - 5}), 16),
    "too-far-ahead": (lambda: uat_token(claims={"exp": int(NOW) + 601}), 10096),
    "no-jti": (lambda: uat_token(drop=("jti",)), 10094),
    "no-scp": (lambda: uat_token(drop=("scp",)), 10099),
}


@pytest.mark.parametrize(("token", "code"), MISCONFIGURED.values(), ids=MISCONFIGURED.keys())
def test_each_misconfiguration_answers_its_code_at_both_sign_ins(token, code):
    app = uat_app()
    assert answered_code(sign_in(app.test_client(), token())) == code
    assert answered_code(rest_sign_in(app.test_client(), token())) == code


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_an_rsa_key_under_2048_bits_is_refused():
    weak = rsa_key(1024)
    client = uat_app(jwks={"keys": [_jwk(weak, UAT_KID)]}).test_client()
    assert answered_code(sign_in(client, uat_token(weak))) == 10088


# The order of checks (docs/simulator-codes.md, "Unified access tokens"): each token breaks two
# rules and the earlier check answers.
ORDER = {
    "issuer over signature": (lambda: uat_token(rsa_key(name="stranger"), claims={"iss": "https://x.example"}),
                              10082),
    "kid over tenant": (lambda: uat_token(kid="retired-key", drop=(TENANT_CLAIM,)), 10085),
    "tenant over username": (lambda: uat_token(drop=(TENANT_CLAIM, "email")), 10084),
    "username claim over jti": (lambda: uat_token(drop=("email", "jti")), 10084),
    "jti over expired": (lambda: uat_token(claims={"exp": int(NOW) - 5}, drop=("jti",)), 10094),
    "disallowed scope over unknown user": (
        lambda: uat_token(claims={"scp": ["tableau:users:read"], "email": "nobody@example.com"}), 10097),
}


@pytest.mark.parametrize(("token", "code"), ORDER.values(), ids=ORDER.keys())
def test_the_earlier_uat_check_answers(token, code):
    assert answered_code(sign_in(uat_app().test_client(), token())) == code


def test_a_disabled_or_missing_configuration_refuses_uat_sign_in():
    assert answered_code(rest_sign_in(uat_app(enabled=False).test_client(), uat_token())) == 10090
    assert answered_code(sign_in(uat_app(enabled=False).test_client(), uat_token())) == 10090
    assert answered_code(rest_sign_in(make_app().test_client(), uat_token())) == 10082


def test_the_rest_sign_in_reads_a_uat_only_when_told_is_uat():
    client = uat_app().test_client()
    response = rest_sign_in(client, uat_token(), is_uat=False)
    assert answered_code(response) == 10082 and "isUat" in response.get_json()["error"]["detail"]
    assert answered_code(rest_sign_in(client, make_token(scp=["tableau:content:read"]))) == 10082


def test_a_used_jti_is_refused_on_a_second_sign_in():
    app = uat_app()
    token = uat_token()
    assert sign_in(app.test_client(), token).status_code == 200
    assert answered_code(sign_in(app.test_client(), token)) == 10091


def test_wildcard_scopes_in_the_configuration_allow_every_action_of_the_resource():
    client = uat_app(scopes=["tableau:views:*"]).test_client()
    assert sign_in(client, uat_token(claims={"scp": ["tableau:views:embed"]})).status_code == 200
    refused = uat_token(claims={"scp": ["tableau:views:embed", "tableau:content:read"]})
    assert answered_code(sign_in(client, refused)) == 10097
    unrestricted = uat_app(scopes=None).test_client()
    any_scope = uat_token(claims={"scp": ["tableau:users:read", "tableau:views:embed"]})
    assert sign_in(unrestricted, any_scope).status_code == 200


def test_a_pem_public_key_with_its_key_id_may_be_configured():
    pem = rsa_key().public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    client = uat_app(jwks=None, publicKey=pem, keyId=UAT_KID).test_client()
    assert sign_in(client, uat_token()).status_code == 200


def test_keys_are_fetched_from_the_jwks_uri_and_rotate_without_a_failed_sign_in(key_server):
    old, new = (rsa_key(), "key-2024"), (rsa_key(name="next"), "key-2025")
    key_server.publish(old)
    client = uat_app(jwks=None, jwksUri=key_server.url).test_client()
    assert sign_in(client, uat_token(old[0], kid=old[1])).status_code == 200
    key_server.publish(old, new)  # step 1: publish the new key beside the old one
    assert sign_in(client, uat_token(old[0], kid=old[1])).status_code == 200
    assert sign_in(client, uat_token(new[0], kid=new[1])).status_code == 200  # step 2: the new one signs
    key_server.publish(new)  # step 3: retire the old key
    assert sign_in(client, uat_token(new[0], kid=new[1])).status_code == 200
    assert answered_code(sign_in(client, uat_token(old[0], kid=old[1]))) == 10085


def test_an_unreachable_jwks_uri_is_10081(key_server):
    url = key_server.url
    key_server.stop()
    client = uat_app(jwks=None, jwksUri=url).test_client()
    assert answered_code(sign_in(client, uat_token())) == 10081


def test_the_admin_api_registers_replaces_shows_and_removes_the_configuration(key_server):
    key_server.publish((rsa_key(), UAT_KID))
    client = make_app().test_client()
    assert client.get(UAT_SETTINGS, headers=ADMIN).status_code == 404
    body = {"unifiedAccessToken": uat_config(jwks=None, jwksUri=key_server.url)}
    shown = client.put(UAT_SETTINGS, json=body, headers=ADMIN)
    assert shown.status_code == 200
    assert shown.get_json()["unifiedAccessToken"]["jwksUri"] == key_server.url
    assert client.get(UAT_SETTINGS, headers=ADMIN).get_json()["unifiedAccessToken"]["issuer"] == UAT_ISSUER
    assert sign_in(client, uat_token()).status_code == 200
    assert client.delete(UAT_SETTINGS, headers=ADMIN).status_code == 204
    assert answered_code(rest_sign_in(client, uat_token())) == 10082


def test_the_admin_api_pins_a_new_inline_key_set_to_rotate():
    client = uat_app().test_client()
    new = rsa_key(name="next")
    both = {"keys": [_jwk(rsa_key(), UAT_KID), _jwk(new, "uat-key-2")]}
    replaced = client.put(UAT_SETTINGS, json={"unifiedAccessToken": uat_config(jwks=both)}, headers=ADMIN)
    assert replaced.status_code == 200
    assert sign_in(client, uat_token(new, kid="uat-key-2")).status_code == 200
    assert sign_in(client, uat_token()).status_code == 200


BAD_CONFIGS = {
    "no-issuer": ({"issuer": None}, "issuer"),
    "no-tenant": ({"tenantId": None}, "tenantId"),
    "two-key-sources": ({"jwksUri": "https://host.example/jwks"}, "exactly one"),
    "no-key-source": ({"jwks": None}, "exactly one"),
    "jwks-uri-not-a-url": ({"jwks": None, "jwksUri": "file:///etc/passwd"}, "jwksUri"),
    "key-without-kid": ({"jwks": {"keys": [{"kty": "RSA"}]}}, "'kid'"),
    "pem-not-a-key": ({"jwks": None, "publicKey": "not a key", "keyId": "k"}, "publicKey"),
    "scopes-not-a-list": ({"scopes": "tableau:views:embed"}, "scopes"),
    "username-claim-reserved": ({"usernameClaim": "iss"}, "usernameClaim"),
    "another-site": ({"siteId": "another-site"}, "siteId"),
    "enabled-not-a-flag": ({"enabled": "yes"}, "enabled"),
}


@pytest.mark.parametrize(("changes", "named"), BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_the_admin_api_refuses_a_bad_configuration_naming_the_field(changes, named):
    client = make_app().test_client()
    response = client.put(UAT_SETTINGS, json={"unifiedAccessToken": uat_config(**changes)}, headers=ADMIN)
    assert response.status_code == 400 and named in response.get_json()["error"]["detail"]


def test_unified_access_tokens_exist_on_tableau_cloud_only():
    with pytest.raises(RegistryError, match="Tableau Cloud only"):
        load(build_registry(deployment="server", site__unifiedAccessToken=uat_config()))
    client = make_app(build_registry(deployment="server")).test_client()
    response = client.put(UAT_SETTINGS, json={"unifiedAccessToken": uat_config()}, headers=ADMIN)
    assert response.status_code == 400 and "Tableau Cloud only" in response.get_json()["error"]["detail"]


def test_a_reset_goes_back_to_the_configuration_as_loaded():
    client = uat_app().test_client()
    assert client.delete(UAT_SETTINGS, headers=ADMIN).status_code == 204
    assert client.post("/_simulator/faults/reset", headers=ADMIN).status_code == 204
    assert sign_in(client, uat_token()).status_code == 200


def _jwk(key, kid: str) -> dict:
    return jwks(key, kid)["keys"][0]
