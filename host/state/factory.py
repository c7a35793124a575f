"""open_store: the StateStore that STATE_STORE_URL names.

open_store(STATE_STORE_URL, relative_to=instance/) returns a StateStore (base.py). Values are JSON
(never pickle). Backends: a SQLite file (default sqlite:///state.db, WAL) or Redis (redis://,
rediss://). A bad URL raises StateConfigError naming STATE_STORE_URL. AuthlibCache(store) is
Authlib's OAuth(cache=...): a pending sign-in's state is read once, atomically. Rate limits use the
same URL through the `limits` library (limiter.py): RATELIMIT_STORAGE_URI=limiter_storage_uri(url,
instance/), strategy fixed-window; a store that is down raises limits' StorageError.
"""

from __future__ import annotations

import os

from host.state.base import StateStore
from host.state.redis_store import RedisStore
from host.state.sqlite_store import SqliteStore
from host.state.url import SqliteTarget, parse_state_url


def open_store(url: str, relative_to: str | os.PathLike[str] | None = None) -> StateStore:
    """The store STATE_STORE_URL names; a relative SQLite path is taken from `relative_to`.

    Raises StateConfigError for a URL it cannot use, and StateUnavailable when a SQLite file
    cannot be opened (Redis is reached lazily: the app starts while Redis is down, /readyz fails).
    """
    target = parse_state_url(url, relative_to)
    if isinstance(target, SqliteTarget):
        return SqliteStore(target.path)
    return RedisStore(target.url, target.shown)
