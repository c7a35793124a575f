"""The simulator's own "Sign in to Tableau" page, shown in the iframe when there is no session.

A registry user with a `password` may sign in here (a demo stand-in for Tableau's login); a user
whose password is null cannot. The session has every embedding scope, like a real Tableau login.
"""

import hmac

from flask import Blueprint, Response, abort, g, redirect, render_template, request

from tableau_rules.scopes import COMPONENT_SCOPES, scopes_for

from . import allowlist
from .state import current
from .web import is_local_path, with_cookie

bp = Blueprint("signin_page", __name__)


@bp.post("/signin")
def password_sign_in() -> Response | tuple[str, int]:
    state = current()
    if not _from_self(request.headers.get("Origin")):
        abort(403)  # login CSRF: only the simulator's own form may post here
    site = state.registry.site(request.form.get("site", "")) or abort(400)
    target = request.form.get("next", "")
    target = target if is_local_path(target) else f"/t/{site.content_url}"
    user = site.user(request.form.get("username", ""))
    password = request.form.get("password", "")
    if user is None or user.password is None or not hmac.compare_digest(user.password, password):
        g.frame_ancestors = site.embedding.frame_ancestors()
        page = render_template("signin.html", site=site, next=target, error="Invalid sign-in.")
        return page, 401
    now = state.clock()
    session = state.sessions.create(
        now, site_id=site.id, user_name=user.name, scopes=scopes_for(COMPONENT_SCOPES),
        expires_at=now + state.registry.session_lifetime_minutes * 60,
    )
    return with_cookie(redirect(target, code=303), session)


def _from_self(header: str | None) -> bool:
    try:
        return header is not None and allowlist.parse_origin(header) == current().self_origin()
    except allowlist.InvalidOrigin:
        return False
