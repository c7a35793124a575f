"""A host with TRUST_MODE uat: its key in a temporary folder, signed in through the real forms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from tests.conftest import base_env
from tests.uat_keys import uat_env, write_key


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return write_key(tmp_path / "uat-key.pem")


@pytest.fixture
def uat_app(key_file: Path) -> Iterator[Flask]:
    yield create_app({"ENV": base_env(**uat_env(key_file)), "TESTING": True})
