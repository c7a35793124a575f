"""Local sign-in: login and logout, the signed-in user, and the page guard."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from host import eas
from host.forms import LoginForm
from host.security import is_safe_next
from host.users import User, UserDirectory

bp = Blueprint("auth", __name__)

# One message for an unknown user and a wrong password, so logins cannot be enumerated.
BAD_LOGIN = "Unknown username or wrong password."


def users() -> UserDirectory:
    return current_app.extensions["embed_users"]


@bp.before_app_request
def load_signed_in_user() -> None:
    login = session.get("user")
    g.user = users().get(login) if login else None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a signed-out visitor to the login page, coming back here afterwards."""

    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def _start_session(user: User) -> None:
    # Rotate: drop everything from before sign-in (including the old CSRF token), so a session
    # fixed by an attacker before login is worthless after it.
    session.clear()
    session["user"] = user.login
    session.permanent = True


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
            _start_session(user)
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("pages.gallery"))
        flash(BAD_LOGIN, "error")
        return render_template("login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("login.html", form=form), status


@bp.post("/logout")
def logout() -> Any:
    """Sign out (POST with CSRF only: CSRFProtect checks it before this runs)."""
    eas.forget_session()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("pages.index"))
