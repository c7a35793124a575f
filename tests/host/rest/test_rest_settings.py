"""Settings of the REST sign-in: which connected app and secret, which site, and when the page is off."""

from __future__ import annotations

import json

import pytest

from app import create_app
from config import ConfigError, load_settings
from host.extension import current_host_of
from tests.conftest import Auth, base_env


def settings(**overrides):
    return load_settings(base_env(**overrides))


def test_by_default_rest_signs_as_the_pages_do():
    rest = settings().rest
    assert (rest.client_id, rest.secret, rest.session_seconds) == (None, None, 120 * 60)


def test_a_secret_of_its_own_and_another_connected_app():
    rest = settings(TABLEAU_REST_CLIENT_ID="rest-app", TABLEAU_REST_SECRET_ID="rest-secret",
                    TABLEAU_REST_SECRET_VALUE="v" * 40, TABLEAU_REST_SESSION_MINUTES="30").rest
    assert (rest.client_id, rest.secret.id, rest.session_seconds) == ("rest-app", "rest-secret", 1800)
    assert "v" * 40 not in repr(rest)


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"TABLEAU_REST_SECRET_VALUE": "v" * 40}, "TABLEAU_REST_SECRET_ID is not set"),
    ({"TABLEAU_REST_SECRET_ID": "s"}, "TABLEAU_REST_SECRET_VALUE is not set"),
    ({"TABLEAU_REST_SECRET_ID": "s", "TABLEAU_REST_SECRET_VALUE": "short"},
     "TABLEAU_REST_SECRET_VALUE is too short"),
    ({"TABLEAU_REST_CLIENT_ID": "other-app"}, "TABLEAU_REST_SECRET_ID is not set"),
    ({"TABLEAU_REST_SESSION_MINUTES": "0"}, "TABLEAU_REST_SESSION_MINUTES=0 is out of range"),
    ({"MY_CONTENT_PAGE": "perhaps"}, "MY_CONTENT_PAGE='perhaps' is not a boolean"),
])
def test_each_bad_rest_setting_names_itself(overrides, expected):
    with pytest.raises(ConfigError) as caught:
        settings(**overrides)
    assert expected in caught.value.message


def test_with_eas_trust_only_rest_needs_its_own_app_and_secret():
    eas = {"TRUST_MODE": "eas", "EAS_ISSUER": "http://127.0.0.1:8002", "EAS_CLIENT_ID": "c",
           "EAS_CLIENT_SECRET": "s", "EAS_REDIRECT_URI": "http://localhost/auth/eas/callback"}
    assert settings(**eas).rest is None
    with pytest.raises(ConfigError) as caught:
        settings(**eas, TABLEAU_REST_SECRET_ID="s", TABLEAU_REST_SECRET_VALUE="v" * 40)
    assert "TABLEAU_REST_CLIENT_ID is not set" in caught.value.message


def test_the_site_listed_is_the_views_site(tmp_path):
    assert current_host_of(create_app({"ENV": base_env(), "TESTING": True})).rest_site == "demo"
    views = {"views": [{"slug": "a", "title": "A", "kind": "viz", "src": "/views/Superstore/Overview"}]}
    default_site = tmp_path / "views.json"
    default_site.write_text(json.dumps(views))
    app = create_app({"ENV": base_env(VIEWS_FILE=str(default_site)), "TESTING": True})
    assert current_host_of(app).rest_site == ""  # /views/...: the default site


def test_with_the_page_off_there_is_no_page_and_no_link():
    app = create_app({"ENV": base_env(MY_CONTENT_PAGE="false"), "TESTING": True})
    auth = Auth(app.test_client())
    auth.login()
    assert auth.client.get("/my-content").status_code == 404
    assert "My content" not in auth.client.get("/views").get_data(as_text=True)
