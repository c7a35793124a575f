"""`flask tableau doctor` against a loopback stand-in for Tableau: a good setup and broken ones."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from config import CONFIG_DIR, EasSettings, Secret
from host.diagnostics import doctor
from host.extension import current_host_of
from host.signin.users import User, UserDirectory
from tests.conftest import base_env
from tests.diagnostics.conftest import FakeTableau


def make_app(url: str, **env: str) -> Flask:
    return create_app({"ENV": base_env(TABLEAU_SERVER_URL=url, **env), "TESTING": True})


def run(app: Flask) -> tuple[int, dict[str, str]]:
    """Exit code and {check name: status}; a check named twice keeps its worst status."""
    result = app.test_cli_runner().invoke(args=["tableau", "doctor", "--json"])
    assert "Traceback" not in result.output
    statuses: dict[str, str] = {}
    for line in json.loads(result.stdout):
        assert set(line) == {"status", "check", "message", "fix"}
        assert line["status"] == "ok" or line["fix"], f"{line['check']} gives no fix"
        if statuses.get(line["check"]) != "fail":
            statuses[line["check"]] = line["status"]
    return result.exit_code, statuses


def with_settings(app: Flask, **changes: object) -> Flask:
    current_host_of(app).settings = replace(current_host_of(app).settings, **changes)
    return app


def with_direct(app: Flask, **changes: object) -> Flask:
    direct = replace(current_host_of(app).settings.direct, **changes)
    return with_settings(app, direct=direct)


def test_a_good_setup_is_all_ok(fake_tableau: FakeTableau) -> None:
    code, statuses = run(make_app(fake_tableau.url))
    assert code == 0
    assert statuses == {"signing secret": "ok", "lifetime": "ok", "server url": "ok", "library": "ok",
                        "clock zone": "ok", "clock skew": "ok", "minting": "ok", "views file": "ok"}


def test_text_output_one_line_per_check(fake_tableau: FakeTableau) -> None:
    result = make_app(fake_tableau.url).test_cli_runner().invoke(args=["tableau", "doctor"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("ok   signing secret: ID 'secret-1'")
    assert "s" * 48 not in result.stdout  # the secret value is never printed


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback URL that refuses connections: its port stays bound (no other process can take it
    while the test runs) but never listens, unlike a port found free and released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_down_server_is_a_fail_line(fake_tableau: FakeTableau, refused_url: str) -> None:
    code, statuses = run(make_app(refused_url))
    assert code == 1
    assert statuses["library"] == "fail" and statuses["clock skew"] == "warn"


def test_missing_library_fails(fake_tableau: FakeTableau) -> None:
    fake_tableau.library_status = 404
    code, statuses = run(make_app(fake_tableau.url))
    assert code == 1 and statuses["library"] == "fail"


def test_library_not_javascript_warns(fake_tableau: FakeTableau) -> None:
    fake_tableau.library_type = "text/html"
    code, statuses = run(make_app(fake_tableau.url))
    assert code == 0 and statuses["library"] == "warn"


@pytest.mark.parametrize("offset", [-300, 300])
def test_clock_skew_over_60_seconds_warns(fake_tableau: FakeTableau, offset: int) -> None:
    fake_tableau.date_offset = offset
    code, statuses = run(make_app(fake_tableau.url))
    assert code == 0 and statuses["clock skew"] == "warn"


def test_small_skew_is_ok(fake_tableau: FakeTableau) -> None:
    fake_tableau.date_offset = 20
    assert run(make_app(fake_tableau.url))[1]["clock skew"] == "ok"


def test_process_not_on_utc_warns(fake_tableau: FakeTableau, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "utc_offset_seconds", lambda: 7200)
    assert run(make_app(fake_tableau.url))[1]["clock zone"] == "warn"


def test_short_secret_fails(fake_tableau: FakeTableau) -> None:
    app = with_direct(make_app(fake_tableau.url), signing_secret=Secret("secret-1", "short"))
    code, statuses = run(app)
    assert code == 1 and statuses["signing secret"] == "fail"


def test_spare_secret_with_the_same_id_fails(fake_tableau: FakeTableau) -> None:
    app = with_direct(make_app(fake_tableau.url), spare_secret=Secret("secret-1", "t" * 48))
    code, statuses = run(app)
    assert code == 1 and statuses["spare secret"] == "ok" and statuses["secrets"] == "fail"


@pytest.mark.parametrize(("seconds", "status"), [(900, "fail"), (30, "warn"), (600, "ok")])
def test_lifetime(fake_tableau: FakeTableau, seconds: int, status: str) -> None:
    code, statuses = run(with_settings(make_app(fake_tableau.url), token_lifetime_seconds=seconds))
    assert statuses["lifetime"] == status and code == (1 if status == "fail" else 0)


def test_http_server_outside_the_sandbox_fails(fake_tableau: FakeTableau) -> None:
    code, statuses = run(with_settings(make_app(fake_tableau.url), app_env="production"))
    assert code == 1 and statuses["server url"] == "fail"


def test_server_url_with_a_path_fails_with_the_base_url(fake_tableau: FakeTableau) -> None:
    app = with_settings(make_app(fake_tableau.url), tableau_server_url=fake_tableau.url + "/#/site/x")
    result = app.test_cli_runner().invoke(args=["tableau", "doctor"])
    assert result.exit_code == 1
    assert f"set TABLEAU_SERVER_URL={fake_tableau.url}; it names site 'x'" in result.stdout


def test_a_token_over_8000_bytes_fails_minting(fake_tableau: FakeTableau) -> None:
    app = make_app(fake_tableau.url)
    current_host_of(app).users = UserDirectory([User(
        login="big", display_name="Big", tableau_username="big@example.com", password_hash="x",
        attributes={"Notes": "x" * 9000})])
    code, statuses = run(app)
    assert code == 1 and statuses["minting"] == "fail"


# --- EAS (only when configured) ---------------------------------------------------------------


def eas_settings(url: str) -> EasSettings:
    return EasSettings(issuer=url, metadata_url=f"{url}/.well-known/openid-configuration",
                       client_id="host", client_secret="x" * 40, redirect_uri=f"{url}/cb",
                       scopes="openid", audience="tableau", username_claim="sub", tokens_from_eas=False)


def test_eas_metadata_and_keys(fake_tableau: FakeTableau) -> None:
    fake_tableau.metadata = {"issuer": fake_tableau.url, "jwks_uri": f"{fake_tableau.url}/jwks.json"}
    fake_tableau.jwks = {"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]}
    app = with_settings(make_app(fake_tableau.url), eas=eas_settings(fake_tableau.url))
    code, statuses = run(app)
    assert code == 0 and statuses["eas"] == "ok"


@pytest.mark.parametrize(("metadata", "keys", "failing"), [
    (None, [], "eas metadata"),
    ({"issuer": "https://elsewhere.example.com"}, [{"kid": "k1"}], "eas issuer"),
    ({}, [], "eas jwks"),
], ids=["no-metadata", "issuer-mismatch", "no-keys"])
def test_broken_eas(fake_tableau: FakeTableau, metadata: dict | None, keys: list, failing: str) -> None:
    if metadata is not None:
        fake_tableau.metadata = {"issuer": fake_tableau.url, **metadata,
                                 "jwks_uri": f"{fake_tableau.url}/jwks.json"}
    fake_tableau.jwks = {"keys": keys}
    app = with_settings(make_app(fake_tableau.url), eas=eas_settings(fake_tableau.url))
    code, statuses = run(app)
    assert code == 1 and statuses[failing] == "fail"


def test_no_eas_line_without_an_eas(fake_tableau: FakeTableau) -> None:
    assert not any(name.startswith("eas") for name in run(make_app(fake_tableau.url))[1])


# --- the standalone entry point -----------------------------------------------------------


def test_standalone_doctor_reports_each_config_problem(capsys: pytest.CaptureFixture[str]) -> None:
    env = base_env(TABLEAU_SECRET_VALUE="short", TOKEN_LIFETIME_SECONDS="900")
    assert doctor.main(env) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.startswith("fail config: ") for line in lines)
    assert "TABLEAU_SECRET_VALUE is too short" in lines[0] and "TOKEN_LIFETIME_SECONDS" in lines[1]


def test_standalone_doctor_runs_the_checks(fake_tableau: FakeTableau,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert doctor.main(base_env(TABLEAU_SERVER_URL=fake_tableau.url)) == 0
    assert "ok   library" in capsys.readouterr().out


# --- the views file -------------------------------------------------------------------------


BROKEN_VIEWS = {"views": [
    {"slug": "a", "title": "A", "kind": "viz", "src": "/t/demo/views/Superstore"},
    {"slug": "a", "title": "A again", "kind": "viz", "src": "/t/demo/views/Superstore/Overview"},
    {"slug": "b", "title": "B", "kind": "viz", "src": "/t/other/views/Budget/Summary"},
]}


def test_each_views_file_problem_is_a_fail_line(fake_tableau: FakeTableau, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    views = tmp_path / "views.json"
    views.write_text(json.dumps(BROKEN_VIEWS), encoding="utf-8")
    settings = replace(make_app(fake_tableau.url).extensions["embedding_host"].settings, views_file=views)
    lines = [line for line in doctor.run(doctor.Context(settings)) if line.check == "views file"]
    assert [line.status for line in lines] == ["fail"] * 3
    text = " | ".join(line.message for line in lines)
    assert "'/t/demo/views/Superstore' is not a <tableau-viz> path" in text
    assert "views slug 'a' is used 2 times" in text
    assert "site 'other' differs from the other views' site 'demo'" in text


def test_python_m_host_diagnostics_reports_a_broken_views_file(fake_tableau: FakeTableau, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    views = tmp_path / "views.json"
    views.write_text('{"views": [', encoding="utf-8")
    assert doctor.main(base_env(TABLEAU_SERVER_URL=fake_tableau.url, VIEWS_FILE=str(views))) == 1
    out = capsys.readouterr().out
    assert f"fail views file: VIEWS_FILE {views}: not valid JSON at line 1 column 12" in out


def test_a_good_views_file_counts_its_views(fake_tableau: FakeTableau) -> None:
    result = make_app(fake_tableau.url).test_cli_runner().invoke(args=["tableau", "doctor"])
    count = len(json.loads((CONFIG_DIR / "views.json").read_text(encoding="utf-8"))["views"])
    assert f"ok   views file: {count} views on site demo" in result.stdout
