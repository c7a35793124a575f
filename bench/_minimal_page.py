"""The browser bench's baseline: a hand-written page on a tiny local server that loads the same
Embedding API library from the simulator and the same vizzes (each view's src and options, as the
host's views file gives them), with a token minted by bare PyJWT and inlined at each request (the
simulator, like Tableau, takes each jti only once)."""

from __future__ import annotations

import html
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

USER = "alice@example.com"


@dataclass(frozen=True)
class Viz:
    """One <tableau-viz>: its src on the Tableau server and its attributes (hide-tabs="" is boolean)."""

    src: str
    attributes: Mapping[str, str]


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


def page_html(server: str, vizzes: Sequence[Viz], token: str) -> str:
    tags = "\n".join(
        f'<tableau-viz src="{html.escape(server + viz.src)}" token="{token}"'
        + "".join(f' {name}="{html.escape(value)}"' for name, value in viz.attributes.items())
        + "></tableau-viz>" for viz in vizzes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Minimal embed</title>
<script type="module" src="{server}/javascripts/api/tableau.embedding.3.latest.min.js"></script>
</head><body>
{tags}
</body></html>"""


def serve(tableau_server: str, signer: Signer,
          pages: Mapping[str, Sequence[Viz]]) -> tuple[ThreadingHTTPServer, str]:
    """Start the page server on a free loopback port, one page per path with its vizzes; returns
    the server (shutdown() to stop) and its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            vizzes = pages.get(self.path)
            if vizzes is None:
                self.send_error(404)
                return
            body = page_html(tableau_server, vizzes, signer.token()).encode()
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
