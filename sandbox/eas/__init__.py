"""The sandbox demo External Authorization Server (EAS): an OAuth 2.0 authorization server whose
access tokens are the JWTs Tableau accepts under "OAuth 2.0 trust" (Register EAS to Enable SSO for
Embedded Content and Configure Connected Apps with OAuth 2.0 Trust).

    app = create_app(issuer="http://localhost:8002",
                     clients=[{"client_id": "...", "client_secret": "...",
                               "redirect_uris": ["http://localhost:5000/auth/eas/callback"]}])

See docs/eas.md. Nothing outside sandbox/ and tests/ imports this package.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from tableau_rules.claims import AUDIENCE

from . import admin, faults, headers, routes
from .clients import parse_clients
from .keys import DEFAULT_KEY_DIR, KeyStore, KeyStoreError
from .server import build_server
from .settings import EasConfigError, build_settings
from .state import EXTENSION, EasState
from .storage import Store
from .users import DEFAULT_USERS_FILE, load_users

__all__ = ["EasConfigError", "KeyStoreError", "create_app", "public_jwks"]


def create_app(
    *,
    issuer: str,
    clients: list[Mapping[str, Any]] | None = None,
    users_file: Path = DEFAULT_USERS_FILE,
    key_dir: Path | None = None,
    audience: str = AUDIENCE,
    token_lifetime_seconds: int = 300,
    admin_token: str | None = None,
) -> Flask:
    """Build the EAS; raises EasConfigError (or KeyStoreError) naming what to fix.

    `admin_token`: the bearer credential of the admin API (admin.py: its signing keys); None or
    empty: that API is refused."""
    settings = build_settings(issuer, audience, token_lifetime_seconds)
    keys = KeyStore(key_dir or DEFAULT_KEY_DIR)
    keys.ensure()  # first start: generate the signing key
    keys.signing_key()  # fail now, not at the first token, if the key file is unusable
    state = EasState(settings, keys, Store(parse_clients(clients)), load_users(users_file),
                     admin_token=admin_token or None)

    app = Flask(__name__, static_url_path="/eas-static")
    app.config.update(
        # Sessions only hold who signed in here; a restart signs everyone out, which is fine.
        SECRET_KEY=secrets.token_bytes(32),
        # Browsers share cookies across ports of one host: a name of its own avoids clobbering
        # the host's session cookie on localhost.
        SESSION_COOKIE_NAME="eas_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.issuer.startswith("https:"),
    )
    app.extensions[EXTENSION] = state
    state.server = build_server(app, state)
    faults.install(app)
    headers.install(app)
    app.register_blueprint(routes.bp)
    app.register_blueprint(admin.bp)
    return app


def public_jwks(app: Flask) -> dict[str, Any]:
    """The EAS's current public JWK Set (what /jwks.json serves), e.g. to pin in the simulator's
    registry as authorizationServers[].jwks for an offline demo."""
    state: EasState = app.extensions[EXTENSION]
    return state.keys.public_jwks()
