"""The token API: a fresh JWT for the signed-in user, for the browser module's refresh and retry."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request, session

from host.csrf import csrf, require_csrf_header
from host.embed.viz_token import token_for_page
from host.extension import current_host
from host.request_body import UnreadableBody, json_object_body
from host.security import is_same_origin
from tableau_rules.scopes import COMPONENT_SCOPES, UnknownComponent

bp = Blueprint("api", __name__, url_prefix="/api")
# CSRF is checked below, after the origin and the session, so a signed-out caller gets 401.
csrf.exempt(bp)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@bp.before_request
def require_same_origin_session() -> None:
    # Order matters: a cross-site caller learns nothing about the session.
    if not is_same_origin(request):
        raise ApiError(403, "cross-site request refused")
    if g.user is None:
        raise ApiError(401, "sign in first")
    require_csrf_header()  # X-CSRFToken; a CSRFError becomes 403 JSON (host/errors.py)
    limits = current_host().settings.limits
    current_host().rate_limits.hit(limits.token_api_per_session, "token-api", session["sid"])


@bp.post("/token")
def token() -> Any:
    """Mint a token for the signed-in user; the body may name component kinds, never a user."""
    try:
        body = json_object_body()
    except UnreadableBody as exc:
        raise ApiError(400, f'{exc.description}, such as {{"components": ["viz"]}}') from exc
    components = body.get("components") or ["viz"]
    if not isinstance(components, list) or not all(isinstance(c, str) for c in components):
        raise ApiError(400, "components must be a list of component kinds")
    try:
        minted = token_for_page(components)
    except UnknownComponent as exc:
        raise ApiError(400, f"{exc}; known: {', '.join(COMPONENT_SCOPES)}") from exc
    response = jsonify(token=minted.token, expires_at=minted.expires_at)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> Any:
    response = jsonify(error=exc.message)
    response.status_code = exc.status
    response.headers["Cache-Control"] = "no-store"
    return response
