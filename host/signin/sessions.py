"""Server-side sign-in sessions, for local and EAS sign-ins alike.

The cookie holds only a random id. Logout deletes the entry, so a copied cookie is worthless
afterwards; every session ends at a fixed time after sign-in (no sliding renewal).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import g, session

from host.extension import current_host
from host.signin.store import ServerStore
from host.signin.users import User

SESSION_SECONDS = 8 * 3600
MAX_SESSIONS = 50_000
# Striped locks: bounded memory however many sessions, and one user's requests never interleave.
_LOCKS = tuple(threading.Lock() for _ in range(64))


@dataclass
class EasTokens:
    """The EAS's tokens for one signed-in user (never in the cookie)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: int
    handed_out: bool = False  # Tableau refuses a jti it has seen (10091): hand each token out once


@dataclass
class SignIn:
    user: User
    eas: EasTokens | None = None  # the EAS's tokens, when its JWT is the viz token
    at_eas: bool = False  # signed in at the EAS: signing out here ends that session too
    # The EAS's ID token, kept server-side only as the hint for ending the session there.
    id_token: str | None = field(default=None, repr=False)


def store() -> ServerStore:
    return current_host().sessions


def _key(sid: str) -> str:
    return f"signin:{sid}"


def start(sign_in: SignIn) -> None:
    """Rotate: nothing from before sign-in survives it, and the new id is fresh."""
    end()
    sid = secrets.token_urlsafe(32)
    store().set(_key(sid), sign_in, SESSION_SECONDS)
    session["sid"] = sid
    session.permanent = True


def current() -> SignIn | None:
    sid = session.get("sid")
    return store().get(_key(sid)) if sid else None


@contextmanager
def locked() -> Iterator[SignIn | None]:
    """The current sign-in, read under its lock; write back changes with save()."""
    sid = session.get("sid", "")
    with _LOCKS[hash(sid) % len(_LOCKS)]:
        yield store().get(_key(sid)) if sid else None


def save(sign_in: SignIn) -> bool:
    """Store a changed sign-in (inside locked()); False when it ended meanwhile."""
    sid = session.get("sid")
    return bool(sid) and store().replace(_key(sid), sign_in)


def end() -> None:
    """Forget the sign-in server-side, under its lock, then clear the cookie session."""
    sid = session.get("sid")
    if sid:
        with _LOCKS[hash(sid) % len(_LOCKS)]:
            store().delete(_key(sid))
    session.clear()
    g.user = None
