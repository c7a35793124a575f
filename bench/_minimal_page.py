"""The browser bench's baseline: a hand-written page on a tiny local server that loads the same
Embedding API library from the simulator and the same vizzes, with a token minted by bare PyJWT
and inlined at each request (the simulator, like Tableau, takes each jti only once)."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

# The host's sandbox views (config/views.json): the view page shows the first, the dashboard all.
VIEWS = ("/t/demo/views/Superstore/Overview", "/t/demo/views/Superstore/Regional",
         "/t/demo/views/Superstore/Trend")
PAGES = {"/view": VIEWS[:1], "/dashboard": VIEWS}
USER = "alice@example.com"


@dataclass(frozen=True)
class Signer:
    secret: str
    secret_id: str
    client_id: str

    def token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.client_id, "sub": USER, "aud": "tableau", "exp": now + 300, "iat": now,
                  "jti": str(uuid.uuid4()), "scp": ["tableau:views:embed"]}
        return jwt.encode(claims, self.secret, algorithm="HS256",
                          headers={"kid": self.secret_id, "iss": self.client_id})


def page_html(server: str, views: tuple[str, ...], token: str) -> str:
    vizzes = "\n".join(f'<tableau-viz src="{server}{src}" token="{token}" toolbar="hidden" hide-tabs '
                       f'height="340px"></tableau-viz>' for src in views)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Minimal embed</title>
<script type="module" src="{server}/javascripts/api/tableau.embedding.3.latest.min.js"></script>
</head><body>
{vizzes}
</body></html>"""


def serve(tableau_server: str, signer: Signer) -> tuple[ThreadingHTTPServer, str]:
    """Start the page server on a free loopback port; returns it (shutdown() to stop) and its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            views = PAGES.get(self.path)
            if views is None:
                self.send_error(404)
                return
            body = page_html(tableau_server, views, signer.token()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # quiet: the bench prints its own lines
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, name="minimal-page", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"
