"""Run the Tableau simulator, the demo EAS and the embedding host side by side, for the demo and
the browser tests.

The connected app's client ID and secret ID come from the simulator's registry; the secret values
(connected app, EAS client, simulator admin) are generated here at each start and handed to each
process through the environment or arguments, so none is committed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from config.env_files import write_sandbox_env
from host.access_log import install_redaction
from sandbox import uat_mode
from sandbox.eas import create_app as create_eas
from sandbox.simulator import create_app as create_simulator

REGISTRY = Path(__file__).resolve().parent / "registry.json"
SECRET_ENV = "SANDBOX_SECRET_VALUE"  # noqa: S105 (the variable's name, not a secret)
ADMIN_ENV = "SIMULATOR_ADMIN_TOKEN"  # read by the simulator's admin API
EAS_CLIENT_ID = "embedding-host"
# The demo's two sites: the host's pages on one, Tableau (the simulator) on the other, so the
# simulator's session cookie is a third-party cookie there, as Tableau's is in production.
DEMO_HOST_NAME = "localhost"
DEMO_SIMULATOR_NAME = "127.0.0.1"
# The simulator's session cookie when it is on another site than the host: partitioned (CHIPS),
# so the demo works in browsers that block third-party cookies (Safari, Firefox, and the Chromium
# builds that do by default); the failure lab's "Stop partitioning Tableau's cookie" switches it
# to "cross-site" (SameSite=None; Secure, unpartitioned) to show what such a browser then does.
# docs/simulator.md, "Session cookie". On one site the registry's own mode applies.
CROSS_SITE_COOKIE = "partitioned"


# The dev servers' request lines (simulator, EAS, host) without OAuth codes, states or tokens: the
# host's own filter on the shared "werkzeug" logger.
install_redaction()


@dataclass
class Sandbox:
    host_url: str
    simulator_url: str
    eas_url: str
    admin_token: str = field(repr=False)
    simulator: Any
    eas: Any
    host: Any
    _servers: list[BaseWSGIServer] = field(default_factory=list, repr=False)
    # The host's settings (secrets included): what the demo writes for `flask tableau …`.
    host_env: dict[str, str] = field(default_factory=dict, repr=False)
    _state_dir: Path | None = field(default=None, repr=False)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()  # returns within POLL_SECONDS: serve_forever checks that often
            server.server_close()
        if self._state_dir is not None:
            shutil.rmtree(self._state_dir, ignore_errors=True)


# How often an idle server looks for a shutdown request (socketserver's default is 0.5 s, which each
# test sandbox paid three times over at every stop).
POLL_SECONDS = 0.05


def _bind(bind: str, port: int) -> BaseWSGIServer:
    # Bind before building the app: each app needs its public URL, which holds the port.
    return make_server(bind, port, None, threaded=True)


def _run(server: BaseWSGIServer, app: Any, name: str) -> None:
    server.app = app
    threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), name=name, daemon=True).start()


def _url(name: str, server: BaseWSGIServer) -> str:
    return f"http://{name}:{server.server_port}"


def host_environment(simulator_url: str, eas_url: str, host_url: str, data: dict[str, Any],
                     secret: str, admin: str, eas_secret: str) -> dict[str, str]:
    site = data["sites"][0]
    app = site["connectedApps"][0]
    return {
        "APP_ENV": "sandbox",
        "TABLEAU_SERVER_URL": simulator_url,
        # Both ways in: the host's own login (direct trust) and the demo EAS (OAuth 2.0 trust).
        "TRUST_MODE": "direct,eas",
        "TABLEAU_CLIENT_ID": app["clientId"],
        "TABLEAU_SECRET_ID": app["secrets"][0]["id"],
        "TABLEAU_SECRET_VALUE": secret,
        "EAS_ISSUER": eas_url,
        "EAS_CLIENT_ID": EAS_CLIENT_ID,
        "EAS_CLIENT_SECRET": eas_secret,
        "EAS_REDIRECT_URI": f"{host_url}/auth/eas/callback",
        # The failure lab drives the simulator's admin API for the demo site.
        "SANDBOX_ADMIN_TOKEN": admin,
        "SANDBOX_SITE_ID": site["id"],
    }


def start_sandbox(
    bind: str = "127.0.0.1",
    host_port: int = 0,
    simulator_port: int = 0,
    eas_port: int = 0,
    registry: Path = REGISTRY,
    public_name: str | None = None,
    simulator_name: str | None = None,
    eas_key_dir: Path | None = None,
    host_overrides: dict[str, str] | None = None,
    trust: str = "direct",
    uat_key_dir: Path | None = None,
    settings_file: Path | None = None,
    eas_token_lifetime: int = 300,
) -> Sandbox:
    """Start simulator, EAS and host (port 0 picks a free port); all stop with Sandbox.stop().

    `public_name` is the host name in the host's and the EAS's URLs (default: `bind`);
    `simulator_name` the simulator's (default: the same). The demo gives the simulator another
    site (DEMO_SIMULATOR_NAME), so its session cookie is a third-party cookie on the host's pages,
    and partitions that cookie (CROSS_SITE_COOKIE) so that it works across sites in every browser.

    `trust="uat"`: the host signs unified access tokens (sandbox/uat_mode.py; its key in
    `uat_key_dir`, default instance/uat-keys). `settings_file`: the host's settings are written
    there (mode 0600) before it starts, and it re-reads its signing settings from it
    (SIGNING_SETTINGS_FILE), so `flask tableau rotate` can switch them while it runs.
    `eas_token_lifetime`: seconds the demo EAS's tokens live (`rotate eas-key` waits that long).
    """
    if trust not in uat_mode.TRUSTS:
        raise ValueError(f"trust {trust!r}: use one of {', '.join(uat_mode.TRUSTS)}")
    name = public_name or bind
    # Fresh at each start, handed to each app explicitly: nothing is written to os.environ.
    secret = secrets.token_hex(32)
    admin = os.environ.get(ADMIN_ENV) or secrets.token_hex(32)
    servers = {role: _bind(bind, port) for role, port in
               (("host", host_port), ("simulator", simulator_port), ("eas", eas_port))}
    names = {"host": name, "eas": name, "simulator": simulator_name or name}
    urls = {role: _url(names[role], server) for role, server in servers.items()}
    cookie = CROSS_SITE_COOKIE if names["simulator"] != names["host"] else None

    try:
        extra = _mode_environment(urls["host"], registry, trust, uat_key_dir, settings_file)
        return _start(servers, urls, registry, secret, admin, eas_key_dir,
                      {**extra, **(host_overrides or {})}, cookie, settings_file, eas_token_lifetime)
    except BaseException:
        for server in servers.values():
            server.server_close()
        raise


def _mode_environment(host_url: str, registry: Path, trust: str, uat_key_dir: Path | None,
                      settings_file: Path | None) -> dict[str, str]:
    """Host settings for UAT mode and for a settings file the host re-reads (rotation)."""
    extra: dict[str, str] = {}
    if trust == "uat":
        site_id = json.loads(registry.read_text(encoding="utf-8"))["sites"][0]["id"]
        extra.update(uat_mode.uat_host_environment(host_url, site_id, uat_key_dir))
    if settings_file is not None:
        extra["SIGNING_SETTINGS_FILE"] = str(settings_file)
    return extra


def _start(servers: dict[str, BaseWSGIServer], urls: dict[str, str], registry: Path, secret: str,
           admin: str, eas_key_dir: Path | None, host_overrides: dict[str, str] | None,
           session_cookie: str | None, settings_file: Path | None = None,
           eas_token_lifetime: int = 300) -> Sandbox:
    from app import create_app as create_host  # the launcher may import the host, never the reverse
    from host.extension import current_host_of

    eas_secret = secrets.token_urlsafe(32)
    data = json.loads(registry.read_text(encoding="utf-8"))
    # Tableau trusts the demo EAS server-wide (Register EAS to Enable SSO for Embedded Content): it
    # fetches the issuer's metadata and JWKS.
    data.setdefault("authorizationServers", []).append({"issuer": urls["eas"]})
    if session_cookie:
        data["sessionCookie"] = session_cookie
    # ${SANDBOX_SECRET_VALUE} in the registry takes the generated connected-app secret.
    simulator = create_simulator(data, public_url=urls["simulator"], admin_token=admin,
                                 env={SECRET_ENV: secret})
    eas = create_eas(issuer=urls["eas"], key_dir=eas_key_dir, clients=[{
        "client_id": EAS_CLIENT_ID, "client_secret": eas_secret,
        "redirect_uris": [f"{urls['host']}/auth/eas/callback"],
        # Signing out of the host ends the EAS session too, then comes back to the host's home.
        "post_logout_redirect_uris": [f"{urls['host']}/"]}],
        # The simulator's admin credential guards the EAS's admin API too (rotate eas-key).
        token_lifetime_seconds=eas_token_lifetime, admin_token=admin)
    # Only the sandbox's own settings (plus explicit overrides), never the caller's environment:
    # a stray TOKEN_LIFETIME_SECONDS or USERS_FILE in a shell must not change the demo or tests.
    # The host's state (sessions, limits) in a file of this sandbox's own, gone at stop: the demo's
    # secret key is new at each start anyway, and tests never share counters or sessions.
    state_dir = Path(tempfile.mkdtemp(prefix="sandbox-state-"))
    env = {**host_environment(urls["simulator"], urls["eas"], urls["host"], data, secret, admin,
                              eas_secret),
           "STATE_STORE_URL": f"sqlite:///{state_dir / 'state.db'}",
           **(host_overrides or {})}
    if settings_file is not None:  # before the host starts: it reads its secrets from the file
        write_sandbox_env(env, settings_file)
    host = create_host({"ENV": env})
    for role, app in (("simulator", simulator), ("eas", eas), ("host", host)):
        _run(servers[role], app, role)
    if "UAT_ISSUER" in env:  # Tableau (the simulator) learns where the host's keys are
        uat_mode.register_with_simulator(current_host_of(host).settings)
    return Sandbox(host_url=urls["host"], simulator_url=urls["simulator"], eas_url=urls["eas"],
                   admin_token=admin, simulator=simulator, eas=eas, host=host,
                   _servers=list(servers.values()), host_env=env, _state_dir=state_dir)
