"""GET /.well-known/jwks.json: the public keys Tableau verifies this host's unified access tokens
with (registered as the UAT configuration's `jwks_uri`). Only with TRUST_MODE uat.

Both keys while rotating (docs/rotation.md), public halves only. Caches may keep the answer for
UAT_JWKS_MAX_AGE_SECONDS, so a new key is published at least that long before it signs.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify

from host.embed.signing import signing_now
from host.embed.uat_keys import key_set
from host.extension import current_host

bp = Blueprint("jwks", __name__)
PATH = "/.well-known/jwks.json"


@bp.get(PATH)
def jwks() -> Response:
    uat = signing_now(current_host().settings).uat
    if uat is None:
        abort(404)
    response = jsonify(key_set(uat))
    response.headers["Cache-Control"] = f"public, max-age={uat.jwks_max_age}"
    return response
