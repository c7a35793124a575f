"""STATE_STORE_URL: what each form opens, and a clear error naming the setting otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from host.state import DEFAULT_STATE_STORE_URL, StateConfigError
from host.state.url import RedisTarget, SqliteTarget, parse_state_url


def test_the_default_is_a_file_in_the_folder_given(tmp_path: Path) -> None:
    assert parse_state_url(DEFAULT_STATE_STORE_URL, tmp_path) == SqliteTarget(tmp_path / "state.db")


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///data/state.db", "BASE/data/state.db"),
    ("sqlite:////var/lib/host/state.db", "/var/lib/host/state.db"),
    ("/var/lib/host/state.db", "/var/lib/host/state.db"),
    ("state.db", "BASE/state.db"),
    ("  SQLITE:///state.db  ", "BASE/state.db"),
])
def test_file_forms(tmp_path: Path, url: str, expected: str) -> None:
    target = parse_state_url(url, tmp_path)
    assert target == SqliteTarget(Path(expected.replace("BASE", str(tmp_path))))


def test_redis_urls_keep_the_url_and_hide_the_password() -> None:
    assert parse_state_url("redis://cache:6379/1") == RedisTarget("redis://cache:6379/1", "redis://cache:6379/1")
    target = parse_state_url("rediss://user:s3cret@cache.example:6380/0")
    assert target.url == "rediss://user:s3cret@cache.example:6380/0"
    assert target.shown == "rediss://user:***@cache.example:6380/0"


@pytest.mark.parametrize(("url", "says"), [
    ("", "STATE_STORE_URL is empty"),
    ("memcached://cache:11211", "unsupported scheme 'memcached'"),
    ("sqlite://", "names no file"),
    ("sqlite:///:memory:", "in-memory database"),
    ("sqlite://relative.db", "not a file path"),
    ("redis://", "names no Redis host"),
    ("redis://:pw@cache:port/0", "bad port"),
])
def test_bad_urls_name_the_setting_and_the_forms(url: str, says: str) -> None:
    with pytest.raises(StateConfigError) as raised:
        parse_state_url(url)
    assert "STATE_STORE_URL" in str(raised.value)
    assert says in str(raised.value)
    assert ":pw@" not in str(raised.value)  # no password, even a short one
