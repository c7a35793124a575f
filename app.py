"""The embedding host's application factory: wires settings, extensions and blueprints."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ConfigError, Settings, load_settings
from host import extension
from host.diagnostics import cli, troubleshoot
from host.embed import api, pages
from host.embed.views_file import ViewsFile, ViewsFileError
from host.errors import install_error_handlers
from host.security import install_security_headers
from host.signin import guard, local, sessions
from host.signin.store import ServerStore
from host.signin.users import UserDirectory, UsersFileError


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the host. `test_config` may hold `ENV` (a dict replacing the environment) and
    Flask settings; without it, settings come from the environment and `.env`."""
    test_config = dict(test_config or {})
    try:
        settings = load_settings(test_config.pop("ENV", None))
        context = _load_context(settings)
    except ConfigError as exc:
        if cli.looking_up_commands():  # flask --help, flask tableau …: diagnostics, no traceback
            return cli.commands_only_app(exc)
        raise

    app = Flask(__name__)
    if settings.trusted_proxies:
        # Behind TLS-terminating proxies: see the browser's https origin (same-origin checks, HSTS).
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    # Authlib logs the PKCE code_verifier at DEBUG: never let a debug log level carry it.
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger("authlib").level))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not settings.sandbox,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.config.update(test_config)

    extension.init_app(app, context)
    install_error_handlers(app)
    install_security_headers(app, settings.tableau_origin, settings.eas_origin)
    guard.install(app)
    for blueprint in (local.bp, pages.bp, api.bp, troubleshoot.bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(cli.tableau)
    if settings.eas is not None:
        from host import eas  # Authlib and requests load only when an EAS is configured

        eas.install(app, settings.eas)
    if settings.lab is not None:
        from host.lab import routes as lab  # sandbox only

        app.register_blueprint(lab.bp)
    return app


def _load_context(settings: Settings) -> extension.HostContext:
    try:
        users = UserDirectory.load(settings.users_file, sandbox=settings.sandbox)
        views = ViewsFile.load(settings.views_file)
    except UsersFileError as exc:
        raise ConfigError([str(exc)]) from exc
    except ViewsFileError as exc:
        raise ConfigError(exc.problems) from exc
    return extension.HostContext(settings=settings, users=users, views=views,
                                 sessions=ServerStore(sessions.MAX_SESSIONS))
