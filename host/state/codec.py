"""Values go into the store as JSON text, never pickle.

A shared store is only as trusted as everyone who can write to it: a pickled value read back
would run whatever code the writer chose, a JSON value is only data.
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger(__name__)


def encode(value: Any) -> str:
    """JSON text for `value`; None is refused because get() answers None for "absent"."""
    if value is None:
        raise ValueError("the state store cannot hold None: get() and take() use None for absent")
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"state values must be JSON-serialisable (dict, list, str, number, bool): {exc}"
        ) from exc


def decode(text: str | bytes | None) -> Any:
    """The value stored as `text`; None when absent or not JSON (someone else wrote it)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError, UnicodeDecodeError):
        # Neither the key nor the value is logged: a key can hold a session id.
        log.warning("a state store value is not JSON; treated as absent")
        return None


def check_ttl(seconds: float, name: str = "ttl_seconds") -> None:
    """Every entry expires: a store that only grows is one a flood can fill."""
    if not seconds > 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {seconds!r}")
