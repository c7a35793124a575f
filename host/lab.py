"""The failure lab (sandbox only): make the simulator fail on purpose and watch the page recover.

The host drives the simulator through its admin HTTP API (docs/simulator.md), never by importing
sandbox code, so the lab works against a simulator started on its own too.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from flask import Blueprint, abort, current_app, g, jsonify, make_response, render_template, request

from config import LabSettings, Settings
from host.auth import login_required
from host.catalog import EmbeddedView
from host.security import is_same_origin
from host.tokens import mint_direct_trust
from tableau_rules.catalogue import UnknownCode, catalogue, entry, for_browser

bp = Blueprint("lab", __name__, url_prefix="/lab")
REST_VERSION = "3.22"
# An origin no allowlist admits: the simulator then answers the sign-in without CORS headers.
BLOCKED_ONLY = "https://elsewhere.example"
EXPIRED_BY_SECONDS = 900  # a token minted this long ago has expired (simulator: code 16)


class LabError(RuntimeError):
    """The simulator refused or could not be reached; the message says which."""


class SimulatorAdmin:
    """The few admin calls the lab needs, over HTTP with the admin bearer credential."""

    def __init__(self, settings: Settings, lab: LabSettings) -> None:
        self._server = settings.tableau_server_url
        self._lab = lab
        self._app_path = (f"/api/{REST_VERSION}/sites/{lab.site_id}/connected-applications/"
                          f"{settings.direct.client_id}")
        self._secret_id = settings.direct.signing_secret.id

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        headers = {"Authorization": f"Bearer {self._lab.admin_token}", "Accept": "application/json"}
        try:
            response = requests.request(method, self._server + path, json=body, headers=headers,
                                        timeout=5)
        except requests.RequestException as exc:
            raise LabError(f"the simulator is not reachable ({exc.__class__.__name__})") from exc
        if response.status_code >= 400:
            raise LabError(f"the simulator refused {method} {path}: HTTP {response.status_code}")

    def fail_next_sign_in(self, code: int) -> None:
        self._call("PUT", "/_simulator/faults", {"failNextSignIn": code})

    def set_app_enabled(self, enabled: bool) -> None:
        self._call("PUT", self._app_path, {"connectedApplication": {"enabled": enabled}})

    def revoke_secret(self) -> None:
        self._call("DELETE", f"{self._app_path}/secrets/{self._secret_id}")

    def block_this_origin(self) -> None:
        self._call("PUT", self._app_path, {"connectedApplication": {"domainSafelist": BLOCKED_ONLY}})
        site = {"site": {"unrestrictedEmbedding": False, "allowList": BLOCKED_ONLY}}
        self._call("PUT", f"/api/{REST_VERSION}/sites/{self._lab.site_id}/settings/embedding", site)

    def set_down(self, down: bool) -> None:
        self._call("PUT", "/_simulator/faults", {"down": down})

    def reset(self) -> None:
        self._call("POST", "/_simulator/faults/reset")


def _admin() -> SimulatorAdmin:
    settings: Settings = current_app.config["EMBED_SETTINGS"]
    if settings.lab is None or settings.direct is None:
        abort(404)
    return SimulatorAdmin(settings, settings.lab)


ACTIONS = {
    "disable-app": lambda admin, body: admin.set_app_enabled(False),
    "enable-app": lambda admin, body: admin.set_app_enabled(True),
    "revoke-secret": lambda admin, body: admin.revoke_secret(),
    "block-origin": lambda admin, body: admin.block_this_origin(),
    "down": lambda admin, body: admin.set_down(True),
    "up": lambda admin, body: admin.set_down(False),
    "reset": lambda admin, body: admin.reset(),
    "fail-next": lambda admin, body: admin.fail_next_sign_in(_documented_code(body)),
}


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
    settings: Settings = current_app.config["EMBED_SETTINGS"]
    _admin()
    view = _lab_view()
    expired = request.args.get("scenario") == "expired"
    if expired:  # sandbox only: a token that was minted long enough ago to have expired
        minted = mint_direct_trust(settings, g.user, [view.kind],
                                   clock=lambda: time.time() - EXPIRED_BY_SECONDS)
    else:
        minted = mint_direct_trust(settings, g.user, [view.kind])
    html = render_template(
        "lab.html", view=view, token=minted.token, expires_at=minted.expires_at,
        server=settings.tableau_server_url, error_catalogue=for_browser(), expired=expired,
        codes=sorted(catalogue().codes.values(), key=lambda item: item.code),
    )
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def _lab_view() -> EmbeddedView:
    """The lab's viz: the first <tableau-viz> of the views file."""
    views = current_app.extensions["embed_catalog"].views.values()
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
        action(_admin(), request.get_json(silent=True) or {})
    except LabError as exc:
        return jsonify(ok=False, error=str(exc)), 502
    return jsonify(ok=True, action=name)
