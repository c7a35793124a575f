"""A small server-side store with expiry: OAuth state for Authlib and EAS sign-in sessions.

Kept in this process's memory, so it empties at restart (users sign in again) and is not shared
between worker processes: a deployment with several workers swaps in a shared cache with the same
three methods (Authlib's cache interface: get, set, delete).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class ServerStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic, max_entries: int = 10_000) -> None:
        self._clock = clock
        self._max = max_entries
        self._data: dict[str, tuple[float | None, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires is not None and expires <= self._clock():
                del self._data[key]
                return None
            return value

    def set(self, key: str, value: Any, expires: float | None = None) -> None:
        """Keep `value` for `expires` seconds (for ever when None)."""
        with self._lock:
            if len(self._data) >= self._max:
                self._evict_expired()
            deadline = None if expires is None else self._clock() + expires
            self._data[key] = (deadline, value)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def _evict_expired(self) -> None:
        now = self._clock()
        for key in [k for k, (exp, _) in self._data.items() if exp is not None and exp <= now]:
            del self._data[key]
        while len(self._data) >= self._max:  # still full: drop the oldest entries
            del self._data[next(iter(self._data))]
