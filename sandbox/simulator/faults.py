"""The fault switch: make the simulator misbehave on purpose (set through the admin API)."""

import time
from dataclasses import dataclass

from .codes import SignInError


@dataclass
class Faults:
    fail_next_sign_in: int | None = None  # answer the next sign-in with this documented code
    latency_ms: int = 0  # delay every answer
    server_error: int | None = None  # answer every request with this 5xx status
    down: bool = False  # answer 503 without CORS headers: in a browser, a failed request
    session_cookie: str | None = None  # a model.COOKIE_MODES value overriding the registry's

    def before_sign_in(self) -> None:
        """Raise the one-shot sign-in failure, if armed (then disarm it)."""
        code, self.fail_next_sign_in = self.fail_next_sign_in, None
        if code is not None:
            raise SignInError(code, "forced by the simulator's fault switch")

    def delay(self) -> None:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
