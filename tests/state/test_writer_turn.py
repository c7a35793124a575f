"""The host's writers take turns on the SQLite file (host/state/writer_turn.py): across processes,
across threads, nested within a transaction, and never longer than the busy timeout."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from host.state.errors import StateUnavailable
from host.state.sqlite_store import SqliteStore
from host.state.writer_turn import WriterTurnTimeout, writer_turn

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1] + "-writer", os.O_CREAT | os.O_RDWR, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
open(sys.argv[1] + "-released", "w").close()  # then the lock goes with the process
"""


def another_process_holds_the_turn(db: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_write_waits_for_another_processs_turn_then_goes_ahead(tmp_path):
    store = SqliteStore(tmp_path / "state.db")
    holder = another_process_holds_the_turn(store.path, 0.5)
    store.set("k", {"v": 1}, 60)
    assert Path(f"{store.path}-released").exists()  # it went ahead only once the other let go
    holder.wait()
    assert store.get("k") == {"v": 1}


def test_a_turn_held_past_the_busy_timeout_is_a_clear_error(tmp_path):
    store = SqliteStore(tmp_path / "state.db", busy_timeout_seconds=0.2)
    holder = another_process_holds_the_turn(store.path, 3)
    try:
        with pytest.raises(StateUnavailable, match="locked"):
            store.set("k", {"v": 1}, 60)
        assert store.get("k") is None  # reads never wait for writers
    finally:
        holder.kill()
        holder.wait()
    store.set("k", {"v": 2}, 60)  # the dead holder's turn is free again
    assert store.get("k") == {"v": 2}


def test_nested_turns_take_the_file_once_and_free_it_at_the_end(tmp_path):
    db = tmp_path / "state.db"
    db.touch()
    with writer_turn(db, 1), writer_turn(db, 1):
        pass
    fd = os.open(f"{db}-writer", os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pytest.fail("the writer file is still locked after the outer turn ended")
    finally:
        os.close(fd)


def test_threads_take_turns_and_a_waiting_thread_gives_up_after_its_timeout(tmp_path):
    db = tmp_path / "state.db"
    db.touch()
    inside, release, outcome = threading.Event(), threading.Event(), []

    def hold() -> None:
        with writer_turn(db, 1):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    try:
        with writer_turn(db, 0.1):
            outcome.append("entered")
    except WriterTurnTimeout:
        outcome.append("timed out")
    release.set()
    holder.join()
    assert outcome == ["timed out"]
    with writer_turn(db, 0.1):  # and free once the holder left
        outcome.append("entered")
    assert outcome == ["timed out", "entered"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_forked_worker_does_not_share_its_parents_turn(tmp_path):
    db = tmp_path / "state.db"
    db.touch()
    with writer_turn(db, 1):  # the parent's lock file is open and locked
        pid = os.fork()
        if pid == 0:  # the child must wait for the parent, not walk in on the inherited lock
            try:
                with writer_turn(db, 0.2):
                    os._exit(1)
            except WriterTurnTimeout:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_an_error_inside_nested_turns_frees_the_file_and_the_thread_lock(tmp_path):
    db = tmp_path / "state.db"
    db.touch()
    with pytest.raises(RuntimeError), writer_turn(db, 1), writer_turn(db, 1):
        raise RuntimeError("a statement failed")
    fd = os.open(f"{db}-writer", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free in another open file
    finally:
        os.close(fd)
    entered = []

    def take_turn() -> None:
        with writer_turn(db, 0.2):
            entered.append(True)

    other = threading.Thread(target=take_turn)
    other.start()
    other.join()
    assert entered == [True]  # another thread gets the turn at once


def test_a_lock_file_that_cannot_be_opened_is_a_clear_error(tmp_path):
    path = tmp_path / "state.db"
    os.mkdir(f"{path}-writer")  # not a file: it cannot be opened for writing
    with pytest.raises(StateUnavailable, match="-writer cannot be used"):
        SqliteStore(path)  # its first write (the schema) takes a turn
