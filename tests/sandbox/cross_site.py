"""A cross-site embedding for the browser tests: the simulator on 127.0.0.1 and a minimal embedding
page on localhost (two sites, so the simulator's cookie is a third-party cookie), both real servers."""

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from .seed import SEED_DATA, SEED_SECRET, seed_app

_APP = SEED_DATA["sites"][0]["connectedApps"][0]
LIBRARY_PATH = "/javascripts/api/tableau.embedding.3.latest.min.js"
VIEW_PATH = "/t/demo/views/Superstore/Overview"
# Recorded before the library runs: what the page's <tableau-viz> reports.
EVENTS_SCRIPT = """<script type="module">
window.events = [];
document.addEventListener('firstinteractive', () => window.events.push('firstinteractive'), true);
document.addEventListener('vizloaderror', (e) => window.events.push(e.detail.errorCode), true);
</script>"""


def _serve(app: Any) -> BaseWSGIServer:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def _token() -> str:
    """A token against the real clock (these servers run on it), minted per page load."""
    claims = {"iss": _APP["clientId"], "sub": "alice@example.com", "aud": "tableau", "jti": str(uuid.uuid4()),
              "exp": int(time.time()) + 300, "scp": ["tableau:views:embed"]}
    return jwt.encode(claims, SEED_SECRET, algorithm="HS256",
                      headers={"kid": _APP["secrets"][0]["id"], "iss": _APP["clientId"]})


def _embedding_page(simulator_url: str) -> Flask:
    page = Flask("embedding-page")

    @page.get("/")
    def index() -> str:
        return (f'<!doctype html><title>embed</title>{EVENTS_SCRIPT}'
                f'<script type="module" src="{simulator_url}{LIBRARY_PATH}"></script>'
                f'<tableau-viz src="{simulator_url}{VIEW_PATH}" token="{_token()}"></tableau-viz>')

    return page


@contextmanager
def cross_site_embedding(session_cookie: str) -> Iterator[str]:
    """Yields the embedding page's URL (http://localhost:…) framing the simulator (http://127.0.0.1:…)
    whose session cookie mode is `session_cookie`."""
    simulator = seed_app()
    simulator.extensions["tableau_simulator"].clock = time.time  # real servers, real clock
    simulator.extensions["tableau_simulator"].registry.session_cookie = session_cookie
    servers = [_serve(simulator)]
    servers.append(_serve(_embedding_page(f"http://127.0.0.1:{servers[0].server_port}")))
    try:
        yield f"http://localhost:{servers[1].server_port}/"
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
