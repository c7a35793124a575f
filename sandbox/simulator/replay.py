"""Used JWT IDs (000: 10091 JTI_ALREADY_USED, 10100 JTI_PERSISTENCE_FAILED)."""

from .codes import SignInError


class JtiPersistenceError(RuntimeError):
    """The JWT ID store cannot be read or written (000: 10100); raised by the fault switch."""


class JtiStore:
    """Every (issuer, jti) accepted until its token expires; after that 'exp' refuses it anyway."""

    def __init__(self) -> None:
        self._used: dict[tuple[str, str], float] = {}
        self.available = True

    def consume(self, issuer: str, jti: str, expires_at: float, now: float) -> None:
        """Record a first use of `jti`; raise the documented code for a reuse or a store failure."""
        try:
            if self.is_used(issuer, jti, now):
                raise SignInError(10091, "this 'jti' was already used to sign in")  # 000: 10091
            self.record(issuer, jti, expires_at)
        except JtiPersistenceError as exc:
            raise SignInError(10100, "the JWT ID could not be stored") from exc  # 000: 10100

    def is_used(self, issuer: str, jti: str, now: float) -> bool:
        self._require_available()
        self._forget_expired(now)
        return (issuer, jti) in self._used

    def record(self, issuer: str, jti: str, expires_at: float) -> None:
        self._require_available()
        self._used[(issuer, jti)] = expires_at

    def _require_available(self) -> None:
        if not self.available:
            raise JtiPersistenceError("the JWT ID store is unavailable")

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, expires_at in self._used.items() if expires_at <= now]:
            del self._used[key]
