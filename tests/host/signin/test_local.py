"""Local sign-in: CSRF, one message for every bad login, session rotation, safe `next`."""

from __future__ import annotations

import pytest
from flask import Flask

from app import create_app
from config import CONFIG_DIR, ConfigError
from tests.conftest import Auth, base_env, csrf_from


def test_login_page_renders_a_form_with_csrf(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.get_data(as_text=True)


def test_login_signs_in_and_goes_to_the_gallery(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/views"
    assert "Alice Analyst" in client.get("/views").get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"login": "alice", "password": "alice-demo"})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "sid" not in session


@pytest.mark.parametrize(("login", "password"), [("alice", "wrong"), ("nobody", "alice-demo")])
def test_unknown_user_and_wrong_password_get_the_same_answer(auth, client, login, password):
    response = auth.login(login, password)
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Unknown username or wrong password." in body
    assert "nobody" not in body.replace('value="nobody"', "")
    with client.session_transaction() as session:
        assert "sid" not in session


def test_login_rotates_the_session(client, auth):
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session and "sid" in session


def test_the_csrf_token_changes_at_login(client, auth):
    before = csrf_from(client.get("/login").get_data(as_text=True))
    auth.login()
    after = auth.csrf()
    assert before != after


def test_next_is_followed_when_it_is_a_local_path(auth):
    response = auth.login(next="/dashboards/sales")
    assert response.headers["Location"] == "/dashboards/sales"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)",
     "http:/evil.example", "/\t/evil.example", ""],
)
def test_next_attacks_land_on_the_gallery(auth, target):
    response = auth.login(next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/views"


def test_pages_need_a_signed_in_user(client):
    response = client.get("/dashboards/sales")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/dashboards/sales")


def test_logout_is_post_with_csrf(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert client.get("/views").status_code == 200
    response = client.post("/logout", data={"csrf_token": auth.csrf()})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "sid" not in session
    assert client.get("/views").status_code == 302


def test_a_cookie_copied_before_logout_is_worthless_after_it(app, client, auth):
    auth.login()
    stolen = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": auth.csrf()})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/views").status_code == 302  # the server-side session is gone


def test_the_session_id_changes_at_each_login(client, auth):
    auth.login()
    with client.session_transaction() as session:
        first = session["sid"]
    auth.login("bob", "bob-demo")
    with client.session_transaction() as session:
        assert session["sid"] != first


def test_demo_users_file_is_refused_outside_the_sandbox(tmp_path):
    env = base_env(APP_ENV="production", TABLEAU_SERVER_URL="https://tableau.example.com",
                   USERS_FILE=str(CONFIG_DIR / "sandbox_users.json"))
    with pytest.raises(ConfigError, match="sandbox only"):
        create_app({"ENV": env})


def test_production_requires_a_users_file():
    env = base_env(APP_ENV="production", TABLEAU_SERVER_URL="https://tableau.example.com", USERS_FILE=None)
    with pytest.raises(ConfigError, match="USERS_FILE is not set"):
        create_app({"ENV": env})


def test_session_cookie_is_secure_outside_the_sandbox(tmp_path):
    users = tmp_path / "users.json"
    users.write_text('{"users": []}')
    env = base_env(APP_ENV="production", TABLEAU_SERVER_URL="https://tableau.example.com",
                   USERS_FILE=str(users))
    app: Flask = create_app({"ENV": env})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_twenty_wrong_passwords_get_429_with_retry_after(client, auth) -> None:
    answers = [auth.login(password="wrong") for _ in range(20)]
    assert [a.status_code for a in answers[:10]] == [401] * 10
    assert {a.status_code for a in answers[10:]} == {429}
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert "Too many requests" in answers[-1].get_data(as_text=True)


def test_a_guesser_does_not_lock_the_real_user_out(app, auth) -> None:
    for _ in range(12):
        auth.login(password="wrong")
    real = app.test_client()
    real.environ_base["REMOTE_ADDR"] = "198.51.100.7"  # the real alice, from her own browser
    assert Auth(real).login().status_code == 302


def test_one_accounts_many_sessions_end_only_its_own_oldest(tmp_path) -> None:
    app = create_app({"ENV": base_env(LOGIN_LIMIT_PER_CLIENT="5000/minute"), "TESTING": True})
    bob = app.test_client()
    assert Auth(bob).login("bob", "bob-demo").status_code == 302
    alices = []
    for _ in range(1_000):
        alice = app.test_client()
        assert Auth(alice).login().status_code == 302
        alices.append(alice)
    assert bob.get("/views/overview").status_code == 200  # another user carries on
    assert alices[-1].get("/views/overview").status_code == 200
    assert alices[-20].get("/views/overview").status_code == 200  # MAX_SESSIONS_PER_USER: 20
    assert alices[-21].get("/views/overview").status_code == 302  # the oldest beyond it ended


def test_a_signed_in_visitor_of_the_login_page_goes_straight_to_next(client, auth):
    # The page's "sign in again" link after a renewal failed, followed while a session exists
    # (signed in anew in another tab): going back, not signing in again, keeps the other tabs'
    # sessions and CSRF tokens valid.
    auth.login()
    back = client.get("/login?next=/views/overview%3Ftab%3D2&reason=renewal-failed")
    assert back.status_code == 302 and back.headers["Location"] == "/views/overview?tab=2"
    assert client.get("/login?next=https://evil.example/").status_code == 200  # never elsewhere
    assert client.get("/login").status_code == 200  # no next: the form, to sign in as someone else
