"""`flask` as a user runs it, in a separate process: beside the running demo, with no settings, with
broken ones, with a `.env` in a parent directory. Slow-ish (each starts Python), so few and broad."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from config.env_files import PROJECT_DIR, write_sandbox_env

FLASK = [sys.executable, "-m", "flask"]  # .venv/bin/flask is this interpreter's flask
SETTINGS = ("APP_ENV", "SECRET_KEY", "TABLEAU_SERVER_URL", "TABLEAU_CLIENT_ID", "TABLEAU_SECRET_ID",
            "TABLEAU_SECRET_VALUE", "TRUST_MODE", "USERS_FILE", "VIEWS_FILE", "FLASK_APP")


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any host setting (a fresh shell, as a new user has)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS and not k.startswith(("EAS_", "FLASK_"))}
    return {**env, **extra}


def flask(*args: str, cwd: Path, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([*FLASK, *args], cwd=cwd, env=env, input=stdin, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def fresh_env(no_running_demo: Path) -> dict[str, str]:
    return clean_env(SANDBOX_ENV_FILE=str(no_running_demo))


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The host's files in a directory of their own, so a test can give it its own .env."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(PROJECT_DIR / "app.py", copy)
    for name in ("config", "host", "tableau_rules", "templates", "static"):
        shutil.copytree(PROJECT_DIR / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


# --- no settings, broken settings ---------------------------------------------------------------


def test_help_without_a_dotenv_lists_the_commands_and_no_traceback(project_copy: Path,
                                                                  fresh_env: dict[str, str]) -> None:
    result = flask("--help", cwd=project_copy, env=fresh_env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert re.search(r"^\s+tableau\s", result.stdout, re.MULTILINE)
    assert "cannot start" in result.stderr and "flask tableau doctor" in result.stderr


@pytest.mark.parametrize("dotenv", [
    "APP_ENV=sandbox\nTOKEN_LIFETIME_SECONDS=ten minutes\n",
    "this line is not a setting\nAPP_ENV\n=\n'unclosed\n",
], ids=["bad-values", "bad-syntax"])
def test_help_with_a_broken_dotenv_has_no_traceback(project_copy: Path, fresh_env: dict[str, str],
                                                    dotenv: str) -> None:
    (project_copy / ".env").write_text(dotenv, encoding="utf-8")
    result = flask("--help", cwd=project_copy, env=fresh_env)
    assert result.returncode == 0 and "Traceback" not in result.stderr + result.stdout
    doctor = flask("tableau", "doctor", cwd=project_copy, env=fresh_env)
    assert doctor.returncode == 1 and "Traceback" not in doctor.stderr + doctor.stdout
    assert "fail config: APP_ENV" in doctor.stdout or "TOKEN_LIFETIME_SECONDS" in doctor.stdout


def test_flask_run_still_refuses_to_start(project_copy: Path, fresh_env: dict[str, str]) -> None:
    result = flask("run", "--port", "0", cwd=project_copy, env=fresh_env)
    assert result.returncode != 0
    assert "the embedding host cannot start" in result.stderr and "APP_ENV is not set" in result.stderr


def test_token_without_settings_exits_2_naming_the_problems(project_copy: Path,
                                                          fresh_env: dict[str, str]) -> None:
    result = flask("tableau", "token", "--user", "alice", cwd=project_copy,
                   env=fresh_env)
    assert result.returncode == 2 and result.stdout == ""
    assert "cannot mint a token" in result.stderr and "APP_ENV is not set" in result.stderr


def test_a_dotenv_in_a_parent_directory_is_ignored(project_copy: Path, fresh_env: dict[str, str]) -> None:
    # The project has no .env; its parent has one. Flask's CLI would load it: the host must not.
    (project_copy.parent / ".env").write_text(
        "APP_ENV=sandbox\nTABLEAU_SERVER_URL=http://parent.example\nTABLEAU_CLIENT_ID=from-parent\n"
        "TABLEAU_SECRET_ID=parent-secret\nTABLEAU_SECRET_VALUE=" + "p" * 40 + "\n", encoding="utf-8")
    result = flask("tableau", "doctor", cwd=project_copy, env=fresh_env)
    assert f"ignored {project_copy.parent / '.env'}" in result.stderr
    assert "APP_ENV is not set" in result.stdout and "parent-secret" not in result.stdout


def test_the_project_dotenv_is_read_from_any_working_directory(project_copy: Path, tmp_path: Path,
                                                               fresh_env: dict[str, str]) -> None:
    (project_copy / ".env").write_text("APP_ENV=staging\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = flask("--app", str(project_copy / "app.py"), "tableau", "doctor", cwd=elsewhere,
                   env=fresh_env)
    assert "APP_ENV='staging'" in result.stdout


# --- beside the running demo -------------------------------------------------------------------


@pytest.fixture
def demo(no_running_demo: Path) -> Iterator[tuple[subprocess.Popen, Path]]:
    """scripts/demo's program on free ports, writing its settings to a temporary file."""
    env = clean_env(SANDBOX_ENV_FILE=str(no_running_demo), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.demo", "--port", "0", "--simulator-port", "0", "--eas-port", "0"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:  # the banner comes once the servers listen
            if "flask tableau doctor" in line:
                break
        assert process.poll() is None, process.stderr.read()
        yield process, no_running_demo
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def test_the_cli_works_beside_the_running_demo(demo: tuple[subprocess.Popen, Path]) -> None:
    process, settings_file = demo
    assert settings_file.stat().st_mode & 0o777 == 0o600
    env = clean_env(SANDBOX_ENV_FILE=str(settings_file))
    token = flask("tableau", "token", "--user", "alice", cwd=PROJECT_DIR, env=env)
    assert token.returncode == 0, token.stderr
    assert "using the running demo's settings" in token.stderr
    claims = jwt.decode(token.stdout.strip(), options={"verify_signature": False})
    assert claims["sub"] == "alice@example.com"
    inspected = flask("tableau", "inspect", cwd=PROJECT_DIR, env=env, stdin=token.stdout)
    assert inspected.returncode == 0, inspected.stdout + inspected.stderr
    doctor = flask("tableau", "doctor", cwd=PROJECT_DIR, env=env)
    assert doctor.returncode == 0, doctor.stdout
    assert "ok   library:" in doctor.stdout

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    assert not settings_file.exists()  # gone with the demo
    after = flask("tableau", "token", "--user", "alice", cwd=PROJECT_DIR, env=env)
    assert after.returncode == 2 and "APP_ENV is not set" in after.stderr


def test_a_file_left_by_a_killed_demo_is_ignored(no_running_demo: Path, fresh_env: dict[str, str]) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    write_sandbox_env({"APP_ENV": "sandbox"}, no_running_demo, pid=int(finished.stdout))
    result = flask("tableau", "token", "--user", "alice", cwd=PROJECT_DIR,
                   env=fresh_env)
    assert "is not running" in result.stderr and result.returncode == 2
