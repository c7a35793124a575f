"""The state store as Authlib's OAuth(cache=...): pending sign-ins shared by every worker.

Authlib keeps a pending flow (state, nonce, PKCE verifier) under "_state_<client>_<state>": it
calls cache.set once when the sign-in starts, cache.get once at the callback, then cache.delete.
Here that get is an atomic take, so of two callbacks racing with the same state (a replayed or
double-submitted redirect) only one finds it; with a get-then-delete both would pass the check.
"""

from __future__ import annotations

from host.state.base import StateStore

AUTHLIB_STATE_PREFIX = "_state_"  # authlib.integrations.base_client.FrameworkIntegration


class AuthlibCache:
    """Authlib's cache interface (get, set, delete) over a StateStore; values are Authlib's JSON text."""

    def __init__(self, store: StateStore, max_ttl_seconds: float = 600, prefix: str = "oauth:") -> None:
        self._store = store
        self._max_ttl = max_ttl_seconds  # Authlib's default is an hour; a sign-in needs minutes
        self._prefix = prefix

    def get(self, key: str) -> str | None:
        """The text under `key`; a pending sign-in's state is taken (readable once only)."""
        if key.startswith(AUTHLIB_STATE_PREFIX):
            return self._store.take(self._prefix + key)
        return self._store.get(self._prefix + key)

    def set(self, key: str, value: str, expires: float | None = None) -> None:
        """Keep `value` for `expires` seconds, never longer than max_ttl_seconds."""
        ttl = self._max_ttl if not expires else min(expires, self._max_ttl)
        self._store.set(self._prefix + key, value, ttl)

    def delete(self, key: str) -> None:
        """Forget `key` (after a take there is nothing left; no error)."""
        self._store.delete(self._prefix + key)
