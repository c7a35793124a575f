"""OpenID Connect RP-Initiated Logout 1.0 at the demo EAS: where /logout may send the browser.

The client names itself (`client_id`) and/or hands back an ID token this EAS issued to it
(`id_token_hint`, checked: our signature and issuer; an expired one is fine, §2). The browser goes
back only to one of that client's registered `post_logout_redirect_uris`, exactly, with `state`.
"""

from __future__ import annotations

from typing import Any

from authlib.common.urls import add_params_to_uri
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .keys import ALGORITHM
from .state import current


def logout_target(values: Any) -> str | None:
    """The registered URI to return to (with `state`), or None: then the EAS shows its own page."""
    target = values.get("post_logout_redirect_uri", "")
    hint = values.get("id_token_hint")
    hinted = _client_of(hint) if hint else None
    if hint and hinted is None:
        return None  # a hint we did not issue names no client we could trust
    client_id = values.get("client_id") or hinted
    if not client_id or (hinted is not None and hinted != client_id):
        return None  # §2: client_id and the hint's audience must agree
    client = current().store.client(client_id)
    if not target or client is None or not client.check_post_logout_redirect_uri(target):
        return None
    state = values.get("state")
    return add_params_to_uri(target, [("state", state)]) if state else target


def _client_of(id_token: str) -> str | None:
    """The client an ID token of ours was issued to (its single `aud`); None for any other token."""
    keys = KeySet.import_key_set(current().keys.public_jwks())
    try:
        claims = jwt.decode(id_token, keys, algorithms=[ALGORITHM]).claims
    except (JoseError, ValueError):
        return None
    aud = claims.get("aud")
    if claims.get("iss") != current().settings.issuer or not isinstance(aud, str):
        return None
    return aud
