"""Local sign-in: login and logout, the signed-in user, and the page guard."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from host import sessions
from host.forms import LoginForm
from host.security import is_safe_next
from host.users import UserDirectory

bp = Blueprint("auth", __name__)

# One message for an unknown user and a wrong password, so logins cannot be enumerated.
BAD_LOGIN = "Unknown username or wrong password."


def users() -> UserDirectory:
    return current_app.extensions["embed_users"]


@bp.before_app_request
def load_signed_in_user() -> None:
    g.sign_in = sessions.current()
    g.user = g.sign_in.user if g.sign_in else None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a signed-out visitor to the login page, coming back here afterwards."""

    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    """Show the sign-in form; on a valid POST start a fresh session and go to `next`."""
    form = LoginForm()
    if not current_app.config["EMBED_SETTINGS"].local_sign_in:
        return render_template("login.html", form=None), 200 if request.method == "GET" else 400
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = users().authenticate(form.login.data, form.password.data)
        if user is not None:
            sessions.start(sessions.SignIn(user=user))  # rotates the session
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("pages.gallery"))
        flash(BAD_LOGIN, "error")
        return render_template("login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("login.html", form=form), status


@bp.post("/logout")
def logout() -> Any:
    """Sign out (POST with CSRF only: CSRFProtect checks it before this runs)."""
    sessions.end()
    flash("You are signed out.", "info")
    return redirect(url_for("pages.index"))
