"""Redis stopped: every operation raises StateUnavailable; Redis back: the same store works again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from host.state import StateStore, StateUnavailable, open_store
from tests.state.redis_server import RedisServer, free_port


def every_operation(store: StateStore) -> dict[str, Callable[[], object]]:
    def hold_lock() -> None:
        with store.lock("refresh:alice", timeout_seconds=5):
            pass

    return {
        "get": lambda: store.get("signin:1"),
        "set": lambda: store.set("signin:2", {"sub": "b"}, 60),
        "add": lambda: store.add("signin:3", {"sub": "c"}, 60),
        "replace": lambda: store.replace("signin:1", {"sub": "a2"}),
        "take": lambda: store.take("oauth:1"),
        "delete": lambda: store.delete("signin:1"),
        "index_add": lambda: store.index_add("sessions:alice", "s2", 2, 60),
        "index_members": lambda: store.index_members("sessions:alice"),
        "index_remove": lambda: store.index_remove("sessions:alice", "s1"),
        "index_trim": lambda: store.index_trim("sessions:alice", 20),
        "lock": hold_lock,
        "ping": store.ping,
    }


def test_redis_stopped_then_restarted(persistent_redis: RedisServer) -> None:
    store = open_store(persistent_redis.url)
    store.set("signin:1", {"sub": "alice"}, 300)
    store.index_add("sessions:alice", "s1", 1, 300)

    persistent_redis.stop()
    for name, operation in every_operation(store).items():
        with pytest.raises(StateUnavailable) as raised:
            operation()
        assert f"Redis at {persistent_redis.url}" in str(raised.value), name
        assert "redis-server is running" in str(raised.value), name

    persistent_redis.start()  # same port, same folder: it reloads its append-only file
    store.ping()
    assert store.get("signin:1") == {"sub": "alice"}  # the session Redis kept is still valid
    assert store.index_members("sessions:alice") == ["s1"]
    with persistent_redis.client() as raw:
        assert 0 < raw.pttl("state:signin:1") <= 300_000  # and still ends on time
    for operation in every_operation(store).values():
        operation()
    store.close()


def test_the_message_never_shows_the_redis_password() -> None:
    store = open_store(f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0")  # nothing listens
    with pytest.raises(StateUnavailable) as raised:
        store.get("signin:1")
    assert "hunter2-secret" not in str(raised.value)
    assert ":***@127.0.0.1" in str(raised.value)
