"""Embed sign-in: the request the Embedding API library makes with the web component's token.

`POST /api/embed/signin` (JSON `{"jwt", "site", "component"}`, called with a credentialed
cross-origin fetch) answers the session info and sets the session cookie, or a documented error
body. `POST /embed/iframe-auth` is the older flow ("Authentication and Embedding", `iframe-auth`):
a form posted into the iframe; errors show inside the iframe.
"""

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request

from tableau_rules.scopes import COMPONENT_SCOPES

from . import allowlist, tokens
from .codes import SignInError
from .cors import add_cors_headers
from .model import ConnectedApp, Site
from .sessions import COOKIE_NAME, Session
from .state import SimulatorState, current
from .web import is_local_path, with_cookie

bp = Blueprint("embed_auth", __name__)
bp.after_request(add_cors_headers)


@bp.post("/api/embed/signin")
def sign_in() -> Response | tuple[Response, int]:
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    if body.get("component") not in COMPONENT_SCOPES:
        return jsonify({"error": f"component must be one of {', '.join(COMPONENT_SCOPES)}"}), 400
    try:
        session = establish(current(), body, iframe_auth=False)
    except SignInError as error:
        return jsonify(error.body()), error.http_status
    return with_cookie(jsonify(session.info()), session)


@bp.post("/embed/iframe-auth")
def iframe_auth() -> Response | tuple[str, int]:
    form = request.form
    target = form.get("target", "")
    if form.get("component") not in COMPONENT_SCOPES or not is_local_path(target):
        return render_template("error.html", code=None, message="Malformed sign-in form."), 400
    try:
        session = establish(current(), form, iframe_auth=True)
    except SignInError as error:
        # "Authentication and Embedding": with iframe-auth, auth errors show inside the iframe
        # (no vizloaderror).
        return render_template("error.html", code=error.code, message=error.summary), error.http_status
    return with_cookie(redirect(target, code=303), session)


def establish(state: SimulatorState, fields: Any, iframe_auth: bool) -> Session:
    """Validate the token for an embedding origin and create (or reuse) its session."""
    state.faults.before_sign_in()
    site = state.registry.site(str(fields.get("site", "")))
    if site is None:
        raise SignInError(16, "no site with that content URL")
    now = state.clock()
    trusted = tokens.validate(str(fields.get("jwt", "")), site, state.registry, now)
    missing = [s for s in COMPONENT_SCOPES[fields["component"]] if s not in trusted.scopes]
    if missing:
        # Scope list present but lacking the component's scope: 10099 SCOPES_MISSING_IN_JWT
        # (docs/simulator-codes.md explains why not 10097, which is about the claim's shape).
        raise SignInError(10099, f"'scp' lacks {', '.join(missing)} needed by this component")
    app = site.app(trusted.client_id) if trusted.client_id else None
    origin = _embedding_origin(site, app, state)
    if iframe_auth and trusted.on_demand:
        raise SignInError(10102, "on-demand access needs the library's sign-in, not iframe-auth")
    reusable = state.sessions.get(request.cookies.get(COOKIE_NAME), now)
    if reusable and (reusable.jti, reusable.origin, reusable.site_id) == (trusted.jti, origin, site.id):
        # "Authentication and Embedding": "use the same JWT for all embedded components" - a second
        # viz on the page presents the token that created this session; it renders from the
        # session, not a 10091.
        return reusable
    state.jtis.consume(trusted.issuer, trusted.jti, trusted.expires_at, now)
    return state.sessions.create(
        now, site_id=site.id, user_name=trusted.subject, scopes=trusted.scopes,
        expires_at=now + state.registry.session_lifetime_minutes * 60, origin=origin,
        client_id=trusted.client_id, project_id=app.project_id if app else None, jti=trusted.jti,
        on_demand=trusted.on_demand, trust=trusted.trust, attributes=trusted.attributes,
        groups=trusted.groups,
    )


def _embedding_origin(site: Site, app: ConnectedApp | None, state: SimulatorState) -> str | None:
    # "Authentication and Embedding": a connected app's allowlist is not affected by the site's
    # embedding settings; an EAS token (no connected app) is held to the site's settings ("Register
    # EAS to Enable SSO for Embedded Content", "domain allowlist for embedding").
    header = request.headers.get("Origin")
    if app is not None:
        return _allowed_origin(header, app.domain_allowlist, state)
    if not site.embedding.unrestricted:
        return _allowed_origin(header, site.embedding.allow_list, state)
    return _any_origin(header)


def _allowed_origin(header: str | None, domain_allowlist: str, state: SimulatorState) -> str:
    """The embedding origin, if the allowlist admits it ("Troubleshoot Connected Apps": 10092, 10105,
    10106; "Configure Connected Apps with Direct Trust")."""
    if not allowlist.sources(domain_allowlist):
        raise SignInError(10092, "the domain allowlist is empty (blocks all embedding)")
    if not header:
        raise SignInError(10106, "the request has no Origin header")  # Troubleshoot Connected Apps
    try:
        origin = allowlist.parse_origin(header)
    except allowlist.InvalidOrigin as exc:
        raise SignInError(10105, str(exc)) from exc  # Troubleshoot Connected Apps
    if not allowlist.allows(domain_allowlist, origin, state.self_origin()):
        raise SignInError(10092, f"{origin} is not in the domain allowlist")
    return str(origin)


def _any_origin(header: str | None) -> str | None:
    """Unrestricted embedding: any origin, remembered when it is a valid one."""
    try:
        return str(allowlist.parse_origin(header)) if header else None
    except allowlist.InvalidOrigin:
        return None
