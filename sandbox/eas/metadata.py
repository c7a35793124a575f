"""Authorization server metadata (RFC 8414 §2), served at both well-known locations.

Tableau reads the issuer's metadata to find the JWKS (Register EAS to Enable SSO for Embedded Content:
10081 when it cannot); OAuth clients such as the host read it to find the endpoints.
"""

from __future__ import annotations

from typing import Any

from . import scopes
from .keys import ALGORITHM
from .models import CLIENT_AUTH_METHODS, GRANT_TYPES
from .settings import EasSettings

AUTHORIZE_PATH = "/authorize"
TOKEN_PATH = "/token"  # noqa: S105 (a URL path, not a secret)
JWKS_PATH = "/jwks.json"
LOGOUT_PATH = "/logout"


def metadata(settings: EasSettings) -> dict[str, Any]:
    return {
        "issuer": settings.issuer,
        "authorization_endpoint": settings.endpoint(AUTHORIZE_PATH),
        "token_endpoint": settings.endpoint(TOKEN_PATH),
        "jwks_uri": settings.endpoint(JWKS_PATH),
        "scopes_supported": list(scopes.SUPPORTED_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": list(GRANT_TYPES),
        "token_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
        "code_challenge_methods_supported": ["S256"],  # RFC 7636; plain is refused
        "authorization_response_iss_parameter_supported": True,  # RFC 9207 §3
        # OpenID Connect Discovery 1.0 §3 (required there, for the ID token).
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name"],
        # OpenID Connect RP-Initiated Logout 1.0 §2.1: where a client signs its user out here too.
        "end_session_endpoint": settings.endpoint(LOGOUT_PATH),
    }
