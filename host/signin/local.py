"""Local sign-in: the login form, login and logout."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from host.extension import current_host
from host.rate_limits import RateLimits, client_id
from host.security import is_safe_next
from host.signin import sessions
from host.signin.users import User

bp = Blueprint("auth", __name__)

# One message for an unknown user and a wrong password, so logins cannot be enumerated.
BAD_LOGIN = "Unknown username or wrong password."


class LoginForm(FlaskForm):
    """POSTed with a CSRF token (CSRFProtect)."""

    login = StringField("Username", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    next = HiddenField()


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    """Show the sign-in form; on a valid POST start a fresh session and go to `next`."""
    form = LoginForm()
    if not current_host().settings.local_sign_in:
        return render_template("login.html", form=None), 200 if request.method == "GET" else 400
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if g.get("user") is not None and is_safe_next(form.next.data):
            # Already signed in (a page's "sign in again" link after its token renewal failed, while
            # another tab signed in anew): go back at once. Signing in again would rotate the
            # session and make every other open tab fail the same way.
            return redirect(form.next.data)
    if request.method == "POST":
        _limits().hit(current_host().settings.limits.login_per_client, "login", client_id())
    if form.validate_on_submit():
        user = _authenticate(form.login.data, form.password.data)
        if user is not None:
            sessions.start(sessions.SignIn(user=user))  # rotates the session
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("pages.gallery"))
        flash(BAD_LOGIN, "error")
        return render_template("login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("login.html", form=form), status


def _authenticate(login: str, password: str) -> User | None:
    """The user, or None; wrong passwords count per account AND client (429 past the limit), so
    a guesser is slowed to a crawl while the real user, from their own client, still signs in."""
    rate, who = current_host().settings.limits.login_failures_per_account, (login, client_id())
    _limits().check(rate, "login-failed", *who)
    user = current_host().users.authenticate(login, password)
    if user is None:
        _limits().hit(rate, "login-failed", *who)
    return user


def _limits() -> RateLimits:
    return current_host().rate_limits


@bp.post("/logout")
def logout() -> Any:
    """Sign out (POST with CSRF only: CSRFProtect checks it before this runs); a user who signed in
    at the EAS is signed out there too, or "Sign in with the EAS" would sign them straight back in."""
    sign_in = sessions.current()
    sessions.end()
    flash("You are signed out.", "info")
    return redirect(_end_at_eas(sign_in) or url_for("pages.index"))


def _end_at_eas(sign_in: sessions.SignIn | None) -> str | None:
    eas = current_host().eas
    if sign_in is None or not sign_in.at_eas or eas is None:
        return None
    return eas.end_session_url(sign_in.id_token)
