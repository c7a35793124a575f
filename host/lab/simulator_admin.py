"""The simulator's admin API, over HTTP with the admin bearer credential: the calls the lab needs.

The host drives the simulator this way (docs/simulator.md), never by importing sandbox code, so the
lab works against a simulator started on its own too.
"""

from __future__ import annotations

from typing import Any

import requests

from config import LabSettings, Settings

REST_VERSION = "3.22"
# An origin no allowlist admits: the simulator then answers the sign-in without CORS headers.
BLOCKED_ONLY = "https://elsewhere.example"
# The simulator's session cookie modes (docs/simulator.md, "Session cookie"): "cross-site" is
# SameSite=None; Secure, a third-party cookie on the host's pages when the two are on different
# sites; "partitioned" adds Partitioned (CHIPS), which survives blocked third-party cookies.
COOKIE_MODES = ("lax", "cross-site", "partitioned")


class LabError(RuntimeError):
    """The simulator refused or could not be reached; the message says which."""


class SimulatorAdmin:
    """The few admin calls the lab needs, over HTTP with the admin bearer credential."""

    def __init__(self, settings: Settings, lab: LabSettings) -> None:
        self._server = settings.tableau_server_url
        self._lab = lab
        self._app_path = (f"/api/{REST_VERSION}/sites/{lab.site_id}/connected-applications/"
                          f"{settings.direct.client_id}")
        self._secret_id = settings.direct.signing_secret.id

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              timeout: float = 5) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._lab.admin_token}", "Accept": "application/json"}
        try:
            response = requests.request(method, self._server + path, json=body, headers=headers,
                                        timeout=timeout)
        except requests.RequestException as exc:
            raise LabError(f"the simulator is not reachable ({exc.__class__.__name__})") from exc
        if response.status_code >= 400:
            raise LabError(f"the simulator refused {method} {path}: HTTP {response.status_code}")
        return response

    def fail_next_sign_in(self, code: int) -> None:
        self._call("PUT", "/_simulator/faults", {"failNextSignIn": code})

    def set_app_enabled(self, enabled: bool) -> None:
        self._call("PUT", self._app_path, {"connectedApplication": {"enabled": enabled}})

    def revoke_secret(self) -> None:
        self._call("DELETE", f"{self._app_path}/secrets/{self._secret_id}")

    def block_this_origin(self) -> None:
        self._call("PUT", self._app_path, {"connectedApplication": {"domainSafelist": BLOCKED_ONLY}})
        site = {"site": {"unrestrictedEmbedding": False, "allowList": BLOCKED_ONLY}}
        self._call("PUT", f"/api/{REST_VERSION}/sites/{self._lab.site_id}/settings/embedding", site)

    def session_cookie(self) -> str | None:
        """The simulator's session cookie mode in force; None when it has no such switch."""
        try:
            faults = self._call("GET", "/_simulator/faults", timeout=2).json().get("faults", {})
        except ValueError as exc:
            raise LabError("the simulator answered GET /_simulator/faults with no JSON") from exc
        mode = faults.get("sessionCookie")
        return mode if mode in COOKIE_MODES else None

    def set_session_cookie(self, mode: str) -> None:
        self._call("PUT", "/_simulator/faults", {"sessionCookie": mode})

    def set_down(self, down: bool) -> None:
        self._call("PUT", "/_simulator/faults", {"down": down})

    def reset(self) -> None:
        self._call("POST", "/_simulator/faults/reset")
