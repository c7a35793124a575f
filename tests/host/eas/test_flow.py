"""The host's EAS sign-in against the real demo EAS on loopback: the flow and its attacks."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from werkzeug.serving import make_server

from app import create_app
from host.extension import current_host_of
from host.state import LockTimeout
from sandbox.eas import create_app as create_eas
from tests.conftest import base_env, csrf_from

CLIENT_SECRET = "host-client-secret-for-tests-0123456789"
REDIRECT_URI = "http://localhost/auth/eas/callback"
HOME = "http://localhost/"  # EAS_POST_LOGOUT_REDIRECT_URI's default: the callback's origin + /


@pytest.fixture(scope="module")
def eas(tmp_path_factory) -> Iterator[tuple[str, object]]:
    server = make_server("127.0.0.1", 0, None, threaded=True)
    issuer = f"http://127.0.0.1:{server.server_port}"
    server.app = create_eas(issuer=issuer, key_dir=tmp_path_factory.mktemp("keys"), clients=[{
        "client_id": "embedding-host", "client_secret": CLIENT_SECRET, "redirect_uris": [REDIRECT_URI],
        "post_logout_redirect_uris": [HOME]}])
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield issuer, server.app
    server.shutdown()
    server.server_close()


@pytest.fixture
def host(eas):
    issuer, eas_app = eas
    eas_app.config["EAS_DOWN"] = False
    env = base_env(TRUST_MODE="direct,eas", EAS_ISSUER=issuer, EAS_CLIENT_ID="embedding-host",
                   EAS_CLIENT_SECRET=CLIENT_SECRET, EAS_REDIRECT_URI=REDIRECT_URI)
    return create_app({"ENV": env, "TESTING": True})


def start(client) -> str:
    """The host's redirect to the EAS (checked), as the browser would follow it."""
    response = client.get("/auth/eas/login?next=/views/overview")
    assert response.status_code == 302
    target = response.headers["Location"]
    params = parse_qs(urlsplit(target).query)
    assert params["code_challenge_method"] == ["S256"] and params["code_challenge"]
    assert params["redirect_uri"] == [REDIRECT_URI]
    assert params["state"] and params["nonce"]
    return target


def approve_at_eas(authorize_url: str, decision: str = "allow",
                   browser: requests.Session | None = None) -> str:
    """Sign in at the EAS in a separate 'browser'; returns the callback path and query."""
    browser = browser or requests.Session()
    page = browser.get(authorize_url, timeout=5)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = browser.post(page.url, data={"csrf_token": csrf, "login": "alice", "password": "alice-demo",
                                          "decision": decision}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text[:300]
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def signed_in_at_eas(host):
    """A test client signed in through the whole EAS flow, and its CSRF token."""
    client = host.test_client()
    assert client.get(approve_at_eas(start(client))).status_code == 302
    return client, csrf_from(client.get("/").get_data(as_text=True))


def client_at(app, address: str):
    """A test client whose requests come from `address` (rate limits count per client)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def with_param(path: str, **changes: str | None) -> str:
    base, query = path.split("?", 1)
    params = {k: v[0] for k, v in parse_qs(query).items()}
    params.update(changes)
    return f"{base}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "sid" in session


def test_the_whole_flow_signs_in_and_pages_get_fresh_eas_tokens(host):
    client = host.test_client()
    callback = approve_at_eas(start(client))
    assert "iss=" in callback  # RFC 9207: the EAS names itself
    response = client.get(callback)
    assert response.status_code == 302 and response.headers["Location"] == "/views/overview"
    assert signed_in(client)
    with client.session_transaction() as session:
        assert not any("token" in key for key in session)  # the JWT stays server-side
    first = re.search(r' token="([^"]+)"', client.get("/views/overview").get_data(as_text=True)).group(1)
    second = re.search(r' token="([^"]+)"', client.get("/views/overview").get_data(as_text=True)).group(1)
    assert jwt.get_unverified_header(first)["alg"] == "RS256"
    claims = [jwt.decode(t, options={"verify_signature": False}) for t in (first, second)]
    assert claims[0]["sub"] == "alice@example.com"
    assert claims[0]["jti"] != claims[1]["jti"]  # Tableau takes a jti once (10091): renewed


@pytest.mark.parametrize("state", ["wrong-state", None])
def test_wrong_or_missing_state_is_refused(host, state):
    client = host.test_client()
    callback = approve_at_eas(start(client))
    response = client.get(with_param(callback, state=state))
    assert response.status_code == 400
    assert not signed_in(client)


def test_reused_state_is_refused(host):
    client = host.test_client()
    callback = approve_at_eas(start(client))
    assert client.get(callback).status_code == 302
    replay = client.get(callback)  # the state was spent by the first use
    assert replay.status_code == 400
    assert "already used" in replay.get_data(as_text=True)


def test_callback_in_another_browser_is_refused(host):
    starter = host.test_client()
    callback = approve_at_eas(start(starter))
    attacker = host.test_client()  # has no state of this flow in its session
    assert attacker.get(callback).status_code == 400
    assert not signed_in(attacker)


def test_a_replayed_code_is_refused(host):
    client = host.test_client()
    first = approve_at_eas(start(client))
    assert client.get(first).status_code == 302
    second = approve_at_eas(start(client))  # a new flow: new state and verifier in the session
    old_code = parse_qs(first.split("?", 1)[1])["code"][0]
    response = client.get(with_param(second, code=old_code))
    assert response.status_code == 400
    assert "invalid_grant" in response.get_data(as_text=True)


def test_access_denied_is_shown_escaped_with_no_session(host):
    client = host.test_client()
    callback = approve_at_eas(start(client), decision="deny")
    assert "error=access_denied" in callback
    response = client.get(callback)
    assert response.status_code == 400
    assert "You declined" in response.get_data(as_text=True)
    evil = client.get("/auth/eas/callback?error=<script>alert(1)</script>")
    assert "<script>alert(1)" not in evil.get_data(as_text=True)
    assert not signed_in(client)


def test_issuer_mismatch_is_refused(host):
    client = host.test_client()
    callback = approve_at_eas(start(client))
    response = client.get(with_param(callback, iss="https://evil.example"))
    assert response.status_code == 400
    assert "issuer mismatch" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_eas_down_gives_a_friendly_503_and_the_app_stays_up(host, eas):
    eas[1].config["EAS_DOWN"] = True
    client = host.test_client()
    response = client.get("/auth/eas/login")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_eas_down_mid_session_gives_503_when_the_token_must_be_renewed(host, eas, monkeypatch):
    monkeypatch.setattr("host.eas.tokens.pause", lambda seconds: None)  # the retries' waits: tested below
    client, csrf = signed_in_at_eas(host)
    assert client.get("/views/overview").status_code == 200  # the token from sign-in
    eas[1].config["EAS_DOWN"] = True
    assert client.get("/views/overview").status_code == 503  # needs a fresh one: refresh grant
    api = client.post("/api/token", json={"components": ["viz"]}, headers={
        "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin", "X-CSRFToken": csrf})
    assert api.status_code == 503 and api.is_json and "token" not in api.get_json()


def test_concurrent_token_requests_of_one_user_get_distinct_tokens_and_keep_the_grant(host):
    client, csrf = signed_in_at_eas(host)
    cookie = client.get_cookie("session").value
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin", "X-CSRFToken": csrf}
    results: list = []

    def ask() -> None:
        twin = host.test_client()  # the same browser session, another connection
        twin.set_cookie("session", cookie)
        results.append(twin.post("/api/token", headers=headers, json={"components": ["viz"]}))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [200] * 4
    jtis = {jwt.decode(r.get_json()["token"], options={"verify_signature": False})["jti"] for r in results}
    assert len(jtis) == 4
    assert client.get("/views/overview").status_code == 200  # the grant was not revoked


def test_eas_sign_in_rotates_the_session(host):
    client = host.test_client()
    authorize = start(client)
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    assert client.get(approve_at_eas(authorize)).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session and "sid" in session


def test_after_logout_a_copied_eas_session_cookie_is_worthless(host):
    client, csrf = signed_in_at_eas(host)
    stolen = client.get_cookie("session").value
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 302
    thief = host.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/views/overview").status_code == 302  # to the login page


def test_a_flood_of_sign_in_starts_from_one_client_never_stops_another(host):
    victim = client_at(host, "10.0.0.2")
    assert victim.get(approve_at_eas(start(victim))).status_code == 302
    flooder = client_at(host, "10.0.0.66")
    answers = [flooder.get("/auth/eas/login") for _ in range(1_000)]
    refused = [a for a in answers if a.status_code == 429]
    assert len(refused) >= 1_000 - 20  # EAS_SIGN_IN_LIMIT_PER_CLIENT: 20/minute by default
    assert int(refused[-1].headers["Retry-After"]) >= 1
    assert victim.get("/views/overview").status_code == 200  # the live session survived
    newcomer = client_at(host, "10.0.0.3")
    assert newcomer.get(approve_at_eas(start(newcomer))).status_code == 302  # still signs in


def _env_of(app) -> dict:
    eas = current_host_of(app).settings.eas
    return base_env(TRUST_MODE="direct,eas", EAS_ISSUER=eas.issuer, EAS_CLIENT_ID=eas.client_id,
                    EAS_CLIENT_SECRET=eas.client_secret, EAS_REDIRECT_URI=eas.redirect_uri)


def test_an_eas_back_within_the_retries_renews_without_the_user_noticing(host, eas, monkeypatch):
    client, _ = signed_in_at_eas(host)
    assert client.get("/views/overview").status_code == 200  # hands out the sign-in token
    eas[1].config["EAS_DOWN"] = True  # a restart: the next renewal's first try meets a 503
    pauses = []

    def restarted(seconds: float) -> None:
        pauses.append(seconds)
        eas[1].config["EAS_DOWN"] = False

    monkeypatch.setattr("host.eas.tokens.pause", restarted)
    assert client.get("/views/overview").status_code == 200
    assert pauses == [0.3]


def test_an_eas_down_through_every_retry_gives_503_not_a_sign_out(host, eas, monkeypatch):
    client, _ = signed_in_at_eas(host)
    client.get("/views/overview")
    eas[1].config["EAS_DOWN"] = True
    pauses = []
    monkeypatch.setattr("host.eas.tokens.pause", pauses.append)
    assert client.get("/views/overview").status_code == 503
    assert pauses == [0.3, 1.0]
    eas[1].config["EAS_DOWN"] = False
    assert client.get("/views/overview").status_code == 200  # still signed in


# --- signing out ends the session at the EAS too (OpenID Connect RP-Initiated Logout) -------------


def sign_out(client) -> object:
    csrf = csrf_from(client.get("/").get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": csrf})


def test_signing_out_ends_the_eas_session_too(host, eas):
    issuer, _ = eas
    client, eas_browser = host.test_client(), requests.Session()
    assert client.get(approve_at_eas(start(client), browser=eas_browser)).status_code == 302
    response = sign_out(client)
    assert not signed_in(client)
    target = response.headers["Location"]
    assert response.status_code == 302 and target.startswith(f"{issuer}/logout?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
    assert params["client_id"] == "embedding-host" and params["post_logout_redirect_uri"] == HOME
    hint = jwt.decode(params["id_token_hint"], options={"verify_signature": False})
    assert hint["aud"] == "embedding-host" and hint["sub"] == "alice@example.com"  # the ID token
    back = eas_browser.get(target, allow_redirects=False, timeout=5)  # the browser follows
    assert back.status_code == 302 and back.headers["Location"] == HOME
    again = eas_browser.get(start(host.test_client()), allow_redirects=False, timeout=5)
    assert again.status_code == 200 and 'name="password"' in again.text  # asked to sign in again


def test_a_local_sign_in_signs_out_here_only(host):
    client = host.test_client()
    csrf = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"login": "alice", "password": "alice-demo", "csrf_token": csrf})
    assert signed_in(client)
    response = sign_out(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_without_an_end_session_endpoint_sign_out_stays_here(host, monkeypatch):
    client = host.test_client()
    assert client.get(approve_at_eas(start(client))).status_code == 302
    eas_client = current_host_of(host).eas
    known = eas_client.metadata()
    monkeypatch.setattr(eas_client, "metadata",
                        lambda: {k: v for k, v in known.items() if k != "end_session_endpoint"})
    response = sign_out(client)
    assert response.headers["Location"] == "/" and not signed_in(client)


def test_the_pages_may_post_the_sign_out_that_redirects_to_the_eas(host, eas):
    issuer, _ = eas
    policy = host.test_client().get("/").headers["Content-Security-Policy"]
    form_action = next(d for d in policy.split("; ") if d.startswith("form-action"))
    assert issuer in form_action.split()


def test_a_slow_renewal_keeps_other_workers_from_spending_the_same_refresh_token(host, eas, monkeypatch):
    # While a renewal waits between tries, the sign-in stays locked against every other request,
    # and would stay so 100 s on, as long as an EAS timing out on every call can keep it busy: a
    # lease that ran out first would let another worker spend the same refresh token.
    client, _ = signed_in_at_eas(host)
    client.get("/views/overview")
    eas[1].config["EAS_DOWN"] = True
    sid = signed_in_sid(client)
    state = current_host_of(host).state
    held = []

    def meanwhile(seconds: float) -> None:
        now = state._clock
        for later in (0, 100):  # the store's clock, as another worker would read it then
            state._clock = lambda later=later: now() + later
            try:
                lock = state.lock(f"signin-lock:{sid}", 1, wait_seconds=0)
                with host.app_context(), pytest.raises(LockTimeout), lock:
                    pass
            finally:
                state._clock = now
        held.append(seconds)

    monkeypatch.setattr("host.eas.tokens.pause", meanwhile)
    assert client.get("/views/overview").status_code == 503
    assert held == [0.3, 1.0]


def signed_in_sid(client) -> str:
    with client.session_transaction() as session:
        return session["sid"]


def test_a_request_waits_a_bounded_time_for_another_requests_renewal_then_gets_503(host, monkeypatch):
    # A renewal hanging at the EAS must not hold the user's other tabs for minutes: they wait
    # LOCK_WAIT_SECONDS for the sign-in's lock, then answer 503, which the page retries.
    client, csrf = signed_in_at_eas(host)
    monkeypatch.setattr("host.signin.sessions.LOCK_WAIT_SECONDS", 0.2)
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin", "X-CSRFToken": csrf}
    held = current_host_of(host).state.lock(f"signin-lock:{signed_in_sid(client)}", 30)
    with host.app_context(), held:
        api = client.post("/api/token", json={"components": ["viz"]}, headers=headers)
    assert api.status_code == 503 and api.is_json and "token" not in api.get_json()
    assert client.post("/api/token", json={"components": ["viz"]}, headers=headers).status_code == 200
