"""Admin API: the sites and their users, so a harness can drive the simulator without editing the
registry and restarting. Modelled on Tableau REST "Query Sites", "Query Site", "Get Users on Site",
"Add User to Site" and "Remove User from Site"; guarded by the admin credential (admin_auth.py).
"""

import uuid
from typing import Any

from flask import Blueprint, Response, request

from . import rest_format
from .admin_auth import require_admin
from .model import SITE_ROLES, Site, User
from .state import current

bp = Blueprint("admin_directory", __name__, url_prefix="/api/<version>/sites")
bp.before_request(require_admin)


class _Refused(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        summary = {400: "Bad Request", 404: "Not Found", 409: "Conflict"}[status]
        self.response = rest_format.error(status, code, summary, detail)


@bp.errorhandler(_Refused)
def _refused(error: _Refused) -> Response:
    return error.response


@bp.get("")
def list_sites(version: str) -> Response:
    sites = [_site_json(s) for s in current().registry.sites]
    pagination = {"pageNumber": "1", "pageSize": str(max(len(sites), 1)), "totalAvailable": str(len(sites))}
    return rest_format.respond({"pagination": pagination, "sites": {"site": sites}})


@bp.get("/<site_ref>")
def get_site(version: str, site_ref: str) -> Response:
    """By ID, or by content URL with `?key=contentUrl` (as Tableau's "Query Site")."""
    registry = current().registry
    by_url = request.args.get("key", "").lower() == "contenturl"
    site = registry.site(site_ref) if by_url else registry.site_by_id(site_ref)
    if site is None:
        raise _Refused(404, "404000", f"no site with that {'content URL' if by_url else 'ID'}")
    return rest_format.respond({"site": _site_json(site)})


@bp.get("/<site_id>/users")
def list_users(version: str, site_id: str) -> Response:
    users = [_user_json(u) for u in _site(site_id).users]
    pagination = {"pageNumber": "1", "pageSize": str(max(len(users), 1)), "totalAvailable": str(len(users))}
    return rest_format.respond({"pagination": pagination, "users": {"user": users}})


@bp.post("/<site_id>/users")
def add_user(version: str, site_id: str) -> Response:
    site = _site(site_id)
    fields = _user_fields()
    if site.user(fields["name"]) is not None:
        raise _Refused(409, "409017", f"a user named {fields['name']} is already on the site")
    user = User(id=str(uuid.uuid4()), **fields)
    site.users.append(user)
    return rest_format.respond({"user": _user_json(user)}, 201)


@bp.delete("/<site_id>/users/<user_id>")
def remove_user(version: str, site_id: str, user_id: str) -> Response:
    site = _site(site_id)
    user = next((u for u in site.users if u.id == user_id), None)
    if user is None:
        raise _Refused(404, "404002", "no user with that ID on the site")
    site.users.remove(user)
    return Response(status=204)


def _user_fields() -> dict[str, Any]:
    """name, site_role and the simulator's optional demo password from {"user": {...}}."""
    body = request.get_json(silent=True)
    fields = body.get("user") if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        raise _Refused(400, "400000", 'expected a JSON body {"user": {"name": ..., "siteRole": ...}}')
    name, role, password = fields.get("name"), fields.get("siteRole"), fields.get("password")
    if not isinstance(name, str) or not name.strip():
        raise _Refused(400, "400000", "user.name is required (the name tokens carry, case sensitive)")
    if role not in SITE_ROLES:
        raise _Refused(400, "400000", f"user.siteRole must be one of {', '.join(SITE_ROLES)}")
    if password is not None and not isinstance(password, str):
        raise _Refused(400, "400000", "user.password, when given, must be a string")
    return {"name": name, "site_role": role, "password": password}


def _site(site_id: str) -> Site:
    site = current().registry.site_by_id(site_id)
    if site is None:
        raise _Refused(404, "404000", "no site with that ID")
    return site


def _site_json(site: Site) -> dict[str, Any]:
    return {"id": site.id, "name": site.name, "contentUrl": site.content_url}


def _user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "siteRole": user.site_role}  # never the password
