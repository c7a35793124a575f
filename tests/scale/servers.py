"""Real host processes for the scale tests: gunicorn as scripts/serve runs it, on a free port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import requests

from tests.conftest import SECRET_VALUE, TEST_USERS_FILE
from tests.state.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN_SECONDS = 30  # a guard against a hung start, not a timing assertion
SECRET_KEY = "k" * 64  # shared by every instance: any of them reads any cookie


def host_env(state_store_url: str, **overrides: str) -> dict[str, str]:
    """What every instance of one deployment shares (the secret key, the state store)."""
    env = {
        "PATH": os.environ.get("PATH", ""), "APP_ENV": "sandbox", "SECRET_KEY": SECRET_KEY,
        "TABLEAU_SERVER_URL": "http://127.0.0.1:8001", "TABLEAU_CLIENT_ID": "client-123",
        "TABLEAU_SECRET_ID": "secret-1", "TABLEAU_SECRET_VALUE": SECRET_VALUE,
        "USERS_FILE": TEST_USERS_FILE, "STATE_STORE_URL": state_store_url,
        "WEB_WORKERS": "1", "WEB_THREADS": "4",
    }
    env.update(overrides)
    return env


class HostProcess:
    """One gunicorn serving 'app:create_app()' with gunicorn.conf.py (and `args`, gunicorn options
    of the test's own); restartable on its port."""

    def __init__(self, env: dict[str, str], log_dir: Path, args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        self.args = list(args)
        self.log = log_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HostProcess:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [str(gunicorn), "-c", "gunicorn.conf.py", *self.args, "app:create_app()"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready()
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=READY_WITHIN_SECONDS)
        self.process = None

    def worker_pids(self) -> set[int]:
        """The pids of the master's workers (gunicorn logs 'Booting worker with pid: N')."""
        return {int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", self.log.read_text())}

    def log_once(self, done: Callable[[str], bool]) -> str:
        """The log once `done(log)` holds: a worker writes a request's access line after sending
        the answer, so the line may come a moment after the client has read it."""
        deadline = time.monotonic() + READY_WITHIN_SECONDS  # a guard, not a timing assertion
        while not done(logged := self.log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return logged

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)


class Browser:
    """A requests session that behaves like one browser on the host's pages (cookie, CSRF)."""

    def __init__(self) -> None:
        self.http = requests.Session()

    def csrf(self, host: HostProcess) -> str:
        page = self.http.get(f"{host.url}/login", timeout=10).text
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def login(self, host: HostProcess, login: str = "alice", password: str = "alice-demo",
              client: str | None = None) -> requests.Response:
        headers = {"X-Forwarded-For": client} if client else {}
        return self.http.post(f"{host.url}/login", timeout=10, allow_redirects=False, headers=headers,
                              data={"login": login, "password": password, "csrf_token": self.csrf(host)})

    def token(self, host: HostProcess) -> requests.Response:
        return self.http.post(f"{host.url}/api/token", json={"components": ["viz"]}, timeout=30,
                              headers={"Origin": host.url, "Sec-Fetch-Site": "same-origin",
                                       "X-CSRFToken": self.csrf(host)})

    def logout(self, host: HostProcess) -> requests.Response:
        return self.http.post(f"{host.url}/logout", data={"csrf_token": self.csrf(host)}, timeout=10,
                              allow_redirects=False)
