"""gunicorn settings for the embedding host: `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Workers and threads come from the environment (WEB_WORKERS, WEB_THREADS, PORT/BIND); every worker
shares the state store (STATE_STORE_URL), so any number of them, on any number of machines, serve
the same signed-in users. The access log never holds OAuth codes, states or tokens.
"""

from __future__ import annotations

import multiprocessing
import os

from gunicorn.glogging import Logger

from host.access_log import redact


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
    """gunicorn's logger, with each access line's credential-bearing query values replaced."""

    def access(self, resp, req, environ, request_time) -> None:  # noqa: ANN001 (gunicorn's API)
        if environ.get("QUERY_STRING"):  # the request line (%(r)s) and query (%(q)s) atoms
            environ = {**environ, "QUERY_STRING": redact(environ["QUERY_STRING"]),
                       "RAW_URI": redact(environ.get("RAW_URI", ""))}
        super().access(resp, req, environ, request_time)


logger_class = RedactingLogger
