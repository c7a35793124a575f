"""What every backend does the same way: values, one-time reads, expiry (SQLite file and Redis)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from host.state import StateStore
from tests.state.conftest import Backend

SHORT_TTL, PAST_IT = 0.3, 0.5  # Redis really waits PAST_IT seconds; SQLite moves a fake clock


def test_a_value_comes_back_as_the_json_data_it_was(store: StateStore) -> None:
    value = {"user": {"login": "élodie", "groups": ["a", "b"]}, "expires_at": 1700000000,
             "ratio": 0.5, "handed_out": False, "refresh_token": None}
    store.set("signin:1", value, 60)
    assert store.get("signin:1") == value
    assert store.get("signin:other") is None


def test_another_client_sees_the_same_data(backend: Backend) -> None:
    backend.store.set("signin:1", {"sub": "alice"}, 60)
    other = backend.open_another()
    assert other.get("signin:1") == {"sub": "alice"}
    other.delete("signin:1")
    assert backend.store.get("signin:1") is None


def test_set_replaces_the_value_and_add_only_fills_an_empty_key(store: StateStore) -> None:
    store.set("k", "first", 60)
    store.set("k", "second", 60)
    assert store.get("k") == "second"
    assert store.add("k", "third", 60) is False
    assert store.get("k") == "second"
    assert store.add("fresh", "one", 60) is True
    assert store.get("fresh") == "one"


def test_replace_changes_only_a_live_value(store: StateStore) -> None:
    assert store.replace("absent", {"x": 1}) is False
    assert store.get("absent") is None
    store.set("k", {"x": 1}, 60)
    assert store.replace("k", {"x": 2}) is True
    assert store.get("k") == {"x": 2}


def test_take_returns_the_value_once(store: StateStore) -> None:
    store.set("oauth-state", {"nonce": "n"}, 60)
    assert store.take("oauth-state") == {"nonce": "n"}
    assert store.take("oauth-state") is None
    assert store.get("oauth-state") is None


def test_delete_forgets_and_ignores_absent_keys(store: StateStore) -> None:
    store.set("k", 1, 60)
    store.delete("k")
    store.delete("never-there")
    assert store.get("k") is None


def test_an_entry_expires_after_its_ttl(backend: Backend) -> None:
    store = backend.store
    store.set("session", {"sub": "a"}, SHORT_TTL)
    store.set("kept", {"sub": "b"}, 60)
    store.set("replaced", {"v": 1}, SHORT_TTL)
    assert store.replace("replaced", {"v": 2}) is True  # keeps the short TTL
    backend.advance(PAST_IT)
    assert store.get("session") is None
    assert store.get("replaced") is None
    assert store.take("session") is None
    assert store.replace("session", {"sub": "a"}) is False
    assert store.get("kept") == {"sub": "b"}
    assert store.add("session", {"sub": "new"}, 60) is True
    assert store.get("session") == {"sub": "new"}


@pytest.mark.parametrize("bad", [object(), {1, 2}, float("nan")])
def test_only_json_values_are_stored(store: StateStore, bad: object) -> None:
    with pytest.raises(TypeError, match="JSON"):
        store.set("k", bad, 60)
    assert store.get("k") is None


def test_none_and_a_non_positive_ttl_are_refused(store: StateStore) -> None:
    with pytest.raises(ValueError, match="None"):
        store.set("k", None, 60)
    with pytest.raises(ValueError, match="ttl_seconds"):
        store.set("k", 1, 0)
    assert store.get("k") is None


class RunsCode:
    """A pickle payload: unpickling it would create a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.marker),))


def test_a_pickled_value_in_the_store_is_never_unpickled(backend: Backend, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    backend.raw_put("planted", pickle.dumps(RunsCode(marker)))
    assert backend.store.get("planted") is None
    assert backend.store.take("planted") is None
    assert not marker.exists()
