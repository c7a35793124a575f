"""Run the Tableau simulator and the embedding host side by side, for the demo and browser tests.

The connected app's client ID and secret ID come from the simulator's registry; the secret value is
generated here at each start and handed to both through the environment, so none is committed.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.simulator import create_app as create_simulator

REGISTRY = Path(__file__).resolve().parent / "registry.json"
SECRET_ENV = "SANDBOX_SECRET_VALUE"  # noqa: S105 (the variable's name, not a secret)
ADMIN_ENV = "SIMULATOR_ADMIN_TOKEN"  # read by the simulator's admin API


@dataclass
class Sandbox:
    host_url: str
    simulator_url: str
    simulator: Any
    host: Any
    _servers: list[BaseWSGIServer] = field(default_factory=list, repr=False)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


def _serve(app: Any, host: str, port: int) -> BaseWSGIServer:
    server = make_server(host, port, app, threaded=True)
    threading.Thread(target=server.serve_forever, name=f"serve-{port}", daemon=True).start()
    return server


def host_environment(simulator_url: str, registry: Path, secret: str, admin: str) -> dict[str, str]:
    data = json.loads(registry.read_text(encoding="utf-8"))
    app = data["sites"][0]["connectedApps"][0]
    return {
        "APP_ENV": "sandbox",
        "TABLEAU_SERVER_URL": simulator_url,
        "TABLEAU_CLIENT_ID": app["clientId"],
        "TABLEAU_SECRET_ID": app["secrets"][0]["id"],
        "TABLEAU_SECRET_VALUE": secret,
        # The failure lab drives the simulator's admin API for the demo site.
        "SANDBOX_ADMIN_TOKEN": admin,
        "SANDBOX_SITE_ID": data["sites"][0]["id"],
    }


def start_sandbox(
    bind: str = "127.0.0.1",
    host_port: int = 0,
    simulator_port: int = 0,
    registry: Path = REGISTRY,
    public_name: str | None = None,
    host_overrides: dict[str, str] | None = None,
) -> Sandbox:
    """Start simulator then host (port 0 picks a free port); both stop with Sandbox.stop()."""
    from app import create_app as create_host  # the launcher may import the host, never the reverse

    name = public_name or bind
    secret = os.environ.get(SECRET_ENV) or secrets.token_hex(32)
    os.environ[SECRET_ENV] = secret  # expanded by the registry loader as ${SANDBOX_SECRET_VALUE}
    admin = os.environ.setdefault(ADMIN_ENV, secrets.token_hex(32))
    # Bind first: the simulator needs its own public URL, which holds the port picked here.
    sim_server = make_server(bind, simulator_port, None, threaded=True)
    simulator_url = f"http://{name}:{sim_server.server_port}"
    simulator = create_simulator(registry, public_url=simulator_url)
    sim_server.app = simulator
    threading.Thread(target=sim_server.serve_forever, name="simulator", daemon=True).start()

    env = {**os.environ, **host_environment(simulator_url, registry, secret, admin),
           **(host_overrides or {})}
    host = create_host({"ENV": env})
    host_server = _serve(host, bind, host_port)
    return Sandbox(
        host_url=f"http://{name}:{host_server.server_port}",
        simulator_url=simulator_url,
        simulator=simulator,
        host=host,
        _servers=[host_server, sim_server],
    )
