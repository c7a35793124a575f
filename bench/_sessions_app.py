"""The host with its sign-in store filled in-process, for bench/sessions.

gunicorn 'bench._sessions_app:create_app()' builds the host exactly as 'app:create_app()' does,
then starts BENCH_PREFILL_SESSIONS sign-ins of the demo user through the host's own
host.sessions.start() (the store every sign-in goes to). Signing in over HTTP costs a scrypt
password check each (about 0.1 s), so 50,000 that way would take over an hour; the entries made
here are the same objects a sign-in stores. It logs the process's memory before and after.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from flask import Flask, session

from bench._procstat import rss_bytes
from bench._project import create_app as create_host
from bench._project import current_host_of, sessions


def fill(app: Flask, count: int, template: str = "alice") -> None:
    """`count` live sign-ins, each of its own user (one user holds at most MAX_SESSIONS_PER_USER),
    with the demo user's attributes and groups, stored as a login stores them."""
    user = current_host_of(app).users.get(template)
    with app.test_request_context():
        for i in range(count):
            session.pop("sid", None)  # keep the previous sign-in: start() would end it
            someone = replace(user, login=f"{template}-{i}", tableau_username=f"{template}-{i}@example.com")
            sessions.start(sessions.SignIn(user=someone))


def store_bytes(app: Flask) -> int:
    """The SQLite state file and its WAL, in bytes (0 for a store elsewhere, e.g. Redis)."""
    url = current_host_of(app).settings.state_store_url
    if not url.startswith("sqlite:///"):
        return 0
    path = Path(url.removeprefix("sqlite:///"))
    path = path if path.is_absolute() else Path(app.instance_path) / path
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def create_app() -> Flask:
    app = create_host()
    count = int(os.environ.get("BENCH_PREFILL_SESSIONS", "0"))
    before, store_before = rss_bytes(os.getpid()), store_bytes(app)
    fill(app, count)
    after, store_after = rss_bytes(os.getpid()), store_bytes(app)
    print(f"bench-sessions: pid {os.getpid()} prefilled {count} rss_before {before} rss_after {after} "
          f"store_before {store_before} store_after {store_after}", file=sys.stderr, flush=True)
    return app
