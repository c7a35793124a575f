"""Node.js for the tests that run the served JavaScript."""

from __future__ import annotations

import os
import shutil

import pytest


def node() -> str:
    """The node executable; without one, fail in CI and skip elsewhere with how to get it."""
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI")
        pytest.skip("node not found (install Node.js 20+)")
    return found
