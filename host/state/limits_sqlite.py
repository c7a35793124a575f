"""Rate-limit counters in the state store's SQLite file, as a `limits` storage.

limits (under Flask-Limiter) stores counters in Redis, Memcached or MongoDB, and in memory, which
each worker would count on its own; it has no SQLite storage, so this one lets the workers of one
machine share counters on the embedded default. Fixed window only (Flask-Limiter's default
strategy): one UPSERT per hit. Defining the class registers its scheme with limits, so
storage_from_string() and Flask-Limiter accept "state-sqlite:///absolute/path/state.db".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from limits.storage import Storage

from host.state.errors import StateUnavailable
from host.state.sqlite_db import SqliteDatabase

SCHEME = "state-sqlite"


class SqliteLimitsStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self,
        uri: str,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] = time.time,
        busy_timeout_seconds: float = 5.0,
        **options: Any,
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._clock = clock
        self._db = SqliteDatabase(_path(uri), busy_timeout_seconds)

    @property
    def base_exceptions(self) -> type[Exception]:
        return StateUnavailable  # what SqliteDatabase raises; limits wraps it when asked to

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Count `amount` hits in the key's window (a new window after `expiry` seconds)."""
        now = self._clock()
        # One statement: concurrent hits from any worker are counted, none lost. An expired
        # window starts again from this hit.
        rows = self._db.rows(
            "INSERT INTO rate_counters (key, count, expires_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (key) DO UPDATE SET "
            " count = CASE WHEN expires_at <= ?4 THEN excluded.count ELSE count + excluded.count END,"
            " expires_at = CASE WHEN expires_at <= ?4 THEN excluded.expires_at ELSE expires_at END "
            "RETURNING count",
            (key, amount, now + expiry, now),
        )
        self._db.sweep_now_and_then(now)
        return int(rows[0][0])

    def get(self, key: str) -> int:
        """The hits counted in the key's current window (0 when none)."""
        rows = self._live(key)
        return int(rows[0][0]) if rows else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (epoch seconds); now when it has none."""
        rows = self._live(key)
        return float(rows[0][1]) if rows else self._clock()

    def check(self) -> bool:
        """True when the file answers."""
        try:
            self._db.rows("SELECT 1 FROM rate_counters LIMIT 1")
        except StateUnavailable:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; returns how many there were."""
        return self._db.changed("DELETE FROM rate_counters")

    def clear(self, key: str) -> None:
        """Forget one counter."""
        self._db.changed("DELETE FROM rate_counters WHERE key = ?", (key,))

    def _live(self, key: str) -> list[tuple[Any, ...]]:
        return self._db.rows(
            "SELECT count, expires_at FROM rate_counters WHERE key = ? AND expires_at > ?",
            (key, self._clock()),
        )


def _path(uri: str) -> Path:
    prefix = f"{SCHEME}://"
    if not uri.startswith(prefix + "/"):
        raise ValueError(f"a {SCHEME} storage URI is {prefix}/absolute/path/state.db, not {uri!r}")
    return Path(uri[len(prefix):])
