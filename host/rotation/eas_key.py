"""Rotate the demo EAS's signing key with zero failed loads: publish a second key in the EAS's JWKS
while the old one signs, check that the JWKS the host and Tableau fetch lists it, switch the EAS to
sign with it, wait the EAS's token lifetime so every token the old key signed expires, then remove
the old key.

Nothing changes on the host: its verifier (host/eas/verify.py) keeps the EAS's keys and fetches
the JWKS again when a token names a kid it does not hold, so the first token the new key signs
finds it there, because the key was published before it signed. The simulator fetches the JWKS at
every sign-in. Both are driven over HTTP: the EAS through its admin API (eas_admin.py).
"""

from __future__ import annotations

import re
from typing import Any

import requests

from config import EasSettings
from host.rotation.eas_admin import EasAdmin
from host.rotation.run import Rotation, RotationError

STEPS = 5
_MAX_AGE = re.compile(r"max-age=(\d+)")


def rotate_eas_key(rotation: Rotation, drain_seconds: int | None = None) -> None:
    eas = rotation.settings.eas
    if eas is None:
        raise RotationError("no EAS is configured (EAS_ISSUER): there is no EAS key to rotate")
    admin = EasAdmin(eas.issuer, rotation.lab)
    held = admin.keys()
    others = [kid for kid in held.kids if kid != held.signing]
    if others:
        raise RotationError(
            f"the EAS already publishes a key besides the one it signs with ({', '.join(others)}): "
            "finish or undo that rotation first: remove it once no token it signed can be alive "
            "(python -m sandbox.eas remove-key --kid KID; docs/rotation.md)")
    rotation.steps = STEPS
    old = held.signing
    new = admin.add_key()
    rotation.step(f"the EAS made a second signing key, kid {new}, published in its JWKS beside the "
                  f"old one ({old}), which still signs")
    rotation.step("check that the JWKS the host and Tableau fetch lists the new key")
    _confirm_published(rotation, eas, new)
    rotation.step(f"switch the EAS to sign with the new key {new}: its next tokens carry that kid")
    admin.sign_with(new)
    rotation.drain(drain_seconds, held.token_lifetime_seconds,
                   f"the EAS's token lifetime, {held.token_lifetime_seconds} s,")
    admin.remove_key(old)
    rotation.step(f"removed the old key {old}: the EAS's JWKS holds the new key alone")


def _confirm_published(rotation: Rotation, eas: EasSettings, kid: str) -> None:
    jwks_uri = _fetch(eas.metadata_url)[0].get("jwks_uri")
    if not isinstance(jwks_uri, str):
        raise RotationError(f"the EAS's metadata ({eas.metadata_url}) names no jwks_uri")
    key_set, cache_control = _fetch(jwks_uri)
    keys = key_set.get("keys")
    kids = [k.get("kid") for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []
    if kid not in kids:
        raise RotationError(f"{jwks_uri} does not list the new key {kid}: signing was not switched. "
                            "Is EAS_ISSUER the demo EAS whose admin API answered?")
    max_age = _MAX_AGE.search(cache_control)
    real = (f"its Cache-Control max-age, {max_age.group(1)} s" if max_age
            else "as long as it may cache the JWKS")
    rotation.out(f"  {jwks_uri} lists {len(kids)} keys, the new one among them. No cache to wait out "
                 "here: the host's verifier fetches the JWKS again for a kid it does not hold, and "
                 f"the simulator at every sign-in (a real Tableau may cache it: wait {real})")


def _fetch(url: str) -> tuple[dict[str, Any], str]:
    """A JSON object from `url` and the answer's Cache-Control (RotationError when unreadable)."""
    try:
        answer = requests.get(url, timeout=5)
        answer.raise_for_status()
        data = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise RotationError(f"cannot read {url} ({exc.__class__.__name__}); is the demo running?") from exc
    if not isinstance(data, dict):
        raise RotationError(f"{url} answered with no JSON object")
    return data, answer.headers.get("Cache-Control", "")
