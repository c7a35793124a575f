"""HTTP helpers shared by the simulator's routes."""

from flask import Response, request

from .sessions import COOKIE_NAME, Session
from .state import current


def with_cookie(response: Response, session: Session) -> Response:
    """Set the session cookie, HttpOnly, as the cookie mode says (model.COOKIE_MODES).

    "lax": SameSite=Lax, Secure over HTTPS only (host and simulator on one site, e.g. two ports of
    localhost). "cross-site": SameSite=None; Secure, which browsers require of a cookie sent to an
    iframe of another site. "partitioned": the same plus Partitioned (Werkzeug adds Secure for it).
    """
    state = current()
    mode = state.session_cookie_mode()
    cross_site = mode != "lax"
    response.set_cookie(
        COOKIE_NAME, session.id, httponly=True, samesite="None" if cross_site else "Lax",
        secure=cross_site or request.is_secure, partitioned=mode == "partitioned",
        max_age=int(session.expires_at - state.clock()),
    )
    return response


def is_local_path(target: str) -> bool:
    """Only paths on the simulator itself, so a post-sign-in redirect is never an open redirect."""
    return target.startswith("/") and not target.startswith("//") and "\\" not in target
