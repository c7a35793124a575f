"""The way back after "Your session has ended": embed pages name the sign-in page, and the sign-in
page says why the user is there and returns them to the page they came from."""

from __future__ import annotations

import re

from tests.conftest import csrf_from


def test_embed_pages_name_the_sign_in_page_for_the_notice(client, auth):
    auth.login()
    html = client.get("/views/overview").get_data(as_text=True)
    assert re.search(r'<section [^>]*data-embed-page[^>]*data-login-url="/login"', html, re.S)


def test_the_sign_in_page_says_the_session_ended_and_goes_back_to_the_page(client):
    page = client.get("/login?next=%2Fviews%2Foverview%3Ftab%3D2&reason=session-ended")
    html = page.get_data(as_text=True)
    assert "Your session has ended. Sign in again to go back to the page you were on." in html
    assert 'value="/views/overview?tab=2"' in html  # the form carries next
    answer = client.post("/login", data={"login": "alice", "password": "alice-demo",
                                         "csrf_token": csrf_from(html), "next": "/views/overview?tab=2"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/views/overview?tab=2"


def test_an_unknown_reason_shows_nothing_and_is_never_echoed(client):
    html = client.get("/login?reason=%3Cb%3Epwned%3C%2Fb%3E").get_data(as_text=True)
    assert "data-login-reason" not in html and "pwned" not in html
