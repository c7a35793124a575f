"""Authlib grants: authorization code with PKCE (S256 only) and refresh tokens with rotation,
plus the OpenID Connect extension that issues an ID token carrying the request's nonce."""

from __future__ import annotations

import time
import uuid
from typing import Any

from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, OAuth2Request, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet

from .keys import ALGORITHM
from .models import CLIENT_AUTH_METHODS, AuthorizationCode, Client, RefreshToken, User
from .signin import auth_time
from .state import current

S256 = "S256"


class S256CodeChallenge(CodeChallenge):
    """PKCE (RFC 7636) for every client, confidential ones too (RFC 9700 §2.1.1), S256 only.

    Authlib's CodeChallenge(required=True) only insists for public clients and accepts "plain";
    this subclass refuses a request without a challenge and any method but S256.
    """

    SUPPORTED_CODE_CHALLENGE_METHOD = [S256]
    CODE_CHALLENGE_METHODS = {S256: compare_s256_code_challenge}

    def validate_code_challenge(self, grant: Any, redirect_uri: Any) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge, code_challenge_method=S256.")
        if data.get("code_challenge_method") != S256:
            # Absent means "plain" (RFC 7636 §4.3), which is refused as well.
            raise InvalidRequestError("code_challenge_method must be S256; plain is not accepted.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier': PKCE is required.")
        super().validate_code_verifier(grant, result)


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(CLIENT_AUTH_METHODS)

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        state = current()
        data = request.payload.data
        state.store.save_code(code, AuthorizationCode(
            client_id=request.client.client_id,
            user_login=request.user.login,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,  # as granted (scopes.grant), not as asked
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            expires_at=time.time() + state.settings.code_lifetime_seconds,
            family=str(uuid.uuid4()),
            nonce=data.get("nonce"),
            auth_time=auth_time(),
        ))

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        # Marks the code used right away: single use even under concurrent requests.
        return current().store.take_code(code, client.client_id)

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing to do: the used code stays (marked) until it expires, to catch replays."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User | None:
        return current().users.get(authorization_code.user_login)


class RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(CLIENT_AUTH_METHODS)
    # Rotate: every use returns a new refresh token and retires the old (RFC 9700 §4.14.2).
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        return current().store.find_refresh(refresh_token)

    def authenticate_user(self, refresh_token: RefreshToken) -> User | None:
        return current().users.get(refresh_token.user_login)

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        if not current().store.rotate(refresh_token):
            raise InvalidGrantError("The refresh token was already used.")


class EasOpenIDCode(OpenIDCode):
    """OpenID Connect Core §3.1: an ID token when `openid` is granted, with the request's nonce."""

    def resolve_client_private_key(self, client: Client) -> KeySet:
        return current().keys.private_key_set()  # joserfc signs with the key the header names

    def get_client_algorithm(self, client: Client) -> str:
        return ALGORITHM

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": ALGORITHM, "kid": current().keys.signing_key().kid, "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        settings = current().settings
        # The ID token is for the client (aud = client_id), never for Tableau.
        return {"iss": settings.issuer, "aud": client.client_id,
                "exp": int(time.time()) + settings.token_lifetime_seconds}

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return current().store.nonce_used(request.payload.client_id, nonce)

    def generate_user_info(self, user: User, scope: str) -> UserInfo:
        return UserInfo(sub=user.tableau_username, name=user.display_name)
