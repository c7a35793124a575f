"""The embedded default: a StateStore in one SQLite file, shared by the workers of one machine.

Expiry is a column holding wall-clock time (time.time, comparable between processes and across
a restart, unlike a monotonic clock); reads ignore expired rows and writes sweep them now and then.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from host.state.base import StateStore
from host.state.codec import check_ttl, decode, encode
from host.state.errors import LockTimeout, StateUnavailable
from host.state.sqlite_db import SqliteDatabase

log = logging.getLogger(__name__)
LOCK_POLL_SECONDS = (0.01, 0.1)  # first and longest pause between tries for a held lock


class SqliteStore(StateStore):
    def __init__(
        self,
        path: Path,
        clock: Callable[[], float] = time.time,
        busy_timeout_seconds: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._db = SqliteDatabase(self.path, busy_timeout_seconds)

    def get(self, key: str) -> Any:
        rows = self._db.rows(
            "SELECT value FROM entries WHERE key = ? AND expires_at > ?", (key, self._clock())
        )
        return decode(rows[0][0]) if rows else None

    def set(self, key: str, value: Any, ttl_seconds: float) -> None:
        check_ttl(ttl_seconds)
        self._db.changed(
            "INSERT INTO entries (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
            (key, encode(value), self._clock() + ttl_seconds),
        )
        self._sweep_now_and_then()

    def add(self, key: str, value: Any, ttl_seconds: float) -> bool:
        check_ttl(ttl_seconds)
        now = self._clock()
        added = self._db.changed(
            "INSERT INTO entries (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at "
            "WHERE entries.expires_at <= ?",
            (key, encode(value), now + ttl_seconds, now),
        )
        self._sweep_now_and_then()
        return added == 1

    def replace(self, key: str, value: Any) -> bool:
        return self._db.changed(
            "UPDATE entries SET value = ? WHERE key = ? AND expires_at > ?",
            (encode(value), key, self._clock()),
        ) == 1

    def take(self, key: str) -> Any:
        # One DELETE ... RETURNING is one transaction: of several takers, one deletes the row
        # and gets it, the others find nothing to delete.
        rows = self._db.rows("DELETE FROM entries WHERE key = ? RETURNING value, expires_at", (key,))
        if not rows or rows[0][1] <= self._clock():
            return None
        return decode(rows[0][0])

    def delete(self, key: str) -> None:
        self._db.changed("DELETE FROM entries WHERE key = ?", (key,))

    def index_add(self, index_key: str, member: str, score: float, ttl_seconds: float) -> None:
        check_ttl(ttl_seconds)
        now = self._clock()
        with self._db.transaction() as tx:
            # An expired index is gone, as in Redis: its old members must not come back with it.
            tx.execute("DELETE FROM index_members WHERE index_key = ? AND expires_at <= ?", (index_key, now))
            tx.execute(
                "INSERT INTO index_members (index_key, member, score, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (index_key, member) DO UPDATE SET score = excluded.score",
                (index_key, member, score, now + ttl_seconds),
            )
            tx.execute("UPDATE index_members SET expires_at = ? WHERE index_key = ?",
                       (now + ttl_seconds, index_key))
        self._sweep_now_and_then()

    def index_members(self, index_key: str) -> list[str]:
        rows = self._db.rows(
            "SELECT member FROM index_members WHERE index_key = ? AND expires_at > ? "
            "ORDER BY score, member",
            (index_key, self._clock()),
        )
        return [row[0] for row in rows]

    def index_remove(self, index_key: str, *members: str) -> None:
        with self._db.transaction() as tx:
            tx.executemany("DELETE FROM index_members WHERE index_key = ? AND member = ?",
                           [(index_key, member) for member in members])

    def index_trim(self, index_key: str, keep: int) -> list[str]:
        if keep < 0:
            raise ValueError(f"keep must be 0 or more, not {keep}")
        # One DELETE ... RETURNING: concurrent trims never return the same member twice.
        rows = self._db.rows(
            "DELETE FROM index_members WHERE index_key = ?1 AND member IN ("
            " SELECT member FROM index_members WHERE index_key = ?1 AND expires_at > ?2"
            " ORDER BY score DESC, member DESC LIMIT -1 OFFSET ?3) RETURNING member, score",
            (index_key, self._clock(), keep),
        )
        return [member for member, _ in sorted(rows, key=lambda row: (row[1], row[0]))]

    @contextmanager
    def lock(self, name: str, timeout_seconds: float, wait_seconds: float | None = None) -> Iterator[None]:
        # A lock row with an expiry rather than a transaction held open (BEGIN IMMEDIATE): the
        # work under a lock is an HTTP call to the EAS, and a write transaction held that long
        # would stop every other write in every worker (sign-ins, rate counters), not just this
        # user's. A holder that dies leaves the row, which stops counting at expires_at.
        check_ttl(timeout_seconds, "timeout_seconds")
        token = secrets.token_hex(16)
        wait = timeout_seconds if wait_seconds is None else wait_seconds
        deadline, pause = time.monotonic() + wait, LOCK_POLL_SECONDS[0]
        while not self._try_lock(name, token, timeout_seconds):
            if time.monotonic() >= deadline:
                raise LockTimeout(f"A state lock stayed held for more than {wait:g} s; try again.")
            time.sleep(pause)
            pause = min(pause * 2, LOCK_POLL_SECONDS[1])
        try:
            yield
        finally:
            self._unlock(name, token, timeout_seconds)

    def ping(self) -> None:
        self._db.rows("SELECT 1 FROM entries LIMIT 1")

    def close(self) -> None:
        self._db.close()

    def sweep(self) -> None:
        """Delete every expired row now (writes do it once a minute anyway)."""
        self._db.sweep(self._clock())

    def _unlock(self, name: str, token: str, timeout_seconds: float) -> None:
        try:
            released = self._db.changed("DELETE FROM locks WHERE name = ? AND token = ?", (name, token))
        except StateUnavailable as exc:
            # The work is done; failing the request now would help nobody. The row expires.
            log.warning("could not release a state lock (%s); it frees itself within %g s",
                        exc, timeout_seconds)
            return
        if not released:
            log.warning("a state lock expired before its holder released it (timeout %g s): "
                        "the work under it took too long", timeout_seconds)

    def _try_lock(self, name: str, token: str, timeout_seconds: float) -> bool:
        now = self._clock()
        return self._db.changed(
            "INSERT INTO locks (name, token, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) "
            "DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at "
            "WHERE locks.expires_at <= ?",
            (name, token, now + timeout_seconds, now),
        ) == 1

    def _sweep_now_and_then(self) -> None:
        self._db.sweep_now_and_then(self._clock())
