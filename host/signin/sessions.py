"""Server-side sign-in sessions, for local and EAS sign-ins alike, in the shared state store.

The cookie holds only a random id (Flask's signed cookie, beside the CSRF token). Logout deletes the
entry, so a copied cookie is worthless afterwards on every worker and machine; every session ends
at a fixed time after sign-in (no sliding renewal); one user holds at most MAX_SESSIONS_PER_USER
sessions, and past that their oldest ends, never anybody else's.

Why not Flask-Session: it stores the whole cookie session server-side, but it cannot bound one
user's sessions or end the oldest, and it has no SQLite backend without SQLAlchemy; the few
operations needed here sit directly on the state store (host/state), which every worker shares.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from blinker import Namespace
from flask import current_app, g, session

from host.extension import current_host
from host.signin.users import User
from host.state import StateStore

SESSION_SECONDS = 8 * 3600
# How long a sign-in's lock is held at most, by default: enough for work with no network call under
# it. Callers that call out under the lock ask for their slowest path (an EAS renewal:
# host/eas/tokens.py; a REST sign-in: host/rest/user_session.py). A holder that dies frees it then.
LOCK_SECONDS = 30
# How long a request waits for another request's turn on the same sign-in before answering 503 (the
# page retries it): a renewal at a hanging EAS must not hold every tab's request for minutes.
LOCK_WAIT_SECONDS = 15


@dataclass
class EasTokens:
    """The EAS's tokens for one signed-in user (never in the cookie)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: int
    handed_out: bool = False  # Tableau refuses a jti it has seen (10091): hand each token out once


@dataclass
class RestSession:
    """A Tableau REST API session on the user's behalf (host/rest): its X-Tableau-Auth credential
    stays here, server-side, reused until `expires_at` and signed out at logout."""

    token: str = field(repr=False)
    site_id: str
    site_url: str
    user_id: str | None  # None for an on-demand user (no account on the site)
    api_version: str
    expires_at: int


@dataclass
class SignIn:
    user: User
    eas: EasTokens | None = None  # the EAS's tokens, when its JWT is the viz token
    at_eas: bool = False  # signed in at the EAS: signing out here ends that session too
    # The EAS's ID token, kept server-side only as the hint for ending the session there.
    id_token: str | None = field(default=None, repr=False)
    rest: RestSession | None = None  # set once a page called Tableau's REST API for the user

    def to_json(self) -> dict[str, Any]:
        user = asdict(self.user)
        user.pop("password_hash")  # never leaves the users file
        return {"user": user, "eas": asdict(self.eas) if self.eas else None,
                "at_eas": self.at_eas, "id_token": self.id_token,
                "rest": asdict(self.rest) if self.rest else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SignIn:
        user = data["user"]
        eas = data.get("eas")
        rest = data.get("rest")
        return cls(
            user=User(**{**user, "groups": tuple(user.get("groups", ())), "password_hash": ""}),
            eas=EasTokens(**eas) if eas else None,
            at_eas=bool(data.get("at_eas")),
            id_token=data.get("id_token"),
            rest=RestSession(**rest) if rest else None,
        )


# Sent (sender: the app) with each sign-in that ends (logout, or pushed out by a newer one), so a
# package holding a session at another server (host/rest: Tableau's REST API) signs it out without
# signin/ importing that package.
signals = Namespace()
signed_out = signals.signal("signed-out")


def store() -> StateStore:
    return current_host().state


def _key(sid: str) -> str:
    return f"signin:{sid}"


def _sessions_of(login: str) -> str:
    return f"signins-of:{login}"


def start(sign_in: SignIn) -> None:
    """Rotate: nothing from before sign-in survives it, and the new id is fresh."""
    end()
    sid = secrets.token_urlsafe(32)
    state = store()
    state.set(_key(sid), sign_in.to_json(), SESSION_SECONDS)
    index = _sessions_of(sign_in.user.login)
    state.index_add(index, sid, time.time(), SESSION_SECONDS)
    for oldest in state.index_trim(index, current_host().settings.limits.sessions_per_user):
        _ended(state.take(_key(oldest)))
    session["sid"] = sid
    session.permanent = True


def current() -> SignIn | None:
    sid = session.get("sid")
    data = store().get(_key(sid)) if sid else None
    return SignIn.from_json(data) if data else None


@contextmanager
def locked(hold_seconds: float = LOCK_SECONDS) -> Iterator[SignIn | None]:
    """The current sign-in, read under its lock on every worker; write back with save().
    `hold_seconds`: the longest the caller's work under the lock can take. Raises LockTimeout (a
    StateUnavailable: 503) after LOCK_WAIT_SECONDS of waiting for another holder."""
    sid = session.get("sid", "")
    if not sid:
        yield None
        return
    with store().lock(f"signin-lock:{sid}", hold_seconds, wait_seconds=LOCK_WAIT_SECONDS):
        data = store().get(_key(sid))
        yield SignIn.from_json(data) if data else None


def save(sign_in: SignIn) -> bool:
    """Store a changed sign-in (inside locked()); False when it ended meanwhile."""
    sid = session.get("sid")
    return bool(sid) and store().replace(_key(sid), sign_in.to_json())


def end() -> None:
    """Forget the sign-in everywhere, then clear the cookie session."""
    sid = session.get("sid")
    if sid:
        data = store().take(_key(sid))
        if data:
            store().index_remove(_sessions_of(data["user"]["login"]), sid)
            _ended(data)
    session.clear()
    g.user = None


def _ended(data: dict[str, Any] | None) -> None:
    """Tell whoever holds a session elsewhere for this sign-in (signed_out) that it ended."""
    if data:
        signed_out.send(current_app._get_current_object(), sign_in=SignIn.from_json(data))
