"""The EAS's records: registered clients, demo users, authorization codes and refresh tokens.

Codes and refresh tokens are kept under a SHA-256 digest of their value (storage.py), never the
value itself; the JWT access tokens are not stored at all.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oidc.core import AuthorizationCodeMixin

from . import scopes

# Confidential clients only (RFC 6749 §2.1): the host is a web server that can keep a secret.
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
GRANT_TYPES = ("authorization_code", "refresh_token")


def digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


@dataclass(frozen=True)
class User:
    login: str
    display_name: str
    # Becomes 'sub': the Tableau username, case sensitive (Register EAS to Enable SSO for Embedded
    # Content; Troubleshoot Connected Apps code 5 when unknown).
    tableau_username: str
    password_hash: str = field(repr=False)
    attributes: Mapping[str, Any] = field(default_factory=dict)
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Client(ClientMixin):
    client_id: str
    secret_digest: bytes = field(repr=False)
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...] = GRANT_TYPES
    # OpenID Connect RP-Initiated Logout 1.0 §3.1: where the client may ask to go after sign-out.
    post_logout_redirect_uris: tuple[str, ...] = ()

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # Every request names its redirect_uri; none is assumed (OAuth 2.1 §4.1.1 behaviour).
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        return scopes.grant(scope, self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Exact string match, no prefix or pattern (RFC 9700 §4.1.3, §2.1).
        return redirect_uri in self.redirect_uris

    def check_post_logout_redirect_uri(self, uri: str) -> bool:
        return uri in self.post_logout_redirect_uris  # exact, as for redirect URIs

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(digest(client_secret), self.secret_digest)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in CLIENT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    client_id: str
    user_login: str
    redirect_uri: str
    scope: str
    code_challenge: str
    code_challenge_method: str
    expires_at: float
    # Every token issued from this code, and from its refresh tokens, shares the family, so a
    # replayed code can revoke them all (RFC 6749 §4.1.2).
    family: str
    nonce: str | None = None
    auth_time: int | None = None
    used: bool = False

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int | None:
        return self.auth_time


@dataclass
class RefreshToken(TokenMixin):
    client_id: str
    user_login: str
    scope: str
    family: str
    expires_at: float
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def is_revoked(self) -> bool:
        return self.revoked
