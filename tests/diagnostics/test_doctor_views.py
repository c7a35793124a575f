"""`flask tableau doctor --views` against the Tableau simulator's REST API: each configured view is
found for the test user, or named with the fix (a misspelt sheet gets a suggestion)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from config import load_settings
from config.env_files import write_sandbox_env
from host.diagnostics import doctor
from host.diagnostics.rest_views import check_views_on_tableau
from host.signin.users import UserDirectory
from sandbox.servers import Sandbox, start_sandbox
from tests.conftest import base_env

VIEWS = {"views": [
    {"slug": "overview", "title": "Overview", "kind": "viz", "src": "/t/demo/views/Superstore/Overview"},
    {"slug": "typo", "title": "Typo", "kind": "viz", "src": "/t/demo/views/Superstore/Overveiw"},
    {"slug": "edit", "title": "Edit", "kind": "authoring", "src": "/t/demo/authoring/Superstore/Regional"},
    {"slug": "pulse", "title": "Pulse", "kind": "pulse",
     "src": "/pulse/site/demo/metrics/4db45dc7-35b1-4b58-8802-73ef367d069d"},
]}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    views = tmp_path_factory.mktemp("views") / "views.json"
    views.write_text(json.dumps(VIEWS), encoding="utf-8")
    running = start_sandbox(eas_key_dir=tmp_path_factory.mktemp("eas-keys"),
                            host_overrides={"VIEWS_FILE": str(views)})
    yield running
    running.stop()


def lines_for(sandbox: Sandbox, user: str | None = None, **env: str) -> dict[str, doctor.Line]:
    settings = load_settings({**sandbox.host_env, **env})
    users = UserDirectory.load(settings.users_file, sandbox=True)
    return {line.check: line for line in check_views_on_tableau(doctor.Context(settings, users), user)}


def test_each_view_is_found_or_named_with_its_fix(sandbox: Sandbox) -> None:
    lines = lines_for(sandbox)
    assert lines["view overview"].status == "ok"
    assert "exists and alice@example.com can see it" in lines["view overview"].message
    assert lines["view edit"].status == "ok"  # an authoring view is a view of the same workbook
    typo = lines["view typo"]
    assert typo.status == "fail" and "no such view for alice@example.com" in typo.message
    assert "did you mean …/Superstore/Overview?" in typo.message and "case sensitive" in typo.fix
    assert lines["view pulse"].status == "ok" and "not checked" in lines["view pulse"].message


def test_an_on_demand_user_is_checked_as_the_pages_see_her(sandbox: Sandbox) -> None:
    # carol has no Tableau account: her token asks for on-demand access with her Guests group,
    # as her pages' tokens do, so the check signs in as the demo shows her views.
    for env in ({}, {"MY_CONTENT_PAGE": "false"}):  # with or without REST settings of its own
        lines = lines_for(sandbox, "carol", **env)
        assert "rest sign-in" not in lines, env
        assert lines["view overview"].status == "ok"
        assert "carol@elsewhere.example can see it" in lines["view overview"].message


def test_a_user_tableau_does_not_know_cannot_sign_in(sandbox: Sandbox) -> None:
    line = lines_for(sandbox, "carol", TABLEAU_ON_DEMAND_ACCESS="false")["rest sign-in"]
    assert line.status == "fail" and "code 5" in line.message and "'carol@elsewhere.example'" in line.message


def test_an_unknown_user(sandbox: Sandbox) -> None:
    assert lines_for(sandbox, "mallory")["views on tableau"].status == "fail"


def test_through_the_cli_beside_the_demo(sandbox: Sandbox, no_running_demo: Path) -> None:
    write_sandbox_env(sandbox.host_env, no_running_demo, pid=os.getpid())
    app = create_app({"ENV": base_env(), "TESTING": True})  # the demo's settings win over these
    result = app.test_cli_runner().invoke(args=["tableau", "doctor", "--views", "--json"])
    checks = {line["check"]: line["status"] for line in json.loads(result.stdout)}
    assert checks["view overview"] == "ok" and checks["view typo"] == "fail"
    assert result.exit_code == 1


def test_a_site_that_does_not_exist_is_named_not_blamed_on_clocks(sandbox: Sandbox, tmp_path: Path) -> None:
    views = tmp_path / "views.json"
    views.write_text(json.dumps({"views": [
        {"slug": "overview", "title": "Overview", "kind": "viz", "src": "/t/acme/views/Superstore/Overview"},
    ]}), encoding="utf-8")
    line = lines_for(sandbox, VIEWS_FILE=str(views))["rest sign-in"]
    assert line.status == "fail" and "site 'acme'" in line.message and "code 16" in line.message
    assert "/#/site/<site>/home" in line.fix and "UTC" not in line.message + line.fix
