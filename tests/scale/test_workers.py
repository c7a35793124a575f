"""gunicorn with 4 workers on the embedded default (one SQLite file): the requests spread over the
workers, none fails, and a restart keeps the user signed in."""

from __future__ import annotations

import re

import pytest

from tests.scale.servers import Browser, HostProcess, host_env

pytestmark = pytest.mark.multiprocess
# The test's own access-log line: which worker (its pid) answered which request.
ACCESS_LOG_FORMAT = 'worker=%(p)s "%(r)s" %(s)s'
ANSWERED = re.compile(r'worker=<(\d+)> "(?:GET /views/overview|POST /api/token) HTTP/1.1" (\d{3})')


def test_four_workers_share_a_signed_in_users_requests_and_a_restart_keeps_them_signed_in(
        tmp_path) -> None:
    host = HostProcess(host_env(f"sqlite:///{tmp_path / 'state.db'}", WEB_WORKERS="4"), tmp_path,
                       args=["--access-logformat", ACCESS_LOG_FORMAT])
    host.start()
    try:
        browser = Browser()
        assert browser.login(host).status_code == 302
        browser.http.headers["Connection"] = "close"  # a new connection each: any worker takes it
        answers = [browser.http.get(f"{host.url}/views/overview", timeout=30) for _ in range(25)]
        answers += [browser.token(host) for _ in range(25)]
        assert [a.status_code for a in answers] == [200] * 50
        logged = ANSWERED.findall(host.log_once(lambda log: len(ANSWERED.findall(log)) >= 50))
        assert [status for _, status in logged] == ["200"] * 50
        answered_by = {int(pid) for pid, _ in logged}
        assert len(host.worker_pids()) == 4
        assert answered_by <= host.worker_pids() and len(answered_by) > 1
        host.stop()
        host.start()  # same port, same file, same SECRET_KEY: the same cookie still works
        assert browser.http.get(f"{host.url}/views/overview", timeout=30).status_code == 200
    finally:
        host.stop()
