"""The simulator's admin API calls a rotation needs (secrets, the UAT configuration), over HTTP with
the admin bearer credential (SANDBOX_ADMIN_TOKEN; docs/simulator.md), never by importing sandbox
code. The demo launcher registers the host's UAT configuration through it too. `admin_call` serves
the demo EAS's admin API (eas_admin.py) and the failure lab's calls (host/lab) as well.
"""

from __future__ import annotations

from typing import Any

import requests

from config import LabSettings, Settings, UatSettings

REST_VERSION = "3.27"


class AdminError(RuntimeError):
    """The simulator (or the demo EAS) refused a call or could not be reached; the message says
    which (no secret)."""


def admin_call(base_url: str, token: str, who: str, method: str, path: str,
               body: dict[str, Any] | None = None, timeout: float = 5) -> requests.Response:
    """One admin API call with the bearer credential; a GET's 404 is an answer, other 4xx/5xx raise."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    try:
        answer = requests.request(method, base_url + path, json=body, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise AdminError(f"{who} at {base_url} is not reachable "
                         f"({exc.__class__.__name__}); is the demo running?") from exc
    if answer.status_code >= 400 and not (method == "GET" and answer.status_code == 404):
        raise AdminError(f"{who} refused {method} {path}: HTTP {answer.status_code} {_detail(answer)}")
    return answer


class SandboxAdmin:
    """Secrets of a connected app and the site's UAT configuration, on the simulator."""

    def __init__(self, server_url: str, lab: LabSettings) -> None:
        self._server = server_url.rstrip("/")
        self._token = lab.admin_token
        self.site_path = f"/api/{REST_VERSION}/sites/{lab.site_id}"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        return admin_call(self._server, self._token, "the simulator", method, path, body)

    # --- connected-app secrets ---

    def secret_ids(self, client_id: str) -> list[str]:
        app = self._call("GET", self._app(client_id)).json()["connectedApplication"]
        return [s["id"] for s in app.get("secrets", {}).get("secret", [])]

    def create_secret(self, client_id: str) -> tuple[str, str]:
        """A new secret's ID and value (the value is shown only here, as Tableau does)."""
        made = self._call("POST", self._app(client_id) + "/secrets").json()["connectedApplicationSecret"]
        return made["id"], made["value"]

    def delete_secret(self, client_id: str, secret_id: str) -> None:
        self._call("DELETE", f"{self._app(client_id)}/secrets/{secret_id}")

    def _app(self, client_id: str) -> str:
        return f"{self.site_path}/connected-applications/{client_id}"

    # --- the site's UAT configuration ---

    def uat_configuration(self) -> dict[str, Any] | None:
        answer = self._call("GET", self.site_path + "/settings/unified-access-token")
        return None if answer.status_code == 404 else answer.json()["unifiedAccessToken"]

    def put_uat_configuration(self, configuration: dict[str, Any]) -> None:
        self._call("PUT", self.site_path + "/settings/unified-access-token",
                   {"unifiedAccessToken": configuration})


def uat_configuration_for(uat: UatSettings, key_set: dict[str, Any] | None = None) -> dict[str, Any]:
    """The UAT configuration matching this host's settings: its JWKS URL, or `key_set` inline."""
    configuration: dict[str, Any] = {
        "enabled": True, "issuer": uat.issuer, "tenantId": uat.tenant_id,
        "usernameClaim": uat.username_claim, "scopes": list(uat.scopes),
    }
    if uat.site_id:
        configuration["siteId"] = uat.site_id
    if key_set is not None:
        configuration["jwks"] = key_set
    elif uat.jwks_url:
        configuration["jwksUri"] = uat.jwks_url
    else:
        raise AdminError("set UAT_JWKS_URL (where the simulator fetches this host's key set)")
    return configuration


def register_host_uat(settings: Settings) -> None:
    """Give the simulator the host's UAT configuration (at the demo's start, after a lab reset)."""
    if settings.uat is None or settings.lab is None:
        raise AdminError("registering a UAT configuration needs TRUST_MODE uat and the sandbox's "
                         "SANDBOX_ADMIN_TOKEN/SANDBOX_SITE_ID")
    admin = SandboxAdmin(settings.tableau_server_url, settings.lab)
    admin.put_uat_configuration(uat_configuration_for(settings.uat))


def _detail(answer: requests.Response) -> str:
    """The refusal's reason: the simulator's REST-style error or the EAS's OAuth-style one."""
    try:
        data = answer.json()
    except ValueError:
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return f"({error.get('code')}: {error.get('detail')})"
    return f"({error}: {data.get('error_description')})" if isinstance(error, str) else ""
