"""The Tableau simulator on the demo registry, listening on loopback in a thread, for host tests
that call Tableau over HTTP (the REST API through tableauserverclient) or need the host's tokens
checked by it. Tests may import sandbox; the host never does."""

from __future__ import annotations

import copy
import json
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.simulator import create_app as create_simulator
from sandbox.simulator.model import Registry, Site
from sandbox.simulator.state import EXTENSION
from tests.conftest import base_env

REGISTRY = Path(__file__).resolve().parents[2] / "sandbox" / "registry.json"
DEMO = json.loads(REGISTRY.read_text(encoding="utf-8"))
SITE_ID: str = DEMO["sites"][0]["id"]
APP = DEMO["sites"][0]["connectedApps"][0]
CLIENT_ID: str = APP["clientId"]
SECRET_ID: str = APP["secrets"][0]["id"]


@dataclass
class LiveSimulator:
    url: str
    app: Flask
    secret: str = field(repr=False)  # the connected app's secret value (generated here)
    admin_token: str = field(repr=False)
    _server: BaseWSGIServer = field(repr=False)

    def host_env(self, **overrides: str | None) -> dict[str, str]:
        """Host settings (as base_env) for this simulator's demo connected app."""
        ours = {"TABLEAU_SERVER_URL": self.url, "TABLEAU_CLIENT_ID": CLIENT_ID,
                "TABLEAU_SECRET_ID": SECRET_ID, "TABLEAU_SECRET_VALUE": self.secret}
        return base_env(**{**ours, **overrides})

    def registry(self) -> Registry:
        """The registry as the simulator holds it now (change it to tweak; reset() undoes)."""
        return self.app.extensions[EXTENSION].registry

    def site(self) -> Site:
        """The demo site as the simulator holds it now (change it to tweak; reset() undoes)."""
        return self.registry().site("demo")

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.admin_token}", "Accept": "application/json"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=5, **kwargs)

    def reset(self) -> None:
        """The registry as loaded, no sessions, no used jti, no faults."""
        assert self.admin("POST", "/_simulator/faults/reset").status_code in (200, 204)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start_simulator(**site_changes: Any) -> LiveSimulator:
    """The demo registry (its first site changed by `site_changes`) on a free loopback port."""
    data = copy.deepcopy(DEMO)
    data["sites"][0].update(site_changes)
    secret, admin = secrets.token_hex(32), secrets.token_hex(32)
    server = make_server("127.0.0.1", 0, None, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    server.app = create_simulator(data, public_url=url, admin_token=admin,
                                  env={"SANDBOX_SECRET_VALUE": secret})
    threading.Thread(target=server.serve_forever, args=(0.05,), name="simulator", daemon=True).start()
    return LiveSimulator(url=url, app=server.app, secret=secret, admin_token=admin, _server=server)
