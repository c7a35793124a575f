"""The failure lab's routes (sandbox only): the lab page and the actions its buttons send."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, g, jsonify, make_response, render_template, request

from host.embed.signing import signing_now
from host.embed.token_panel import token_panel
from host.embed.views_file import EmbeddedView
from host.embed.viz_token import DIRECT_TRUST, mint_for_user
from host.extension import current_host
from host.lab.simulator_admin import COOKIE_MODES, LabError, SimulatorAdmin
from host.request_body import json_object_body
from host.rotation.sandbox_admin import AdminError, register_host_uat
from host.security import is_same_origin
from host.signin.guard import login_required
from tableau_rules.catalogue import UnknownCode, catalogue, entry

bp = Blueprint("lab", __name__, url_prefix="/lab")
EXPIRED_BY_SECONDS = 900  # a token minted this long ago has expired (simulator: code 16)


def _admin() -> SimulatorAdmin:
    settings = current_host().settings
    if settings.lab is None or settings.direct is None:
        abort(404)
    # The secret in force now: after `flask tableau rotate secret`, "revoke" revokes the new one.
    return SimulatorAdmin(signing_now(settings), settings.lab)


ACTIONS = {
    "disable-app": lambda admin, body: admin.set_app_enabled(False),
    "enable-app": lambda admin, body: admin.set_app_enabled(True),
    "revoke-secret": lambda admin, body: admin.revoke_secret(),
    "block-origin": lambda admin, body: admin.block_this_origin(),
    "down": lambda admin, body: admin.set_down(True),
    "up": lambda admin, body: admin.set_down(False),
    "reset": lambda admin, body: _reset(admin),
    "fail-next": lambda admin, body: admin.fail_next_sign_in(_documented_code(body)),
    "session-cookie": lambda admin, body: admin.set_session_cookie(_cookie_mode(body)),
}


def _reset(admin: SimulatorAdmin) -> None:
    """A reset undoes every admin change: the host's UAT configuration is registered again."""
    admin.reset()
    settings = current_host().settings
    if settings.uat is not None:
        try:
            register_host_uat(settings)
        except AdminError as exc:
            raise LabError(str(exc)) from exc


def _cookie_mode(body: dict[str, Any]) -> str:
    mode = body.get("mode")
    if mode not in COOKIE_MODES:
        abort(400, description=f"mode {mode!r} is not a session cookie mode: use one of "
                               f"{', '.join(COOKIE_MODES)}")
    return mode


def _session_cookie_mode(admin: SimulatorAdmin) -> str | None:
    """The simulator's cookie mode for the lab's toggle; None when it cannot say (no switch)."""
    try:
        return admin.session_cookie()
    except LabError:
        return None


def _documented_code(body: dict[str, Any]) -> int:
    code = body.get("code")
    try:
        return entry(code).code
    except (UnknownCode, TypeError, ValueError):
        abort(400, description=f"code {code!r} is not a documented connected-app code")


@bp.get("")
@login_required
def lab() -> Any:
    """The lab: one viz, the controls, and a live log of what the page did."""
    settings = current_host().settings
    admin = _admin()
    view = _lab_view()
    expired = request.args.get("scenario") == "expired"
    if expired:  # sandbox only: a token that was minted long enough ago to have expired
        minted = mint_for_user(settings, g.user, [view.kind],
                                   clock=lambda: time.time() - EXPIRED_BY_SECONDS)
    else:
        minted = mint_for_user(settings, g.user, [view.kind])
    html = render_template(
        "lab.html", view=view, token=minted.token, expires_at=minted.expires_at,
        expired=expired,
        token_panel=token_panel([view.kind], DIRECT_TRUST),  # the lab always mints here
        session_cookie=_session_cookie_mode(admin),
        codes=sorted(catalogue().codes.values(), key=lambda item: item.code),
    )
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def _lab_view() -> EmbeddedView:
    """The lab's viz: the first <tableau-viz> of the views file."""
    views = current_host().views.views.values()
    return next((v for v in views if v.kind == "viz"), None) or abort(
        404, description="the failure lab needs a view of kind 'viz' in VIEWS_FILE")


@bp.post("/actions/<name>")
def act(name: str) -> Any:
    """Apply one lab action to the simulator (same origin and CSRF header, like the token API)."""
    if g.user is None:
        return jsonify(ok=False, error="sign in first"), 401
    if not is_same_origin(request):
        abort(403)
    action = ACTIONS.get(name) or abort(404)
    try:
        action(_admin(), json_object_body())  # UnreadableBody: a 400 that says why
    except LabError as exc:
        return jsonify(ok=False, error=str(exc)), 502
    return jsonify(ok=True, action=name)
