"""One SQLite file shared by every worker process on a machine: connections, schema, errors.

WAL mode lets readers carry on while one process writes, and the file survives a restart.
Each thread has its own connection (a sqlite3 connection must not run two transactions at once),
and a forked worker opens new ones (a connection must not cross a fork).
Every statement runs in autocommit, or in a short BEGIN IMMEDIATE transaction when several must
be atomic: taking the write lock up front means a transaction never has to upgrade a read lock,
which is what can fail at once with "database is locked" however long the busy timeout.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from host.state.errors import StateUnavailable
from host.state.writer_turn import WriterTurnTimeout, WriterTurnUnusable, writer_turn

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_expiry ON entries (expires_at);
CREATE TABLE IF NOT EXISTS index_members (
    index_key TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (index_key, member)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS index_members_expiry ON index_members (expires_at);
CREATE TABLE IF NOT EXISTS locks (
    name TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rate_counters (
    key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rate_counters_expiry ON rate_counters (expires_at);
"""
EXPIRING_TABLES = ("entries", "index_members", "locks", "rate_counters")
SWEEP_EVERY_SECONDS = 60.0


class SqliteDatabase:
    def __init__(self, path: Path, busy_timeout_seconds: float = 5.0) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout_seconds
        self._real_path = Path(os.path.realpath(self.path))  # its writers' turn (writer_turn.py)
        self._local = threading.local()
        self._pid = os.getpid()
        self._next_sweep = 0.0
        self._prepare()

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (autocommit) and return all its rows (RETURNING included)."""
        if sql.startswith("SELECT"):  # readers never wait for a writer in WAL mode
            with self.errors():
                return self.connection().execute(sql, params).fetchall()
        with self._write_turn(), self.errors():
            return self.connection().execute(sql, params).fetchall()

    def changed(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Run one statement (autocommit) and return how many rows it changed."""
        with self._write_turn(), self.errors():
            return self.connection().execute(sql, params).rowcount

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Statements that must be atomic together, holding the write lock from the start."""
        with self._write_turn(), self.errors():
            connection = self.connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:  # a failed COMMIT too: never leave one open
                    connection.execute("ROLLBACK")
                raise

    @contextmanager
    def _write_turn(self) -> Iterator[None]:
        """This machine's one write turn on the file, waited for no longer than the busy timeout."""
        try:
            with writer_turn(self._real_path, self._busy_timeout):
                yield
        except WriterTurnTimeout as exc:
            raise StateUnavailable(self._explain(sqlite3.OperationalError("database is locked"))) from exc
        except WriterTurnUnusable as exc:
            raise StateUnavailable(
                f"The state store's lock file {self.path}-writer cannot be used ({exc}): let the "
                "host's user read and write it, or delete it (it holds no data)."
            ) from exc

    def sweep(self, now: float) -> None:
        """Delete expired rows; reads already ignore them, this only gives the space back."""
        with self.transaction() as connection:
            for table in EXPIRING_TABLES:
                connection.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,))  # noqa: S608

    def sweep_now_and_then(self, now: float) -> None:
        """Sweep at most once a SWEEP_EVERY_SECONDS per process; writers call this."""
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_EVERY_SECONDS
            self.sweep(now)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        if os.getpid() != self._pid:  # a forked worker: the parent's connections are not ours
            self._local, self._pid = threading.local(), os.getpid()
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None)
            # NORMAL is safe with WAL: a crashed process loses nothing; a power cut may lose the
            # last moments' sign-ins, never corrupt the file.
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (the next use opens a new one)."""
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()

    @contextmanager
    def errors(self) -> Iterator[None]:
        """sqlite3 errors become StateUnavailable naming the file and the fix."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StateUnavailable(self._explain(exc)) from exc

    def _prepare(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateUnavailable(
                f"The state store's folder {self.path.parent} cannot be created ({exc.strerror}): "
                "create it, or point STATE_STORE_URL at a writable place."
            ) from exc
        self._create_private()
        with self.errors():
            connection = self.connection()
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                log.warning("SQLite state store %s cannot use WAL (journal_mode=%s): is it on a "
                            "network filesystem? Keep it on a local disk.", self.path, mode)
            with self.transaction() as tx:
                self._migrate(tx)

    def _create_private(self) -> None:
        """The file holds sessions and the EAS's tokens: readable by this user only. SQLite gives
        its -wal and -shm files the same permissions as the database file."""
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
        except OSError as exc:
            raise StateUnavailable(
                f"The state store {self.path} cannot be created ({exc.strerror}): point "
                "STATE_STORE_URL at a writable place."
            ) from exc

    def _migrate(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise StateUnavailable(
                f"The state store file {self.path} has schema version {version}, newer than this "
                f"host's {SCHEMA_VERSION}: run the newer host, or point STATE_STORE_URL at a new file."
            )
        for statement in SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _explain(self, exc: sqlite3.Error) -> str:
        reason = str(exc)
        lowered = reason.lower()
        if "locked" in lowered or "busy" in lowered:
            fix = (f"another program kept it locked for over {self._busy_timeout:g} s: stop whatever "
                   "holds it (a sqlite3 shell with an open transaction, a backup tool), then retry")
        elif "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            fix = ("it is corrupt or not a SQLite file: stop the host, move the file aside and start "
                   "again (the host creates a new one; everybody signs in again)")
        elif "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
            fix = ("the host cannot open or write it: check that its folder exists and that the "
                   "host's user may write to the folder and the file")
        else:
            fix = "check the disk and the file's permissions, or point STATE_STORE_URL at a new file"
        return f"The state store file {self.path} cannot be used ({reason}): {fix}."
