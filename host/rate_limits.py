"""Abuse limits: fixed-window counters in the shared state store, through the `limits` library.

Why not Flask-Limiter's decorators: its Limiter keeps one storage per Limiter object, so a
module-level limiter cannot serve two apps in one process (the demo's threads, the tests), and its
limits are fixed when views are declared while these come from each app's settings.
"""

from __future__ import annotations

import math
import time

from flask import request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from host.state import limiter_storage_options, limiter_storage_uri


class RateLimited(TooManyRequests):
    """429, with how long to wait (sent as Retry-After)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests. Wait a little and try again.")
        self.retry_after = retry_after


class RateLimits:
    def __init__(self, state_store_url: str, instance_path: str) -> None:
        storage = storage_from_string(limiter_storage_uri(state_store_url, instance_path),
                                      **limiter_storage_options(state_store_url))
        self._limiter = FixedWindowRateLimiter(storage)

    def hit(self, rate: str, *identity: str) -> None:
        """Count one request against `rate` for `identity`; raise RateLimited when over it."""
        for item in parse_many(rate):
            if not self._limiter.hit(item, *identity):
                raise RateLimited(self._retry_after(item, identity))

    def check(self, rate: str, *identity: str) -> None:
        """Raise RateLimited when `identity` is already over `rate`, without counting."""
        for item in parse_many(rate):
            if not self._limiter.test(item, *identity):
                raise RateLimited(self._retry_after(item, identity))

    def _retry_after(self, item: RateLimitItem, identity: tuple[str, ...]) -> int:
        reset_at = self._limiter.get_window_stats(item, *identity).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def client_id() -> str:
    """Who is asking: the client's address (behind proxies, as TRUSTED_PROXIES makes it)."""
    return request.remote_addr or "unknown"
