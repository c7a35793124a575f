"""STATE_STORE_URL: which backend it names, and where.

  sqlite:///state.db           a file relative to `relative_to` (the app passes its instance/ folder)
  sqlite:////var/lib/x/state.db  an absolute path (four slashes, as in SQLAlchemy)
  /var/lib/x/state.db, state.db  a plain path, the same as the sqlite:/// forms
  redis://[:password@]host:6379/0, rediss://...   Redis (rediss: TLS)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from host.state.errors import StateConfigError

DEFAULT_STATE_STORE_URL = "sqlite:///state.db"  # instance/state.db when relative_to is instance/
REDIS_SCHEMES = ("redis", "rediss")
_FORMS = (
    "use sqlite:///state.db (a file under instance/), sqlite:////absolute/path/state.db, "
    "a file path, or redis://host:6379/0 (rediss:// for TLS)"
)


@dataclass(frozen=True)
class SqliteTarget:
    path: Path


@dataclass(frozen=True)
class RedisTarget:
    url: str = ""
    shown: str = ""  # the URL with any password replaced, for messages


def parse_state_url(
    url: str, relative_to: str | os.PathLike[str] | None = None
) -> SqliteTarget | RedisTarget:
    """Which store `url` names; raises StateConfigError saying what to write instead."""
    url = url.strip()
    if not url:
        raise StateConfigError(f"STATE_STORE_URL is empty: leave it unset for the default, or {_FORMS}.")
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme in REDIS_SCHEMES:
        return _redis(url)
    if scheme == "sqlite":
        if url.lower() == "sqlite://":  # SQLAlchemy's in-memory form
            return _sqlite(url, "", relative_to)
        if not url.lower().startswith("sqlite:///"):
            raise StateConfigError(f"STATE_STORE_URL={url} is not a file path: {_FORMS}.")
        return _sqlite(url, url[len("sqlite:///") :], relative_to)
    if scheme:
        raise StateConfigError(
            f"STATE_STORE_URL={redact(url)} has an unsupported scheme {scheme!r}: {_FORMS}."
        )
    return _sqlite(url, url, relative_to)


def redact(url: str) -> str:
    """`url` with its password (if any) replaced by ***, safe for a message or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def _redis(url: str) -> RedisTarget:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise StateConfigError(f"STATE_STORE_URL={redact(url)} has a bad port: {_FORMS}.") from exc
    if not parts.hostname:
        raise StateConfigError(
            f"STATE_STORE_URL={redact(url)} names no Redis host: write redis://host:6379/0."
        )
    return RedisTarget(url=url, shown=redact(url))


def _sqlite(url: str, path: str, relative_to: str | os.PathLike[str] | None) -> SqliteTarget:
    if not path or path == ":memory:" or "?" in path:
        raise StateConfigError(
            f"STATE_STORE_URL={url} names no file (an in-memory database would not be shared "
            f"between workers nor survive a restart): {_FORMS}."
        )
    file = Path(path).expanduser()
    if not file.is_absolute():
        file = Path(relative_to or os.getcwd()) / file
    return SqliteTarget(path=file)
