"""Embed pages are rendered once per user and page and filled per request (host/embed/page_shells.py):
what a visitor sees is exactly what a full render shows, with this request's token and CSRF token."""

from __future__ import annotations

import re

import jwt
import pytest
from flask import Flask

from host.embed import page_shells
from host.extension import current_host_of
from tests.conftest import HOST, SECRET_VALUE, Auth, csrf_from

TOKEN = re.compile(r' token="([^"]+)"')
EXPIRY = re.compile(r'data-expires-at="(\d+)"')


def without_per_request_values(html: str) -> str:
    html = TOKEN.sub(' token="T"', html)
    html = EXPIRY.sub('data-expires-at="E"', html)
    return html.replace(csrf_from(html), "C")


def full_render(app: Flask, client, path: str) -> str:
    """The page as the template renders it with nothing remembered."""
    current_host_of(app).page_shells = page_shells.PageShells()
    return client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/views/overview", "/dashboards/sales"])
def test_a_remembered_page_is_the_full_render_with_this_requests_values(app, client, auth, path):
    auth.login()
    first = full_render(app, client, path)
    second = client.get(path).get_data(as_text=True)  # from the shell
    assert without_per_request_values(second) == without_per_request_values(first)
    tokens = set(TOKEN.findall(second))
    assert len(tokens) == 1 and tokens != set(TOKEN.findall(first))  # a fresh token, every viz
    claims = jwt.decode(tokens.pop(), SECRET_VALUE, algorithms=["HS256"], audience="tableau")
    assert EXPIRY.search(second).group(1) == str(claims["exp"])
    api = client.post("/api/token", json={}, headers={
        "Origin": HOST, "Sec-Fetch-Site": "same-origin", "X-CSRFToken": csrf_from(second)})
    assert api.status_code == 200  # the filled-in CSRF token is this session's


def test_each_user_gets_their_own_page(app):
    alice, bob = Auth(app.test_client()), Auth(app.test_client())
    alice.login()
    bob.login("bob", "bob-demo")
    for _ in range(2):
        for auth, name, subject in ((alice, "Alice", "alice@example.com"), (bob, "Bob", "bob@example.com")):
            html = auth.client.get("/views/overview").get_data(as_text=True)
            who = re.search(r'data-testid="signed-in-user">([^<]+)', html).group(1)
            assert who.strip().startswith(name)
            claims = jwt.decode(TOKEN.search(html).group(1), SECRET_VALUE, algorithms=["HS256"],
                                audience="tableau")
            assert claims["sub"] == subject


def test_a_flashed_message_shows_once_on_a_remembered_page(client, auth):
    auth.login()
    client.get("/views/overview")  # remembered now
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Settings saved.")]
    assert "Settings saved." in client.get("/views/overview").get_data(as_text=True)
    assert "Settings saved." not in client.get("/views/overview").get_data(as_text=True)


def test_slots_are_new_in_each_process(app):
    """Slots are random per process: content written beforehand cannot contain one."""
    shells = current_host_of(app).page_shells
    assert shells.slots.token != page_shells.PageShells().slots.token


def test_values_are_html_escaped():
    shells = page_shells.PageShells()
    html = shells.page(None, lambda s: f'<meta content="{s.csrf}"><x token="{s.token}">',
                       token='a"b<c', expires_at=7, csrf="&")
    assert html == '<meta content="&amp;"><x token="a&#34;b&lt;c">'


def test_remembering_is_bounded(monkeypatch):
    monkeypatch.setattr(page_shells, "REMEMBERED_PAGES", 4)
    shells = page_shells.PageShells()
    renders = []
    for n in range(10):
        shells.page(("page", n), lambda s: renders.append(1) or s.token, token="t", expires_at=1, csrf="c")
    shells.page(("page", 9), lambda s: renders.append(1) or s.token, token="t", expires_at=1, csrf="c")
    assert len(shells._shells) <= 4 and len(renders) == 10  # the last one was remembered


def test_while_templates_reload_on_change_no_page_is_remembered(auth, client, app):
    app.jinja_env.auto_reload = True  # TEMPLATES_AUTO_RELOAD, or debug mode
    auth.login()
    client.get("/views/overview")
    assert len(current_host_of(app).page_shells._shells) == 0
