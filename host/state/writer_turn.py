"""One writer at a time on a SQLite file, across the threads and processes of one machine,
handed over as soon as it is free.

Left to SQLite, a writer that finds the file locked sleeps in its busy handler's steps (1, 2, 5,
10 … up to 100 ms) and may sleep on after the lock is free: one token call in a hundred took
50–90 ms while others wrote rate-limit counters. Here writers first queue on a thread lock (handed
over at once), then on an flock of a lock file beside the database (another process's writers),
polled in steps of at most 2 ms. SQLite's own locking still guards the file; this only orders the
host's writers so that they rarely meet it.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LONGEST_PAUSE = 0.002  # seconds between tries for another process's turn


class WriterTurnTimeout(Exception):
    """Another writer kept its turn longer than the caller would wait."""


class WriterTurnUnusable(Exception):
    """The lock file cannot be opened or locked (its permissions, or the filesystem); the reason."""


class _Turn:
    def __init__(self, path: Path) -> None:
        self.lock = threading.RLock()  # reentrant: a transaction's statements nest
        self.depth = 0  # how deeply the holding thread has nested; flock taken at 1, dropped at 0
        try:
            self.fd = os.open(f"{path}-writer", os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as exc:
            raise WriterTurnUnusable(exc.strerror or str(exc)) from exc


_turns: dict[str, _Turn] = {}  # by the database file's real path
_turns_lock = threading.Lock()


def _forget_parents_turns() -> None:
    """In a forked child: the parent's lock-file descriptors and locks are not the child's (an
    inherited flock would be shared with the parent; a lock held by another parent thread would
    never be released)."""
    global _turns_lock
    for turn in _turns.values():
        os.close(turn.fd)
    _turns.clear()
    _turns_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_parents_turns)


@contextmanager
def writer_turn(path: Path, timeout: float) -> Iterator[None]:
    """The write turn on the database at `path`, its real path (os.path.realpath, resolved once by
    the caller: two spellings of one file must share a turn)."""
    deadline = time.monotonic() + timeout
    turn = _turn(path)
    if not turn.lock.acquire(timeout=timeout):
        raise WriterTurnTimeout
    try:
        if turn.depth == 0:
            _lock_file(turn.fd, deadline)
        turn.depth += 1
        try:
            yield
        finally:
            turn.depth -= 1
            if turn.depth == 0:
                fcntl.flock(turn.fd, fcntl.LOCK_UN)
    finally:
        turn.lock.release()


def _turn(path: Path) -> _Turn:
    key = str(path)
    turn = _turns.get(key)
    if turn is None:
        with _turns_lock:
            turn = _turns.get(key) or _Turn(path)
            _turns[key] = turn
    return turn


def _lock_file(fd: int, deadline: float) -> None:
    pause = 0.00005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriterTurnTimeout from None
            time.sleep(pause)
            pause = min(2 * pause, LONGEST_PAUSE)
        except OSError as exc:  # ENOLCK: a filesystem without locks
            raise WriterTurnUnusable(exc.strerror or str(exc)) from exc
