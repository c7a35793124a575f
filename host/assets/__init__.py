"""The host's static files at versioned URLs with long-lived caching (issue #11).

At start the host reads every file under static/ once and serves it at
/assets/<version>/<path>, where <version> is a hash of all of them (files.py), with
`Cache-Control: public, max-age=31536000, immutable` (routes.py): a second visit makes no request
for them. Templates link files with `asset_url("js/embed-page.js")`, never with
url_for("static", ...). The unversioned /static/<path> stays as Flask serves it (`no-cache`,
revalidated on each use), for integrators who link the readable files directly.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, url_for

from host.assets.files import Assets, assets_of, read_folder
from host.assets.routes import EXTENSION, bp, current_assets

__all__ = ["Assets", "build", "current_assets", "install"]


def build(static_folder: Path) -> Assets:
    """Everything served under /assets/, from the files under `static_folder`."""
    return assets_of(read_folder(static_folder))


def install(app: Flask) -> None:
    """Build the assets once, serve them, and give templates `asset_url(path)`."""
    assets = build(Path(app.static_folder or "static"))
    app.extensions[EXTENSION] = assets
    app.register_blueprint(bp)

    def asset_url(path: str) -> str:
        assets.require(path)  # a misspelt path fails the page's render, naming the path
        return url_for("assets.file", version=assets.version, path=path)

    app.jinja_env.globals["asset_url"] = asset_url
