"""HTTP helpers shared by the simulator's routes."""

from flask import Response, request

from .sessions import COOKIE_NAME, Session
from .state import current


def with_cookie(response: Response, session: Session) -> Response:
    """Set the session cookie: HttpOnly, SameSite=Lax (localhost ports are one site)."""
    response.set_cookie(
        COOKIE_NAME, session.id, httponly=True, samesite="Lax", secure=request.is_secure,
        max_age=int(session.expires_at - current().clock()),
    )
    return response


def is_local_path(target: str) -> bool:
    """Only paths on the simulator itself, so a post-sign-in redirect is never an open redirect."""
    return target.startswith("/") and not target.startswith("//") and "\\" not in target
