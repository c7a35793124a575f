"""Embed sign-in: a valid token makes a session; the brief's first refusals keep their codes."""

import pytest

from .helpers import HOST_ORIGIN, VIEW_URL, error_code, make_token, sign_in


def test_valid_token_signs_in_and_the_view_renders(client):
    response = sign_in(client, make_token())
    assert response.status_code == 200
    assert response.get_json()["user"] == "alice@example.com"
    cookie = response.headers["Set-Cookie"]
    assert "workgroup_session_id=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie

    page = client.get(VIEW_URL)
    assert page.status_code == 200
    assert 'data-simulator-page="viz"' in page.text and "<svg" in page.text
    assert f'data-parent-origin="{HOST_ORIGIN}"' in page.text
    assert "frame-ancestors http://localhost:* http://127.0.0.1:*" in page.headers["Content-Security-Policy"]


def test_without_a_session_the_view_shows_tableau_sign_in(client):
    page = client.get(VIEW_URL)
    assert page.status_code == 200
    assert 'data-simulator-page="signin"' in page.text and "<svg" not in page.text


# The tokens are made in the test, not at collection: a token made earlier may have expired by then.
@pytest.mark.parametrize(
    ("token_fields", "code"),
    [
        ({"key": "a-different-secret-of-sufficient-length-xx"}, 127),
        ({"exp": 9_999_999_999}, 10096),
        ({"scp": "tableau:views:embed"}, 10097),
    ],
    ids=["wrong-secret", "exp-too-far", "scp-string"],
)
def test_refused_tokens_answer_their_documented_code(client, token_fields, code):
    response = sign_in(client, make_token(**token_fields))
    assert response.status_code == 401
    assert error_code(response) == code
    assert "workgroup_session_id" not in response.headers.get("Set-Cookie", "")


def test_a_reused_jti_is_refused_without_the_session_it_made(app):
    token = make_token()
    assert sign_in(app.test_client(), token).status_code == 200
    again = sign_in(app.test_client(), token)  # a fresh browser: no cookie
    assert (again.status_code, error_code(again)) == (401, 10091)


def test_error_body_has_the_documented_shape(client):
    body = sign_in(client, make_token(jti=None, drop=("jti",))).get_json()
    (error,) = body["result"]["errors"]
    assert error["code"] == 10094 and error["summary"] == "MISSING_REQUIRED_JTI" and error["detail"]


def test_cors_preflight_answers_an_allowed_origin_with_credentials(client):
    response = client.options("/api/embed/signin", headers={
        "Origin": HOST_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.headers["Access-Control-Allow-Origin"] == HOST_ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
