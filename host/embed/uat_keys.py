"""The host's UAT signing keys: making a new one, and the public key set Tableau fetches.

A key is a PEM file (PKCS#8, unencrypted, mode 0600) under instance/ by default, never committed
(.gitignore has instance/). Its `kid` is the RFC 7638 thumbprint of its public half (mint_uat.py),
so the file alone is the whole key: nothing to keep in step.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config import UatSettings
from host.embed.mint_uat import UatSigner, load_signer

log = logging.getLogger(__name__)
DEFAULT_BITS = 3072
ALLOWED_BITS = (2048, 3072, 4096)


class KeyFileExists(FileExistsError):
    """A key file is never overwritten: the old key may still be the one Tableau trusts."""


def generate_key_file(path: Path, bits: int = DEFAULT_BITS) -> UatSigner:
    """A new RSA key written to `path` (created with mode 0600, its folder 0700); its signer."""
    if bits not in ALLOWED_BITS:
        raise ValueError(f"key size {bits}: use one of {', '.join(map(str, ALLOWED_BITS))}")
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise KeyFileExists(f"{path} exists; a key is never overwritten (choose another --out)") from exc
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return UatSigner(pem)


def signers(uat: UatSettings) -> list[UatSigner]:
    """The signer of every published key, the signing one first. A spare key that can no longer be
    read (deleted at the end of a rotation while a request still had the settings from before) is
    left out; the signing key must load."""
    found = [load_signer(uat.signing_key)]
    if uat.spare_key is not None:
        try:
            found.append(load_signer(uat.spare_key))
        except (OSError, ValueError) as exc:
            log.warning("UAT spare key %s left out of the key set: %s", uat.spare_key,
                        exc.__class__.__name__)
    return found


def key_set(uat: UatSettings) -> dict[str, Any]:
    """The public JWKS: every key in use (two while rotating), never a private part."""
    return {"keys": [signer.public_jwk() for signer in signers(uat)]}


def key_ids(uat: UatSettings) -> tuple[str, ...]:
    return tuple(signer.key_id for signer in signers(uat))
