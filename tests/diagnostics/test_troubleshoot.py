"""/troubleshoot: the catalogue table and its filter, and the paste-a-JWT checker."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tableau_rules.catalogue import catalogue
from tests.conftest import Auth, csrf_from
from tests.diagnostics.tokens import EDGE_CASES, good_claims, signed


def page(client: FlaskClient, query: str = "") -> str:
    response = client.get("/troubleshoot", query_string={"q": query} if query else None)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def row_visibility(html: str) -> dict[str, bool]:
    """{row id: shown} for every table row the page renders."""
    rows = re.findall(r'<tr id="([^"]+)"[^>]*?( hidden)?>', html)
    return {row_id: not hidden for row_id, hidden in rows}


def test_renders_every_code_for_anyone(client: FlaskClient) -> None:
    html = page(client)  # not signed in: the page is public
    rows = row_visibility(html)
    assert all(rows[f"code-{code}"] for code in catalogue().codes)
    e = catalogue().codes[10091]
    assert e.name in html and e.summary in html and e.resolution in html
    assert "load-unknown-auth-error" in rows


def test_codes_cite_tableaus_pages_by_title(client: FlaskClient) -> None:
    html = page(client)
    assert re.search(r'title="Documented in: Troubleshoot Connected Apps, Register EAS to Enable SSO for '
                     r'Embedded Content">10091<', html)
    assert ('<a href="https://help.tableau.com/current/online/en-us/connected_apps_troubleshoot.htm" '
            'rel="noopener">Troubleshoot Connected Apps</a>') in html


def test_filters_server_side(client: FlaskClient) -> None:
    rows = row_visibility(page(client, "JTI_ALREADY"))
    assert [r for r, shown in rows.items() if shown] == ["code-10091"]
    assert len(rows) == len(catalogue().codes) + len(catalogue().load_errors)  # the rest: hidden


def test_filter_matches_codes_and_load_errors(client: FlaskClient) -> None:
    shown = {r for r, s in row_visibility(page(client, "cors")).items() if s}
    assert "load-unknown-auth-error" in shown and "code-10091" not in shown
    assert ">0 shown<" in page(client, "no-such-thing-at-all")


def post_token(client: FlaskClient, token: str, **fields: str):
    csrf = csrf_from(page(client))
    return client.post("/troubleshoot", data={"token": token, "csrf_token": csrf, **fields})


def test_checks_a_token_without_echoing_it(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    token = signed(good_claims(jti=None, aud="Tableau"))
    with caplog.at_level(logging.DEBUG):
        response = post_token(client, token)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert 'data-code="10094"' in html and 'data-code="10084"' in html
    assert "alice@example.com" in html  # the decoded claims are shown...
    for part in (token, *token.split(".")):  # ...the token, or any part of it, never
        assert part not in html and part not in caplog.text


def test_component_scopes_are_checked(client: FlaskClient) -> None:
    html = post_token(client, signed(good_claims()), component="pulse").get_data(as_text=True)
    assert 'data-code="10099"' in html and "tableau:insights:embed" in html


def test_a_clean_token(client: FlaskClient) -> None:
    html = post_token(client, signed(good_claims())).get_data(as_text=True)
    assert "No documented rule is broken" in html


def test_warnings_without_a_code_are_shown(client: FlaskClient) -> None:
    html = post_token(client, signed(good_claims(iat=int(time.time()) + 3600))).get_data(as_text=True)
    assert "1 warning (no documented code)" in html and "claims.iat-future" in html
    assert "No documented rule is broken" in html


def test_refuses_without_csrf(client: FlaskClient) -> None:
    token = signed(good_claims(jti=None))
    page(client)
    response = client.post("/troubleshoot", data={"token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'data-testid="check-result"' not in html and 'data-code="10094"' not in html
    assert token not in html


def test_refuses_over_the_size_limit(client: FlaskClient) -> None:
    token = signed(good_claims(pad="x" * 9_300))  # over 12 KB of text, within the 16 KB body limit
    assert 12 * 1024 < len(token) < 15 * 1024
    response = post_token(client, token)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "over 12 KB" in html and "10103" in html and 'data-testid="check-result"' not in html
    assert "maxlength" not in html  # the browser must not cut the paste silently
    assert token.split(".")[2] not in html


def test_an_empty_paste_is_a_form_error(client: FlaskClient) -> None:
    response = post_token(client, "   ")
    assert response.status_code == 400 and "Paste a JWT to check." in response.get_data(as_text=True)


# Strings a visitor may paste: each is answered with a report or a form error, never a 500.
ODD_PASTES = {
    **{name: token for name, (token, _) in EDGE_CASES.items()},
    "dots-only": "..",
    "three-dots": "...",
    "five-empty-parts": "....",
    "not-base64": "%%%.%%%.%%%",
    "non-ascii": "é.ü.ß",
    "nul-bytes": "\x00.\x00.\x00",
    "json-not-base64": '{"alg":"HS256"}.{}.x',
}


@pytest.mark.parametrize("token", ODD_PASTES.values(), ids=ODD_PASTES.keys())
def test_any_paste_gets_an_answer_not_a_500(client: FlaskClient, token: str) -> None:
    response = post_token(client, token)
    assert response.status_code == 200  # inspect_token reads anything: a report, even if all unreadable
    assert 'data-testid="check-result"' in response.get_data(as_text=True)


def test_a_huge_exp_is_reported_as_a_format_problem(client: FlaskClient) -> None:
    html = post_token(client, EDGE_CASES["exp-huge-int"][0]).get_data(as_text=True)
    assert 'data-code="10084"' in html and "claims.exp" in html


def test_a_token_the_rules_cannot_read_is_a_form_error(client: FlaskClient,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def overflow(*args: object, **kwargs: object) -> None:
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr("host.diagnostics.troubleshoot.inspect_token", overflow)
    response = post_token(client, signed(good_claims()))
    assert response.status_code == 400 and "could not be checked" in response.get_data(as_text=True)


def test_nav_links_here_for_signed_in_users(client: FlaskClient, auth: Auth) -> None:
    auth.login()
    assert 'href="/troubleshoot"' in client.get("/views").get_data(as_text=True)


def test_no_inline_script(client: FlaskClient) -> None:
    html = page(client)
    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html) == []
    assert " on" + "input=" not in html and " onclick=" not in html


NODE_TEST = Path(__file__).with_name("troubleshoot.test.mjs")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_live_filter_module() -> None:
    result = subprocess.run(["node", "--test", str(NODE_TEST)], capture_output=True, text=True,  # noqa: S603,S607
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
