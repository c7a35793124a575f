"""Embed pages: one shared token per page, the library from the Tableau server, strict headers."""

from __future__ import annotations

import json
import re

import jwt
import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from tableau_rules.catalogue import entry
from tests.conftest import SECRET_VALUE, Auth, base_env, csrf_from


def tokens_in(html: str) -> list[str]:
    return re.findall(r' token="([^"]+)"', html)


def test_gallery_lists_views_and_dashboards(client, auth):
    auth.login()
    html = client.get("/views").get_data(as_text=True)
    for title in ("Sales dashboard", "Sales overview", "Edit the overview"):
        assert title in html


def test_dashboard_shares_one_fresh_token_across_its_vizzes(client, auth):
    auth.login()
    response = client.get("/dashboards/sales")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    tokens = tokens_in(html)
    assert len(tokens) == 3 and len(set(tokens)) == 1
    claims = jwt.decode(tokens[0], SECRET_VALUE, algorithms=["HS256"], audience="tableau")
    assert claims["sub"] == "alice@example.com"
    assert claims["scp"] == ["tableau:views:embed"]
    again = tokens_in(client.get("/dashboards/sales").get_data(as_text=True))[0]
    assert again != tokens[0]


def test_view_page_loads_the_library_from_the_tableau_server(client, auth):
    auth.login()
    html = client.get("/views/overview").get_data(as_text=True)
    assert ('src="http://127.0.0.1:8001/javascripts/api/tableau.embedding.3.latest.min.js"'
            in html)
    viz = '<tableau-viz id="embed-overview" src="http://127.0.0.1:8001/t/demo/views/Superstore/Overview"'
    assert viz in html
    assert 'toolbar="hidden"' in html and 'hide-tabs=""' in html


def test_authoring_page_uses_the_authoring_component_and_scopes(client, auth):
    auth.login()
    html = client.get("/views/authoring").get_data(as_text=True)
    assert "<tableau-authoring-viz" in html
    scp = jwt.decode(tokens_in(html)[0], options={"verify_signature": False})["scp"]
    assert scp == ["tableau:views:embed_authoring", "tableau:views:embed"]


def test_page_loads_the_cached_error_catalogue_instead_of_inlining_it(client, auth):
    auth.login()
    html = client.get("/views/overview").get_data(as_text=True)
    resolution = entry(10091).resolution
    assert 'id="tableau-error-catalogue"' not in html and resolution not in html
    scripts = re.findall(r'<script type="module" src="([^"]+)"', html)
    assert [url.rsplit("/", 1)[1] for url in scripts[:2]] == ["error-catalogue.js", "embed-page.js"]
    module = client.get(scripts[0])
    assert module.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resolution in module.get_data(as_text=True)


def test_unknown_view_is_a_friendly_404_with_a_request_id(client, auth):
    auth.login()
    response = client.get("/views/nope")
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] in response.get_data(as_text=True)


EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self' http://127.0.0.1:8001",
    "style-src": "'self'",
    "img-src": "'self' data: http://127.0.0.1:8001",
    "connect-src": "'self' http://127.0.0.1:8001",
    "frame-src": "http://127.0.0.1:8001",
    "form-action": "'self' http://127.0.0.1:8001",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/login"), ("GET", "/views/nope"), ("GET", "/static/css/app.css"),
     ("POST", "/api/token")],
)
def test_every_response_has_the_exact_security_headers(client, method, path):
    response = client.open(path, method=method)
    directives = dict(d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
    assert directives == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_scripts_or_handlers(client, auth):
    auth.login()
    for path in ("/", "/login", "/views", "/dashboards/sales", "/views/authoring"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path


def test_a_token_that_breaks_a_rule_is_never_handed_out(tmp_path, caplog):
    users = tmp_path / "users.json"
    users.write_text(json.dumps({"users": [{
        "login": "big", "password_hash": generate_password_hash("pw"), "tableau_username": "big@x",
        "attributes": {"Notes": "n" * 9000}}]}))
    app = create_app({"ENV": base_env(USERS_FILE=str(users), TABLEAU_SEND_USER_ATTRIBUTES="true"),
                      "TESTING": True})
    client = app.test_client()
    Auth(client).login("big", "pw")
    response = client.get("/views/overview")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "token=" not in body and response.headers["X-Request-Id"] in body
    assert "10103" in caplog.text and "n" * 100 not in caplog.text


def test_behind_a_trusted_https_proxy_the_token_api_and_hsts_work():
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "app.example"}
    for hops, expected in (("1", 200), ("0", 403)):
        app = create_app({"ENV": base_env(TRUSTED_PROXIES=hops), "TESTING": True})
        client = app.test_client()
        Auth(client).login()
        page = client.get("/views/overview", headers=proxied)
        csrf = csrf_from(page.get_data(as_text=True))
        answer = client.post("/api/token", json={"components": ["viz"]}, headers={
            **proxied, "Origin": "https://app.example", "Sec-Fetch-Site": "same-origin",
            "Referer": "https://app.example/views/overview",  # Flask-WTF checks it over https
            "X-CSRFToken": csrf})
        assert answer.status_code == expected, hops
        assert ("Strict-Transport-Security" in page.headers) is (hops == "1")


def test_the_troubleshooting_page_is_linked_for_visitors_who_cannot_sign_in(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/troubleshoot"' in html and 'href="/views"' not in html
