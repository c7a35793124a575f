"""The embedding host's application factory: wires settings, extensions and blueprints."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ConfigError, Settings, load_settings
from host import csrf, extension, health, template_cache
from host.access_log import install_redaction
from host.assets import build as assets
from host.diagnostics import cli, troubleshoot
from host.embed import api, pages
from host.embed.views_file import ViewsFile, ViewsFileError
from host.errors import install_error_handlers
from host.rate_limits import RateLimits
from host.security import install_body_limits, install_security_headers
from host.signin import guard, local, sessions
from host.signin.cookie_session import VerifiedOnceSessionInterface
from host.signin.users import UserDirectory, UsersFileError
from host.state import StateConfigError, StateUnavailable, open_store


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the host. `test_config` may hold `ENV` (a dict replacing the environment) and
    Flask settings; without it, settings come from the environment and `.env`."""
    test_config = dict(test_config or {})
    try:
        settings = load_settings(test_config.pop("ENV", None))
        app = Flask(__name__)
        app.jinja_options = {**app.jinja_options, "bytecode_cache": template_cache.BYTECODE_CACHE}
        context = _load_context(settings, app.instance_path)
    except ConfigError as exc:
        if cli.looking_up_commands():  # flask --help, flask tableau …: diagnostics, no traceback
            return cli.commands_only_app(exc)
        raise

    _wrap_and_configure(app, settings, test_config)
    install_error_handlers(app)  # first: every answer, a CSRF refusal too, carries a request id
    install_body_limits(app, settings.limits)
    extension.init_app(app, context)
    csrf.init_app(app)  # Flask-WTF's, each session's token signed and checked once per process
    guard.install(app)
    for blueprint in (local.bp, pages.bp, api.bp, troubleshoot.bp, health.bp):
        app.register_blueprint(blueprint)
    assets.install(app)  # static files at versioned, long-cached URLs: asset_url() in templates
    app.cli.add_command(cli.tableau)
    _plug_in_what_is_configured(app, settings, context)
    return app


def _wrap_and_configure(app: Flask, settings: Settings, test_config: Mapping[str, Any]) -> None:
    """Middleware, logging and Flask's settings: the same for every host."""
    install_security_headers(app, settings.tableau_origin, settings.eas_origin)  # inside ProxyFix
    if settings.trusted_proxies:
        # Behind TLS-terminating proxies: see the browser's https origin (same-origin checks, HSTS).
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    install_redaction()  # the dev server's request log never holds OAuth codes, states or tokens
    # Authlib logs the PKCE code_verifier at DEBUG: never let a debug log level carry it.
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger("authlib").level))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not settings.sandbox,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=sessions.SESSION_SECONDS),
        # The server-side session ends at a fixed time: no need to re-sign the cookie each response.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.config.update(test_config)
    app.session_interface = VerifiedOnceSessionInterface()  # each cookie's signature checked once


def _plug_in_what_is_configured(app: Flask, settings: Settings, context: extension.HostContext) -> None:
    """The optional parts, each imported only when its settings turn it on."""
    if settings.eas is not None:
        from host import eas  # Authlib and requests load only when an EAS is configured

        eas.install(app, settings.eas)
    if settings.uat is not None:
        from host.embed import jwks  # the public key set of the host's UAT keys

        app.register_blueprint(jwks.bp)
    if settings.rest is not None:
        from host.rest import routes as rest  # tableauserverclient loads only with REST on

        rest.install(app, rest.site_to_list(context.views))
    if settings.lab is not None:
        from host.lab import routes as lab  # sandbox only

        app.register_blueprint(lab.bp)


def _load_context(settings: Settings, instance_path: str) -> extension.HostContext:
    """Users, views and the state store; any of them unusable stops the start with its fix."""
    try:
        users = UserDirectory.load(settings.users_file, sandbox=settings.sandbox)
        views = ViewsFile.load(settings.views_file)
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        state = open_store(settings.state_store_url, relative_to=instance_path)
        rate_limits = RateLimits(settings.state_store_url, instance_path)
    except ViewsFileError as exc:
        raise ConfigError(exc.problems) from exc
    except (UsersFileError, StateConfigError, StateUnavailable) as exc:
        raise ConfigError([str(exc)]) from exc
    return extension.HostContext(settings=settings, users=users, views=views, state=state,
                                 rate_limits=rate_limits)
