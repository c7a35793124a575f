"""The "My content" page: each user's own listing from Tableau's REST API, through a JWT sign-in
with only tableau:content:read, the REST session kept server-side, reused, and signed out."""

from __future__ import annotations

import re
import time
import uuid

import jwt
import requests

from host.extension import current_host_of
from host.rest.client import sign_in
from host.rest.rest_token import RestJwt
from host.signin.sessions import RestSession, SignIn
from tests.host.conftest import signed_in
from tests.host.live_simulator import CLIENT_ID, SECRET_ID, SITE_ID, LiveSimulator

WORKBOOKS = re.compile(r'data-workbook="([^"]+)"')


def workbooks(page) -> set[str]:
    return set(WORKBOOKS.findall(page.get_data(as_text=True)))


def stored_sign_in(auth) -> SignIn:
    with auth.client.session_transaction() as cookie_session:
        sid = cookie_session["sid"]
    app = auth.client.application
    return SignIn.from_json(current_host_of(app).state.get(f"signin:{sid}"))


def rest_call(simulator: LiveSimulator, token: str) -> int:
    """Query Workbooks for Site with a REST credential, as any client would."""
    return requests.get(f"{simulator.url}/api/3.24/sites/{SITE_ID}/workbooks",
                        headers={"X-Tableau-Auth": token}, timeout=5).status_code


def test_alice_and_bob_see_their_own_workbooks(make_host):
    app = make_host()
    alice = signed_in(app, "alice").client.get("/my-content")
    bob = signed_in(app, "bob").client.get("/my-content")
    assert alice.status_code == bob.status_code == 200
    assert workbooks(alice) == {"Superstore", "Forecast"}
    assert workbooks(bob) == {"Superstore", "Forecast", "Budget"}  # Budget: bob's Finance group
    assert "/t/demo/views/Budget/Summary" in bob.get_data(as_text=True)
    assert "/t/demo/views/Budget/Summary" not in alice.get_data(as_text=True)
    assert alice.headers["Cache-Control"] == "no-store"


def test_a_listed_view_links_to_its_embed_page_and_the_nav_links_here(make_host):
    page = signed_in(make_host(), "alice").client.get("/my-content").get_data(as_text=True)
    assert '<a href="/views/regional">Regional</a>' in page
    assert '<a href="/my-content">My content</a>' in page
    assert "tableau:content:read" in page


def test_the_rest_session_stays_on_the_server_and_is_reused(make_host, simulator):
    auth = signed_in(make_host(), "alice")
    first = auth.client.get("/my-content")
    rest = stored_sign_in(auth).rest
    assert rest is not None and rest.site_id == SITE_ID and rest.user_id
    assert rest.token not in first.get_data(as_text=True)
    assert all(rest.token not in c.value for c in auth.client._cookies.values())
    auth.client.get("/my-content")
    assert stored_sign_in(auth).rest.token == rest.token  # no second sign-in
    assert rest_call(simulator, rest.token) == 200


def test_logout_signs_the_rest_session_out_at_tableau(make_host, simulator):
    auth = signed_in(make_host(), "bob")
    auth.client.get("/my-content")
    token = stored_sign_in(auth).rest.token
    assert auth.client.post("/logout", data={"csrf_token": auth.csrf()}).status_code == 302
    assert rest_call(simulator, token) == 401


def test_an_expired_session_is_replaced_and_the_old_one_signed_out(make_host, simulator):
    auth = signed_in(make_host(), "alice")
    auth.client.get("/my-content")
    app, old = auth.client.application, stored_sign_in(auth)
    with auth.client.session_transaction() as cookie_session:
        key = f"signin:{cookie_session['sid']}"
    old.rest.expires_at = 0  # as if TABLEAU_REST_SESSION_MINUTES had passed
    current_host_of(app).state.replace(key, old.to_json())
    assert auth.client.get("/my-content").status_code == 200
    assert stored_sign_in(auth).rest.token != old.rest.token
    assert rest_call(simulator, old.rest.token) == 401


def test_a_session_tableau_ended_early_is_replaced_without_an_error_page(make_host, simulator):
    auth = signed_in(make_host(), "alice")
    auth.client.get("/my-content")
    ended = stored_sign_in(auth).rest.token
    requests.post(f"{simulator.url}/api/3.24/auth/signout", headers={"X-Tableau-Auth": ended}, timeout=5)
    page = auth.client.get("/my-content")
    assert page.status_code == 200 and workbooks(page) == {"Superstore", "Forecast"}
    assert stored_sign_in(auth).rest.token != ended


def test_a_session_without_the_scope_gets_a_clear_page_and_the_next_visit_recovers(make_host, simulator):
    auth = signed_in(make_host(), "alice")
    with auth.client.session_transaction() as cookie_session:
        key = f"signin:{cookie_session['sid']}"
    app = auth.client.application
    stored = SignIn.from_json(current_host_of(app).state.get(key))
    stored.rest = _rest_session_with_scopes(simulator, ["tableau:views:embed"])
    current_host_of(app).state.replace(key, stored.to_json())

    refused = auth.client.get("/my-content")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert 'data-rest-failure="forbidden"' in text and 'data-rest-code="403000"' in text
    assert "lacks the scope" in text and "tableau:content:read" in text
    assert stored_sign_in(auth).rest is None  # forgotten, and signed out at Tableau
    assert rest_call(simulator, stored.rest.token) == 401
    recovered = auth.client.get("/my-content")
    assert recovered.status_code == 200 and workbooks(recovered) == {"Superstore", "Forecast"}


def test_a_user_unknown_to_tableau_gets_a_clear_page(make_host):
    page = signed_in(make_host(TABLEAU_ON_DEMAND_ACCESS="false"), "carol").client.get("/my-content")
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and 'data-rest-failure="unknown-user"' in text
    assert "Tableau does not know you" in text and "carol@elsewhere.example" in text
    assert 'data-rest-code="5"' in text and "SYSTEM_USER_NOT_FOUND" in text


def test_a_refused_sign_in_shows_the_code_and_the_fix(make_host):
    unknown_secret = make_host(TABLEAU_REST_SECRET_ID="no-such-secret", TABLEAU_REST_SECRET_VALUE="r" * 48)
    page = signed_in(unknown_secret, "alice").client.get("/my-content")
    text = page.get_data(as_text=True)
    assert page.status_code == 502 and 'data-rest-failure="sign-in-refused"' in text
    assert 'data-rest-code="10085"' in text
    assert "verify the correct &#39;kid&#39;" in text  # the catalogue's fix, on a sandbox page
    assert "r" * 48 not in text


def test_rest_may_sign_with_a_secret_of_its_own(make_host, simulator):
    created = simulator.admin("POST", f"/api/3.24/sites/{SITE_ID}/connected-applications/{CLIENT_ID}/secrets")
    assert created.status_code in (200, 201), created.text
    secret = created.json()["connectedApplicationSecret"]
    # The embedding secret is wrong: only the REST one can make the listing work.
    app = make_host(TABLEAU_SECRET_VALUE="w" * 48, TABLEAU_REST_SECRET_ID=secret["id"],
                    TABLEAU_REST_SECRET_VALUE=secret["value"])
    page = signed_in(app, "bob").client.get("/my-content")
    assert page.status_code == 200 and workbooks(page) == {"Superstore", "Forecast", "Budget"}


def test_tableau_out_of_reach_gives_a_503_page(make_host):
    app = make_host(TABLEAU_SERVER_URL="http://127.0.0.1:9")  # discard port: nothing listens
    page = signed_in(app, "alice").client.get("/my-content")
    assert page.status_code == 503 and 'data-rest-failure="unreachable"' in page.get_data(as_text=True)


def test_signed_out_visitors_go_to_the_login_page(make_host):
    response = make_host().test_client().get("/my-content")
    assert response.status_code == 302 and "/login?next=/my-content" in response.headers["Location"]


def _rest_session_with_scopes(simulator: LiveSimulator, scopes: list[str]) -> RestSession:
    """A REST session for alice signed in with `scopes` (as an older host version might have)."""
    claims = {"iss": CLIENT_ID, "sub": "alice@example.com", "aud": "tableau", "exp": int(time.time()) + 300,
              "jti": str(uuid.uuid4()), "scp": scopes}
    header = {"kid": SECRET_ID, "iss": CLIENT_ID}
    token = jwt.encode(claims, simulator.secret, algorithm="HS256", headers=header)
    return sign_in(simulator.url, "demo", RestJwt(token, is_uat=False), lifetime_seconds=3600)


def test_a_sign_in_ended_for_a_newer_one_signs_its_rest_session_out(make_host, simulator):
    app = make_host(MAX_SESSIONS_PER_USER="1")
    first = signed_in(app, "alice")
    first.client.get("/my-content")
    token = stored_sign_in(first).rest.token
    signed_in(app, "alice")  # a second browser: the first sign-in ends
    assert rest_call(simulator, token) == 401
