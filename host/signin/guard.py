"""The signed-in user on every request (local and EAS sign-ins alike) and the page guard."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, g, redirect, request, url_for

from host.signin import sessions

# Files need no signed-in user: no state-store read per file, and no `Vary: Cookie` on them (with
# it, a shared cache would keep one copy per visitor).
FILE_ENDPOINTS = frozenset({"static", "assets.file"})


def load_signed_in_user() -> None:
    if request.endpoint in FILE_ENDPOINTS:
        g.sign_in = g.user = None
        return
    g.sign_in = sessions.current()
    g.user = g.sign_in.user if g.sign_in else None


def install(app: Flask) -> None:
    app.before_request(load_signed_in_user)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a signed-out visitor to the login page, coming back here afterwards."""

    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped
