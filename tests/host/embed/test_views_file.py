"""VIEWS_FILE at start: every mistake is named with its entry and fix, all at once; the host refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from config import ConfigError
from host.embed.views_file import ViewsFile, ViewsFileError
from tests.conftest import base_env

GOOD_VIEW = {"slug": "overview", "title": "Overview", "kind": "viz",
             "src": "/t/demo/views/Superstore/Overview"}


def problems_for(tmp_path: Path, content: Any) -> list[str]:
    path = tmp_path / "views.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(ViewsFileError) as caught:
        ViewsFile.load(path)
    return caught.value.problems


def view(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**GOOD_VIEW, **changes}.items() if v is not None}


@pytest.mark.parametrize(("content", "expected"), [
    ('{"views": [', "not valid JSON at line 1 column 12"),
    ("[]", "must be a JSON object with a 'views' list"),
    ({"views": []}, "'views' must be a non-empty list"),
    ({"views": [view(src=None)]}, "views[0]: 'src' required"),
    ({"views": [view(title="", kind=None)]}, "views[0]: 'title', 'kind' required"),
    ({"views": [view(kind="dashboard")]}, "kind 'dashboard' is not one of viz, authoring, pulse"),
    ({"views": [view(), view(title="Again")]}, "views slug 'overview' is used 2 times"),
    ({"views": [view(src="/t/demo/views/Superstore")]}, "'/t/demo/views/Superstore' is not a <tableau-viz>"),
    ({"views": [view(src="#/site/demo/views/Superstore/Overview")]},
     "address-bar form: use /t/demo/views/Superstore/Overview"),
    ({"views": [view(kind="pulse")]}, "use /pulse/site/<site>/metrics/<metric id>"),
    ({"views": [view(), view(slug="budget", src="/t/finance/views/Budget/Summary")]},
     "views[1] 'budget': site 'finance' differs from the other views' site 'demo'"),
    ({"views": [view(), view(slug="home", src="/views/Budget/Summary")]},
     "site (the default site) differs from the other views' site 'demo'"),
    ({"views": [view(options={"toolbar": "left"})]}, "option toolbar='left' is not one of top, bottom"),
    ({"views": [view()], "dashboards": [{"slug": "d", "views": ["overview", "nope"]}]},
     "dashboards[0] 'd': no view with slug 'nope'"),
    ({"views": [view()], "dashboards": [{"slug": "d", "views": ["overview"]},
                                        {"slug": "d", "views": ["overview"]}]},
     "dashboards slug 'd' is used 2 times"),
], ids=["json", "not-object", "no-views", "no-src", "two-missing", "kind", "duplicate-slug", "src-shape",
        "address-bar", "pulse-shape", "other-site", "default-site", "option", "dashboard-view",
        "duplicate-dashboard"])
def test_each_mistake_is_named(tmp_path: Path, content: Any, expected: str) -> None:
    assert any(expected in problem for problem in problems_for(tmp_path, content)), \
        problems_for(tmp_path, content)


def test_every_mistake_at_once(tmp_path: Path) -> None:
    found = problems_for(tmp_path, {"views": [view(src="/x"), view(slug="b", kind="nope"), view(slug="b")]})
    assert len(found) == 3


def test_the_shipped_views_file_is_clean() -> None:
    loaded = ViewsFile.load(Path(__file__).resolve().parents[3] / "config" / "views.json")
    assert "overview" in loaded.views and loaded.views["overview"].options["hide-tabs"] == "true"


def test_the_host_refuses_to_start_naming_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "views.json"
    path.write_text(json.dumps({"views": [view(src="/t/demo/views/Superstore"), view()]}), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        create_app({"ENV": base_env(VIEWS_FILE=str(path))})
    assert len(caught.value.problems) == 2
    assert "is not a <tableau-viz> path" in caught.value.message and "used 2 times" in caught.value.message
