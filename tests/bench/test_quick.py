"""Each bench in quick mode, as CI runs it: it exits 0 and its last line is its ratio line.

No timing is asserted: the numbers belong in bench/RESULTS.md, not in a pass/fail.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.multiprocess  # each bench starts gunicorn servers

ROOT = Path(__file__).resolve().parents[2]
RATIO_LINE = re.compile(r"^ratio .+: min \d+\.\d\d median \d+\.\d\d$")


def run_quick(name: str) -> list[str]:
    finished = subprocess.run([sys.executable, "-m", f"bench.{name}", "--quick"], cwd=ROOT,  # noqa: S603
                              capture_output=True, text=True, timeout=600, check=False)
    assert finished.returncode == 0, f"bench.{name} --quick failed:\n{finished.stderr[-4000:]}"
    lines = finished.stdout.strip().splitlines()
    assert lines, f"bench.{name} --quick printed nothing"
    assert RATIO_LINE.match(lines[-1]), f"last line is not a ratio line: {lines[-1]!r}"
    return lines


def test_mint_quick_prints_the_mint_ratio_last():
    lines = run_quick("mint")
    assert lines[-1].startswith("ratio mint/jwt.encode:")


def test_http_quick_shows_the_generator_outpaces_the_project_and_ends_with_the_token_api_ratio():
    lines = run_quick("http")
    assert any(line.startswith("load generator: drove") for line in lines)
    assert lines[-1].startswith("ratio POST /api/token/bare POST (req/s):")


def test_scale_quick_compares_one_and_two_workers():
    lines = run_quick("scale")
    assert lines[-1].startswith("ratio token API 2 workers/1 worker:")


def test_sessions_quick_reports_memory_per_user_and_the_full_store_ratio():
    lines = run_quick("sessions")
    assert any(re.search(r"\d+ bytes per signed-in user", line) for line in lines)
    assert re.match(r"ratio token API [\d,]+ sessions/empty store: min [\d.]+ median [\d.]+$", lines[-1])


@pytest.mark.browser
def test_browser_quick_times_every_viz_and_weighs_the_host_files():
    lines = run_quick("browser")
    assert any(line.startswith("host JS:") for line in lines)
    assert lines[-1].startswith("ratio dashboard/minimal page")
