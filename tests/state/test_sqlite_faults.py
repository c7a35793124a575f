"""The SQLite file: corrupt or locked gives StateUnavailable naming the file and the fix."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from host.state import StateUnavailable, open_store
from host.state.sqlite_db import SWEEP_EVERY_SECONDS
from host.state.sqlite_store import SqliteStore
from tests.state.conftest import FakeClock


def test_a_corrupt_file_is_named_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not a SQLite database, whatever its name says\n" * 100)
    with pytest.raises(StateUnavailable) as raised:
        open_store(str(path))
    assert str(path) in str(raised.value)
    assert "move the file aside" in str(raised.value)


def test_a_file_corrupted_while_in_use_is_named_too(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = open_store(f"sqlite:///{path.name}", relative_to=tmp_path)
    store.set("signin:1", {"sub": "alice"}, 60)
    store.close()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage" * 4096)
    with pytest.raises(StateUnavailable, match="corrupt") as raised:
        store.get("signin:1")
    assert str(path) in str(raised.value)


def test_a_file_locked_by_another_program_is_named_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteStore(path, busy_timeout_seconds=0.2)
    store.set("signin:1", {"sub": "alice"}, 60)
    other_program = sqlite3.connect(path, isolation_level=None)
    other_program.execute("BEGIN EXCLUSIVE")  # e.g. a sqlite3 shell left in a transaction
    try:
        with pytest.raises(StateUnavailable, match="locked") as raised:
            store.set("signin:2", {"sub": "bob"}, 60)
        assert str(path) in str(raised.value)
        assert store.get("signin:1") == {"sub": "alice"}  # WAL: reading goes on meanwhile
    finally:
        other_program.execute("ROLLBACK")
        other_program.close()
    store.set("signin:2", {"sub": "bob"}, 60)
    assert store.get("signin:2") == {"sub": "bob"}


def test_a_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StateUnavailable, match="cannot be created") as raised:
        open_store(str(blocker / "state.db"))
    assert str(blocker) in str(raised.value)


def count_rows(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        total = sum(raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                    for table in ("entries", "index_members", "locks"))
    raw.close()
    return total


def test_expired_rows_are_swept_away(tmp_path: Path) -> None:
    path, clock = tmp_path / "state.db", FakeClock()
    store = SqliteStore(path, clock=clock)
    for i in range(10):
        store.set(f"signin:{i}", {"i": i}, 5)
    store.index_add("sessions:alice", "s1", 1, 5)
    with store.lock("refresh:alice", timeout_seconds=5):
        pass
    clock.advance(SWEEP_EVERY_SECONDS + 1)
    store.set("signin:new", {"sub": "new"}, 600)  # a write sweeps once a minute
    assert count_rows(path) == 1
    clock.advance(601)
    store.sweep()
    assert count_rows(path) == 0


def test_the_file_survives_a_restart_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "state.db"  # the folder is created
    store = open_store(str(path))
    store.set("signin:1", {"sub": "alice"}, 60)
    store.close()
    again = open_store(f"sqlite:///{path}")  # sqlite:////absolute/path
    assert again.get("signin:1") == {"sub": "alice"}
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_a_new_state_file_is_readable_by_its_owner_only(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'private' / 'state.db'}")
    store.set("signin:x", {"user": "alice"}, 60)
    for name in ("state.db", "state.db-wal", "state.db-shm", "state.db-writer"):
        path = tmp_path / "private" / name
        assert path.stat().st_mode & 0o077 == 0, f"{name} is readable by others"
