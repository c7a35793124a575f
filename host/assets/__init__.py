"""The host's static files at versioned URLs with long-lived caching (issue #11).

At start the host reads every file under static/ once and serves it at
/assets/<version>/<path>, where <version> is a hash of all of them (files.py), with
`Cache-Control: public, max-age=31536000, immutable` (routes.py): a second visit makes no request
for them. Templates link files with `asset_url("css/app.css")`, never url_for("static", ...), and
ES modules with `assets.modules([...])` (templates/macros/assets.html), which also asks for every
module they import at once (`<link rel="modulepreload">`; the graph is read from the import
statements at start: modules.py). The unversioned /static/<path> stays as Flask serves it
(`no-cache`, revalidated on each use), for integrators who link the readable files directly.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, url_for

from host.assets.files import Assets, assets_of, read_folder
from host.assets.modules import parse_modules, static_graph
from host.assets.routes import EXTENSION, bp, current_assets

__all__ = ["Assets", "build", "current_assets", "install"]


def build(static_folder: Path) -> Assets:
    """Everything served under /assets/, from the files under `static_folder`."""
    files = read_folder(static_folder)
    modules = parse_modules(files)
    imports = {path: static_graph(modules, path)[:-1] for path in modules}
    return assets_of(files, imports)


def install(app: Flask) -> None:
    """Build the assets once, serve them, and give templates `asset_url(path)`."""
    assets = build(Path(app.static_folder or "static"))
    app.extensions[EXTENSION] = assets
    app.register_blueprint(bp)

    def asset_url(path: str) -> str:
        assets.require(path)  # a misspelt path fails the page's render, naming the path
        return url_for("assets.file", version=assets.version, path=path)

    def module_preloads(*entries: str) -> list[str]:
        return [asset_url(path) for path in assets.dependencies(*entries)]

    app.jinja_env.globals.update(asset_url=asset_url, module_preloads=module_preloads)
