"""Access tokens shaped for Tableau's OAuth 2.0 trust (Register EAS to Enable SSO for Embedded Content
and Configure Connected Apps with OAuth 2.0 Trust), and the token response.

The access token is the viz token: an RS256 JWT the host puts in the web component's `token`
attribute. User attributes travel as extra top-level claims (Configure Connected Apps with OAuth 2.0
Trust), so the token carries the claims Tableau needs, the groups and the user's attributes, and nothing
that could be taken for one.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

from authlib.oauth2.rfc6749 import OAuth2Error
from joserfc import jwt

from tableau_rules.claims import GROUPS_CLAIM, MAX_TOKEN_BYTES

from . import scopes
from .keys import ALGORITHM, KeyStore
from .models import Client, User
from .settings import EasSettings


class TokenTooLarge(OAuth2Error):
    error = "server_error"
    status_code = 500
    description = ("The access token would exceed Tableau's 8000-byte limit "
                   "(Troubleshoot Connected Apps, 10103).")


class TokenIssuer:
    """Authlib token generator (AuthorizationServer.register_token_generator("default", ...))."""

    def __init__(self, settings: EasSettings, keys: KeyStore) -> None:
        self._settings = settings
        self._keys = keys

    def __call__(
        self,
        grant_type: str,
        client: Client,
        user: User,
        scope: str,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        # RFC 6749 §5.1; `scope` is returned because it may differ from the request (§3.3).
        token = {
            "token_type": "Bearer",
            "access_token": self.access_token(user, scope),
            "expires_in": self._settings.token_lifetime_seconds,
            "scope": scope,
        }
        if include_refresh_token:
            token["refresh_token"] = secrets.token_urlsafe(32)
        return token

    def access_token(self, user: User, scope: str) -> str:
        # UTC epoch seconds (Register EAS to Enable SSO for Embedded Content: clocks on UTC)
        now = int(time.time())
        # user attributes as top-level claims (Configure Connected Apps with OAuth 2.0 Trust)
        claims: dict[str, Any] = dict(user.attributes)
        claims.update({
            "iss": self._settings.issuer,
            # "tableau", or the site ID for a site-level EAS (Configure Connected Apps with OAuth 2.0 Trust)
            "aud": self._settings.audience,
            "sub": user.tableau_username,
            "iat": now,
            "exp": now + self._settings.token_lifetime_seconds,  # at most 10 minutes (10096)
            "jti": str(uuid.uuid4()),  # fresh for every token: Tableau takes a jti once (10091)
            "scp": scopes.tableau_scp(scopes.split(scope)),  # a list (10097)
        })
        if user.groups:
            # dynamic group membership (Configure Connected Apps with OAuth 2.0 Trust)
            claims[GROUPS_CLAIM] = list(user.groups)
        key = self._keys.signing_key()
        # Configure Connected Apps with OAuth 2.0 Trust: kid and alg in the header. It names no typ;
        # "JWT" (RFC 7519 §5.1) is the conservative value (RFC 9068's "at+jwt" is not something
        # Tableau documents).
        header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}
        token = jwt.encode(header, claims, key, algorithms=[ALGORITHM])
        if len(token.encode("ascii")) > MAX_TOKEN_BYTES:
            raise TokenTooLarge()
        return token
