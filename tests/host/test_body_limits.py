"""Request bodies are bounded: 413 before anything is parsed, JSON for fetch callers, a page else."""

from __future__ import annotations

import logging

import pytest

from host.access_log import RedactQueryCredentials, redact


def test_a_login_body_over_the_limit_is_refused_unread(client) -> None:
    response = client.post("/login", data={"login": "a" * 70_000, "password": "x"})
    assert response.status_code == 413
    assert "larger than this page accepts (64 KB)" in response.get_data(as_text=True)


def test_the_troubleshooting_page_takes_at_most_16_kb(client) -> None:
    response = client.post("/troubleshoot", data={"token": "x" * 17_000},
                           headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["error"].startswith("The request is larger than this page accepts (16 KB)")
    assert response.get_json()["request_id"]


def test_a_body_within_the_limit_reaches_the_form(client) -> None:
    # No CSRF token: the form is read and refused on its merits (400), not for its size.
    assert client.post("/troubleshoot", data={"token": "x" * 1000}).status_code == 400


@pytest.mark.parametrize("line", [
    'GET /auth/eas/callback?code=SplxlOBeZQ&state=af0ifjsldkj&iss=x HTTP/1.1',
    'GET /login?token=eyJhbGciOi.eyJzdWIi.sig&next=/views HTTP/1.1',
])
def test_request_lines_lose_codes_states_and_tokens(line: str) -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"%s" 200 -', (line,), None)
    RedactQueryCredentials().filter(record)
    logged = record.getMessage()
    assert "SplxlOBeZQ" not in logged and "af0ifjsldkj" not in logged and "eyJ" not in logged
    assert "<redacted>" in logged and ("iss=x" in logged or "next=/views" in logged)


def test_redact_keeps_lines_without_credentials() -> None:
    assert redact("GET /views/overview?x=1 HTTP/1.1") == "GET /views/overview?x=1 HTTP/1.1"
