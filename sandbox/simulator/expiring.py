"""An in-memory map whose entries expire: what the session and used-jti stores keep.

A long demo makes sessions and tokens without end; expired entries are forgotten when they are
read, and swept every SWEEP_EVERY inserts, so the map holds about what is live plus one sweep's
worth, at O(1) amortised cost per insert.
"""

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

SWEEP_EVERY = 64


class ExpiringMap(Generic[K, V]):
    def __init__(self) -> None:
        self._entries: dict[K, tuple[float, V]] = {}
        self._inserts = 0

    def put(self, key: K, value: V, expires_at: float, now: float) -> None:
        self._entries[key] = (expires_at, value)
        self._inserts += 1
        if self._inserts % SWEEP_EVERY == 0:
            self._sweep(now)

    def get(self, key: K, now: float) -> V | None:
        """The live value for `key`; an expired one is forgotten and answers None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= now:
            del self._entries[key]
            return None
        return entry[1]

    def discard(self, key: K) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)

    def _sweep(self, now: float) -> None:
        for key in [k for k, (expires_at, _) in self._entries.items() if expires_at <= now]:
            del self._entries[key]
