"""gunicorn.conf.py: its settings from the environment or the project's .env, and an access log
without OAuth codes, states or tokens (the Referer included)."""

from __future__ import annotations

import os
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from gunicorn.config import Config

from config import env_files

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
CALLBACK = "http://localhost:8000/auth/eas/callback?error=access_denied&state=af0ifjsldkj&code=SplxlOBeZQ"


def load_conf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, dotenv: str | None,
              **environ: str) -> dict[str, Any]:
    """gunicorn.conf.py's settings, run with exactly `environ` and `dotenv` as the project's .env."""
    path = tmp_path / ".env"
    if dotenv is not None:
        path.write_text(dotenv, encoding="utf-8")
    monkeypatch.setattr(env_files, "DOTENV", path)
    with mock.patch.dict(os.environ, environ, clear=True):  # what .env adds goes with it
        return runpy.run_path(str(CONF))


def test_workers_threads_and_port_come_from_the_project_env_file(monkeypatch, tmp_path) -> None:
    conf = load_conf(monkeypatch, tmp_path, "WEB_WORKERS=3\nWEB_THREADS=5\nPORT=9123\n")
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 5, "0.0.0.0:9123")


def test_the_environment_wins_over_the_env_file(monkeypatch, tmp_path) -> None:
    conf = load_conf(monkeypatch, tmp_path, "WEB_WORKERS=3\nWEB_THREADS=5\nBIND=0.0.0.0:9000\n",
                     WEB_THREADS="7", BIND="127.0.0.1:9001")
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 7, "127.0.0.1:9001")


def test_without_an_env_file_the_defaults_hold(monkeypatch, tmp_path) -> None:
    conf = load_conf(monkeypatch, tmp_path, None)
    assert (conf["threads"], conf["bind"]) == (4, "0.0.0.0:8000")


def test_a_bad_value_in_the_env_file_stops_gunicorn_naming_it(monkeypatch, tmp_path) -> None:
    with pytest.raises(SystemExit, match=r"WEB_WORKERS='none' must be a whole number of at least 1"):
        load_conf(monkeypatch, tmp_path, "WEB_WORKERS=none\n")


def access_line(logger_class: type, tmp_path: Path, access_log_format: str | None = None) -> str:
    """One access-log line for a page answered after the EAS callback's error page loaded it."""
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    if access_log_format:
        cfg.set("access_log_format", access_log_format)
    logger = logger_class(cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/assets/v1/css/app.css", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/assets/v1/css/app.css", "QUERY_STRING": "", "REMOTE_ADDR": "198.51.100.1",
               "HTTP_REFERER": CALLBACK, "HTTP_USER_AGENT": "test"}
    response = SimpleNamespace(status="200 OK", sent=10,
                               headers=[("Location", CALLBACK), ("Set-Cookie", "session=SECRETCOOKIE")])
    request = SimpleNamespace(headers=[
        ("REFERER", CALLBACK), ("COOKIE", "session=SECRETCOOKIE"),
        ("AUTHORIZATION", "Bearer SECRETBEARER"), ("X-CSRFTOKEN", "SECRETCSRF")])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.close()
    return (tmp_path / "access.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("access_log_format", [
    None,  # gunicorn's default: the Referer is %(f)s
    '"%(r)s" "%({referer}i)s" "%({location}o)s" "%({http_referer}e)s"',  # or any atom naming it
])
def test_the_access_log_keeps_no_state_or_code_from_the_referer(
        monkeypatch, tmp_path, access_log_format) -> None:
    logger_class = load_conf(monkeypatch, tmp_path, None)["RedactingLogger"]
    line = access_line(logger_class, tmp_path, access_log_format)
    assert "af0ifjsldkj" not in line and "SplxlOBeZQ" not in line
    assert "/auth/eas/callback?error=access_denied&state=<redacted>&code=<redacted>" in line
    assert "GET /assets/v1/css/app.css HTTP/1.1" in line


def test_a_custom_format_naming_a_credential_header_logs_a_dash(monkeypatch, tmp_path) -> None:
    logger_class = load_conf(monkeypatch, tmp_path, None)["RedactingLogger"]
    line = access_line(logger_class, tmp_path,
                       '"%({cookie}i)s" "%({authorization}i)s" "%({x-csrftoken}i)s" "%({set-cookie}o)s"')
    assert "SECRET" not in line and line.strip() == '"-" "-" "-" "-"'
