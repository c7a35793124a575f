"""The simulator's Embedding API library under node (embedding_library.test.mjs, a stub DOM)."""

import shutil
import subprocess
from pathlib import Path

import pytest

NODE_TEST = Path(__file__).with_name("embedding_library.test.mjs")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_sign_in_answers_and_chains() -> None:
    result = subprocess.run(["node", "--test", str(NODE_TEST)], capture_output=True, text=True,  # noqa: S603,S607
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
