"""Two host processes (as on two machines) sharing one redis-server: one deployment, any instance."""

from __future__ import annotations

import jwt
import pytest

from tests.scale.servers import Browser, HostProcess, host_env

pytestmark = pytest.mark.multiprocess


@pytest.fixture
def hosts(persistent_redis, tmp_path):
    env = host_env(persistent_redis.url, TRUSTED_PROXIES="1")
    pair = [HostProcess(env, tmp_path).start(), HostProcess(env, tmp_path).start()]
    yield pair
    for host in pair:
        host.stop()


def test_signed_in_on_a_the_token_api_on_b_answers_for_the_same_user(hosts) -> None:
    a, b = hosts
    browser = Browser()
    assert browser.login(a).status_code == 302
    answer = browser.token(b)
    assert answer.status_code == 200
    claims = jwt.decode(answer.json()["token"], options={"verify_signature": False})
    assert claims["sub"] == "alice@example.com"


def test_logout_on_b_ends_the_session_on_a(hosts) -> None:
    a, b = hosts
    browser = Browser()
    browser.login(a)
    stolen = dict(browser.http.cookies)
    assert browser.logout(b).status_code == 302
    copy = Browser()
    copy.http.cookies.update(stolen)
    assert copy.token(a).status_code == 401


def test_failed_logins_on_a_and_b_count_together(hosts) -> None:
    a, b = hosts
    guesser = Browser()
    answers = [guesser.login(host, password="wrong", client="203.0.113.9").status_code
               for host in (a, b) * 5]
    assert answers == [401] * 10  # LOGIN_FAILURE_LIMIT_PER_ACCOUNT: 10 per 15 minutes
    refused = guesser.login(b, password="alice-demo", client="203.0.113.9")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # The real alice, from her own client, is not locked out.
    assert Browser().login(a, client="198.51.100.7").status_code == 302


def test_a_redis_outage_answers_503_and_recovers_with_the_sessions_it_kept(hosts, persistent_redis) -> None:
    a, b = hosts
    browser = Browser()
    browser.login(a)
    persistent_redis.stop()
    page = browser.http.get(f"{b.url}/views/overview", timeout=30)
    assert page.status_code == 503 and "session store" in page.text and "Traceback" not in page.text
    assert browser.http.get(f"{a.url}/readyz", timeout=30).status_code == 503
    persistent_redis.start()  # same port, same append-only file
    assert browser.http.get(f"{b.url}/readyz", timeout=30).status_code == 200
    assert browser.http.get(f"{b.url}/views/overview", timeout=30).status_code == 200
