"""The failure lab's routes (sandbox only): the lab page and the actions its buttons send.

The page carries the token the embed pages give the same user (a direct-trust JWT, a unified access
token or the EAS's JWT: `page_trust`), and its refreshes come from /api/token in the same trust, so
a failure and its recovery are seen in the trust the user's pages really use. An action that breaks
one trust's configuration is offered, and taken, only when the page's token is of that trust.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, g, jsonify, make_response, render_template, request

from host.embed.mint import VizToken
from host.embed.signing import signing_now
from host.embed.token_panel import TRUSTS, token_panel
from host.embed.views_file import EmbeddedView
from host.embed.viz_token import (
    DIRECT_TRUST,
    EAS_TRUST,
    UAT_TRUST,
    own_token_for_user,
    page_trust,
    token_for_page,
)
from host.extension import current_host
from host.lab.simulator_admin import COOKIE_MODES, SimulatorAdmin
from host.request_body import json_object_body
from host.rotation.sandbox_admin import AdminError, register_host_uat
from host.security import is_same_origin
from host.signin.guard import login_required
from tableau_rules.catalogue import UnknownCode, catalogue, entry

bp = Blueprint("lab", __name__, url_prefix="/lab")
EXPIRED_BY_SECONDS = 900  # a token minted this long ago has expired (simulator: code 16)
ANY_TRUST = frozenset({DIRECT_TRUST, UAT_TRUST, EAS_TRUST})
# Only a token this host signs can be minted already expired; the EAS signs its own.
EXPIRED_TRUSTS = frozenset({DIRECT_TRUST, UAT_TRUST})


def _admin() -> SimulatorAdmin:
    settings = current_host().settings
    if settings.lab is None:
        abort(404)
    # The secret in force now: after `flask tableau rotate secret`, "revoke" revokes the new one.
    return SimulatorAdmin(signing_now(settings), settings.lab)


@dataclass(frozen=True)
class Action:
    """What a lab button does to the simulator, and the page trusts it means something for."""

    run: Callable[[SimulatorAdmin, dict[str, Any]], None]
    trusts: frozenset[str] = ANY_TRUST


ACTIONS = {
    "disable-app": Action(lambda admin, body: admin.set_app_enabled(False), frozenset({DIRECT_TRUST})),
    "enable-app": Action(lambda admin, body: admin.set_app_enabled(True), frozenset({DIRECT_TRUST})),
    "revoke-secret": Action(lambda admin, body: admin.revoke_secret(), frozenset({DIRECT_TRUST})),
    "disable-uat": Action(lambda admin, body: admin.set_uat_enabled(False), frozenset({UAT_TRUST})),
    "enable-uat": Action(lambda admin, body: admin.set_uat_enabled(True), frozenset({UAT_TRUST})),
    "revoke-uat-key": Action(lambda admin, body: admin.revoke_uat_key(), frozenset({UAT_TRUST})),
    "block-origin": Action(lambda admin, body: admin.block_this_origin()),
    "down": Action(lambda admin, body: admin.set_down(True)),
    "up": Action(lambda admin, body: admin.set_down(False)),
    "reset": Action(lambda admin, body: _reset(admin)),
    "fail-next": Action(lambda admin, body: admin.fail_next_sign_in(_documented_code(body))),
    "session-cookie": Action(lambda admin, body: admin.set_session_cookie(_cookie_mode(body))),
}


def _reset(admin: SimulatorAdmin) -> None:
    """A reset undoes every admin change: the host's UAT configuration is registered again."""
    admin.reset()
    settings = current_host().settings
    if settings.uat is not None:
        register_host_uat(settings)


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
    except AdminError:
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
    admin = _admin()
    view = _lab_view()
    trust = page_trust()
    expired = request.args.get("scenario") == "expired"
    minted = _lab_token(trust, [view.kind], expired)
    # Expired: the page is told the expiry of a token minted now, as a host whose clock is behind
    # Tableau's believes. Told the true one, it would refresh at once and hand the fresh token to
    # a viz the library has not rendered yet: no 16, no retry, depending on which loads first.
    expires_at = minted.expires_at + EXPIRED_BY_SECONDS if expired else minted.expires_at
    html = render_template(
        "lab.html", view=view, token=minted.token, expires_at=expires_at,
        expired=expired, trust=trust, token_panel=token_panel([view.kind], trust),
        offered={name for name, action in ACTIONS.items() if trust in action.trusts},
        offers_expired=trust in EXPIRED_TRUSTS,
        session_cookie=_session_cookie_mode(admin),
        codes=sorted(catalogue().codes.values(), key=lambda item: item.code),
    )
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def _lab_token(trust: str, components: list[str], expired: bool) -> VizToken:
    """The embed pages' token for this user; for the expired scenario, one minted long ago."""
    if not expired:
        return token_for_page(components)
    if trust not in EXPIRED_TRUSTS:
        abort(400, description="the expired-token scenario needs a token this host signs; yours "
                               "comes from the EAS (OAuth 2.0 trust), which signs its own")
    return own_token_for_user(current_host().settings, g.user, components,
                              clock=lambda: time.time() - EXPIRED_BY_SECONDS)


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
    trust = page_trust()
    if trust not in action.trusts:
        return jsonify(ok=False, error=f"{name!r} does not apply to your pages' tokens "
                                       f"({TRUSTS[trust].name}); the lab shows the actions that do"), 409
    try:
        action.run(_admin(), json_object_body())  # UnreadableBody: a 400 that says why
    except AdminError as exc:
        return jsonify(ok=False, error=str(exc)), 502
    return jsonify(ok=True, action=name)
