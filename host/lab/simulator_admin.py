"""The simulator's admin API, over HTTP with the admin bearer credential: the calls the lab needs.

The host drives the simulator this way (docs/simulator.md), never by importing sandbox code, so the
lab works against a simulator started on its own too. The connected-app calls need direct trust
configured; the UAT calls change the site's UAT configuration (host/rotation/sandbox_admin.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config import LabSettings, Settings
from host.embed.mint_uat import UatSigner
from host.rotation.sandbox_admin import AdminError, SandboxAdmin, admin_call

REST_VERSION = "3.22"
# An origin no allowlist admits: the simulator then answers the sign-in without CORS headers.
BLOCKED_ONLY = "https://elsewhere.example"
# The simulator's session cookie modes (docs/simulator.md, "Session cookie"): "cross-site" is
# SameSite=None; Secure, a third-party cookie on the host's pages when the two are on different
# sites; "partitioned" adds Partitioned (CHIPS), which survives blocked third-party cookies.
COOKIE_MODES = ("lax", "cross-site", "partitioned")
# Where a UAT configuration says its public keys are (sandbox/simulator/uat_config.py): one of these.
UAT_KEY_SOURCES = ("jwksUri", "jwks", "publicKey", "keyId")


class SimulatorAdmin:
    """The few admin calls the lab needs, over HTTP with the admin bearer credential."""

    def __init__(self, settings: Settings, lab: LabSettings) -> None:
        self._server = settings.tableau_server_url
        self._lab = lab
        direct = settings.direct  # None with TRUST_MODE uat (or eas) alone: no connected app
        self._app_path = None if direct is None else (
            f"/api/{REST_VERSION}/sites/{lab.site_id}/connected-applications/{direct.client_id}")
        self._secret_id = None if direct is None else direct.signing_secret.id
        self._uat = SandboxAdmin(settings.tableau_server_url, lab)

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              timeout: float = 5) -> requests.Response:
        return admin_call(self._server, self._lab.admin_token, "the simulator", method, path, body,
                          timeout)

    def fail_next_sign_in(self, code: int) -> None:
        self._call("PUT", "/_simulator/faults", {"failNextSignIn": code})

    def _connected_app(self) -> str:
        if self._app_path is None:
            raise AdminError("no connected app is configured here (TRUST_MODE has no direct)")
        return self._app_path

    def set_app_enabled(self, enabled: bool) -> None:
        self._call("PUT", self._connected_app(), {"connectedApplication": {"enabled": enabled}})

    def revoke_secret(self) -> None:
        self._call("DELETE", f"{self._connected_app()}/secrets/{self._secret_id}")

    def set_uat_enabled(self, enabled: bool) -> None:
        """A disabled UAT configuration: the simulator answers 10090, as for a disabled app."""
        self._put_uat({**self._uat_configuration(), "enabled": enabled})

    def revoke_uat_key(self) -> None:
        """The UAT configuration trusts one key that is not this host's: what revoking the secret
        is to direct trust. The host's tokens name a `kid` Tableau no longer has (10085)."""
        kept = {k: v for k, v in self._uat_configuration().items() if k not in UAT_KEY_SOURCES}
        self._put_uat({**kept, "jwks": {"keys": [_stand_in_key()]}})

    def _uat_configuration(self) -> dict[str, Any]:
        configuration = self._uat.uat_configuration()
        if configuration is None:
            raise AdminError("the simulator's site has no UAT configuration: reset the simulator, "
                           "which registers this host's again")
        return configuration

    def _put_uat(self, configuration: dict[str, Any]) -> None:
        self._uat.put_uat_configuration(configuration)

    def block_this_origin(self) -> None:
        # The connected app's allowlist holds direct-trust tokens; the site's, UATs and EAS tokens.
        if self._app_path is not None:
            self._call("PUT", self._app_path,
                       {"connectedApplication": {"domainSafelist": BLOCKED_ONLY}})
        site = {"site": {"unrestrictedEmbedding": False, "allowList": BLOCKED_ONLY}}
        self._call("PUT", f"/api/{REST_VERSION}/sites/{self._lab.site_id}/settings/embedding", site)

    def session_cookie(self) -> str | None:
        """The simulator's session cookie mode in force; None when it has no such switch."""
        try:
            faults = self._call("GET", "/_simulator/faults", timeout=2).json().get("faults", {})
        except ValueError as exc:
            raise AdminError("the simulator answered GET /_simulator/faults with no JSON") from exc
        mode = faults.get("sessionCookie")
        return mode if mode in COOKIE_MODES else None

    def set_session_cookie(self, mode: str) -> None:
        self._call("PUT", "/_simulator/faults", {"sessionCookie": mode})

    def set_down(self, down: bool) -> None:
        self._call("PUT", "/_simulator/faults", {"down": down})

    def reset(self) -> None:
        self._call("POST", "/_simulator/faults/reset")


@cache
def _stand_in_key() -> dict[str, Any]:
    """The public half of a key made for the lab and never kept: nothing can sign with it. Made
    once per process (RSA generation is slow); it is public, so keeping it is harmless."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return UatSigner(pem).public_jwk()
