"""Unified access token settings (TRUST_MODE uat): the host signs RS256 JWTs with its own key.

Tableau trusts them through a UAT configuration made in Tableau Cloud Manager ("Unified access
tokens"): an issuer, a tenant (and optionally a site), the claim that names the user, the scopes it
allows and where the public keys are (this host serves them at /.well-known/jwks.json). The values
here must be the ones registered there.

The private keys are PEM files (`flask tableau uat-key` makes one under instance/, mode 0600); they
are checked here so that a missing, unreadable, encrypted or short key stops the start with its
fix, and read again by the signer (host/embed/mint_uat.py, through uat_token.py). Two keys make
rotation possible (docs/rotation.md): both are published, the one UAT_SIGNING_KEY names signs.

The functions take the settings reader of config/__init__.py (`r`) as an argument: this module is
imported by it, so it imports nothing from it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from tableau_rules.claims import MIN_RSA_KEY_BITS, RESERVED_CLAIMS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_KEY_FILE = "instance/uat-key.pem"
DEFAULT_USERNAME_CLAIM = "email"
# What a UAT configuration typically allows: the three embedding scopes (Authentication and
# Embedding, "Scope (scp)"). REST calls need more (e.g. tableau:content:read): list them too.
DEFAULT_SCOPES = "tableau:views:embed tableau:views:embed_authoring tableau:insights:embed"
DEFAULT_JWKS_MAX_AGE = 300
KEYGEN_HINT = "make one with: flask tableau uat-key"
# Claims with a meaning of their own cannot name the user; 'sub' can.
_NOT_USERNAME = RESERVED_CLAIMS - {"sub"}
_SCOPE = re.compile(r"tableau:[a-z_]+:([a-z_]+|\*)")


@dataclass(frozen=True)
class UatSettings:
    """How this host mints unified access tokens; the values registered in Tableau Cloud Manager."""

    issuer: str  # the token's 'iss', exactly as registered
    tenant_id: str  # https://tableau.com/tenantId
    site_id: str | None  # https://tableau.com/siteId, when the configuration names a site
    username_claim: str  # the claim holding the Tableau username (default "email")
    scopes: tuple[str, ...]  # the scopes the configuration allows: the host never sends others
    signing_key: Path  # PEM private key that signs
    spare_key: Path | None  # the other key while rotating: published, not signing
    jwks_url: str | None  # where Tableau fetches this host's key set (doctor checks it)
    jwks_max_age: int  # Cache-Control max-age of /.well-known/jwks.json, in seconds

    @property
    def key_files(self) -> tuple[Path, ...]:
        """Every key to publish: the signing key first."""
        return (self.signing_key,) if self.spare_key is None else (self.signing_key, self.spare_key)


def read_uat(r: Any, modes: list[str], sandbox: bool) -> UatSettings | None:
    """The UAT settings with TRUST_MODE uat (alone or beside others); None without it."""
    if "uat" not in modes:
        return None
    signing, spare = read_uat_keys(r)
    return UatSettings(
        issuer=r.required("UAT_ISSUER", "the issuer registered in the UAT configuration (the "
                          "token's 'iss'), e.g. https://app.example.com"),
        tenant_id=r.required("UAT_TENANT_ID", "your Tableau Cloud Manager tenant ID (the token's "
                             "https://tableau.com/tenantId)"),
        site_id=r.text("UAT_SITE_ID") or None,
        username_claim=_username_claim(r),
        scopes=_scopes(r),
        signing_key=signing,
        spare_key=spare,
        jwks_url=_jwks_url(r, sandbox),
        jwks_max_age=r.integer("UAT_JWKS_MAX_AGE_SECONDS", DEFAULT_JWKS_MAX_AGE, 0, 86_400,
                               "how long Tableau and proxies may cache this host's key set"),
    )


def read_uat_keys(r: Any) -> tuple[Path, Path | None]:
    """The signing key and the spare (UAT_KEY_FILE, UAT_KEY_2_FILE, UAT_SIGNING_KEY), each checked."""
    first = _key_file(r, "UAT_KEY_FILE", r.text("UAT_KEY_FILE") or DEFAULT_KEY_FILE)
    second = None
    if r.text("UAT_KEY_2_FILE"):
        second = _key_file(r, "UAT_KEY_2_FILE", r.text("UAT_KEY_2_FILE"))
    choice = r.text("UAT_SIGNING_KEY", "1")
    if choice == "1":
        return first, second
    if choice == "2" and second is not None:
        return second, first
    if choice == "2":
        r.problems.append("UAT_SIGNING_KEY=2 but UAT_KEY_2_FILE is not set")
    else:
        r.problems.append(f"UAT_SIGNING_KEY={choice!r} must be 1 or 2")
    return first, second


def _key_file(r: Any, name: str, raw: str) -> Path:
    path = Path(raw) if Path(raw).is_absolute() else PROJECT_DIR / raw
    problem = key_file_problem(path)
    if problem:
        r.problems.append(f"{name}: {problem}")
    return path


def key_file_problem(path: Path) -> str:
    """Why the PEM file at `path` cannot sign UATs, or "" when it can (never shows its content)."""
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        return f"no key at {path}; {KEYGEN_HINT}"
    except OSError as exc:
        return f"cannot read {path} ({exc.strerror}); the host's user must be able to read it"
    kind, bits = _pem_kind(pem)
    if kind == "encrypted":
        return f"{path} is encrypted: the host reads unencrypted PEM keys (keep the file mode 0600)"
    if kind == "not-pem":
        return f"{path} is not a PEM private key; {KEYGEN_HINT}"
    if kind == "not-rsa":
        return f"{path} is not an RSA key: unified access tokens are RS256"
    if bits < MIN_RSA_KEY_BITS:
        return f"{path} is a {bits}-bit key, under {MIN_RSA_KEY_BITS}; {KEYGEN_HINT}"
    return ""


@lru_cache(maxsize=64)
def _pem_kind(pem: bytes) -> tuple[str, int]:
    """("rsa", bits), or ("encrypted" | "not-pem" | "not-rsa", 0). Loading a key checks it, which
    takes tens of milliseconds: once per key and process (settings are read again on rotation)."""
    try:
        key = load_pem_private_key(pem, password=None)
    except TypeError:
        return "encrypted", 0
    except ValueError:
        return "not-pem", 0
    if not isinstance(key, rsa.RSAPrivateKey):
        return "not-rsa", 0
    return "rsa", key.key_size


def key_file_is_private(path: Path) -> bool:
    """No one but the owner may read or write the key (mode 0600 or stricter)."""
    return os.name != "posix" or path.stat().st_mode & 0o077 == 0


def _username_claim(r: Any) -> str:
    claim = r.text("UAT_USERNAME_CLAIM", DEFAULT_USERNAME_CLAIM)
    if not claim or claim in _NOT_USERNAME:
        r.problems.append(f"UAT_USERNAME_CLAIM={claim!r} is a claim with its own meaning: use the "
                          "claim your UAT configuration names the user by (default email)")
    return claim


def _scopes(r: Any) -> tuple[str, ...]:
    scopes = tuple(r.text("UAT_SCOPES", DEFAULT_SCOPES).split())
    odd = [s for s in scopes if not _SCOPE.fullmatch(s)]
    if odd or not scopes:
        r.problems.append(f"UAT_SCOPES={' '.join(scopes)!r}: list scopes such as tableau:views:embed, "
                          "separated by spaces")
    return scopes


def _jwks_url(r: Any, sandbox: bool) -> str | None:
    url = r.text("UAT_JWKS_URL")
    if url and not url.startswith(("https://", "http://")):
        r.problems.append(f"UAT_JWKS_URL={url!r} is not an absolute http(s) URL")
    elif url.startswith("http://") and not sandbox:
        r.problems.append(f"UAT_JWKS_URL={url!r} must use https outside the sandbox")
    return url or None
