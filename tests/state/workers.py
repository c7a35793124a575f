"""Code run in separate processes (multiprocessing 'spawn'): each opens the store by its URL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from host.state import open_store


def take_keys(url: str, keys: list[str], start: Any, results: Any) -> None:
    """Take every key, in order, racing the other process; report the keys this one won."""
    store = open_store(url)
    start.wait()
    results.put([key for key in keys if store.take(key) is not None])


def count_under_lock(url: str, counter: str, rounds: int, start: Any) -> None:
    """Read-modify-write a file under the store's lock: without exclusion, updates get lost."""
    store = open_store(url)
    path = Path(counter)
    start.wait()
    for _ in range(rounds):
        with store.lock("counter", timeout_seconds=10, wait_seconds=60):
            value = int(path.read_text())
            time.sleep(0.002)  # widen the window another process would slip into
            path.write_text(str(value + 1))


def hit_limit(uri: str, options: dict[str, Any], limit: str, hits: int, start: Any, results: Any) -> None:
    """Hit one rate limit `hits` times through this process's own storage; report the successes."""
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    limiter = FixedWindowRateLimiter(storage_from_string(uri, **options))
    start.wait()
    results.put(sum(limiter.hit(parse(limit), "login", "alice") for _ in range(hits)))


def take_with_inherited_store(store: Any, keys: list[str], start: Any, results: Any) -> None:
    """A forked worker (gunicorn --preload) using the store its parent opened before the fork."""
    start.wait()
    results.put([key for key in keys if store.take(key) is not None])
