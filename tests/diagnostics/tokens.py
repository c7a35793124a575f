"""Crafted tokens for the diagnostics tests: one good token and one breaking each documented rule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt

from tests.conftest import SECRET_VALUE

NOW = 1_800_000_000.0  # a fixed clock for the pure-function tests


def good_claims(now: float | None = None, **changes: Any) -> dict[str, Any]:
    now = time.time() if now is None else now
    claims = {"iss": "client-123", "sub": "alice@example.com", "aud": "tableau", "exp": int(now) + 300,
              "iat": int(now), "jti": "a1b2c3", "scp": ["tableau:views:embed"]}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def signed(claims: dict[str, Any], *, secret: str = SECRET_VALUE, alg: str = "HS256",
           **header: Any) -> str:
    headers = {"kid": "secret-1", "iss": "client-123", **header}
    return jwt.encode(claims, secret, algorithm=alg,
                      headers={k: v for k, v in headers.items() if v is not None})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw(header: Any, claims: Any, signature: str | None = None) -> str:
    """A token assembled by hand, for shapes no library would sign; HS256-signed with the test
    secret unless `signature` is given, so only the shape under test is wrong."""
    return hand_signed(_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()), signature)


def hand_signed(header_segment: str, claims_segment: str, signature: str | None = None) -> str:
    """Two raw segments and an HS256 signature over them (with the test secret) unless given."""
    signing_input = f"{header_segment}.{claims_segment}"
    if signature is None:
        mac = hmac.new(SECRET_VALUE.encode(), signing_input.encode(), hashlib.sha256).digest()
        signature = _b64(mac)
    return f"{signing_input}.{signature}"


HEADER = {"alg": "HS256", "typ": "JWT", "kid": "secret-1", "iss": "client-123"}


def rule_cases(now: float | None = None) -> list[tuple[str, str, int, str, str | None]]:
    """(case id, token, expected code, expected rule id, component) - one per documented rule."""
    n = time.time() if now is None else now
    g = good_claims
    return [
        ("size", signed(g(n, pad="x" * 8000)), 10103, "size", None),
        ("encrypted", "a.b.c.d.e", 10098, "format.encrypted", None),
        ("segments", "not-a-jwt", 10084, "format.segments", None),
        ("header-not-json", hand_signed("bm90IGpzb24", _b64(b"{}")), 10084, "format.header", None),
        ("claims-not-json", hand_signed(_b64(json.dumps(HEADER).encode()), "bm90IGpzb24"), 10084,
         "format.payload", None),
        ("unsigned", raw({**HEADER, "alg": "none"}, g(n), signature=""), 10098, "header.unsigned", None),
        ("alg", signed(g(n), alg="HS512", secret="s" * 64), 10087, "header.alg", None),
        ("kid", signed(g(n), kid=None), 10083, "header.kid", None),
        ("iss", signed(g(n, iss=None), iss=None), 10083, "header.iss", None),
        ("aud", signed(g(n, aud="Tableau")), 10084, "claims.aud", None),
        ("sub", signed(g(n, sub=None)), 10084, "claims.sub", None),
        ("jti", signed(g(n, jti=None)), 10094, "claims.jti", None),
        ("exp-format", raw(HEADER, g(n, exp="soon")), 10084, "claims.exp", None),
        ("iat-format", raw(HEADER, g(n, iat="now")), 10084, "claims.iat", None),
        ("expired", signed(g(n, iat=int(n) - 400, exp=int(n) - 100)), 16, "lifetime.expired", None),
        ("too-long", signed(g(n, exp=int(n) + 3600)), 10096, "lifetime.too-long", None),
        ("minted-too-long", signed(g(n, iat=int(n) - 900, exp=int(n) + 300)), 10096,
         "lifetime.minted-too-long", None),
        ("scp-missing", signed(g(n, scp=None)), 10099, "scp.missing", None),
        ("scp-string", signed(g(n, scp="tableau:views:embed")), 10097, "scp.type", None),
        ("scp-component", signed(g(n)), 10099, "scp.component", "authoring"),
    ]


# Edge values of the claims (blank text, non-strings, numbers that are not times, non-JSON
# constants, deep nesting) and the code both the simulator and jwt_rules answer for each.
HUGE = 10**400  # parses as a Python int; 'exp - now' on it overflowed a float
DEEP = _b64(b"[" * 3000)  # past the JSON parser's recursion limit
EDGE_CASES = {
    "kid-blank": (raw({**HEADER, "kid": " "}, good_claims(NOW)), 10083),
    "kid-number": (raw({**HEADER, "kid": 123}, good_claims(NOW)), 10083),
    "kid-list": (raw({**HEADER, "kid": ["secret-1"]}, good_claims(NOW)), 10083),
    "iss-blank-everywhere": (raw({**HEADER, "iss": " "}, good_claims(NOW, iss=" ")), 10083),
    "iss-number": (raw({**HEADER, "iss": 7}, good_claims(NOW, iss=None)), 10083),
    "sub-blank": (signed(good_claims(NOW, sub=" ")), 10084),
    "sub-number": (signed(good_claims(NOW, sub=5)), 10084),
    "jti-blank": (signed(good_claims(NOW, jti="\t")), 10094),
    "jti-number": (signed(good_claims(NOW, jti=42)), 10094),
    "exp-nan": (raw(HEADER, good_claims(NOW, exp=float("nan"))), 10084),
    "exp-infinity": (raw(HEADER, good_claims(NOW, exp=float("inf"))), 10084),
    "exp-huge-int": (raw(HEADER, good_claims(NOW, exp=HUGE)), 10084),
    "exp-huge-float": (raw(HEADER, good_claims(NOW, exp=1e300)), 10084),
    "exp-negative": (raw(HEADER, good_claims(NOW, exp=-1)), 10084),
    "exp-bool": (raw(HEADER, good_claims(NOW, exp=True)), 10084),
    "iat-nan": (raw(HEADER, good_claims(NOW, iat=float("nan"))), 10084),
    "iat-huge-int": (raw(HEADER, good_claims(NOW, iat=HUGE)), 10084),
    "nan-in-an-attribute": (raw(HEADER, good_claims(NOW, Region=float("nan"))), 10084),
    "nan-in-the-header": (raw({**HEADER, "x": float("nan")}, good_claims(NOW)), 10084),
    "crit-header": (raw({**HEADER, "crit": ["exp"], "exp": 1}, good_claims(NOW)), 10084),
    "b64-false-header": (raw({**HEADER, "b64": False, "crit": ["b64"]}, good_claims(NOW)), 10084),
    "b64-without-crit": (raw({**HEADER, "b64": False}, good_claims(NOW)), 10084),
    "claims-nested-too-deep": (hand_signed(raw(HEADER, {}).split(".")[0], DEEP), 10084),
    "scp-holds-a-number": (signed(good_claims(NOW, scp=["tableau:views:embed", 1])), 10097),
    "aud-list": (signed(good_claims(NOW, aud=["tableau"])), 10084),
}
