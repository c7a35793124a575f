"""Start the host and the baseline under gunicorn, as the README runs the host, on loopback."""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench._project import APP_SPEC, REGISTRY, host_environment

ROOT = Path(__file__).resolve().parent.parent
BASELINE_SPEC = "bench.baseline_app:create_app()"
# Only what a process needs to run; the host's settings come from the bench, never the shell.
PASS_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")


def gunicorn_shape() -> tuple[int, int]:
    """(workers, threads) from BENCH_WORKERS / BENCH_THREADS, by default gunicorn.conf.py's own
    (two workers per core, 4 threads each): the host as scripts/serve and the README run it."""
    shape = []
    for name, default in (("BENCH_WORKERS", 2 * (os.cpu_count() or 1)), ("BENCH_THREADS", 4)):
        raw = os.environ.get(name, str(default))
        if not raw.isdigit() or int(raw) < 1:
            raise SystemExit(f"{name}={raw!r} must be a whole number of at least 1")
        shape.append(int(raw))
    return shape[0], shape[1]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it when the bench dies, even by SIGKILL (Linux prctl),
    so that a killed bench leaves no gunicorn behind."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def host_settings(port: int) -> dict[str, str]:
    """The sandbox demo's settings (sandbox/servers.py) with fresh secrets. The simulator and the
    EAS are never called by the pages and API measured, so their URLs point at unused ports."""
    data = json.loads(REGISTRY.read_text(encoding="utf-8"))
    unused = f"http://127.0.0.1:{free_port()}"
    env = host_environment(unused, unused, f"http://127.0.0.1:{port}", data,
                           secrets.token_hex(32), secrets.token_hex(32), secrets.token_urlsafe(32))
    # Workers must share the cookie key; the sandbox would otherwise make one per process.
    env["SECRET_KEY"] = secrets.token_hex(32)
    # Each server its own state file unless the run names a store (e.g. a Redis to compare).
    env["STATE_STORE_URL"] = (os.environ.get("STATE_STORE_URL")
                              or f"sqlite:///{tempfile.mkdtemp(prefix='bench-state-')}/state.db")
    # The bench drives one session far past a browser's pace: lift the abuse limits it would meet.
    env.update({"TOKEN_API_LIMIT_PER_SESSION": "1000000/minute", "LOGIN_LIMIT_PER_CLIENT": "100000/minute"})
    return env


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.unlink(missing_ok=True)


def start_gunicorn(name: str, app_spec: str, env: dict[str, str], workers: int, threads: int,
                   ready_timeout: float = 60,
                   port: int | None = None, ready_path: str = "/") -> Server:
    """gunicorn -w W --threads T APP on 127.0.0.1; returns once `ready_path` answers."""
    port = port or free_port()
    log = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
    base = {k: os.environ[k] for k in PASS_THROUGH if k in os.environ}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--chdir", str(ROOT), app_spec]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env={**base, **env}, stdout=out,  # noqa: S603 (our argv)
                                   stderr=subprocess.STDOUT, cwd=ROOT, preexec_fn=_die_with_parent)
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    _wait_ready(server, ready_path, workers, ready_timeout)
    return server


def start_host(workers: int, threads: int, app_spec: str = APP_SPEC,
               extra_env: dict[str, str] | None = None, ready_timeout: float = 60) -> Server:
    port = free_port()
    env = {**host_settings(port), **(extra_env or {})}
    return start_gunicorn("host", app_spec, env, workers, threads, ready_timeout=ready_timeout, port=port)


def _wait_ready(server: Server, path: str, workers: int, timeout: float = 60) -> None:
    from bench._procstat import children

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as answer:  # noqa: S310 (loopback)
                if answer.status == 200 and len(children(server.pid)) >= workers:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # a worker still starting
            pass
        time.sleep(0.1)
    output = server.log.read_text(errors="replace")[-3000:]
    server.stop()
    raise SystemExit(f"{server.name} did not start under gunicorn:\n{output}")
