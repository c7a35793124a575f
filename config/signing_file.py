"""SIGNING_SETTINGS_FILE: the signing settings in a file the host re-reads whenever it changes.

A rotation (docs/rotation.md) changes which secret or key signs while pages are open. With this
file, the connected-app secrets, the UAT key files and the choice of which of each signs are read
from it instead of the environment, at start and again at the first token minted after the file
changed, so every worker switches without a restart. Nothing else is read from it: the file may be
a whole settings file (the demo points it at its instance/sandbox.env), only the names below count.

The file is dotenv text (values in single quotes are taken literally). Writers replace it in one
step (`update_settings_file`: a new file renamed over the old), so a reader never sees half of it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The settings this file holds; every other name in it is ignored.
SIGNING_NAMES = (
    "TABLEAU_SECRET_ID", "TABLEAU_SECRET_VALUE", "TABLEAU_SECRET_2_ID", "TABLEAU_SECRET_2_VALUE",
    "TABLEAU_SIGNING_SECRET", "UAT_KEY_FILE", "UAT_KEY_2_FILE", "UAT_SIGNING_KEY",
)


def resolve(raw: str) -> Path:
    """A path as written in a setting: relative ones are to the project directory."""
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_DIR / path


def read_signing_values(path: Path) -> dict[str, str]:
    """The signing settings the file holds now (OSError when it cannot be read)."""
    with path.open(encoding="utf-8") as stream:
        values = dotenv_values(stream=stream, interpolate=False)
    return {k: v for k, v in values.items() if k in SIGNING_NAMES and v is not None}


def with_signing_file(environ: Mapping[str, str], path: Path) -> dict[str, str]:
    """`environ` with its signing settings replaced by the file's (OSError when unreadable)."""
    merged = {k: v for k, v in environ.items() if k not in SIGNING_NAMES}
    merged.update(read_signing_values(path))
    return merged


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file is replaced or rewritten; None when it is gone."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def update_settings_file(path: Path, changes: Mapping[str, str | None]) -> None:
    """Set (or, for None, remove) `changes` in the dotenv file at `path`, keeping every other line;
    written to a new file (mode 0600: it holds secrets) renamed over the old one."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if line.split("=", 1)[0].strip() not in changes]
    kept += [f"{name}={_quoted(value)}" for name, value in changes.items() if value is not None]
    fd, temporary = tempfile.mkstemp(prefix=".signing-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
            out.write("\n".join(kept) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _quoted(value: str) -> str:
    if "'" in value or "\n" in value:
        raise ValueError("a signing setting holds a quote or a newline")
    return f"'{value}'"
