"""In-memory storage for clients, authorization codes and refresh tokens (one process, a demo).

Values are looked up by their SHA-256 digest, so a dump of this store holds no usable code or
token. A lock makes every check-and-mark step atomic: two requests racing with one code or one
refresh token cannot both win.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from .models import AuthorizationCode, Client, RefreshToken, digest


class Store:
    def __init__(self, clients: Iterable[Client], clock: Callable[[], float] = time.time) -> None:
        self._clients = {c.client_id: c for c in clients}
        self._codes: dict[bytes, AuthorizationCode] = {}
        self._refresh: dict[bytes, RefreshToken] = {}
        self._revoked_families: set[str] = set()
        self._lock = threading.Lock()
        self.clock = clock

    def client(self, client_id: str) -> Client | None:
        return self._clients.get(client_id)

    # -- authorization codes -------------------------------------------------------------

    def save_code(self, code: str, record: AuthorizationCode) -> None:
        with self._lock:
            self._purge()
            self._codes[digest(code)] = record

    def take_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        """The code's record, marked used; None when unknown, another client's, expired or used.

        A used code is kept until it expires so that a replay is recognised: RFC 6749 §4.1.2 says
        the server MUST deny it and SHOULD revoke the tokens issued from it.
        """
        with self._lock:
            record = self._codes.get(digest(code))
            if record is None or record.client_id != client_id:
                return None
            if record.used:
                self._revoke_family(record.family)
                return None
            if record.expires_at <= self.clock():
                return None
            record.used = True
            return record

    def nonce_used(self, client_id: str, nonce: str) -> bool:
        """OpenID Connect Core §15.5.2: a nonce seen recently from this client is a replay."""
        with self._lock:
            return any(c.client_id == client_id and c.nonce == nonce for c in self._codes.values())

    # -- refresh tokens ------------------------------------------------------------------

    def save_refresh(self, token: str, record: RefreshToken) -> None:
        with self._lock:
            self._purge()
            if record.family in self._revoked_families:
                record.revoked = True
            self._refresh[digest(token)] = record

    def find_refresh(self, token: str) -> RefreshToken | None:
        """A live refresh token; presenting a rotated one revokes its whole family (RFC 9700 §4.14.2)."""
        with self._lock:
            record = self._refresh.get(digest(token))
            if record is None or record.expires_at <= self.clock():
                return None
            if record.revoked:
                self._revoke_family(record.family)
                return None
            return record

    def rotate(self, record: RefreshToken) -> bool:
        """Retire a refresh token after use; False when another request already retired it."""
        with self._lock:
            if record.revoked:
                self._revoke_family(record.family)
                return False
            record.revoked = True
            return True

    def family_revoked(self, family: str) -> bool:
        with self._lock:
            return family in self._revoked_families

    # -- internals -----------------------------------------------------------------------

    def _revoke_family(self, family: str) -> None:
        self._revoked_families.add(family)
        for record in self._refresh.values():
            if record.family == family:
                record.revoked = True

    def _purge(self) -> None:
        """Forget expired codes and refresh tokens so memory stays bounded."""
        now = self.clock()
        self._codes = {k: v for k, v in self._codes.items() if v.expires_at > now}
        self._refresh = {k: v for k, v in self._refresh.items() if v.expires_at > now}
