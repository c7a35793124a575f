"""Request lines without credentials: OAuth `code`/`state` and token values never reach a log.

The development server (`flask run`, the demo) logs through the "werkzeug" logger: install_redaction
adds a filter there, which cleans the whole message (werkzeug's line has no Referer today; one that
did would be cleaned too). gunicorn's access log goes through gunicorn.conf.py, which calls redact()
on every atom of the line, the Referer included.
"""

from __future__ import annotations

import logging
import re

_CREDENTIALS = re.compile(r"\b(code|state|token|jwt|refresh_token|id_token_hint)=[^&\s\"]+")


def redact(line: str) -> str:
    """The line with each credential-bearing query value replaced."""
    return _CREDENTIALS.sub(r"\1=<redacted>", line)


class RedactQueryCredentials(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def install_redaction() -> None:
    """Filter the development server's request log (once per process, however many apps)."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactQueryCredentials) for f in logger.filters):
        logger.addFilter(RedactQueryCredentials())
