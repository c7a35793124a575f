"""UAT keys for the tests: PEM files made once per session (RSA generation is slow) and copied."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from sandbox.servers import Sandbox, start_sandbox

TENANT_ID = "3c1e8f0a-9d2b-4c6a-8e7f-5a4b3c2d1e0f"
ISSUER = "https://host.example/uat"


@cache
def pem(bits: int = 2048, index: int = 0) -> bytes:
    """An unencrypted PKCS#8 RSA key; `index` tells apart keys of the same size."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def write_key(path: Path, bits: int = 2048, index: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pem(bits, index))
    os.chmod(path, 0o600)
    return path


def ec_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def encrypted_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(b"passphrase"))


def uat_env(key_file: Path, **overrides: str | None) -> dict[str, str | None]:
    """The UAT settings beside tests.conftest.base_env (pass through base_env(**uat_env(...)))."""
    return {"TRUST_MODE": "uat", "UAT_ISSUER": ISSUER, "UAT_TENANT_ID": TENANT_ID,
            "UAT_KEY_FILE": str(key_file), **overrides}


def running_uat_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The whole sandbox in UAT mode (as `scripts/demo --trust uat`), for a module-scoped fixture:
    `yield from running_uat_sandbox(tmp_path_factory)`."""
    running = start_sandbox(trust="uat", uat_key_dir=tmp_path_factory.mktemp("uat-keys"),
                            eas_key_dir=tmp_path_factory.mktemp("eas-keys"))
    yield running
    running.stop()
