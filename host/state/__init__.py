"""Server-side state shared by every worker and machine: one StateStore (a SQLite file or Redis)
chosen by STATE_STORE_URL (factory.py), whose failures raise StateUnavailable (answered with 503)."""

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
