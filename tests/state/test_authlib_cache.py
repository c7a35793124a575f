"""AuthlibCache as Authlib's OAuth(cache=...): a pending sign-in is shared, and used only once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlsplit

from authlib.integrations.flask_client import OAuth
from flask import Flask, session

from host.state import StateStore
from host.state.authlib_cache import AuthlibCache
from tests.state.conftest import Backend


def eas_client(store: StateStore, max_ttl_seconds: float = 600) -> Any:
    """A worker's Authlib client for an EAS, keeping pending sign-ins in `store`."""
    oauth = OAuth(Flask(__name__), cache=AuthlibCache(store, max_ttl_seconds=max_ttl_seconds))
    oauth.register(
        "eas", client_id="host", client_secret="shh",
        authorize_url="https://eas.example/authorize", access_token_url="https://eas.example/token",
        client_kwargs={"scope": "openid", "code_challenge_method": "S256"},
    )
    return oauth.create_client("eas")


def start_sign_in(client: Any) -> tuple[str, dict[str, Any]]:
    """Authlib's own authorize_redirect: returns the state and the cookie session it left."""
    app = Flask(__name__)  # any app: Authlib writes to the cookie session of the current request
    app.secret_key = "k" * 32
    with app.test_request_context("/auth/eas/login"):
        response = client.authorize_redirect("http://localhost/auth/eas/callback")
        state = parse_qs(urlsplit(response.location).query)["state"][0]
        return state, dict(session)


def callback_reads(client: Any, state: str, cookie: dict[str, Any]) -> dict[str, Any] | None:
    """What authorize_access_token reads first at the callback: the pending flow's data."""
    return client.framework.get_state_data(dict(cookie), state)


def test_a_sign_in_started_on_one_worker_finishes_on_another(backend: Backend) -> None:
    worker_a = eas_client(backend.store)
    worker_b = eas_client(backend.open_another())
    state, cookie = start_sign_in(worker_a)
    data = callback_reads(worker_b, state, cookie)
    assert data is not None
    assert data["redirect_uri"] == "http://localhost/auth/eas/callback"
    assert len(data["code_verifier"]) >= 43  # PKCE verifier kept server-side, not in the cookie
    assert "code_verifier" not in str(cookie)


def test_the_state_is_read_once(store: StateStore) -> None:
    client = eas_client(store)
    state, cookie = start_sign_in(client)
    assert callback_reads(client, state, cookie) is not None
    assert callback_reads(client, state, cookie) is None  # a replayed callback finds nothing


def test_two_racing_callbacks_with_one_state_let_only_one_through(store: StateStore) -> None:
    client = eas_client(store)

    def race(state: str, cookie: dict[str, Any]) -> int:
        start = threading.Barrier(4)

        def callback(_: int) -> bool:
            start.wait()
            return callback_reads(client, state, cookie) is not None

        with ThreadPoolExecutor(4) as pool:
            return sum(pool.map(callback, range(4)))

    assert [race(*start_sign_in(client)) for _ in range(20)] == [1] * 20


def test_a_pending_sign_in_expires_within_the_cap(backend: Backend) -> None:
    client = eas_client(backend.store, max_ttl_seconds=0.3)
    assert client.framework.expires_in == 3600  # what Authlib asks for
    state, cookie = start_sign_in(client)
    backend.advance(0.5)
    assert callback_reads(client, state, cookie) is None


def test_other_keys_read_like_a_plain_cache(store: StateStore) -> None:
    cache = AuthlibCache(store)
    cache.set("token_eas", '{"access_token": "a"}', 60)
    assert cache.get("token_eas") == '{"access_token": "a"}'
    assert cache.get("token_eas") == '{"access_token": "a"}'
    cache.delete("token_eas")
    assert cache.get("token_eas") is None
