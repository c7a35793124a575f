"""Who is signed in at the EAS: only the login and the sign-in time live in the (signed) cookie
session, never a code or a token. Forms carry a CSRF token (Flask-WTF)."""

from __future__ import annotations

import time

from flask import request, session
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf

from .models import User
from .state import current

_LOGIN = "eas_login"
_AUTH_TIME = "eas_auth_time"


def signed_in_user() -> User | None:
    login = session.get(_LOGIN)
    return current().users.get(login) if isinstance(login, str) else None


def auth_time() -> int | None:
    """OpenID Connect Core §2: when the user last authenticated here (the ID token's auth_time)."""
    value = session.get(_AUTH_TIME)
    return value if isinstance(value, int) else None


def sign_in(user: User) -> None:
    session.clear()  # nothing from before sign-in survives it (session fixation)
    session[_LOGIN] = user.login
    session[_AUTH_TIME] = int(time.time())


def sign_out() -> None:
    session.clear()


def csrf_token() -> str:
    return generate_csrf()


def csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True
