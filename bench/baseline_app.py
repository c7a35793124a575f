"""The bare baseline: what the simplest public connected-app samples do, with no sign-in.

- POST /api/token: read a JSON body, answer a small JSON (no minting, no checks).
- GET /page/view, /page/dashboard: mint with bare PyJWT (the same header and claim names as the
  host's token) and render a template padded to the byte size of the host's view page and
  dashboard (BASELINE_VIEW_BYTES, BASELINE_DASHBOARD_BYTES), with one or three vizzes.

Run by bench/http under the host's gunicorn config: gunicorn 'bench.baseline_app:create_app()'.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from flask import Flask, jsonify, render_template, request
from markupsafe import Markup

SAMPLE_USER = "alice@example.com"
VIEWS = ("/t/demo/views/Superstore/Overview", "/t/demo/views/Superstore/Regional",
         "/t/demo/views/Superstore/Trend")
PAGES = {"view": VIEWS[:1], "dashboard": VIEWS}


def _setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"{name} is not set (bench/http sets it when it starts the baseline)")
    return value


def _mint(secret: str, secret_id: str, client_id: str) -> str:
    now = int(time.time())
    claims = {"iss": client_id, "sub": SAMPLE_USER, "aud": "tableau", "exp": now + 300, "iat": now,
              "jti": str(uuid.uuid4()), "scp": ["tableau:views:embed"]}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"kid": secret_id, "iss": client_id})


def create_app() -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    secret, secret_id = _setting("BASELINE_SECRET"), _setting("BASELINE_SECRET_ID")
    client_id, server = _setting("BASELINE_CLIENT_ID"), _setting("BASELINE_SERVER_URL")
    padding: dict[str, Markup] = {}

    def render(kind: str) -> str:
        return render_template("baseline.html", server=server, views=PAGES[kind],
                               token=_mint(secret, secret_id, client_id), padding=padding.get(kind, ""))

    # Pad each page once, at start, so that it renders to the host page's size.
    with app.test_request_context():
        for kind in PAGES:
            target = int(os.environ.get(f"BASELINE_{kind.upper()}_BYTES", "0"))
            short = target - len(render(kind).encode())
            # A constant comment of our own making: nothing from a request is marked safe.
            filler = "<!--" + "x" * max(0, short - 7) + "-->" if short > 7 else ""
            padding[kind] = Markup(filler)  # noqa: S704

    @app.post("/api/token")
    def token() -> Any:
        body = request.get_json(silent=True) or {}
        return jsonify(ok=True, components=body.get("components", []))

    @app.get("/page/<kind>")
    def page(kind: str) -> Any:
        if kind not in PAGES:
            return "unknown page", 404
        return render(kind)

    @app.get("/")
    def index() -> str:
        return "baseline"

    return app
