"""The demo EAS's admin API: its signing keys, for a rotation driven from outside the process
(`flask tableau rotate eas-key` runs in another one and never imports this package).

Every call needs `Authorization: Bearer <admin credential>` (create_app's `admin_token`; the demo
gives it the simulator's, which the host knows as SANDBOX_ADMIN_TOKEN). Without a credential the
API is refused altogether rather than left open, as the simulator's is. Answers are JSON, never
cached, and name kids only: no key material, private or public, goes through here.

    GET    /_eas/keys              {"signing": kid, "keys": [kid, ...], "tokenLifetimeSeconds": n}
    POST   /_eas/keys              201 {"kid": new kid, ...the listing}: published, not signing
    PUT    /_eas/keys/signing      {"kid": kid} -> the listing; that key signs from the next token
    DELETE /_eas/keys/<kid>        204; 409 for the signing key, 404 for an unknown kid
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .keys import KeyInUse, NoSuchKey
from .state import current

KEYS_PATH = "/_eas/keys"

bp = Blueprint("eas_admin", __name__, url_prefix=KEYS_PATH)


@bp.before_request
def require_admin() -> Response | None:
    """None when the bearer credential matches; else 403 (no credential configured) or 401."""
    expected = current().admin_token or ""
    if not expected:
        return _error(403, "access_denied", "the admin API is disabled: start the EAS with an admin "
                      "credential (create_app(admin_token=...), or serve --admin-token-env VAR)")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.encode(), expected.encode()):
        response = _error(401, "invalid_token", "the admin bearer credential is missing or wrong")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    return None


@bp.after_request
def never_cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
def list_keys() -> Response:
    """Which key signs, which are published, and how long a token lives (the drain a rotation needs)."""
    return jsonify(_listing())


@bp.post("")
def add_key() -> tuple[Response, int]:
    """A new key, published in the JWKS at once while the current key goes on signing."""
    kid = current().keys.add()
    return jsonify({"kid": kid, **_listing()}), 201


@bp.put("/signing")
def use_key() -> Response:
    """Switch signing to a key that is already published."""
    body: Any = request.get_json(silent=True)
    kid = body.get("kid") if isinstance(body, dict) else None
    if not isinstance(kid, str) or not kid:
        return _error(400, "invalid_request", 'send {"kid": "<a kid from GET /_eas/keys>"} as JSON')
    try:
        current().keys.use(kid)
    except NoSuchKey:
        return _error(404, "not_found", f"no key with kid {kid!r}: POST /_eas/keys adds one")
    return jsonify(_listing())


@bp.delete("/<kid>")
def remove_key(kid: str) -> Response:
    """Unpublish a key that no longer signs: tokens it signed stop verifying."""
    try:
        current().keys.remove(kid)
    except NoSuchKey:
        return _error(404, "not_found", f"no key with kid {kid!r}")
    except KeyInUse:
        return _error(409, "conflict", f"kid {kid!r} signs the EAS's tokens: switch signing to "
                      "another key first (PUT /_eas/keys/signing)")
    return Response(status=204)


def _listing() -> dict[str, Any]:
    signing, kids = current().keys.kids()
    return {"signing": signing, "keys": kids,
            "tokenLifetimeSeconds": current().settings.token_lifetime_seconds}


def _error(status: int, error: str, description: str) -> Response:
    # The shape of the EAS's other errors (RFC 6749 §5.2).
    response = jsonify(error=error, error_description=description)
    response.status_code = status
    return response
