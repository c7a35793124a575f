"""Every contract test runs against both backends: a SQLite file and a real redis-server."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from host.state import StateStore, open_store
from host.state.redis_store import KEY_PREFIX
from host.state.sqlite_store import SqliteStore
from tests.state.redis_server import RedisServer, redis_server_binary


class FakeClock:
    """Wall-clock time that a test moves forward, so SQLite expiry needs no waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Backend:
    name: str
    url: str
    store: StateStore
    advance: Callable[[float], None]  # let `seconds` pass for the store's expiry
    open_another: Callable[[], StateStore]  # a second client of the same data
    raw_put: Callable[[str, bytes], None]  # write bytes under a key behind the store's back
    limits_options: dict[str, object]  # for the rate-limit storage: the same clock as the store
    opened: list[StateStore] = field(default_factory=list)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(redis_server_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    make = _sqlite_backend if request.param == "sqlite" else _redis_backend
    made = make(request, tmp_path)
    yield made
    for store in [made.store, *made.opened]:
        store.close()


@pytest.fixture
def store(backend: Backend) -> StateStore:
    return backend.store


def _sqlite_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    path = tmp_path / "state.db"
    clock = FakeClock()
    opened: list[StateStore] = []

    def open_another() -> StateStore:
        opened.append(SqliteStore(path, clock=clock))
        return opened[-1]

    def raw_put(key: str, data: bytes) -> None:
        with sqlite3.connect(path) as raw:
            raw.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (key, data, clock() + 60))
        raw.close()

    return Backend("sqlite", str(path), SqliteStore(path, clock=clock), clock.advance, open_another,
                   raw_put, {"clock": clock}, opened)


def _redis_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    server: RedisServer = request.getfixturevalue("redis_server")
    with server.client() as raw:
        raw.flushall()
    opened: list[StateStore] = []

    def open_another() -> StateStore:
        opened.append(open_store(server.url))
        return opened[-1]

    def raw_put(key: str, data: bytes) -> None:
        with server.client() as raw:
            raw.set(KEY_PREFIX + key, data, ex=60)

    # Redis keeps its own time: let it pass for real (sparingly, short TTLs).
    return Backend("redis", server.url, open_store(server.url), time.sleep, open_another, raw_put, {},
                   opened)
