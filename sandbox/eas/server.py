"""The Authlib authorization server, wired with this EAS's grants, token issuer and storage."""

from __future__ import annotations

import time
from typing import Any

from authlib.common.urls import add_params_to_uri
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request
from flask import Flask, Response

from . import scopes
from .grants import CodeGrant, EasOpenIDCode, RefreshGrant, S256CodeChallenge
from .models import RefreshToken
from .state import EasState
from .tokens import TokenIssuer


class EasAuthorizationServer(AuthorizationServer):
    def __init__(self, app: Flask, state: EasState) -> None:
        self._state = state
        super().__init__(app, query_client=state.store.client, save_token=self._save_token)

    def handle_response(self, status_code: int, payload: Any, headers: list[tuple[str, str]]) -> Response:
        # RFC 9207 §2: every authorization response, errors included, names the issuer (`iss`), so
        # a client talking to several servers can tell which one answered (mix-up defence). The
        # authorization endpoint is the only one that redirects.
        if status_code == 302:
            headers = [
                (name, add_params_to_uri(value, [("iss", self._state.settings.issuer)]))
                if name.lower() == "location" else (name, value)
                for name, value in headers
            ]
        return super().handle_response(status_code, payload, headers)

    def _save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Keep the refresh token (by digest) in the family of the code or token it came from."""
        if "refresh_token" not in token:
            return
        origin = request.authorization_code or request.refresh_token
        self._state.store.save_refresh(token["refresh_token"], RefreshToken(
            client_id=request.client.client_id,
            user_login=request.user.login,
            scope=token["scope"],
            family=origin.family,
            expires_at=time.time() + self._state.settings.refresh_lifetime_seconds,
        ))


def build_server(app: Flask, state: EasState) -> EasAuthorizationServer:
    server = EasAuthorizationServer(app, state)
    server.scopes_supported = list(scopes.SUPPORTED_SCOPES)
    server.register_token_generator("default", TokenIssuer(state.settings, state.keys))
    server.register_grant(CodeGrant, [S256CodeChallenge(required=True), EasOpenIDCode()])
    server.register_grant(RefreshGrant)
    return server
