"""gunicorn with 4 workers on the embedded default (one SQLite file): no failures, restarts kept."""

from __future__ import annotations

import pytest

from tests.scale.servers import Browser, HostProcess, host_env

pytestmark = pytest.mark.multiprocess


def test_four_workers_serve_a_signed_in_user_and_a_restart_keeps_them_signed_in(tmp_path) -> None:
    host = HostProcess(host_env(f"sqlite:///{tmp_path / 'state.db'}", WEB_WORKERS="4"), tmp_path)
    host.start()
    try:
        browser = Browser()
        assert browser.login(host).status_code == 302
        browser.http.headers["Connection"] = "close"  # a new connection each: any worker takes it
        answers = [browser.http.get(f"{host.url}/views/overview", timeout=30) for _ in range(25)]
        answers += [browser.token(host) for _ in range(25)]
        assert [a.status_code for a in answers] == [200] * 50
        assert len(host.worker_pids()) == 4
        host.stop()
        host.start()  # same port, same file, same SECRET_KEY: the same cookie still works
        assert browser.http.get(f"{host.url}/views/overview", timeout=30).status_code == 200
    finally:
        host.stop()
