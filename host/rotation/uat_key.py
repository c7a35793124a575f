"""Rotate the host's UAT signing key in the sandbox with zero failed loads: publish a new key beside
the old one, make sure the key set Tableau fetches shows it, switch signing, wait until no token
signed with the old key can be presented, then publish the new key alone and destroy the old one.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests

from host.embed.uat_keys import generate_key_file, key_set
from host.rotation.run import Rotation, RotationError
from host.rotation.sandbox_admin import AdminError
from host.wording import count

STEPS = 5


def rotate_uat_key(rotation: Rotation, drain_seconds: int | None = None) -> None:
    uat = rotation.settings.uat
    if uat is None:
        raise RotationError("TRUST_MODE has no uat: there is no UAT key to rotate")
    if uat.spare_key is not None:
        raise RotationError(f"a second key ({uat.spare_key.name}) is already configured: finish or "
                            "undo that rotation first (docs/rotation.md)")
    rotation.steps = STEPS
    old = uat.signing_key
    draft = old.parent / f".new-{uuid.uuid4().hex}.pem"
    signer = generate_key_file(draft)
    new = old.parent / f"uat-key-{signer.key_id[:12]}.pem"
    draft.rename(new)  # named after its kid; the mode (0600) stays
    rotation.step(f"made a new key {new.name} (kid {signer.key_id}), published beside the old one "
                  "(UAT_KEY_2_FILE); the old key still signs")
    rotation.write({"UAT_KEY_2_FILE": str(new), "UAT_SIGNING_KEY": "1"})
    _publish_inline(rotation)
    rotation.step("check that the key set Tableau fetches has the new key")
    _confirm_published(rotation, signer.key_id)
    rotation.step("switch signing to the new key (UAT_SIGNING_KEY=2)")
    rotation.write({"UAT_SIGNING_KEY": "2"})
    rotation.drain(drain_seconds)
    rotation.step(f"publish the new key alone (UAT_KEY_FILE={new.name}) and delete the old private "
                  f"key {old.name}")
    rotation.write({"UAT_KEY_FILE": str(new), "UAT_KEY_2_FILE": None, "UAT_SIGNING_KEY": "1"})
    _publish_inline(rotation)
    old.unlink(missing_ok=True)


def _registered(rotation: Rotation) -> dict[str, Any] | None:
    try:
        return rotation.admin.uat_configuration()
    except AdminError as exc:
        raise RotationError(str(exc)) from exc


def _publish_inline(rotation: Rotation) -> None:
    """A configuration holding the keys inline (not a JWKS URI) gets the host's key set as it is."""
    registered = _registered(rotation)
    if registered is not None and "jwks" in registered and rotation.settings.uat is not None:
        rotation.admin.put_uat_configuration({**_without_empty(registered),
                                              "jwks": key_set(rotation.settings.uat)})
        rotation.out("  the UAT configuration's inline key set now matches the host's")


def _confirm_published(rotation: Rotation, kid: str) -> None:
    registered = _registered(rotation)
    if registered is None:
        raise RotationError("the site has no UAT configuration: register the host's (docs/uat.md)")
    if "jwks" in registered:
        kids = [k.get("kid") for k in registered["jwks"].get("keys", [])]
        where = "the UAT configuration's inline key set"
    else:
        where = registered.get("jwksUri", "")
        kids = _kids_at(where)
    if kid not in kids:
        raise RotationError(f"{where} does not show the new key {kid}: signing was not switched. "
                            "Is the configuration's JWKS URI this host's /.well-known/jwks.json?")
    rotation.out(f"  {where} has {count(len(kids), 'key')}, the new one among them; the simulator fetches "
                 "it at every sign-in, so there is no cache to wait out (a real Tableau: wait "
                 f"UAT_JWKS_MAX_AGE_SECONDS={rotation.settings.uat.jwks_max_age} s)")


def _kids_at(url: str) -> list[str]:
    try:
        keys = requests.get(url, timeout=5).json().get("keys", [])
    except (requests.RequestException, ValueError, AttributeError) as exc:
        raise RotationError(f"cannot read the key set at {url} ({exc.__class__.__name__})") from exc
    return [k.get("kid") for k in keys if isinstance(k, dict)]


def _without_empty(registered: dict[str, Any]) -> dict[str, Any]:
    # The admin API shows unset fields as null; a PUT takes them absent.
    return {k: v for k, v in registered.items() if v is not None}
