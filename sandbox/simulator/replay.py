"""Used JWT IDs (Troubleshoot Connected Apps: 10091 JTI_ALREADY_USED, 10100 JTI_PERSISTENCE_FAILED)."""

from .codes import SignInError
from .expiring import ExpiringMap


class JtiPersistenceError(RuntimeError):
    """The JWT ID store cannot be read or written (Troubleshoot Connected Apps: 10100);
    raised by the fault switch."""


class JtiStore:
    """Every (issuer, jti) accepted until its token expires; after that 'exp' refuses it anyway,
    so the entry is forgotten."""

    def __init__(self) -> None:
        self._used: ExpiringMap[tuple[str, str], bool] = ExpiringMap()
        self.available = True

    def consume(self, issuer: str, jti: str, expires_at: float, now: float) -> None:
        """Record a first use of `jti`; raise the documented code for a reuse or a store failure."""
        try:
            if self.is_used(issuer, jti, now):
                raise SignInError(10091, "this 'jti' was already used to sign in")
            self.record(issuer, jti, expires_at, now)
        except JtiPersistenceError as exc:
            raise SignInError(10100, "the JWT ID could not be stored") from exc

    def is_used(self, issuer: str, jti: str, now: float) -> bool:
        self._require_available()
        return self._used.get((issuer, jti), now) is not None

    def record(self, issuer: str, jti: str, expires_at: float, now: float) -> None:
        self._require_available()
        self._used.put((issuer, jti), True, expires_at, now)

    def __len__(self) -> int:
        return len(self._used)

    def _require_available(self) -> None:
        if not self.available:
            raise JtiPersistenceError("the JWT ID store is unavailable")
