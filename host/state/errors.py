"""The exceptions of the state store: what the app catches, and what a bad setting raises."""

from __future__ import annotations


class StateUnavailable(RuntimeError):
    """The state store cannot answer now (Redis down, SQLite file locked or corrupt).

    The message says which store and how to fix it; it never holds a key or a value.
    The app answers 503 with a plain message; the store recovers by itself once the cause is gone.
    """


class LockTimeout(StateUnavailable):
    """Another request held the lock for longer than this one was willing to wait."""


class StateConfigError(ValueError):
    """STATE_STORE_URL cannot be used as written; the message says what to write instead."""
