"""Server-side state for every worker and machine: open_store(STATE_STORE_URL, relative_to=instance/)
returns a StateStore (base.py); its failures raise StateUnavailable, which the app answers with 503.

Values are JSON (never pickle). Backends: a SQLite file (default sqlite:///state.db, WAL) or
Redis (redis://, rediss://). A bad URL raises StateConfigError naming STATE_STORE_URL.
"""

from host.state.base import StateStore
from host.state.errors import LockTimeout, StateConfigError, StateUnavailable
from host.state.factory import open_store
from host.state.url import DEFAULT_STATE_STORE_URL, redact

__all__ = [
    "DEFAULT_STATE_STORE_URL",
    "LockTimeout",
    "StateConfigError",
    "StateStore",
    "StateUnavailable",
    "open_store",
    "redact",
]
