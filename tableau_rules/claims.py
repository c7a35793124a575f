"""JWT header and claim rules for connected apps, from Tableau's pages "Troubleshoot Connected Apps",
"Configure Connected Apps with Direct Trust", "Configure Connected Apps with OAuth 2.0 Trust" (and
its older edition "Register EAS to Enable SSO for Embedded Content") and "Unified Access Tokens";
docs/references.md says which rule comes from which page.

The constants and predicates here are the one source of truth for what a claim must look like:
the simulator (sandbox/simulator/tokens.py) and the rules module (jwt_rules.py) both call them, so
they cannot disagree about, say, a blank 'sub' or an 'exp' that is not a time.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

# Direct trust signs with the shared secret, HS256 only ("Configure Connected Apps with Direct
# Trust", "alg").
DIRECT_TRUST_ALGORITHM = "HS256"
# EAS and unified access tokens sign with an asymmetric key (Register EAS to Enable SSO for Embedded
# Content: RSA, at least 2048 bits, 10088).
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
MIN_RSA_KEY_BITS = 2048

# 'aud' must be "tableau", case sensitive (Troubleshoot Connected Apps, code 10084); a site-level EAS
# uses the site ID (Configure Connected Apps with OAuth 2.0 Trust).
AUDIENCE = "tableau"

# 'exp' at most 10 minutes ahead (Troubleshoot Connected Apps, codes 16 and 10096).
MAX_LIFETIME_SECONDS = 600

# A JWT over 8000 bytes is refused (Troubleshoot Connected Apps, code 10103).
MAX_TOKEN_BYTES = 8000

# Dynamic group membership (Configure Connected Apps with OAuth 2.0 Trust) and on-demand access
# (Tableau Cloud only, the string "true"; Troubleshoot Connected Apps, codes 67 and 10101).
GROUPS_CLAIM = "https://tableau.com/groups"
ON_DEMAND_ACCESS_CLAIM = "https://tableau.com/oda"
# A unified access token names its tenant, and optionally its site (Unified Access Tokens).
UAT_TENANT_CLAIM = "https://tableau.com/tenantId"
UAT_SITE_CLAIM = "https://tableau.com/siteId"

# Claims a connected-app token must carry; user attributes are any further top-level claims.
REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "jti", "scp")

# Names a user attribute may not take (Configure Connected Apps with OAuth 2.0 Trust: attributes are
# further top-level claims): RFC 7519's registered claim names (Register EAS to Enable SSO for Embedded
# Content and Configure Connected Apps with OAuth 2.0 Trust point to them: iss, sub, aud, exp, nbf, iat,
# jti), 'scp', 'alg' (Configure Connected Apps with Direct Trust: "in header or as a claim"), and
# Tableau's own claims: groups (Configure Connected Apps with OAuth 2.0 Trust), on-demand access
# (Troubleshoot Connected Apps), the unified access token's tenant and site (Unified Access Tokens).
RESERVED_CLAIMS = frozenset((
    *REGISTERED_CLAIMS, "iat", "nbf", "alg",
    GROUPS_CLAIM, ON_DEMAND_ACCESS_CLAIM, UAT_TENANT_CLAIM, UAT_SITE_CLAIM,
))

# The last second of year 9999, the end of the range of dates a server can represent. An 'exp' or 'iat'
# outside 0..this (a 401-digit integer, a negative time) is not "the right format" (Troubleshoot
# Connected Apps, 10084).
MAX_EPOCH_SECONDS = 253_402_300_799


def is_nonempty_text(value: Any) -> bool:
    """A string with something besides whitespace: what 'kid', 'iss', 'sub' and 'jti' must be.
    A blank value names no secret, app, user or token (Troubleshoot Connected Apps: 10083, 10084, 10094)."""
    return isinstance(value, str) and bool(value.strip())


def issuer(header: dict[str, Any], payload: dict[str, Any] | None) -> str | None:
    """The client ID or EAS issuer: Configure Connected Apps with Direct Trust, 'iss' is "Required (in
    header or as a claim)"; the header's wins. None when neither carries one (Troubleshoot Connected
    Apps: 10083)."""
    for value in (header.get("iss"), (payload or {}).get("iss")):
        if is_nonempty_text(value):
            return value
    return None


def is_epoch_seconds(value: Any) -> bool:
    """A JSON number of seconds since the epoch (UTC) in a range a server can represent: what 'exp'
    and 'iat' must be (Troubleshoot Connected Apps: 10084 "Review IssueTime or expiration is the right
    format")."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    # Compared, never converted: a NaN fails both comparisons, and a huge int needs no float.
    return 0 <= value <= MAX_EPOCH_SECONDS


def is_scope_list(value: Any) -> bool:
    """'scp' passed "as a list type" (Troubleshoot Connected Apps: 10097) of scope names (Authentication
    and Embedding)."""
    return isinstance(value, list) and all(isinstance(scope, str) for scope in value)


def uses_jws_extensions(header: dict[str, Any]) -> bool:
    """'crit' (RFC 7515, 4.1.11: a recipient must refuse extensions it does not understand) or 'b64'
    (RFC 7797, an unencoded payload) change how a JWS is read; connected-app tokens use neither
    (Configure Connected Apps with Direct Trust), so either makes the JWT unusable (10084)."""
    return "crit" in header or "b64" in header


# base64url without padding (RFC 7515, section 2); trailing '=' is tolerated, other characters not.
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


def decode_segment(segment: str) -> dict[str, Any]:
    """A JWS header or claims segment as a JSON object; ValueError when it is not one (Troubleshoot
    Connected Apps: 10084)."""
    if not _BASE64URL.fullmatch(segment):
        raise ValueError("not base64url")
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    return parse_json_object(raw)


def parse_json_object(raw: bytes | str) -> dict[str, Any]:
    """Strict JSON (RFC 8259: no NaN or Infinity) holding an object; ValueError otherwise."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError as exc:  # nesting deeper than the parser goes: not a claims set either
        raise ValueError("JSON nested too deeply") from exc
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
