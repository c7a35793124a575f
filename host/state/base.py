"""The StateStore interface: what every backend (SQLite file, Redis) does, with the same meaning.

Values are anything JSON can hold (dicts come back as dicts, tuples as lists). Every entry has a
time to live; an expired entry reads as absent. Every method raises StateUnavailable when the
backend cannot answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from typing import Any


class StateStore(ABC):
    @abstractmethod
    def get(self, key: str) -> Any:
        """The live value under `key`, or None."""

    @abstractmethod
    def set(self, key: str, value: Any, ttl_seconds: float) -> None:
        """Store `value` under `key` for `ttl_seconds`, replacing any value and its expiry."""

    @abstractmethod
    def add(self, key: str, value: Any, ttl_seconds: float) -> bool:
        """Store `value` only when `key` holds no live value; True when it was stored."""

    @abstractmethod
    def replace(self, key: str, value: Any) -> bool:
        """Change a live value, keeping its expiry; False (and nothing stored) when it is gone."""

    @abstractmethod
    def take(self, key: str) -> Any:
        """Remove and return the live value (None when absent), atomically.

        However many requests, processes or machines take the same key at once, exactly one
        gets the value: use it for what must be used once (an OAuth state, a refresh token).
        """

    @abstractmethod
    def delete(self, key: str) -> None:
        """Forget `key` (no error when it is absent)."""

    @abstractmethod
    def index_add(self, index_key: str, member: str, score: float, ttl_seconds: float) -> None:
        """Put `member` in the index with `score` (e.g. its sign-in time), or update its score.

        The whole index expires `ttl_seconds` after its last index_add, like a Redis key.
        """

    @abstractmethod
    def index_members(self, index_key: str) -> list[str]:
        """The index's members, lowest score (oldest) first; [] when it is absent."""

    @abstractmethod
    def index_remove(self, index_key: str, *members: str) -> None:
        """Take `members` out of the index (absent ones are ignored)."""

    @abstractmethod
    def index_trim(self, index_key: str, keep: int) -> list[str]:
        """Remove every member but the `keep` highest-scored; return the removed, oldest first.

        Atomic: when requests trim the same index at once, each removed member is returned to
        exactly one of them (so the caller that gets it ends that session).
        """

    @abstractmethod
    def lock(
        self, name: str, timeout_seconds: float, wait_seconds: float | None = None
    ) -> AbstractContextManager[None]:
        """Hold the lock `name` across every process and machine sharing this store.

        A holder that dies frees it after `timeout_seconds`: keep the work inside shorter than
        that. Waits up to `wait_seconds` (default: timeout_seconds), then raises LockTimeout.
        """

    @abstractmethod
    def ping(self) -> None:
        """Return when the store answers (for /readyz); raise StateUnavailable when it does not."""

    @abstractmethod
    def close(self) -> None:
        """Let go of connections (this thread's, for SQLite); the store reopens them on use."""
