"""Direct-trust JWTs for Tableau connected apps: one function of plain values.

Copy this file alone into your own application: it needs only PyJWT and the standard library.
Rules it follows come from Tableau's "Configure Connected Apps with Direct Trust" and
"Troubleshoot Connected Apps" pages. To check a token against every documented rule before handing
it out, copy tableau_rules/ too and call tableau_rules.jwt_rules.require_clean on the token
(optional). This host runs the same rules before signing, through `check=` (preflight_parts).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jwt.algorithms import HMACAlgorithm
from jwt.utils import base64url_encode

AUDIENCE = "tableau"
ALGORITHM = "HS256"  # direct trust signs with the connected app's secret, HS256 only
MAX_LIFETIME_SECONDS = 600  # Tableau refuses an exp more than 10 minutes ahead (codes 16, 10096)
GROUPS_CLAIM = "https://tableau.com/groups"
SIGNATURE_CHARS = 43  # an HS256 signature (32 bytes) in base64url without padding


class DirectTrustSigner:
    """One connected-app secret, ready to sign: PyJWT's HS256 key is prepared once and the header
    segment built once (jwt.encode redoes both at every call, a third of its time); the token is
    byte for byte what jwt.encode makes from the same header and claims."""

    def __init__(self, client_id: str, secret_id: str, secret_value: str) -> None:
        # kid = the secret's ID and iss = the client ID in the header (10083 when either is missing).
        self.header = {"alg": ALGORITHM, "iss": client_id, "kid": secret_id, "typ": "JWT"}
        self._header_segment = _segment(self.header, sort_keys=True)
        self._hmac = HMACAlgorithm(HMACAlgorithm.SHA256)
        self._key = self._hmac.prepare_key(secret_value)

    def payload_segment(self, claims: Mapping[str, Any]) -> bytes:
        """The claims as the token's second part (ValueError for NaN or infinity: not JSON)."""
        return _segment(claims)

    def token_size(self, payload_segment: bytes) -> int:
        """The signed token's size in bytes (Tableau refuses over 8000: 10103)."""
        return len(self._header_segment) + len(payload_segment) + 2 + SIGNATURE_CHARS

    def sign(self, payload_segment: bytes) -> str:
        signing_input = self._header_segment + b"." + payload_segment
        signature = base64url_encode(self._hmac.sign(signing_input, self._key))
        return (signing_input + b"." + signature).decode("ascii")


@lru_cache(maxsize=8)  # one signer per secret in use (at most two while rotating)
def signer_for(client_id: str, secret_id: str, secret_value: str) -> DirectTrustSigner:
    return DirectTrustSigner(client_id, secret_id, secret_value)


def _segment(part: Mapping[str, Any], sort_keys: bool = False) -> bytes:
    text = json.dumps(part, separators=(",", ":"), sort_keys=sort_keys, allow_nan=False)
    return base64url_encode(text.encode("utf-8"))


@dataclass(frozen=True)
class VizToken:
    """A JWT for Tableau's web components and when it expires (minted here, or an EAS's)."""

    token: str
    expires_at: int

    def __repr__(self) -> str:  # never show the token in logs or tracebacks
        return f"VizToken(expires_at={self.expires_at}, token=<hidden>)"


def mint_direct_trust_jwt(
    *,
    client_id: str,
    secret_id: str,
    secret_value: str,
    username: str,
    scopes: Sequence[str],
    lifetime_seconds: int = 300,
    extra_claims: Mapping[str, Any] | None = None,
    groups: Sequence[str] = (),
    now: float | None = None,
    check: Callable[[Mapping[str, Any], Mapping[str, Any], int], None] | None = None,
) -> VizToken:
    """A fresh HS256 JWT that signs `username` in to Tableau for the given scopes.

    Claims are computed at every call: a token built once at import reuses its jti (10091) and
    goes stale (16). `extra_claims` are user attributes (the site must allow attribute capture);
    they never override the registered claims. `username` is Tableau's, case sensitive (code 5).
    `check(header, claims, size)`, when given, runs before signing and may raise to refuse.
    """
    issued = int(time.time() if now is None else now)
    expires = issued + min(lifetime_seconds, MAX_LIFETIME_SECONDS)
    claims: dict[str, Any] = {
        **(extra_claims or {}),
        "iss": client_id,
        "sub": username,
        "aud": AUDIENCE,
        "exp": expires,
        "iat": issued,
        "jti": str(uuid.uuid4()),  # unique per token: Tableau takes each jti once (10091)
        "scp": list(scopes),  # a JSON list, never a string (10097)
    }
    if groups:
        claims[GROUPS_CLAIM] = list(groups)
    signer = signer_for(client_id, secret_id, secret_value)
    payload = signer.payload_segment(claims)
    if check is not None:
        check(signer.header, claims, signer.token_size(payload))
    return VizToken(token=signer.sign(payload), expires_at=expires)
