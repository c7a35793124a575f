"""What Flask-Limiter (RATELIMIT_STORAGE_URI, RATELIMIT_STORAGE_OPTIONS) takes for STATE_STORE_URL.

Rate-limit counters live where the rest of the state does: the same SQLite file (through
SqliteLimitsStorage) or the same Redis (limits' own RedisStorage, its keys prefixed LIMITS:).
"""

from __future__ import annotations

import os
from typing import Any

from host.state.limits_sqlite import SCHEME
from host.state.redis_store import CLIENT_OPTIONS, retry_policy
from host.state.url import SqliteTarget, parse_state_url


def limiter_storage_uri(url: str, relative_to: str | os.PathLike[str] | None = None) -> str:
    """The limits storage URI for STATE_STORE_URL `url` (relative SQLite paths as open_store)."""
    target = parse_state_url(url, relative_to)
    if isinstance(target, SqliteTarget):
        return f"{SCHEME}://{target.path.resolve()}"
    return target.url


def limiter_storage_options(url: str) -> dict[str, Any]:
    """Storage options: errors come as limits.errors.StorageError; Redis fails fast when down."""
    options: dict[str, Any] = {"wrap_exceptions": True}
    if not isinstance(parse_state_url(url), SqliteTarget):
        options.update(CLIENT_OPTIONS, retry=retry_policy())
    return options
