"""Pages answered at the EAS callback never send its URL (the code and state) on as a Referer."""

from __future__ import annotations

import pytest
from flask import Flask

from app import create_app
from tests.conftest import base_env
from tests.state.redis_server import free_port


@pytest.fixture
def host() -> Flask:
    """A host whose EAS is down: nothing listens at its issuer."""
    issuer = f"http://127.0.0.1:{free_port()}"
    env = base_env(TRUST_MODE="direct,eas", EAS_ISSUER=issuer, EAS_CLIENT_ID="embedding-host",
                   EAS_CLIENT_SECRET="host-client-secret-for-tests-0123456789",
                   EAS_REDIRECT_URI="http://localhost/auth/eas/callback")
    return create_app({"ENV": env, "TESTING": True})


def test_the_refused_sign_in_page_sends_no_callback_url_as_referer(host: Flask) -> None:
    page = host.test_client().get("/auth/eas/callback?error=access_denied&state=af0ifjsldkj")
    assert page.status_code == 400 and "Sign-in not completed" in page.get_data(as_text=True)
    assert "/assets/" in page.get_data(as_text=True)  # the files it loads would carry the Referer
    assert page.headers["Referrer-Policy"] == "strict-origin"  # the origin, never the path and query


def test_an_error_page_at_the_callback_sends_no_callback_url_either(host: Flask) -> None:
    # A code and a state, and the EAS down: the 503 page comes from an error handler.
    page = host.test_client().get("/auth/eas/callback?code=SplxlOBeZQ&state=af0ifjsldkj")
    assert page.status_code == 503
    assert page.headers["Referrer-Policy"] == "strict-origin"


def test_other_pages_keep_the_site_wide_referrer_policy(host: Flask) -> None:
    client = host.test_client()
    for path in ("/login", "/auth/eas/login"):  # the latter: 503, the EAS is down
        assert client.get(path).headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
