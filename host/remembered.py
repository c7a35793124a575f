"""A table a process remembers what it has already worked out in (verified cookies, signed CSRF
tokens, rendered pages): shared by the process's threads, bounded so that no stream of new keys
can grow it without end. Past its limit the oldest half is forgotten; those are simply worked out
again when next asked for."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Remembered(Generic[V]):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: dict[Hashable, V] = {}
        self._trim_lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        return self._items.get(key)

    def put(self, key: Hashable, value: V) -> None:
        if len(self._items) >= self.limit:
            with self._trim_lock:  # dicts keep insertion order: the first keys are the oldest
                for old in list(self._items)[: max(1, self.limit // 2)]:
                    self._items.pop(old, None)
        self._items[key] = value

    def __len__(self) -> int:
        return len(self._items)
