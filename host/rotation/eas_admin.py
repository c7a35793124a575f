"""The demo EAS's admin API (its signing keys; docs/eas.md, "Admin API"), over HTTP with the
sandbox's admin bearer credential (SANDBOX_ADMIN_TOKEN, which the demo gives the EAS too), never by
importing sandbox code. Only kids travel: no key material.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from config import LabSettings
from host.rotation.sandbox_admin import AdminError, admin_call

KEYS_PATH = "/_eas/keys"


@dataclass(frozen=True)
class EasKeys:
    """What the EAS publishes and signs with, and how long its tokens live."""

    signing: str
    kids: tuple[str, ...]
    token_lifetime_seconds: int


class EasAdmin:
    """Adds a signing key, switches signing to it and removes the old one, at the demo EAS."""

    def __init__(self, issuer: str, lab: LabSettings) -> None:
        # The admin API sits beside the EAS's other endpoints, under its issuer URL.
        self._base = issuer.rstrip("/")
        self._token = lab.admin_token

    def keys(self) -> EasKeys:
        return _keys(self._call("GET", KEYS_PATH), "GET")

    def add_key(self) -> str:
        """A new key's kid: published in the EAS's JWKS at once, not signing yet."""
        kid = self._call("POST", KEYS_PATH).get("kid")
        if not isinstance(kid, str) or not kid:
            raise AdminError("the EAS answered POST /_eas/keys without the new key's kid")
        return kid

    def sign_with(self, kid: str) -> EasKeys:
        return _keys(self._call("PUT", f"{KEYS_PATH}/signing", {"kid": kid}), "PUT")

    def remove_key(self, kid: str) -> None:
        self._call("DELETE", f"{KEYS_PATH}/{kid}")

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = admin_call(self._base, self._token, "the demo EAS", method, path, body)
        if answer.status_code == 404:  # a GET: an EAS without this admin API
            raise AdminError(f"{self._base} has no {KEYS_PATH}: is EAS_ISSUER the demo EAS?")
        if answer.status_code == 204:
            return {}
        try:
            data = answer.json()
        except ValueError as exc:
            raise AdminError(f"the demo EAS answered {method} {path} without JSON") from exc
        if not isinstance(data, dict):
            raise AdminError(f"the demo EAS answered {method} {path} with no JSON object")
        return data


def _keys(data: dict[str, Any], method: str) -> EasKeys:
    signing, kids, lifetime = data.get("signing"), data.get("keys"), data.get("tokenLifetimeSeconds")
    if (not isinstance(signing, str) or not isinstance(kids, list) or signing not in kids
            or not isinstance(lifetime, int) or isinstance(lifetime, bool) or lifetime <= 0):
        raise AdminError(f"the demo EAS's answer to {method} {KEYS_PATH} lacks its signing kid, "
                         "its kids or its token lifetime")
    return EasKeys(signing, tuple(str(k) for k in kids), lifetime)
