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

from flask import Flask, session

from bench._procstat import rss_bytes
from bench._project import create_app as create_host
from bench._project import sessions


def fill(app: Flask, count: int, login: str = "alice") -> None:
    """`count` live sign-ins of `login`, each with its own session id, as a login stores them."""
    user = app.extensions["embed_users"].get(login)
    with app.test_request_context():
        for _ in range(count):
            session.pop("sid", None)  # keep the previous sign-in: start() would end it
            sessions.start(sessions.SignIn(user=user))


def create_app() -> Flask:
    app = create_host()
    count = int(os.environ.get("BENCH_PREFILL_SESSIONS", "0"))
    before = rss_bytes(os.getpid())
    fill(app, count)
    after = rss_bytes(os.getpid())
    print(f"bench-sessions: pid {os.getpid()} prefilled {count} rss_before {before} rss_after {after}",
          file=sys.stderr, flush=True)
    return app
