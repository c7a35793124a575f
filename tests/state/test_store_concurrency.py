"""One-time reads and locks under contention: threads of one worker, and separate processes."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from host.state import LockTimeout, StateStore
from tests.state import workers
from tests.state.conftest import Backend

GUARD_SECONDS = 60  # only stops a hung child from hanging the suite; never asserted on
SPAWN = multiprocessing.get_context("spawn")  # children open their own connections


def test_take_under_threads_gives_each_value_to_exactly_one(store: StateStore) -> None:
    keys = [f"state:{i}" for i in range(50)]
    for key in keys:
        store.set(key, {"key": key}, 60)
    start = threading.Barrier(8)

    def race(_: int) -> list[str]:
        start.wait()
        return [key for key in keys if store.take(key) is not None]

    with ThreadPoolExecutor(8) as pool:
        won = [key for keys_won in pool.map(race, range(8)) for key in keys_won]
    assert sorted(won) == sorted(keys)


def test_take_across_two_processes_gives_each_value_to_exactly_one(backend: Backend) -> None:
    keys = [f"state:{i}" for i in range(200)]
    for key in keys:
        backend.store.set(key, {"key": key}, 60)
    start, results = SPAWN.Barrier(2), SPAWN.Queue()
    children = [SPAWN.Process(target=workers.take_keys, args=(backend.url, keys, start, results))
                for _ in range(2)]
    for child in children:
        child.start()
    won = [results.get(timeout=GUARD_SECONDS) for _ in children]
    for child in children:
        child.join(GUARD_SECONDS)
        assert child.exitcode == 0
    assert sorted(won[0] + won[1]) == sorted(keys)  # none lost, none taken twice


def test_the_lock_excludes_other_processes(backend: Backend, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    rounds, start = 15, SPAWN.Barrier(2)
    args = (backend.url, str(counter), rounds, start)
    children = [SPAWN.Process(target=workers.count_under_lock, args=args) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(GUARD_SECONDS)
        assert child.exitcode == 0
    assert counter.read_text() == str(2 * rounds)  # no read-modify-write was interleaved


def test_a_held_lock_makes_others_wait_then_give_up(backend: Backend) -> None:
    other = backend.open_another()
    with backend.store.lock("refresh:alice", timeout_seconds=30):
        with pytest.raises(LockTimeout, match="try again"), other.lock("refresh:alice", 30, wait_seconds=0.2):
            pytest.fail("the lock was held by someone else")
        with other.lock("refresh:bob", timeout_seconds=30):
            pass  # another name is another lock
    with other.lock("refresh:alice", timeout_seconds=30, wait_seconds=0.2):
        pass  # released on exit


def test_a_lock_whose_holder_died_frees_itself_after_its_timeout(backend: Backend) -> None:
    abandoned = backend.store.lock("refresh:alice", timeout_seconds=0.3)
    abandoned.__enter__()  # a holder that never releases: a crashed worker
    other = backend.open_another()
    with pytest.raises(LockTimeout), other.lock("refresh:alice", 30, wait_seconds=0.1):
        pytest.fail("the lock was taken while held")
    backend.advance(0.5)
    with other.lock("refresh:alice", timeout_seconds=30, wait_seconds=5):
        pass


def test_concurrent_trims_end_each_session_once(store: StateStore) -> None:
    start = threading.Barrier(4)

    def sign_in_ten_times(thread: int) -> list[str]:
        start.wait()
        ended: list[str] = []
        for i in range(10):
            store.index_add("sessions:alice", f"sid-{thread}-{i}", score=i * 4 + thread, ttl_seconds=60)
            ended += store.index_trim("sessions:alice", keep=5)
        return ended

    with ThreadPoolExecutor(4) as pool:
        ended = [sid for sids in pool.map(sign_in_ten_times, range(4)) for sid in sids]
    kept = store.index_members("sessions:alice")
    assert len(kept) == 5
    assert len(ended) == len(set(ended)) == 35
    assert sorted(ended + kept) == sorted(f"sid-{t}-{i}" for t in range(4) for i in range(10))


def test_workers_forked_after_the_store_opened_take_each_value_once(backend: Backend) -> None:
    fork = multiprocessing.get_context("fork")  # gunicorn --preload: the app is created, then forked
    keys = [f"state:{i}" for i in range(100)]
    for key in keys:
        backend.store.set(key, {"key": key}, 60)  # the parent's connection is open
    start, results = fork.Barrier(3), fork.Queue()
    children = [fork.Process(target=workers.take_with_inherited_store,
                             args=(backend.store, keys, start, results)) for _ in range(2)]
    for child in children:
        child.start()
    start.wait()
    won_here = [key for key in keys if backend.store.take(key) is not None]
    won = [results.get(timeout=GUARD_SECONDS) for _ in children]
    for child in children:
        child.join(GUARD_SECONDS)
        assert child.exitcode == 0
    assert sorted(won_here + won[0] + won[1]) == sorted(keys)
