"""A real redis-server for the tests: own port, own folder, started and stopped by the test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

READY_WITHIN_SECONDS = 15  # a guard against a hung start, not a timing assertion


def redis_server_binary() -> str:
    """redis-server's path; fails in CI (it must be there), skips with the fix elsewhere."""
    path = shutil.which("redis-server")
    if path:
        return path
    message = ("redis-server is not installed: scripts/test installs it as root "
               "(apt-get install redis-server), or install it yourself")
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run the Redis tests.")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, binary: str, directory: Path, appendonly: bool = False) -> None:
        self.binary = binary
        self.directory = directory
        self.appendonly = appendonly
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # No RDB snapshots; the append-only file only where a test restarts Redis and expects
        # its data back (as a production Redis holding sessions should run: appendonly yes).
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                   "--dir", str(self.directory), "--save", "",
                   "--appendonly", "yes" if self.appendonly else "no",
                   "--logfile", str(self.directory / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        self._wait_until_ready()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis flushes its append-only file and exits
            self.process.wait(timeout=READY_WITHIN_SECONDS)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        with self.client() as probe:
            while True:
                if self.process is None or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server exited; see {self.directory / 'redis.log'}")
                try:
                    probe.ping()
                    return
                except redis.RedisError:  # not listening yet, or still loading its data
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
