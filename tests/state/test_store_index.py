"""The per-user index that bounds sessions per user: past the bound, that user's oldest ends."""

from __future__ import annotations

import pytest

from host.state import StateStore
from tests.state.conftest import Backend


def test_past_the_bound_the_users_oldest_sessions_end(store: StateStore) -> None:
    for i in range(25):
        store.index_add("sessions:alice", f"alice-{i:02}", score=1000 + i, ttl_seconds=60)
    store.index_add("sessions:bob", "bob-0", score=1, ttl_seconds=60)  # older than all of alice's
    ended = store.index_trim("sessions:alice", keep=20)
    assert ended == [f"alice-{i:02}" for i in range(5)]
    assert store.index_members("sessions:alice") == [f"alice-{i:02}" for i in range(5, 25)]
    assert store.index_members("sessions:bob") == ["bob-0"]
    assert store.index_trim("sessions:alice", keep=20) == []


def test_members_come_oldest_first_and_can_be_removed(store: StateStore) -> None:
    store.index_add("sessions:alice", "b", score=2, ttl_seconds=60)
    store.index_add("sessions:alice", "a", score=3, ttl_seconds=60)
    store.index_add("sessions:alice", "c", score=1, ttl_seconds=60)
    store.index_add("sessions:alice", "a", score=0, ttl_seconds=60)  # a new score for a member
    assert store.index_members("sessions:alice") == ["a", "c", "b"]
    store.index_remove("sessions:alice", "c", "not-a-member")
    assert store.index_members("sessions:alice") == ["a", "b"]
    assert store.index_members("sessions:nobody") == []
    assert store.index_trim("sessions:nobody", keep=0) == []


def test_an_index_expires_whole_and_does_not_come_back(backend: Backend) -> None:
    store = backend.store
    store.index_add("sessions:alice", "old", score=1, ttl_seconds=0.3)
    backend.advance(0.5)
    assert store.index_members("sessions:alice") == []
    store.index_add("sessions:alice", "new", score=2, ttl_seconds=60)
    assert store.index_members("sessions:alice") == ["new"]


def test_a_negative_bound_is_refused(store: StateStore) -> None:
    with pytest.raises(ValueError, match="keep"):
        store.index_trim("sessions:alice", keep=-1)
