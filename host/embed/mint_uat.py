"""Unified access tokens (UAT) for Tableau Cloud: one function of plain values, signed with your own
RSA key.

Copy this file alone into your own application: it needs PyJWT with its crypto extra
(`pip install "PyJWT[crypto]"`) and the standard library. The token follows Tableau's "Unified
access tokens" (Tableau Cloud Manager) and "Authentication and Embedding" pages: header `alg`
RS256 and `kid` (the key's ID in the key set you registered); claims `iss` (the registered issuer),
the username claim (default `email`), `https://tableau.com/tenantId`, optionally
`https://tableau.com/siteId`, `scp` (a list), `exp` (at most 10 minutes ahead), `iat`, a fresh `jti`.
The key's ID is its RFC 7638 thumbprint unless you give one, so the same key always has the same
`kid` and publishing it needs no extra file.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt.algorithms import RSAAlgorithm
from jwt.utils import base64url_encode

ALGORITHM = "RS256"  # UATs are RS256 only
MIN_KEY_BITS = 2048
MAX_LIFETIME_SECONDS = 600  # Tableau refuses an exp more than 10 minutes ahead (10096)
TENANT_CLAIM = "https://tableau.com/tenantId"
SITE_CLAIM = "https://tableau.com/siteId"
GROUPS_CLAIM = "https://tableau.com/groups"


class UatSigner:
    """One RSA private key, loaded once and ready to sign; the header segment is built once."""

    def __init__(self, private_key_pem: bytes, key_id: str | None = None) -> None:
        self._rsa = RSAAlgorithm(RSAAlgorithm.SHA256)
        self._key = self._rsa.prepare_key(private_key_pem)  # InvalidKeyError for anything else
        if not isinstance(self._key, RSAPrivateKey):
            raise ValueError("a UAT is signed with an RSA private key, not a public one")
        if self._key.key_size < MIN_KEY_BITS:
            raise ValueError(f"the key has {self._key.key_size} bits; Tableau needs {MIN_KEY_BITS} or more")
        self._public = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        self.key_id = key_id or key_thumbprint(self._public)
        self.header = {"alg": ALGORITHM, "kid": self.key_id, "typ": "JWT"}
        self._header_segment = _segment(self.header, sort_keys=True)

    def __repr__(self) -> str:  # never show the key
        return f"UatSigner(kid={self.key_id!r})"

    @property
    def key_size(self) -> int:
        return self._key.key_size

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK for your key set (/.well-known/jwks.json)."""
        public = {k: v for k, v in self._public.items() if k != "key_ops"}  # 'use' says it (RFC 7517)
        return {**public, "kid": self.key_id, "use": "sig", "alg": ALGORITHM}

    def public_pem(self) -> bytes:
        """The public half as PEM, for a configuration that takes one public key and its ID."""
        return self._key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)

    def payload_segment(self, claims: Mapping[str, Any]) -> bytes:
        """The claims as the token's second part (ValueError for NaN or infinity: not JSON)."""
        return _segment(claims)

    def token_size(self, payload_segment: bytes) -> int:
        """The signed token's size in bytes (Tableau refuses over 8000: 10103)."""
        signature_chars = (4 * (self.key_size // 8) + 2) // 3  # base64url without padding
        return len(self._header_segment) + len(payload_segment) + 2 + signature_chars

    def sign(self, payload_segment: bytes) -> str:
        signing_input = self._header_segment + b"." + payload_segment
        signature = base64url_encode(self._rsa.sign(signing_input, self._key))
        return (signing_input + b"." + signature).decode("ascii")


def load_signer(path: str | Path) -> UatSigner:
    """The signer for the PEM file at `path`, read once (again only when the file changes)."""
    found = os.stat(path)
    return _cached_signer(str(path), found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=8)  # the keys in use: at most two while rotating
def _cached_signer(path: str, _mtime_ns: int, _size: int) -> UatSigner:
    return _signer_for(Path(path).read_bytes())


@lru_cache(maxsize=8)  # loading checks the RSA key (tens of ms): once per key, whatever its path
def _signer_for(private_key_pem: bytes) -> UatSigner:
    return UatSigner(private_key_pem)


def key_thumbprint(public_jwk: Mapping[str, Any]) -> str:
    """RFC 7638: SHA-256 of the key's required members (e, kty, n) as compact sorted JSON."""
    required = {name: public_jwk[name] for name in ("e", "kty", "n")}
    digest = hashlib.sha256(json.dumps(required, separators=(",", ":"), sort_keys=True).encode())
    return base64url_encode(digest.digest()).decode("ascii")


def _segment(part: Mapping[str, Any], sort_keys: bool = False) -> bytes:
    text = json.dumps(part, separators=(",", ":"), sort_keys=sort_keys, allow_nan=False)
    return base64url_encode(text.encode("utf-8"))


@dataclass(frozen=True)
class UatToken:
    """A signed UAT and when it expires."""

    token: str
    expires_at: int

    def __repr__(self) -> str:  # never show the token in logs or tracebacks
        return f"UatToken(expires_at={self.expires_at}, token=<hidden>)"


def mint_unified_access_token(
    *,
    signer: UatSigner,
    issuer: str,
    tenant_id: str,
    username: str,
    scopes: Sequence[str],
    username_claim: str = "email",
    site_id: str | None = None,
    lifetime_seconds: int = 300,
    extra_claims: Mapping[str, Any] | None = None,
    groups: Sequence[str] = (),
    now: float | None = None,
    check: Callable[[Mapping[str, Any], Mapping[str, Any], int], None] | None = None,
) -> UatToken:
    """A fresh RS256 UAT that signs `username` in to Tableau Cloud for the given scopes.

    Claims are computed at every call (each token needs its own jti: 10091). `username` is
    Tableau's, case sensitive (5), carried in `username_claim`. `extra_claims` are user attributes
    and never override the claims above. `check(header, claims, size)`, when given, runs before
    signing and may raise to refuse.
    """
    issued = int(time.time() if now is None else now)
    expires = issued + min(lifetime_seconds, MAX_LIFETIME_SECONDS)
    claims: dict[str, Any] = {**(extra_claims or {})}
    if groups:
        claims[GROUPS_CLAIM] = list(groups)
    claims.update({
        "iss": issuer,
        username_claim: username,
        TENANT_CLAIM: tenant_id,
        "exp": expires,
        "iat": issued,
        "jti": str(uuid.uuid4()),
        "scp": list(scopes),  # a JSON list, never a string (10097)
    })
    if site_id:
        claims[SITE_CLAIM] = site_id
    payload = signer.payload_segment(claims)
    if check is not None:
        check(signer.header, claims, signer.token_size(payload))
    return UatToken(token=signer.sign(payload), expires_at=expires)
