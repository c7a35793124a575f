"""The host's check of EAS tokens: algorithm allowlist, issuer, audience, lifetime, JWKS caching."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config import EasSettings
from host.eas.client import make_verifier
from host.eas.verify import EasTokenError, EasTokenVerifier, EasUnavailable

ISSUER = "https://eas.example"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def eas_settings(**overrides) -> EasSettings:
    values = dict(issuer=ISSUER, metadata_url=f"{ISSUER}/.well-known/openid-configuration",
                  client_id="host", client_secret="x" * 40, redirect_uri="https://host/cb",
                  scopes="openid", audience="tableau", username_claim="sub", tokens_from_eas=True)
    values.update(overrides)
    return EasSettings(**values)


def jwk_of(key, kid: str) -> dict:
    data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**data, "kid": kid, "use": "sig", "alg": "RS256"}


class Jwks:
    """A JWKS endpoint stand-in that counts fetches and can go down."""

    def __init__(self, *keys: tuple) -> None:
        self.keys = [jwk_of(k, kid) for k, kid in keys]
        self.fetches = 0
        self.down = False

    def __call__(self, url: str) -> dict:
        assert url == f"{ISSUER}/jwks.json"
        self.fetches += 1
        if self.down:
            raise EasUnavailable("cannot fetch JWKS")
        return {"keys": self.keys}


def verifier(jwks: Jwks, **settings) -> EasTokenVerifier:
    return make_verifier(eas_settings(**settings), lambda: f"{ISSUER}/jwks.json", jwks)


def claims(**overrides) -> dict:
    now = int(time.time())
    values = {"iss": ISSUER, "aud": "tableau", "sub": "alice@example.com", "exp": now + 300,
              "iat": now, "jti": str(uuid.uuid4()), "scp": ["tableau:views:embed"]}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def sign(key=KEY, kid="k1", headers=None, **overrides) -> str:
    return jwt.encode(claims(**overrides), key, algorithm="RS256", headers={"kid": kid, **(headers or {})})


def test_a_good_token_verifies_and_keys_are_cached():
    jwks = Jwks((KEY, "k1"))
    check = verifier(jwks)
    assert check.verify(sign())["sub"] == "alice@example.com"
    check.verify(sign())
    assert jwks.fetches == 1


def test_unknown_kid_refetches_exactly_once_then_fails_with_10085():
    jwks = Jwks((KEY, "k1"))
    check = verifier(jwks)
    check.verify(sign())
    with pytest.raises(EasTokenError, match="10085"):
        check.verify(sign(kid="other"))
    assert jwks.fetches == 2


def test_a_rotated_key_is_found_by_the_one_refetch():
    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = Jwks((KEY, "k1"))
    check = verifier(jwks)
    check.verify(sign())
    jwks.keys.append(jwk_of(new_key, "k2"))
    assert check.verify(sign(key=new_key, kid="k2"))["sub"] == "alice@example.com"
    assert jwks.fetches == 2


def _unsigned(header: dict, body: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part(header)}.{part(body)}."


def test_alg_none_is_refused():
    token = _unsigned({"alg": "none", "kid": "k1"}, claims())
    with pytest.raises(EasTokenError, match="alg 'none' is not allowed"):
        verifier(Jwks((KEY, "k1"))).verify(token)


def test_hs256_signed_with_the_public_key_is_refused():
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = {"alg": "HS256", "kid": "k1", "typ": "JWT"}
    signing_input = _unsigned(header, claims())[:-1].encode()
    mac = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    token = signing_input.decode() + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    with pytest.raises(EasTokenError, match="alg 'HS256' is not allowed"):
        verifier(Jwks((KEY, "k1"))).verify(token)


@pytest.mark.parametrize("header", ["jku", "x5u", "jwk"])
def test_tokens_naming_their_own_key_are_refused(header):
    token = sign(headers={header: "https://attacker.example/keys"})
    with pytest.raises(EasTokenError, match="names its own key"):
        verifier(Jwks((KEY, "k1"))).verify(token)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"iss": "https://other.example"}, "iss is not"),
        ({"aud": "someone-else"}, "aud is not 'tableau'"),
        ({"exp": -120}, "expired"),  # exp values here are seconds from now, made at run time
        ({"exp": 3600}, "10096"),
        ({"exp": 615}, "10096"),  # no leeway on Tableau's 10-minute bound
        ({"scp": "tableau:views:embed"}, "10097"),
        ({"scp": None}, "10099"),
        ({"jti": None}, "jti"),
    ],
)
def test_tokens_tableau_would_refuse_are_stopped_here(overrides, message):
    if "exp" in overrides:
        overrides = {**overrides, "exp": int(time.time()) + overrides["exp"]}
    with pytest.raises(EasTokenError, match=message):
        verifier(Jwks((KEY, "k1"))).verify(sign(**overrides))


def test_site_level_audience_is_the_site_id():
    check = verifier(Jwks((KEY, "k1")), audience="site-uuid")
    assert check.verify(sign(aud="site-uuid"))["aud"] == "site-uuid"


@pytest.mark.filterwarnings("ignore:The RSA key is 1024 bits")
def test_rsa_keys_under_2048_bits_are_not_trusted():
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (on purpose)
    with pytest.raises(EasTokenError, match="1024-bit RSA key.*10088"):
        verifier(Jwks((small, "k1"))).verify(sign(key=small))


def test_jwks_down_is_reported_as_unavailable():
    jwks = Jwks((KEY, "k1"))
    jwks.down = True
    with pytest.raises(EasUnavailable):
        verifier(jwks).verify(sign())
