"""Server-side state for every worker and machine: open_store(STATE_STORE_URL, relative_to=instance/)
returns a StateStore (base.py); its failures raise StateUnavailable, which the app answers with 503.

Values are JSON (never pickle). Backends: a SQLite file (default sqlite:///state.db, WAL) or
Redis (redis://, rediss://). A bad URL raises StateConfigError naming STATE_STORE_URL.
AuthlibCache(store) is Authlib's OAuth(cache=...): a pending sign-in's state is read once, atomically.
Flask-Limiter: RATELIMIT_STORAGE_URI=limiter_storage_uri(url, instance/), RATELIMIT_STORAGE_OPTIONS=
limiter_storage_options(url), strategy fixed-window; a store that is down raises limits' StorageError.
"""

from host.state.authlib_cache import AuthlibCache
from host.state.base import StateStore
from host.state.errors import LockTimeout, StateConfigError, StateUnavailable
from host.state.factory import open_store
from host.state.limiter import limiter_storage_options, limiter_storage_uri
from host.state.limits_sqlite import SqliteLimitsStorage  # registers the state-sqlite:// scheme
from host.state.url import DEFAULT_STATE_STORE_URL, redact

__all__ = [
    "AuthlibCache",
    "DEFAULT_STATE_STORE_URL",
    "LockTimeout",
    "StateConfigError",
    "StateStore",
    "SqliteLimitsStorage",
    "StateUnavailable",
    "limiter_storage_options",
    "limiter_storage_uri",
    "open_store",
    "redact",
]
