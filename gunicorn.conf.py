"""gunicorn settings for the embedding host: `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Workers and threads come from the environment (WEB_WORKERS, WEB_THREADS, PORT/BIND); every worker
shares the state store (STATE_STORE_URL), so any number of them, on any number of machines, serve
the same signed-in users. These settings may also be in the project's `.env`, read as the app reads
it (the project directory's only, never over a variable the environment sets). The access log
never holds OAuth codes, states or tokens.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from gunicorn.glogging import Logger

from config.env_files import load_project_dotenv
from host.access_log import redact

# Before anything below reads the environment; the app's workers then read the same values.
load_project_dotenv()


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name}={raw!r} must be a whole number of at least 1")
    return int(raw)


# Two workers per core (token minting is CPU-bound; the sign-in waits on the network).
workers = _positive_int("WEB_WORKERS", 2 * multiprocessing.cpu_count())
threads = _positive_int("WEB_THREADS", 4)
bind = os.environ.get("BIND") or f"0.0.0.0:{_positive_int('PORT', 8000)}"
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Headers and request lines no longer than a browser sends; bodies are bounded by the app.
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
# Behind a proxy, X-Forwarded-* are honoured by the app itself (TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = ""


class RedactingLogger(Logger):
    """gunicorn's logger, with each access line's credential-bearing query values replaced.

    Every atom, not only the request line (%(r)s) and query (%(q)s): the Referer (%(f)s) holds the
    callback's URL when a page answered there loads a file, and a custom access_log_format may
    name any header ({referer}i, {location}o) or environ value ({raw_uri}e). Headers that are
    credentials through and through (cookies, Authorization, the CSRF header) are logged as "-"."""

    def atoms(self, resp, req, environ, request_time) -> dict[str, Any]:  # noqa: ANN001 (gunicorn's API)
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if name.lower() in WHOLLY_SECRET:  # a session cookie, a bearer token, a CSRF token
                atoms[name] = "-"
            elif isinstance(value, str) and "=" in value:  # no query, no credential: left as it is
                atoms[name] = redact(value)
        return atoms


# Header atoms ({name}i for the request, {name}o for the answer) a custom access_log_format could
# name whose whole value is a credential: they are logged as "-".
WHOLLY_SECRET = frozenset(f"{{{header}}}{side}" for header in (
    "cookie", "authorization", "proxy-authorization", "x-csrftoken", "x-csrf-token", "set-cookie")
    for side in "io")


logger_class = RedactingLogger
