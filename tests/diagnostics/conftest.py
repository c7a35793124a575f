"""Fixtures for the diagnostics tests: a loopback stand-in for the Tableau server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import pytest
from flask import Flask, Response, jsonify
from werkzeug.serving import WSGIRequestHandler, make_server

from host.diagnostics import doctor
from tableau_rules.scopes import LIBRARY_PATH


@dataclass
class FakeTableau:
    """What the stand-in serves; tests change these fields before a request."""

    url: str = ""
    library_status: int = 200
    library_type: str = "text/javascript"
    date_offset: float = 0.0  # seconds added to the real time in the Date header
    metadata: dict[str, Any] | None = None
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})


def _wsgi(state: FakeTableau) -> Flask:
    fake = Flask("fake_tableau")

    @fake.get(LIBRARY_PATH)
    def library() -> Response:
        return Response("export {};", status=state.library_status, content_type=state.library_type)

    @fake.get("/.well-known/openid-configuration")
    def metadata() -> Any:
        return (jsonify(state.metadata), 200) if state.metadata else ("", 404)

    @fake.get("/jwks.json")
    def jwks() -> Any:
        return jsonify(state.jwks)

    return fake


def _handler(state: FakeTableau) -> type[WSGIRequestHandler]:
    class Handler(WSGIRequestHandler):
        # The server writes the Date header itself; this is where the stand-in's clock differs.
        def date_time_string(self, timestamp: float | None = None) -> str:
            return formatdate((timestamp or time.time()) + state.date_offset, usegmt=True)

        def log_request(self, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture(scope="session")
def fake_tableau_server() -> Iterator[FakeTableau]:
    state = FakeTableau()
    server = make_server("127.0.0.1", 0, _wsgi(state), threaded=True, request_handler=_handler(state))
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def fake_tableau(fake_tableau_server: FakeTableau) -> Iterator[FakeTableau]:
    """The stand-in, reset to a healthy server for each test."""
    fresh = FakeTableau(url=fake_tableau_server.url)
    fake_tableau_server.__dict__.update(fresh.__dict__)
    yield fake_tableau_server


@pytest.fixture(autouse=True)
def utc_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as if the process were on UTC unless a test says otherwise."""
    monkeypatch.setattr(doctor, "utc_offset_seconds", lambda: 0)
