"""Direct-trust JWTs for Tableau connected apps: one function of plain values.

Copy this file alone into your own application: it needs only PyJWT and the standard library.
Rules it follows come from Tableau's "Configure Connected Apps with Direct Trust" and
"Troubleshoot Connected Apps" pages. To check a token against every documented rule before handing
it out, call tableau_rules.jwt_rules.require_clean beside it (optional; this host always does).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt

AUDIENCE = "tableau"
ALGORITHM = "HS256"  # direct trust signs with the connected app's secret, HS256 only
MAX_LIFETIME_SECONDS = 600  # Tableau refuses an exp more than 10 minutes ahead (codes 16, 10096)
GROUPS_CLAIM = "https://tableau.com/groups"


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
) -> VizToken:
    """A fresh HS256 JWT that signs `username` in to Tableau for the given scopes.

    Claims are computed at every call: a token built once at import reuses its jti (10091) and
    goes stale (16). `extra_claims` are user attributes (the site must allow attribute capture);
    they never override the registered claims. `username` is Tableau's, case sensitive (code 5).
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
    # kid = the secret's ID and iss = the client ID in the header (10083 when either is missing).
    headers = {"kid": secret_id, "iss": client_id}
    token = jwt.encode(claims, secret_value, algorithm=ALGORITHM, headers=headers)
    return VizToken(token=token, expires_at=expires)
