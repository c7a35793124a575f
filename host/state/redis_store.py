"""A StateStore in Redis, for several machines: one command (or one MULTI) per operation.

redis-py reconnects on the next command after Redis comes back, so the store recovers by itself;
until then every operation raises StateUnavailable within about a second (short socket timeouts,
two quick retries for a blip) instead of hanging the request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import LockNotOwnedError, RedisError
from redis.retry import Retry

from host.state.base import StateStore
from host.state.codec import check_ttl, decode, encode
from host.state.errors import LockTimeout, StateUnavailable

log = logging.getLogger(__name__)
KEY_PREFIX = "state:"  # keeps clear of other users of the same Redis (limits uses "LIMITS:")
CLIENT_OPTIONS: dict[str, Any] = {
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    "health_check_interval": 15,  # a connection idle that long is checked before use
}


def retry_policy() -> Retry:
    """Two quick retries for a blip (a failover, a dropped connection), then give up."""
    return Retry(ExponentialWithJitterBackoff(cap=0.5, base=0.05), retries=2)


class RedisStore(StateStore):
    def __init__(self, url: str, shown_url: str) -> None:
        self._shown = shown_url  # password replaced: this goes into messages
        # Bytes, not decode_responses: a value someone else wrote need not even be UTF-8.
        self._redis = redis.Redis.from_url(url, retry=retry_policy(), **CLIENT_OPTIONS)

    def get(self, key: str) -> Any:
        with self._errors():
            return decode(self._redis.get(KEY_PREFIX + key))

    def set(self, key: str, value: Any, ttl_seconds: float) -> None:
        check_ttl(ttl_seconds)
        with self._errors():
            self._redis.set(KEY_PREFIX + key, encode(value), px=_ms(ttl_seconds))

    def add(self, key: str, value: Any, ttl_seconds: float) -> bool:
        check_ttl(ttl_seconds)
        with self._errors():
            return bool(self._redis.set(KEY_PREFIX + key, encode(value), px=_ms(ttl_seconds), nx=True))

    def replace(self, key: str, value: Any) -> bool:
        with self._errors():
            return bool(self._redis.set(KEY_PREFIX + key, encode(value), xx=True, keepttl=True))

    def take(self, key: str) -> Any:
        with self._errors():
            return decode(self._redis.getdel(KEY_PREFIX + key))

    def delete(self, key: str) -> None:
        with self._errors():
            self._redis.delete(KEY_PREFIX + key)

    def index_add(self, index_key: str, member: str, score: float, ttl_seconds: float) -> None:
        check_ttl(ttl_seconds)
        with self._errors(), self._redis.pipeline(transaction=True) as multi:
            multi.zadd(KEY_PREFIX + index_key, {member: score})
            multi.pexpire(KEY_PREFIX + index_key, _ms(ttl_seconds))
            multi.execute()

    def index_members(self, index_key: str) -> list[str]:
        with self._errors():
            return _texts(self._redis.zrange(KEY_PREFIX + index_key, 0, -1))

    def index_remove(self, index_key: str, *members: str) -> None:
        if members:
            with self._errors():
                self._redis.zrem(KEY_PREFIX + index_key, *members)

    def index_trim(self, index_key: str, keep: int) -> list[str]:
        if keep < 0:
            raise ValueError(f"keep must be 0 or more, not {keep}")
        # Read and remove in one MULTI: what is read is exactly what is removed.
        with self._errors(), self._redis.pipeline(transaction=True) as multi:
            multi.zrange(KEY_PREFIX + index_key, 0, -(keep + 1))
            multi.zremrangebyrank(KEY_PREFIX + index_key, 0, -(keep + 1))
            removed, _ = multi.execute()
        return _texts(removed)

    @contextmanager
    def lock(self, name: str, timeout_seconds: float, wait_seconds: float | None = None) -> Iterator[None]:
        # redis-py's Lock: SET NX PX with a random token, released only by the token's owner.
        check_ttl(timeout_seconds, "timeout_seconds")
        wait = timeout_seconds if wait_seconds is None else wait_seconds
        lock = self._redis.lock(f"{KEY_PREFIX}lock:{name}", timeout=timeout_seconds, blocking_timeout=wait)
        with self._errors():
            if not lock.acquire():
                raise LockTimeout(f"A state lock stayed held for more than {wait:g} s; try again.")
        try:
            yield
        finally:
            self._release(lock, timeout_seconds)

    def ping(self) -> None:
        with self._errors():
            self._redis.ping()

    def close(self) -> None:
        self._redis.close()

    def _release(self, lock: redis.lock.Lock, timeout_seconds: float) -> None:
        try:
            with self._errors():
                lock.release()
        except StateUnavailable as exc:
            if isinstance(exc.__cause__, LockNotOwnedError):
                log.warning("a state lock expired before its holder released it (timeout %g s): "
                            "the work under it took too long", timeout_seconds)
            else:  # the work is done; failing the request now would help nobody. The key expires.
                log.warning("could not release a state lock (%s); it frees itself within %g s",
                            exc, timeout_seconds)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except RedisError as exc:
            raise StateUnavailable(
                f"The state store (Redis at {self._shown}) cannot answer ({type(exc).__name__}: "
                f"{str(exc)[:200]}): check that redis-server is running and that STATE_STORE_URL "
                "points at it."
            ) from exc


def _texts(members: list[bytes]) -> list[str]:
    return [member.decode() for member in members]


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))
