"""TOKEN_RETRIES_EXHAUSTED reaches the page: the embed container tells the browser module what a
view shows when its retries with a fresh token run out (data-retry-fallback, static/js)."""

from __future__ import annotations

import re

import pytest

from app import create_app
from tests.conftest import Auth, base_env


def container_of(html: str) -> str:
    found = re.search(r"<section [^>]*data-embed-page[^>]*>", html, re.S)
    assert found, "no embed container on the page"
    return found.group(0)


@pytest.mark.parametrize(("setting", "fallback"), [(None, "FAIL"), ("message", "FAIL"),
                                                   ("tableau-sign-in", "LOGIN")])
def test_view_and_dashboard_pages_carry_the_final_action(setting, fallback):
    client = create_app({"ENV": base_env(TOKEN_RETRIES_EXHAUSTED=setting), "TESTING": True}).test_client()
    Auth(client).login()
    for path in ("/views/overview", "/dashboards/sales"):
        html = client.get(path).get_data(as_text=True)
        assert f'data-retry-fallback="{fallback}"' in container_of(html), path


def test_the_failure_lab_follows_the_setting_too():
    env = base_env(TOKEN_RETRIES_EXHAUSTED="tableau-sign-in", SANDBOX_ADMIN_TOKEN="a" * 40,
                   SANDBOX_SITE_ID="site-1", TABLEAU_SERVER_URL="http://127.0.0.1:9")
    client = create_app({"ENV": env, "TESTING": True}).test_client()
    Auth(client).login()
    html = client.get("/lab").get_data(as_text=True)
    found = re.search(r"<div [^>]*data-embed-page[^>]*>", html, re.S)
    assert found and 'data-retry-fallback="LOGIN"' in found.group(0)
