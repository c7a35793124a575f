"""The EAS's RSA signing keys: generated with joserfc, kept in one private file, rotated by kid.

File `<key_dir>/signing-keys.json` (mode 0600, directory 0700, under the gitignored instance/):
    {"active": "<kid>", "keys": [<private JWK>, ...]}
The active key signs; every key in the file is published in the JWKS, so tokens signed before a
rotation still verify until `remove-key`, and a key added with `add-key` is published before it
signs (`use-key`). The server re-reads the file when it changes, so the CLI (or the admin API,
admin.py) can rotate keys under a running EAS.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from tableau_rules.claims import MIN_RSA_KEY_BITS

# Register EAS to Enable SSO for Embedded Content: an asymmetric signature; RS256 is what Tableau's
# examples use.
ALGORITHM = "RS256"
# Register EAS to Enable SSO for Embedded Content, error 10088: RSA keys of at least 2048 bits
KEY_BITS = max(2048, MIN_RSA_KEY_BITS)
KEYS_FILE = "signing-keys.json"
DEFAULT_KEY_DIR = Path(__file__).resolve().parents[2] / "instance" / "eas-keys"


class KeyStoreError(ValueError):
    """The key file is missing, unreadable, or holds a key Tableau would refuse."""


class NoSuchKey(KeyStoreError):
    """No key in the file has the kid asked for."""


class KeyInUse(KeyStoreError):
    """The kid asked for is the signing key, which cannot be removed."""


class KeyStore:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / KEYS_FILE
        self._lock = threading.Lock()
        # One change at a time in this process (admin API requests run in threads): each change
        # reads the file, then writes it whole.
        self._changing = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._active = ""
        self._keys: list[RSAKey] = []

    # -- what the server uses --------------------------------------------------------------

    def signing_key(self) -> RSAKey:
        active, keys = self._current()
        return next(k for k in keys if k.kid == active)

    def private_key_set(self) -> KeySet:
        """All private keys; joserfc picks the one the JWS header's kid names."""
        return KeySet(list(self._current()[1]))

    def public_jwks(self) -> dict[str, Any]:
        """RFC 7517 JWK Set with public members only."""
        return {"keys": [k.as_dict(private=False) for k in self._current()[1]]}

    def kids(self) -> tuple[str, list[str]]:
        active, keys = self._current()
        return active, [k.kid for k in keys]

    # -- what the CLI does -----------------------------------------------------------------

    def ensure(self) -> None:
        """Create the directory and a first key when there is none (first start)."""
        if not self.path.exists():
            self.rotate()

    def rotate(self) -> str:
        """Add a new key and make it the signing key; returns its kid."""
        key = _new_key()
        with self._changing:
            active, keys = self._read() if self.path.exists() else ("", [])
            self._write(key.kid, [*keys, key])
        return key.kid

    def add(self) -> str:
        """Add a new key, published in the JWKS while the active key goes on signing; returns its
        kid. Relying parties that cache the JWKS can fetch it before it signs (then `use`)."""
        key = _new_key()  # outside the lock: generating an RSA key takes a while
        with self._changing:
            active, keys = self._read()
            self._write(active, [*keys, key])
        return key.kid

    def use(self, kid: str) -> None:
        """Make the key `kid` (already in the file, so already published) the signing key."""
        with self._changing:
            _, keys = self._read()
            self._known(kid, keys)
            self._write(kid, keys)

    def remove(self, kid: str) -> None:
        with self._changing:
            active, keys = self._read()
            self._known(kid, keys)
            if kid == active:
                raise KeyInUse(f"kid {kid!r} is the active signing key; make another key sign first "
                               "(use-key or rotate-keys)")
            self._write(active, [k for k in keys if k.kid != kid])

    def _known(self, kid: str, keys: list[RSAKey]) -> None:
        if kid not in [k.kid for k in keys]:
            raise NoSuchKey(f"no key with kid {kid!r} in {self.path}")

    # -- file handling ---------------------------------------------------------------------

    def _current(self) -> tuple[str, list[RSAKey]]:
        with self._lock:
            try:
                st = self.path.stat()
            except FileNotFoundError:
                raise KeyStoreError(f"no key file at {self.path}; run rotate-keys to create one") from None
            except OSError as exc:
                raise KeyStoreError(f"cannot read {self.path}: {exc.strerror}") from exc
            seen = (st.st_mtime_ns, st.st_size, st.st_ino)
            if seen != self._seen:
                self._active, self._keys = self._read()
                self._seen = seen
            return self._active, self._keys

    def _read(self) -> tuple[str, list[RSAKey]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            keys = [_imported(json.dumps(item, sort_keys=True)) for item in data["keys"]]
            active = data["active"]
        except FileNotFoundError:
            raise KeyStoreError(f"no key file at {self.path}; run rotate-keys to create one") from None
        except (OSError, ValueError, KeyError, TypeError, JoseError) as exc:
            raise KeyStoreError(f"cannot use {self.path}: {exc.__class__.__name__}") from exc
        _check_keys(self.path, active, keys)
        return active, keys

    def _write(self, active: str, keys: list[RSAKey]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = {"active": active, "keys": [k.as_dict(private=True) for k in keys]}
        # Write then rename: a reader never sees half a file (os.replace is atomic on POSIX).
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _new_key() -> RSAKey:
    """A new signing key whose kid (its RFC 7638 thumbprint) does not start with "-": such a kid
    reads as an option to `remove-key --kid` (one in 64 did)."""
    while True:
        key = RSAKey.generate_key(KEY_BITS, parameters={"use": "sig", "alg": ALGORITHM}, auto_kid=True)
        if not key.kid.startswith("-"):
            return key


@lru_cache(maxsize=32)
def _imported(jwk_json: str) -> RSAKey:
    # Importing a private RSA key checks it (tens of ms); every EAS app of a process (tests make
    # many) reads the same few keys. RSAKey is not changed after import.
    return RSAKey.import_key(json.loads(jwk_json))


def _check_keys(path: Path, active: str, keys: list[RSAKey]) -> None:
    kids = [k.kid for k in keys]
    if not keys or active not in kids or len(set(kids)) != len(kids) or None in kids:
        raise KeyStoreError(f"{path}: needs unique kids and an 'active' kid naming one of them")
    for key in keys:
        if not key.is_private:
            raise KeyStoreError(f"{path}: key {key.kid!r} has no private part")
        if key.raw_value.key_size < MIN_RSA_KEY_BITS:
            # Register EAS to Enable SSO for Embedded Content: Tableau refuses RSA keys under 2048 bits
            # (10088).
            raise KeyStoreError(f"{path}: key {key.kid!r} is under {MIN_RSA_KEY_BITS} bits")
