"""Admin API modelled on Tableau REST "Connected App methods" and "Update Embedding Settings for
Site" ("Troubleshoot Connected Apps": 126, 127, 128, 133), guarded by the admin bearer credential
(admin_auth.py).

Paths and bodies follow Tableau's REST API (`connectedApplication`, `domainSafelist`,
`connectedApplicationSecret`); the site is addressed by its ID. Creating an app leaves it disabled
unless `enabled` is true ("Configure Connected Apps with Direct Trust": "a connected app is set to
disabled by default when created").
"""

import secrets
import uuid
from typing import Any

from flask import Blueprint, Response, abort, request

from . import allowlist, rest_format
from .admin_auth import require_admin
from .model import MAX_SECRETS, ConnectedApp, Secret, Site
from .state import current

bp = Blueprint("admin", __name__, url_prefix="/api/<version>/sites/<site_id>")
bp.before_request(require_admin)

_APPS = "/connected-applications"
_APP = "/connected-applications/<client_id>"


class _Refused(Exception):
    def __init__(self, status: int, code: int, summary: str, detail: str) -> None:
        super().__init__(detail)
        self.response = rest_format.error(status, str(code), summary, detail)


@bp.errorhandler(_Refused)
def _refused(error: _Refused) -> Response:
    return error.response


@bp.get(_APPS)
def list_apps(version: str, site_id: str) -> Response:
    apps = [_app_json(a) for a in _site(site_id).connected_apps]
    return rest_format.respond({"connectedApplications": {"connectedApplication": apps}})


@bp.post(_APPS)
def create_app(version: str, site_id: str) -> Response:
    site = _site(site_id)
    fields = _body("connectedApplication")
    app = ConnectedApp(
        client_id=str(uuid.uuid4()), name=str(fields.get("name", "Connected app")),
        enabled=_flag(fields.get("enabled", False)), project_id=None, domain_allowlist="",
    )
    _apply(site, app, fields)
    site.connected_apps.append(app)
    return rest_format.respond({"connectedApplication": _app_json(app)}, 201)


@bp.get(_APP)
def get_app(version: str, site_id: str, client_id: str) -> Response:
    return rest_format.respond({"connectedApplication": _app_json(_app(site_id, client_id))})


@bp.put(_APP)
def update_app(version: str, site_id: str, client_id: str) -> Response:
    app = _app(site_id, client_id)
    _apply(_site(site_id), app, _body("connectedApplication"))
    return rest_format.respond({"connectedApplication": _app_json(app)})


@bp.delete(_APP)
def delete_app(version: str, site_id: str, client_id: str) -> Response:
    site = _site(site_id)
    site.connected_apps.remove(_app(site_id, client_id))
    return Response(status=204)


@bp.post(_APP + "/secrets")
def create_secret(version: str, site_id: str, client_id: str) -> Response:
    app = _app(site_id, client_id)
    if len(app.secrets) >= MAX_SECRETS:
        # Troubleshoot Connected Apps: 128 "A maximum of two secrets are allowed ... an attempt to
        # create a third secret".
        raise _Refused(400, 128, "CONNECTED_APP_SECRET_LIMIT_EXCEEDED",
                       "delete a secret before creating a new one")
    secret = Secret(id=str(uuid.uuid4()), value=secrets.token_urlsafe(32))
    app.secrets.append(secret)
    # The value is shown once, as Tableau does; it is never logged.
    body = {"connectedApplicationSecret": {"id": secret.id, "value": secret.value}}
    return rest_format.respond(body, 201)


@bp.delete(_APP + "/secrets/<secret_id>")
def delete_secret(version: str, site_id: str, client_id: str, secret_id: str) -> Response:
    app = _app(site_id, client_id)
    secret = app.secret(secret_id)
    if secret is None:
        # Troubleshoot Connected Apps: 127
        raise _Refused(404, 127, "CONNECTED_APP_SECRET_NOT_FOUND", "no secret with that ID")
    app.secrets.remove(secret)
    return Response(status=204)


@bp.put("/settings/embedding")
def update_embedding_settings(version: str, site_id: str) -> Response:
    site = _site(site_id)
    fields = _body("site")
    if "allowList" in fields:
        site.embedding.allow_list = _checked_allowlist(fields["allowList"])
    if "unrestrictedEmbedding" in fields:
        site.embedding.unrestricted = _flag(fields["unrestrictedEmbedding"])
    settings = {"unrestrictedEmbedding": site.embedding.unrestricted, "allowList": site.embedding.allow_list}
    return rest_format.respond({"site": settings})


def _apply(site: Site, app: ConnectedApp, fields: dict[str, Any]) -> None:
    """Validate every field first, then change the app: a refused update changes nothing."""
    changes: dict[str, Any] = {}
    if "name" in fields:
        changes["name"] = str(fields["name"])
    if "enabled" in fields:
        changes["enabled"] = _flag(fields["enabled"])
    if "domainSafelist" in fields:
        changes["domain_allowlist"] = _checked_allowlist(fields["domainSafelist"])
    if "projectId" in fields:
        project_id = fields["projectId"] or None
        if project_id is not None and project_id not in {p.id for p in site.projects}:
            raise _Refused(404, 404005, "Not Found", "no project with that ID")
        changes["project_id"] = project_id
    for name, value in changes.items():
        setattr(app, name, value)


def _checked_allowlist(value: Any) -> str:
    try:
        return " ".join(allowlist.sources(str(value)))
    except allowlist.InvalidAllowlist as exc:
        # Troubleshoot Connected Apps: 133 "Domain allowlist contains one or more invalid characters".
        raise _Refused(400, 133, "INVALID_CONNECTED_APP_DOMAIN_SAFELIST", str(exc)) from exc


def _site(site_id: str) -> Site:
    return current().registry.site_by_id(site_id) or abort(404)


def _app(site_id: str, client_id: str) -> ConnectedApp:
    app = _site(site_id).app(client_id)
    if app is None:
        # Troubleshoot Connected Apps: 126 CONNECTED_APP_NOT_FOUND, the connected-app management
        # code (10089 is for JWTs).
        raise _Refused(404, 126, "CONNECTED_APP_NOT_FOUND", "no connected app with that client ID")
    return app


def _body(key: str) -> dict[str, Any]:
    body = request.get_json(silent=True)
    fields = body.get(key) if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        raise _Refused(400, 400000, "Bad Request", f"expected a JSON body {{\"{key}\": {{...}}}}")
    return fields


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _app_json(app: ConnectedApp) -> dict[str, Any]:
    return {
        "clientId": app.client_id, "name": app.name, "enabled": app.enabled,
        "projectId": app.project_id, "domainSafelist": app.domain_allowlist,
        "secrets": {"secret": [{"id": s.id} for s in app.secrets]},  # IDs only: values shown once
    }
