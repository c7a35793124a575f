"""The embedding host's application factory: wires settings, extensions and blueprints."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ConfigError, load_settings
from host import api, auth, cli, eas, lab, pages, sessions, troubleshoot
from host.catalog import Catalog, ViewsFileError
from host.errors import install_error_handlers
from host.extensions import csrf
from host.security import install_security_headers
from host.store import ServerStore
from host.users import UserDirectory, UsersFileError


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the host. `test_config` may hold `ENV` (a dict replacing the environment) and
    Flask settings; without it, settings come from the environment and `.env`."""
    test_config = dict(test_config or {})
    settings = load_settings(test_config.pop("ENV", None))
    try:
        users = UserDirectory.load(settings.users_file, sandbox=settings.sandbox)
        catalog = Catalog.load(settings.views_file)
    except (UsersFileError, ViewsFileError) as exc:
        raise ConfigError([str(exc)]) from exc

    app = Flask(__name__)
    if settings.trusted_proxies:
        # Behind TLS-terminating proxies: see the browser's https origin (same-origin checks, HSTS).
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    # Authlib logs the PKCE code_verifier at DEBUG: never let a debug log level carry it.
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger("authlib").level))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        EMBED_SETTINGS=settings,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not settings.sandbox,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.config.update(test_config)
    app.extensions["embed_users"] = users
    app.extensions["embed_catalog"] = catalog
    app.extensions["embed_sessions"] = ServerStore(sessions.MAX_SESSIONS)

    csrf.init_app(app)
    install_error_handlers(app)
    install_security_headers(app, settings.tableau_origin)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(troubleshoot.bp)
    app.cli.add_command(cli.tableau)
    if settings.eas is not None:
        eas.install(app, settings.eas)
    if settings.lab is not None:
        app.register_blueprint(lab.bp)
    return app
