"""CSRF protection (Flask-WTF's), with each session's signed token made and checked once per process.

Flask-WTF signs the session's random CSRF value afresh for every page (an itsdangerous `dumps`)
and, for the token API, parses the form and verifies the signature of the `X-CSRFToken` header
on every call: together a fifth of a token call. Here the same checks run once per distinct
token: a signed token is remembered only after Flask-WTF made it, or its validate_csrf accepted
that very token (the header's; forms keep Flask-WTF's own check), and every request
still compares the token's value with its own session's (hmac.compare_digest), so a token is
never accepted for another session. Memoising needs tokens that never expire
(WTF_CSRF_TIME_LIMIT=None, the app's setting: the token lives as long as the session); with a
time limit, every token is checked in full on every request (validate_csrf).
"""

from __future__ import annotations

import hmac

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf, same_origin, validate_csrf
from wtforms import ValidationError

from host.extension import current_host, current_host_of
from host.remembered import Remembered

csrf = CSRFProtect()
FIELD = "csrf_token"  # Flask-WTF's default field, session key and g attribute
REMEMBERED_TOKENS = 10_000  # per process and table



class CsrfTokens:
    """One app's tokens (each app signs with its own SECRET_KEY)."""

    def __init__(self) -> None:
        # the session's CSRF value -> its signed token
        self.signed_by_value: Remembered[str] = Remembered(REMEMBERED_TOKENS)
        # a signed token validate_csrf accepted -> the value inside it
        self.value_by_signed: Remembered[str] = Remembered(REMEMBERED_TOKENS)


def init_app(app: Flask) -> None:
    """Flask-WTF's CSRFProtect, with `csrf_token()` in templates made once per session. After
    the host's extension (host.extension.init_app), which keeps the tables."""
    csrf.init_app(app)
    current_host_of(app).csrf_tokens = CsrfTokens()
    app.jinja_env.globals[FIELD] = csrf_token
    app.context_processor(lambda: {FIELD: csrf_token})  # after Flask-WTF's, so it wins


def _remembered() -> CsrfTokens | None:
    """This app's tables, or None when tokens expire (every request then takes Flask-WTF's path)."""
    config = current_app.config
    if (config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None or config.get("WTF_CSRF_SECRET_KEY")
            or config.get("WTF_CSRF_FIELD_NAME", FIELD) != FIELD):
        return None
    return current_host().csrf_tokens


def csrf_token() -> str:
    """The page's signed CSRF token (templates call it as `csrf_token()`, Flask-WTF's name)."""
    remembered = _remembered()
    if FIELD in g or remembered is None:
        return generate_csrf()
    value = session.get(FIELD)
    signed = remembered.signed_by_value.get(value) if isinstance(value, str) else None
    if signed is None:
        signed = generate_csrf()  # makes the session's value when it has none
        remembered.signed_by_value.put(session[FIELD], signed)
    setattr(g, FIELD, signed)  # Flask-WTF's own per-request cache
    return signed


def require_csrf_header() -> None:
    """Flask-WTF's check, with its CSRFError messages, of the token in the X-CSRFToken header:
    for JSON endpoints, where the header alone counts (never a form field)."""
    headers = current_app.config["WTF_CSRF_HEADERS"]  # Flask-WTF's setting (X-CSRFToken, X-CSRF-Token)
    signed = next((request.headers[name] for name in headers if request.headers.get(name)), None)
    remembered = _remembered()
    known = remembered.value_by_signed.get(signed) if remembered and signed else None
    if known is None:
        try:
            validate_csrf(signed)  # present, signature (and age), then the session's own value
        except ValidationError as exc:
            raise CSRFError(exc.args[0]) from exc
        if remembered:
            remembered.value_by_signed.put(signed, session[FIELD])
    else:
        value = session.get(FIELD)
        if not isinstance(value, str):
            raise CSRFError("The CSRF session token is missing.")
        if not hmac.compare_digest(known, value):
            raise CSRFError("The CSRF tokens do not match.")
    _check_referrer()
    g.csrf_valid = True  # as Flask-WTF marks a checked request


def _check_referrer() -> None:
    """Over HTTPS, Flask-WTF also requires a Referer from this host (WTF_CSRF_SSL_STRICT)."""
    if request.is_secure and current_app.config.get("WTF_CSRF_SSL_STRICT", True):
        if not request.referrer:
            raise CSRFError("The referrer header is missing.")
        if not same_origin(request.referrer, f"https://{request.host}/"):
            raise CSRFError("The referrer does not match the host.")

