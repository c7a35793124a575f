"""The token panel's frame on embed pages: on in the sandbox, off unless TOKEN_PANEL says so."""

from __future__ import annotations

import re

import pytest

from app import create_app
from config import ConfigError, load_settings
from tests.conftest import Auth, base_env

PANEL = "data-token-panel"


def signed_in_page(path: str, **env: str) -> str:
    client = create_app({"ENV": base_env(**env), "TESTING": True}).test_client()
    Auth(client).login()
    return client.get(path).get_data(as_text=True)


def test_sandbox_pages_carry_the_panel_with_the_trust_and_each_components_scopes():
    html = signed_in_page("/dashboards/sales")
    assert html.count(PANEL) == 1  # one panel for the page's one token
    assert "Direct trust" in html and "HS256" in html
    assert "Configure Connected Apps with Direct Trust" in html
    rows = re.findall(r'<tr data-scopes="([^"]*)">\s*<th scope="row">&lt;([a-z-]+)&gt;</th>', html)
    assert rows == [("tableau:views:embed", "tableau-viz")]


def test_authoring_needs_two_scopes_and_the_panel_says_so():
    html = signed_in_page("/views/authoring")
    assert ('<tr data-scopes="tableau:views:embed_authoring tableau:views:embed">' in html)


def test_the_panel_never_carries_the_token_or_its_signature():
    html = signed_in_page("/views/overview")
    token = re.search(r' token="([^"]+)"', html).group(1)
    signature = token.rsplit(".", 1)[1]
    assert html.count(token) == 1  # only the component's own token attribute
    assert html.count(signature) == 1


def test_token_panel_false_turns_it_off_and_production_has_it_off_by_default():
    assert PANEL not in signed_in_page("/views/overview", TOKEN_PANEL="false")
    production = base_env(APP_ENV="production", TABLEAU_SERVER_URL="https://t.example.com")
    assert load_settings(production).token_panel is False
    assert load_settings({**production, "TOKEN_PANEL": "true"}).token_panel is True


def test_a_bad_token_panel_value_is_named():
    with pytest.raises(ConfigError, match="TOKEN_PANEL='maybe' is not a boolean: use true or false"):
        load_settings(base_env(TOKEN_PANEL="maybe"))


def test_the_lab_shows_the_panel_too():
    env = {"SANDBOX_ADMIN_TOKEN": "a" * 64, "SANDBOX_SITE_ID": "site-1"}
    html = signed_in_page("/lab", **env)
    assert PANEL in html and "Direct trust" in html
