"""Numbers with the right word: '1 view', '3 views', on the pages and in messages."""

from __future__ import annotations

import json
from pathlib import Path

from app import create_app
from host.wording import count
from tests.conftest import Auth, base_env


def test_count() -> None:
    assert [count(n, "view") for n in (0, 1, 2)] == ["0 views", "1 view", "2 views"]
    assert count(1, "query", "queries") == "1 query" and count(2, "query", "queries") == "2 queries"


def test_the_gallery_counts_each_dashboards_views(tmp_path: Path) -> None:
    views = [{"slug": s, "title": s.title(), "kind": "viz", "src": f"/t/demo/views/Superstore/{s}"}
             for s in ("overview", "regional")]
    path = tmp_path / "views.json"
    path.write_text(json.dumps({"views": views, "dashboards": [
        {"slug": "one", "title": "One", "views": ["overview"]},
        {"slug": "two", "title": "Two", "views": ["overview", "regional"]}]}), encoding="utf-8")
    client = create_app({"ENV": base_env(VIEWS_FILE=str(path)), "TESTING": True}).test_client()
    Auth(client).login()
    html = client.get("/views").get_data(as_text=True)
    assert "Dashboard · 1 view<" in html and "Dashboard · 2 views<" in html
