"""The load balancer's probes while the state store (a real redis-server) is down: /healthz says the
process is up, /readyz says it cannot serve, both without a cookie and without a stack trace."""

from __future__ import annotations

from app import create_app
from tests.conftest import base_env
from tests.state.redis_server import RedisServer


def test_with_redis_down_healthz_stays_200_and_readyz_answers_503(persistent_redis: RedisServer) -> None:
    app = create_app({"ENV": base_env(STATE_STORE_URL=persistent_redis.url), "TESTING": True})
    probe = app.test_client(use_cookies=False)  # as a load balancer asks: no cookie, ever
    assert probe.get("/readyz").get_json() == {"status": "ok", "store": "ok"}

    persistent_redis.stop()
    alive, ready = probe.get("/healthz"), probe.get("/readyz")
    assert alive.status_code == 200 and alive.get_json() == {"status": "ok"}
    assert ready.status_code == 503 and ready.get_json() == {"status": "unavailable", "store": "unreachable"}
    assert ready.headers["Cache-Control"] == "no-store"  # no proxy keeps "down" after Redis is back
    assert "Set-Cookie" not in alive.headers and "Set-Cookie" not in ready.headers

    persistent_redis.start()  # the same port: ready again, without restarting the host
    assert probe.get("/readyz").status_code == 200
