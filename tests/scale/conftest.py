"""Scale tests: real gunicorn processes sharing a real redis-server or one SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.state.redis_server import RedisServer, redis_server_binary

pytestmark = pytest.mark.multiprocess


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    # appendonly: sessions survive a Redis restart, as a production Redis holding them should run
    server = RedisServer(redis_server_binary(), tmp_path / "redis", appendonly=True)
    server.start()
    yield server
    server.stop()
