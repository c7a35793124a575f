"""Direct-trust JWTs, minted at each call for the signed-in user (documents 004 and 003)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jwt

from config import Settings
from host.users import User
from tableau_rules.claims import (
    AUDIENCE,
    DIRECT_TRUST_ALGORITHM,
    GROUPS_CLAIM,
    MAX_LIFETIME_SECONDS,
)
from tableau_rules.jwt_rules import require_clean
from tableau_rules.scopes import scopes_for


@dataclass(frozen=True)
class MintedToken:
    token: str
    expires_at: int

    def __repr__(self) -> str:  # never show the token in logs or tracebacks
        return f"MintedToken(expires_at={self.expires_at}, token=<hidden>)"


def mint_direct_trust(
    settings: Settings,
    user: User,
    components: Iterable[str],
    clock: Callable[[], float] = time.time,
) -> MintedToken:
    """A fresh HS256 JWT for `user`, scoped to the components on the page; raises BrokenRules.

    Claims are computed here, at call time: a token built once at import reuses its jti (10091)
    and goes stale (16/10096). The subject is always the signed-in user, never the request's.
    """
    if settings.direct is None:
        raise RuntimeError("direct trust is not configured (TRUST_MODE=eas)")
    app = settings.direct
    components = list(components)  # read twice below: scopes, then the preflight
    now = int(clock())
    lifetime = min(settings.token_lifetime_seconds, MAX_LIFETIME_SECONDS)
    claims = {
        **(user.attributes if settings.send_user_attributes else {}),
        "iss": app.client_id,
        "sub": user.tableau_username,
        "aud": AUDIENCE,
        "exp": now + lifetime,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "scp": scopes_for(components),  # 10097: scp must be a list
    }
    if settings.send_groups and user.groups:
        claims[GROUPS_CLAIM] = list(user.groups)
    # 004: kid = secret ID and iss = client ID in the header (10083 when either is missing).
    headers = {"kid": app.signing_secret.id, "iss": app.client_id}
    token = jwt.encode(
        claims, app.signing_secret.value, algorithm=DIRECT_TRUST_ALGORITHM, headers=headers
    )
    # Preflight: never hand out a token Tableau would refuse (e.g. 10103, over 8000 bytes); the
    # BrokenRules error names each code and rule, never the token (host/errors.py logs it).
    require_clean(token, components, now=now)
    return MintedToken(token=token, expires_at=now + lifetime)

