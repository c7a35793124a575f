"""The sandbox Tableau simulator: its own Flask app standing in for Tableau Cloud/Server.

`create_app(registry)` takes the registry as a dict or a path to sandbox/registry.json
(docs/architecture.md); see docs/simulator.md for what is simulated.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, request

from . import (
    admin,
    admin_directory,
    admin_uat,
    content,
    embed_auth,
    faults_api,
    library,
    readiness,
    registry,
    rest_api,
    rest_content,
    signin_page,
)
from .admin_auth import ENV as ADMIN_ENV
from .state import EXTENSION, SimulatorState, current

# Blueprints that stay reachable while the fault switch makes everything else fail.
_FAULT_EXEMPT = frozenset({admin.bp.name, admin_directory.bp.name, admin_uat.bp.name, faults_api.bp.name,
                           readiness.bp.name})


def create_app(
    source: Mapping[str, Any] | str | Path,
    *,
    public_url: str | None = None,
    admin_token: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Flask:
    """Build the simulator; raises registry.RegistryError when the registry cannot be used.

    Everything this simulator reads from outside is captured here, once: the registry, `env` (for
    `${NAME}` in it; default a copy of os.environ now) and the admin API's credential (default
    env[SIMULATOR_ADMIN_TOKEN]; none: the admin API is refused). So two simulators in one process
    never share a credential, and a later change to os.environ changes neither, nor what
    POST /_simulator/reset goes back to.
    """
    env = dict(os.environ if env is None else env)
    raw = registry.read(source)
    app = Flask(__name__, static_url_path="/_simulator/static")
    app.extensions[EXTENSION] = SimulatorState(
        registry.load(raw, env), public_url,
        admin_token=env.get(ADMIN_ENV) if admin_token is None else admin_token,
        reload=lambda: registry.load(raw, env),
    )
    blueprints = (embed_auth.bp, content.bp, signin_page.bp, library.bp, rest_api.bp, rest_content.bp,
                  admin.bp, admin_directory.bp, admin_uat.bp, faults_api.bp, readiness.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.before_request(_apply_faults)
    app.after_request(_security_headers)
    return app


def _apply_faults() -> Response | tuple[Response, int] | None:
    if request.blueprint in _FAULT_EXEMPT:
        return None
    faults = current().faults
    faults.delay()
    if faults.down:
        return Response("simulated outage", status=503, mimetype="text/plain")
    if faults.server_error and request.method != "OPTIONS":  # the preflight passes: body readable
        return jsonify({"error": "simulated server error"}), faults.server_error
    return None


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        policy = (
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "form-action 'self'"
        )
        frame_ancestors = g.get("frame_ancestors")
        if frame_ancestors:
            policy += f"; frame-ancestors {frame_ancestors}"
        response.headers["Content-Security-Policy"] = policy
    return response
