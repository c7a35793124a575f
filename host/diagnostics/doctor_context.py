"""What every doctor check takes and gives: the Context it looks at, and its Lines (ok, warn, fail)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from config import Settings
from host.signin.users import UserDirectory

OK, WARN, FAIL = "ok", "warn", "fail"
TIMEOUT = (3.0, 5.0)  # connect, read: a doctor must answer quickly even when Tableau does not


@dataclass(frozen=True)
class Line:
    status: str
    check: str
    message: str
    fix: str = ""

    def render(self) -> str:
        fix = f" -> {self.fix}" if self.fix and self.status != OK else ""
        return f"{self.status:<4} {self.check}: {self.message}{fix}"

    def as_dict(self) -> dict[str, str]:
        return {"status": self.status, "check": self.check, "message": self.message, "fix": self.fix}


@dataclass
class Context:
    """What the checks look at; `http` and `clock` are replaceable for tests."""

    settings: Settings
    users: UserDirectory | None = None
    http: Any = field(default_factory=requests.Session)
    clock: Callable[[], float] = time.time
    _library: tuple[requests.Response | None, str] | None = None

    def library(self) -> tuple[requests.Response | None, str]:
        """The library response (fetched once, shared by the library and clock checks)."""
        if self._library is None:
            url = self.settings.library_url
            try:
                self._library = (self.http.get(url, timeout=TIMEOUT), "")
            except requests.RequestException as exc:
                self._library = (None, f"cannot reach {url} ({type(exc).__name__})")
        return self._library
