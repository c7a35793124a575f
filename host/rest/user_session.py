"""The signed-in user's REST session: kept in their sign-in (the state store, never the cookie),
reused until it expires, replaced under the sign-in's lock (two tabs never both sign in), and
signed out at logout."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask

from config import Settings
from host.extension import current_host, current_host_of
from host.rest import client
from host.rest.rest_token import RestJwt, rest_jwt
from host.signin import sessions
from host.signin.sessions import RestSession, SignIn
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules

log = logging.getLogger(__name__)

# A session this close to its end is not reused: a listing takes a few calls.
MARGIN_SECONDS = 30
SCOPES = (client.CONTENT_READ,)  # all "My content" calls: Query Workbooks / Views for Site


def session_for_user(site: str, stale: RestSession | None = None) -> RestSession:
    """The user's REST session: the stored one while it lasts (and is not `stale`, one Tableau
    just refused as expired), else a fresh sign-in, stored. Raises client.RestFailure."""
    settings = current_host().settings
    if settings.rest is None:
        raise RuntimeError("the REST sign-in is not configured")
    with sessions.locked(sign_in_lock_seconds()) as sign_in:
        if sign_in is None:
            raise client.RestFailure(client.RestFailure.EXPIRED, "", "the sign-in ended")
        kept = sign_in.rest
        if kept is not None and kept.expires_at > time.time() + MARGIN_SECONDS and \
                (stale is None or kept.token != stale.token):
            return kept
        fresh = client.sign_in(settings.tableau_server_url, site, _jwt(settings, sign_in.user),
                               lifetime_seconds=settings.rest.session_seconds)
        sign_in.rest = fresh
        saved = sessions.save(sign_in)
    if kept is not None:
        _sign_out_quietly(settings, kept)  # replaced: end it at Tableau too
    if not saved:  # signed out in another tab meanwhile: nobody may hold the new session
        _sign_out_quietly(settings, fresh)
        raise client.RestFailure(client.RestFailure.EXPIRED, "", "the sign-in ended")
    return fresh


def sign_in_lock_seconds() -> float:
    """How long a REST sign-in may hold the sign-in's lock: serverInfo and the sign-in, each call
    waiting TIMEOUT_SECONDS to connect and again to read. Expired early, the lock would let an EAS
    renewal save a new refresh token that this sign-in's save then overwrites with the spent one."""
    return 2 * 2 * client.TIMEOUT_SECONDS + 5


def _jwt(settings: Settings, user: User) -> RestJwt:
    """The sign-in's JWT; a token this host will not send (e.g. a scope UAT_SCOPES does not allow,
    10097) is a refused sign-in, with the code and the rule, never the token."""
    try:
        return rest_jwt(settings, user, SCOPES)
    except BrokenRules as exc:
        first = exc.problems[0]
        raise client.RestFailure(client.RestFailure.SIGN_IN_REFUSED, str(first.code),
                                 f"this host did not send the JWT: {first.message}") from exc


def forget(rest: RestSession) -> None:
    """Drop `rest` from the user's sign-in and end it at Tableau: the next call signs in anew."""
    with sessions.locked() as sign_in:
        if sign_in is not None and sign_in.rest is not None and sign_in.rest.token == rest.token:
            sign_in.rest = None
            sessions.save(sign_in)
    _sign_out_quietly(current_host().settings, rest)


def install(app: Flask) -> None:
    """Sign out of Tableau's REST API whenever a sign-in ends here (logout, or a new sign-in)."""
    sessions.signed_out.connect(_on_signed_out, sender=app)


def _on_signed_out(app: Flask, *, sign_in: SignIn, **_: Any) -> None:
    if sign_in.rest is not None:
        _sign_out_quietly(current_host_of(app).settings, sign_in.rest)


def _sign_out_quietly(settings: Settings, rest: RestSession) -> None:
    """Logout must not fail because Tableau is away: the session then ends at its idle limit."""
    try:
        client.sign_out(settings.tableau_server_url, rest)
    except client.RestFailure as failure:
        log.warning("REST sign-out failed (%s %s); the session ends at Tableau's idle limit",
                    failure.kind, failure.code)

