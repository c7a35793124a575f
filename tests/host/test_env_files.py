"""The settings file the demo shares with `flask tableau …`, and where `.env` is read from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config import env_files


def test_the_demo_settings_file_is_private_and_reads_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "sandbox.env"
    values = {"APP_ENV": "sandbox", "TABLEAU_SECRET_VALUE": "a$b#c d=${HOME}"}
    env_files.write_sandbox_env(values, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    found = env_files.running_demo_settings(path)
    assert found is not None and found.values == values and found.pid == os.getpid()


def test_rewriting_keeps_the_file_private(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.env"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    env_files.write_sandbox_env({"APP_ENV": "sandbox"}, path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_only_the_demo_that_wrote_it_removes_it(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.env"
    env_files.write_sandbox_env({"APP_ENV": "sandbox"}, path, pid=os.getpid() + 1)
    env_files.remove_sandbox_env(path)  # another demo's file: stays
    assert path.exists()
    env_files.remove_sandbox_env(path, pid=os.getpid() + 1)
    assert not path.exists()


def test_a_value_that_cannot_be_written_literally_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="quote or a newline"):
        env_files.write_sandbox_env({"X": "it's"}, tmp_path / "sandbox.env")


def test_no_file_no_demo(tmp_path: Path) -> None:
    assert env_files.running_demo_settings(tmp_path / "none.env") is None
    (tmp_path / "other.env").write_text("APP_ENV=sandbox\n", encoding="utf-8")  # not the demo's
    assert env_files.running_demo_settings(tmp_path / "other.env") is None


def test_the_file_location_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANDBOX_ENV_FILE", raising=False)
    assert env_files.sandbox_env_path() == env_files.PROJECT_DIR / "instance" / "sandbox.env"
    monkeypatch.setenv("SANDBOX_ENV_FILE", "instance/other.env")
    assert env_files.sandbox_env_path() == env_files.PROJECT_DIR / "instance" / "other.env"
