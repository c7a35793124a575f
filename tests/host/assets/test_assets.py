"""Static files at versioned URLs (host/assets): long-lived immutable caching, one version per
deployment, unversioned /static/ kept for integrators."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from flask import render_template_string

from host.assets.build import build
from host.assets.files import UnknownAsset
from host.extension import current_host_of

STATIC = Path(__file__).resolve().parents[3] / "static"
YEAR = "public, max-age=31536000, immutable"


def linked_files(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/(?:assets|static)/[^"]+)"', html)


def test_every_page_links_its_files_at_versioned_urls(app, client, auth):
    auth.login()
    version = current_assets_of(app).version
    for path in ("/", "/login", "/views/overview", "/dashboards/sales", "/troubleshoot"):
        links = linked_files(client.get(path).get_data(as_text=True))
        assert links, path
        assert all(link.startswith(f"/assets/{version}/") for link in links), (path, links)


def test_a_versioned_file_is_the_static_file_cached_for_a_year(client):
    url = versioned(client, "js/embed-page.js")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers
    # No session is read or written for a file: a shared cache may keep one copy for everybody.
    assert "Cookie" not in response.headers.get("Vary", "") and "Set-Cookie" not in response.headers
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_another_version_or_an_unknown_file_is_a_404_nobody_keeps(client):
    good = versioned(client, "css/app.css")
    version = good.split("/")[2]
    for url in (good.replace(version, "0" * 12), good.replace("app.css", "nope.css")):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_unversioned_static_files_still_work_and_are_revalidated(client):
    response = client.get("/static/js/embed-page.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.data == (STATIC / "js" / "embed-page.js").read_bytes()


def test_any_changed_byte_changes_the_version(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const A = 1;\n")
    (tmp_path / "app.css").write_text("body { color: black; }\n")
    first = build(tmp_path).version
    assert build(tmp_path).version == first  # the same files: the same URLs after a restart
    (tmp_path / "app.css").write_text("body { color: navy; }\n")
    assert build(tmp_path).version != first
    assert re.fullmatch(r"[0-9a-f]{12}", first)


def test_asset_url_names_a_missing_file(app):
    with app.test_request_context(), pytest.raises(UnknownAsset, match="'js/missing.js'"):
        render_template_string("{{ asset_url('js/missing.js') }}")


def current_assets_of(app):
    return current_host_of(app).assets


def versioned(client, path: str) -> str:
    return f"/assets/{current_assets_of(client.application).version}/{path}"


def test_files_are_gzipped_for_browsers_that_accept_it(client):
    url = versioned(client, "js/embed-page.js")
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["ETag"] != plain.headers["ETag"]
    for response in (plain, packed):
        assert response.headers["Vary"] == "Accept-Encoding"
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data


def test_pages_are_never_compressed_by_the_host(client, auth):
    # They carry a token and may reflect the request (BREACH): see host/assets/routes.py.
    pages = [("/login?next=/views", False), ("/views/overview", True), ("/troubleshoot?q=10091", True)]
    for path, signed_in in pages:  # the login form reflects `next` to a visitor not signed in
        if signed_in:
            auth.login()
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response.headers, path
