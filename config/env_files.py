"""The files settings come from besides the process environment: the project's `.env`, and the
settings file the running demo writes for `flask tableau …` (instance/sandbox.env).

Both are read from the project directory (the one holding app.py) only. python-dotenv's
`find_dotenv` and Flask's CLI walk up from the working directory to the first `.env` they find, so a
`.env` in a parent directory would be loaded silently; this module reads the project's own file by
its path and takes back what Flask's CLI set from a `.env` outside the project.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

import click
from dotenv import dotenv_values, find_dotenv, load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOTENV = PROJECT_DIR / ".env"
DEFAULT_SANDBOX_ENV = PROJECT_DIR / "instance" / "sandbox.env"
_PID_LINE = re.compile(r"^# demo pid: (\d+)$", re.MULTILINE)


def load_project_dotenv(environ: MutableMapping[str, str] = os.environ) -> None:
    """The project's `.env` into `environ`, never over a value already set; nothing from elsewhere."""
    _forget_foreign_dotenv(environ)
    if DOTENV.is_file():
        load_dotenv(DOTENV, override=False)


def _forget_foreign_dotenv(environ: MutableMapping[str, str]) -> None:
    # Flask's CLI (FLASK_RUN_FROM_CLI) has already loaded the nearest .env above the working
    # directory. One outside the project is someone else's: remove the values it set. (A variable
    # the shell exported with exactly the same value goes too; the note says which file.)
    if environ.get("FLASK_RUN_FROM_CLI") != "true":
        return
    found = find_dotenv(".env", usecwd=True)
    if not found or Path(found).resolve().parent == PROJECT_DIR:
        return
    for key, value in dotenv_values(found).items():
        if value is not None and environ.get(key) == value:
            del environ[key]
    click.echo(f"note: ignored {found}: the host reads .env only from {PROJECT_DIR}", err=True)


# --- the running demo's settings, for the CLI --------------------------------------------------


@dataclass(frozen=True)
class DemoSettings:
    """What the running demo wrote: the host's settings and the demo's process ID."""

    values: dict[str, str]
    pid: int
    path: Path


def sandbox_env_path(environ: Mapping[str, str] = os.environ) -> Path:
    """SANDBOX_ENV_FILE, relative to the project directory; default instance/sandbox.env."""
    raw = environ.get("SANDBOX_ENV_FILE", "").strip()
    if not raw:
        return DEFAULT_SANDBOX_ENV
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_DIR / path


def write_sandbox_env(values: Mapping[str, str], path: Path, pid: int | None = None) -> Path:
    """Write the demo's host settings for `flask tableau …`: mode 0600, it holds the demo's secrets."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lines = ["# The running demo's host settings, for `flask tableau …` (scripts/demo writes and",
             "# removes this file; it holds the demo's secrets: never commit or share it).",
             f"# demo pid: {os.getpid() if pid is None else pid}"]
    lines += [f"{key}={_quoted(value)}" for key, value in values.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # an existing file keeps its old mode through os.open
    return path


def remove_sandbox_env(path: Path, pid: int | None = None) -> None:
    """Remove the file if this process (or `pid`) wrote it; a newer demo's file stays."""
    found = _read(path)
    if found is not None and found.pid == (os.getpid() if pid is None else pid):
        path.unlink(missing_ok=True)


def running_demo_settings(path: Path) -> DemoSettings | None:
    """The settings of a demo that is still running; None when there is no file or its demo ended
    (a note says so, since the file is then left over from a demo that was killed)."""
    found = _read(path)
    if found is None:
        return None
    if not _alive(found.pid):
        click.echo(f"note: ignored {path}: the demo that wrote it (pid {found.pid}) is not running",
                   err=True)
        return None
    return found


def _read(path: Path) -> DemoSettings | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = _PID_LINE.search(text)
    if match is None:
        return None
    values = {k: v for k, v in dotenv_values(path, interpolate=False).items() if v is not None}
    return DemoSettings(values=values, pid=int(match.group(1)), path=path)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) is no liveness probe elsewhere
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _quoted(value: str) -> str:
    # Single quotes: python-dotenv takes the value literally (no escapes, no ${...} expansion).
    if "'" in value or "\n" in value:
        raise ValueError("a sandbox setting holds a quote or a newline")
    return f"'{value}'"
