"""Rate-limit counters shared by every worker: limits' FixedWindowRateLimiter on both backends."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_limiter import Limiter
from limits import parse
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from host.state import StateConfigError, limiter_storage_options, limiter_storage_uri
from tests.state import workers
from tests.state.conftest import Backend
from tests.state.redis_server import free_port

GUARD_SECONDS = 60
SPAWN = multiprocessing.get_context("spawn")


def limits_storage(backend: Backend) -> Storage:
    options = limiter_storage_options(backend.url) | backend.limits_options
    return storage_from_string(limiter_storage_uri(backend.url), **options)


def test_two_workers_share_one_count(backend: Backend) -> None:
    worker_a = FixedWindowRateLimiter(limits_storage(backend))
    worker_b = FixedWindowRateLimiter(limits_storage(backend))
    five = parse("5/minute")
    hits = [worker.hit(five, "login", "alice") for worker in [worker_a, worker_b] * 4]
    assert hits == [True] * 5 + [False] * 3
    assert worker_b.test(five, "login", "alice") is False
    assert worker_a.hit(five, "login", "bob") is True  # another account has its own count
    stats = worker_b.get_window_stats(five, "login", "alice")
    assert stats.remaining == 0
    assert stats.reset_time > worker_b.get_window_stats(five, "login", "nobody").reset_time


def test_two_processes_reach_the_limit_together(backend: Backend) -> None:
    uri = limiter_storage_uri(backend.url)
    options = limiter_storage_options(backend.url)
    start, results = SPAWN.Barrier(2), SPAWN.Queue()
    args = (uri, options, "10/minute", 15, start, results)
    children = [SPAWN.Process(target=workers.hit_limit, args=args) for _ in range(2)]
    for child in children:
        child.start()
    allowed = [results.get(timeout=GUARD_SECONDS) for _ in children]
    for child in children:
        child.join(GUARD_SECONDS)
        assert child.exitcode == 0
    assert sum(allowed) == 10  # 30 tries, 10 allowed in all: no hit lost, none counted twice


def test_a_new_window_starts_after_the_old_one(backend: Backend) -> None:
    storage = limits_storage(backend)
    limiter = FixedWindowRateLimiter(storage)
    two = parse("2/second")
    assert [limiter.hit(two, "api", "s1") for _ in range(3)] == [True, True, False]
    backend.advance(1.1)
    assert limiter.hit(two, "api", "s1") is True
    limiter.clear(two, "api", "s1")
    assert limiter.get_window_stats(two, "api", "s1").remaining == 2
    assert storage.check() is True


def test_flask_limiter_takes_the_uri_and_options(backend: Backend) -> None:
    def worker() -> Any:
        app = Flask(__name__)
        app.config.update(RATELIMIT_STORAGE_URI=limiter_storage_uri(backend.url),
                          RATELIMIT_STORAGE_OPTIONS=limiter_storage_options(backend.url))
        limiter = Limiter(lambda: "client-1", app=app)
        app.add_url_rule("/login", "login", limiter.limit("3/minute")(lambda: "ok"))
        return app.test_client()

    a, b = worker(), worker()
    codes = [client.get("/login").status_code for client in [a, b, a, b]]
    assert codes == [200, 200, 200, 429]


def test_the_sqlite_uri_is_absolute_and_redis_passes_through(tmp_path: Path) -> None:
    assert limiter_storage_uri("sqlite:///state.db", tmp_path) == f"state-sqlite://{tmp_path}/state.db"
    assert limiter_storage_uri("redis://cache:6379/1") == "redis://cache:6379/1"
    assert limiter_storage_options("sqlite:///state.db") == {"wrap_exceptions": True}
    with pytest.raises(StateConfigError, match="STATE_STORE_URL"):
        limiter_storage_uri("memcached://cache")


def test_a_redis_that_is_down_raises_storage_error() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens
    limiter = FixedWindowRateLimiter(storage_from_string(limiter_storage_uri(url),
                                                         **limiter_storage_options(url)))
    with pytest.raises(StorageError):
        limiter.hit(parse("5/minute"), "login", "alice")


def test_a_locked_sqlite_file_raises_storage_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    uri = limiter_storage_uri(str(path))
    limiter = FixedWindowRateLimiter(storage_from_string(uri, wrap_exceptions=True, busy_timeout_seconds=0.2))
    other_program = sqlite3.connect(path, isolation_level=None)
    other_program.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as raised:
            limiter.hit(parse("5/minute"), "login", "alice")
        assert str(path) in str(raised.value.storage_error)
    finally:
        other_program.execute("ROLLBACK")
        other_program.close()
    assert limiter.hit(parse("5/minute"), "login", "alice") is True
