"""Server-side state for every worker and machine: open_store(STATE_STORE_URL, relative_to=instance/)
returns a StateStore (base.py); its failures raise StateUnavailable, which the app answers with 503.

Values are JSON (never pickle). Backends: a SQLite file (default sqlite:///state.db, WAL) or
Redis (redis://, rediss://). A bad URL raises StateConfigError naming STATE_STORE_URL.
AuthlibCache(store) is Authlib's OAuth(cache=...): a pending sign-in's state is read once, atomically.
"""

from host.state.authlib_cache import AuthlibCache
from host.state.base import StateStore
from host.state.errors import LockTimeout, StateConfigError, StateUnavailable
from host.state.factory import open_store
from host.state.url import DEFAULT_STATE_STORE_URL, redact

__all__ = [
    "AuthlibCache",
    "DEFAULT_STATE_STORE_URL",
    "LockTimeout",
    "StateConfigError",
    "StateStore",
    "StateUnavailable",
    "open_store",
    "redact",
]
