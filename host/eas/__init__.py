"""Sign-in at an External Authorization Server (OAuth 2.0 code + PKCE through Authlib) and, with
OAuth 2.0 trust, the EAS's own JWT as the viz token. Imported only when an EAS is configured."""

from __future__ import annotations

from flask import Flask

from config import EasSettings
from host.eas import errors, routes
from host.eas.client import make_client
from host.eas.tokens import eas_token_for
from host.extension import current_host_of


def install(app: Flask, eas: EasSettings) -> None:
    """Plug the EAS in: Authlib's client, the token supply, the routes and their error answers."""
    context = current_host_of(app)
    context.eas = make_client(app, eas)
    context.eas_tokens = eas_token_for
    app.register_blueprint(routes.bp)
    errors.install(app)
