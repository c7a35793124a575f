"""EAS sign-in across two host processes sharing Redis: pending sign-ins, the refresh lock, floods."""

from __future__ import annotations

import io
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from werkzeug.serving import make_server

from sandbox.eas import create_app as create_eas
from tests.scale.servers import Browser, HostProcess, host_env
from tests.state.redis_server import free_port

pytestmark = pytest.mark.multiprocess
CLIENT_SECRET = "host-client-secret-for-scale-tests-0123456789"


class RefreshCounter:
    """WSGI middleware in front of the demo EAS: counts refresh-token grants."""

    def __init__(self, app) -> None:
        self.app, self.refreshes, self._lock = app, 0, threading.Lock()

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"].endswith("/token") and environ["REQUEST_METHOD"] == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            if b"grant_type=refresh_token" in body:
                with self._lock:
                    self.refreshes += 1
            environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)


@pytest.fixture
def deployment(persistent_redis, tmp_path):
    """Demo EAS + two hosts A and B behind one public callback (B's, as a load balancer's would be)."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    issuer = f"http://127.0.0.1:{server.server_port}"
    b_port = free_port()
    callback = f"http://127.0.0.1:{b_port}/auth/eas/callback"
    eas = create_eas(issuer=issuer, key_dir=tmp_path / "keys", clients=[{
        "client_id": "embedding-host", "client_secret": CLIENT_SECRET, "redirect_uris": [callback]}])
    counter = RefreshCounter(eas.wsgi_app)
    eas.wsgi_app = counter
    server.app = eas
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = host_env(persistent_redis.url, TRUST_MODE="direct,eas", EAS_ISSUER=issuer, TRUSTED_PROXIES="1",
                   EAS_CLIENT_ID="embedding-host", EAS_CLIENT_SECRET=CLIENT_SECRET,
                   EAS_REDIRECT_URI=callback)
    a = HostProcess(env, tmp_path).start()
    b = HostProcess(env, tmp_path)
    b.port, b.env = b_port, {**b.env, "BIND": f"127.0.0.1:{b_port}"}
    b.start()
    yield a, b, counter
    a.stop()
    b.stop()
    server.shutdown()


def sign_in_at_eas(browser: Browser, start_on: HostProcess,
                   client: str = "198.51.100.1") -> requests.Response:
    """Start on one host, approve at the EAS (its own cookie jar), follow the callback."""
    start = browser.http.get(f"{start_on.url}/auth/eas/login", allow_redirects=False, timeout=10,
                             headers={"X-Forwarded-For": client})
    assert start.status_code == 302, start.text[:300]
    at_eas = requests.Session()
    page = at_eas.get(start.headers["Location"], timeout=10)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    approved = at_eas.post(page.url, data={"csrf_token": csrf, "login": "alice", "password": "alice-demo",
                                           "decision": "allow"}, allow_redirects=False, timeout=10)
    return browser.http.get(approved.headers["Location"], allow_redirects=False, timeout=10)


def flood(url: str, count: int) -> list[int]:
    """`count` anonymous sign-in starts from one client (one address behind the proxy)."""
    with requests.Session() as client:
        return [client.get(f"{url}/auth/eas/login", allow_redirects=False, timeout=10,
                           headers={"X-Forwarded-For": "203.0.113.66"}).status_code
                for _ in range(count)]


def test_a_sign_in_started_on_a_finishes_on_b(deployment) -> None:
    a, b, _ = deployment
    browser = Browser()
    finished = sign_in_at_eas(browser, start_on=a)
    assert urlsplit(finished.url).port == b.port and finished.status_code == 302
    assert browser.http.get(f"{a.url}/views/overview", timeout=10).status_code == 200
    # gunicorn's access log has the callback's line, and the Referer of a page's file asked for
    # from the callback's URL, each without its code and state
    browser.http.get(f"{b.url}/healthz", headers={"Referer": finished.url, "User-Agent": "probe"},
                     timeout=10)
    logged = b.log_once(lambda log: '"probe"' in log and "GET /auth/eas/callback?" in log)
    assert "GET /auth/eas/callback?code=<redacted>&state=<redacted>" in logged
    assert f'"{b.url}/auth/eas/callback?code=<redacted>&state=<redacted>' in logged  # the Referer
    query = parse_qs(urlsplit(finished.url).query)
    assert query["code"][0] not in logged and query["state"][0] not in logged


def test_concurrent_token_requests_on_a_and_b_refresh_once(deployment) -> None:
    a, b, counter = deployment
    browser = Browser()
    sign_in_at_eas(browser, start_on=a)
    # As in a browser, the page that calls the token API came first and put the CSRF token in the
    # session; otherwise both threads' first pages would each set one in the shared cookie jar, and
    # whichever cookie landed last would fail the other's CSRF check (a race in the test, not the host).
    browser.csrf(a)
    with ThreadPoolExecutor(2) as pool:  # the fresh token, and one renewal: never two
        answers = list(pool.map(browser.token, (a, b)))
    assert [r.status_code for r in answers] == [200, 200]
    jtis = {jwt.decode(r.json()["token"], options={"verify_signature": False})["jti"] for r in answers}
    assert len(jtis) == 2 and counter.refreshes == 1


def test_a_flood_of_sign_in_starts_is_refused_and_another_client_signs_in(deployment) -> None:
    a, b, _ = deployment
    started = time.time()
    with ThreadPoolExecutor(4) as pool:
        codes = [code for part in pool.map(flood, [a.url] * 4, [2_500] * 4) for code in part]
    # EAS_SIGN_IN_LIMIT_PER_CLIENT is 20 per minute, in fixed windows: 20 more per window begun.
    windows = 1 + int(time.time() // 60) - int(started // 60)
    assert len(codes) == 10_000 and codes.count(302) <= 20 * windows
    assert codes.count(429) == 10_000 - codes.count(302)
    assert sign_in_at_eas(Browser(), start_on=b, client="198.51.100.2").status_code == 302
