"""The sign-in page at /authorize: demo users, CSRF-protected form, Deny -> access_denied, logout."""

from __future__ import annotations

import re

from .helpers import ISSUER, Driver, Flow, csrf_from, query


def test_deny_redirects_with_access_denied_state_and_iss(driver: Driver) -> None:
    flow = Flow()
    params = query(driver.sign_in(flow, decision="deny", login="", password=""))
    assert params["error"] == "access_denied"  # RFC 6749 §4.1.2.1
    assert params["state"] == flow.state and params["iss"] == ISSUER
    assert "code" not in params


def test_wrong_password_shows_the_page_again_without_redirecting(driver: Driver) -> None:
    response = driver.sign_in(Flow(), password="wrong")
    assert response.status_code == 400 and "Location" not in response.headers
    assert "Unknown login or wrong password" in response.get_data(as_text=True)
    assert driver.client.get(Flow().url()).status_code == 200  # still not signed in


def test_unknown_login_is_refused_like_a_wrong_password(driver: Driver) -> None:
    response = driver.sign_in(Flow(), login="mallory", password="alice-pw")
    assert response.status_code == 400
    assert "Unknown login or wrong password" in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(driver: Driver) -> None:
    flow = Flow()
    driver.client.get(flow.url())
    response = driver.client.post(flow.url(), data={"login": "alice", "password": "alice-pw",
                                                    "decision": "allow"})
    assert response.status_code == 400 and "Location" not in response.headers


def test_csrf_token_from_another_session_is_refused(eas, driver: Driver) -> None:
    flow = Flow()
    token = csrf_from(eas.test_client().get(flow.url()).get_data(as_text=True))
    driver.client.get(flow.url())
    response = driver.client.post(flow.url(), data={"csrf_token": token, "login": "alice",
                                                    "password": "alice-pw", "decision": "allow"})
    assert response.status_code == 400 and "Location" not in response.headers


def test_sign_in_page_is_escaped_framing_denied_and_not_cached(driver: Driver) -> None:
    page = driver.client.get(Flow().url())
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("eas_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_holds_no_code_or_token(driver: Driver) -> None:
    flow = Flow()
    code = driver.code(flow)
    cookie = driver.client.get_cookie("eas_session")
    assert cookie is not None and code not in cookie.value


def test_prompt_none_without_a_session_gives_login_required(driver: Driver) -> None:
    flow = Flow(scope="openid tableau:views:embed")
    params = query(driver.client.get(flow.url(prompt="none")))
    assert params["error"] == "login_required" and params["state"] == flow.state
    assert params["iss"] == ISSUER


def test_the_host_demo_users_sign_in_with_their_published_passwords(make_eas) -> None:
    from sandbox.eas.users import DEFAULT_USERS_FILE
    driver = Driver(make_eas(users_file=DEFAULT_USERS_FILE).test_client())
    claims = driver.verify(driver.tokens(login="bob", password="bob-demo")["access_token"])
    assert claims["sub"] == "bob@example.com"
    assert claims["https://tableau.com/groups"] == ["Finance", "Authors"]


def test_the_sign_in_page_has_an_icon_its_policy_allows(driver: Driver) -> None:
    # A full page in the browser: without an icon, every visit logged a 404 for /favicon.ico.
    page = driver.client.get(Flow().url())
    icon = re.search(r'<link rel="icon"[^>]* href="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert driver.client.get(icon).status_code == 200
    assert "img-src 'self'" in page.headers["Content-Security-Policy"]
