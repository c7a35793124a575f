"""A small server-side store with expiry: sign-in sessions, and OAuth state for Authlib.

Kept in this process's memory, so it empties at restart (users sign in again) and is not shared
between worker processes: run the host as one process with threads, or swap in a shared cache
with the same methods (Authlib's cache interface: get, set, delete; plus pop and replace).
A full store never drops a live entry to make room (that would let anyone sign everyone out
by flooding it): it refuses the new one with StoreFull.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class StoreFull(RuntimeError):
    """No room for another entry until some expire."""


class ServerStore:
    def __init__(self, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._max = max_entries
        self._data: dict[str, tuple[float | None, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: Any, expires: float | None = None) -> None:
        """Keep `value` for `expires` seconds (for ever when None); raises StoreFull."""
        with self._lock:
            if key not in self._data and len(self._data) >= self._max:
                self._evict_expired()
                if len(self._data) >= self._max:
                    raise StoreFull(f"the store holds {self._max} live entries")
            deadline = None if expires is None else self._clock() + expires
            self._data[key] = (deadline, value)

    def replace(self, key: str, value: Any) -> bool:
        """Change a live entry's value, keeping its deadline; False when it is gone."""
        with self._lock:
            if self._live(key) is None:
                return False
            self._data[key] = (self._data[key][0], value)
            return True

    def pop(self, key: str) -> Any:
        """Take an entry out and return it (None when absent): a one-time read."""
        with self._lock:
            value = self._live(key)
            self._data.pop(key, None)
            return value

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def _live(self, key: str) -> Any:
        item = self._data.get(key)
        if item is None:
            return None
        deadline, value = item
        if deadline is not None and deadline <= self._clock():
            del self._data[key]
            return None
        return value

    def _evict_expired(self) -> None:
        now = self._clock()
        for key in [k for k, (d, _) in self._data.items() if d is not None and d <= now]:
            del self._data[key]
