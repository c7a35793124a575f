"""Admin endpoint for the fault switch: `PUT /_simulator/faults` sets, `DELETE` clears,
`POST /_simulator/faults/reset` restores the registry as loaded at start as well.

Body (every key optional): `{"failNextSignIn": <documented code>, "latencyMs": <int>,
"serverError": <500-599>, "down": <bool>, "jtiStoreFailing": <bool>,
"sessionCookie": "lax" | "cross-site" | "partitioned" | null}` (null: the registry's mode). The
admin API itself is never affected, so a fault can always be cleared.
"""

from typing import Any

from flask import Blueprint, Response, request

from tableau_rules.catalogue import UnknownCode, entry

from . import rest_format
from .admin_auth import require_admin
from .faults import Faults
from .model import COOKIE_MODES
from .state import SimulatorState, current

bp = Blueprint("admin_faults", __name__, url_prefix="/_simulator/faults")
bp.before_request(require_admin)


@bp.get("")
def show() -> Response:
    return rest_format.respond({"faults": _describe(current())})


@bp.put("")
def set_faults() -> Response:
    state = current()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return rest_format.error(400, "400000", "Bad Request", "expected a JSON object")
    problem = _problem(body)
    if problem:
        return rest_format.error(400, "400000", "Bad Request", problem)
    faults = state.faults
    if body.get("failNextSignIn") is not None:
        faults.fail_next_sign_in = int(body["failNextSignIn"])
    faults.latency_ms = int(body.get("latencyMs", faults.latency_ms))
    faults.server_error = body.get("serverError", faults.server_error)
    faults.down = bool(body.get("down", faults.down))
    if "sessionCookie" in body:
        faults.session_cookie = body["sessionCookie"]
    # Troubleshoot Connected Apps: 10100 JTI_PERSISTENCE_FAILED is produced by the JWT ID store
    # really failing.
    state.jtis.available = not body.get("jtiStoreFailing", not state.jtis.available)
    return rest_format.respond({"faults": _describe(state)})


@bp.delete("")
def clear() -> Response:
    state = current()
    state.faults = Faults()
    state.jtis.available = True
    return Response(status=204)


@bp.post("/reset")
def reset() -> Response:
    """Undo every admin change and fault: the demo's failure lab offers it as "Reset"."""
    current().reset()
    return Response(status=204)


def _problem(body: dict[str, Any]) -> str | None:
    code = body.get("failNextSignIn")
    if code is not None:
        try:
            entry(code)
        except UnknownCode:
            return f"failNextSignIn: {code!r} is not a documented connected-app code"
    status = body.get("serverError")
    if status is not None and not (isinstance(status, int) and 500 <= status <= 599):
        return "serverError must be an HTTP status from 500 to 599"
    latency = body.get("latencyMs", 0)
    if not isinstance(latency, int) or not 0 <= latency <= 30_000:
        return "latencyMs must be an integer from 0 to 30000"
    if body.get("sessionCookie") not in (None, *COOKIE_MODES):
        return f"sessionCookie must be one of {', '.join(COOKIE_MODES)} (or null: the registry's)"
    return None


def _describe(state: SimulatorState) -> dict[str, Any]:
    faults = state.faults
    return {
        "failNextSignIn": faults.fail_next_sign_in, "latencyMs": faults.latency_ms,
        "serverError": faults.server_error, "down": faults.down,
        "jtiStoreFailing": not state.jtis.available,
        "sessionCookie": state.session_cookie_mode(),
    }
