"""The host's static files at versioned URLs with long-lived caching.

At start the host reads every file under static/ once and serves it at
/assets/<version>/<path>, where <version> is a hash of all of them (files.py), with
`Cache-Control: public, max-age=31536000, immutable` (routes.py): a second visit makes no request
for them. Templates link files with `asset_url("css/app.css")`, never url_for("static", ...), and
ES modules with `assets.modules([...])` (templates/macros/assets.html), which also asks for every
module they import at once (`<link rel="modulepreload">`; the graph is read from the import
statements at start: modules.py). JavaScript is served minified (minify.py), embed-page.js as one
file with what it imports (bundle.py), and js/error-catalogue.js, generated from
tableau_rules/catalogue.json (catalogue_module.py), the same way. The unversioned /static/<path>
stays as Flask serves it (`no-cache`, revalidated on each use): the readable files, for
integrators who link them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import Flask, request, url_for

from host.assets import catalogue_module
from host.assets.bundle import bundle, bundle_imports
from host.assets.files import Assets, assets_of, digest, read_folder
from host.assets.minify import minify_js
from host.assets.modules import ModuleFormError, parse_modules, static_graph
from host.assets.routes import bp
from host.extension import current_host_of

# Entry modules served as one file with every module they import (bundle.py): embed-page.js is
# what every embed page runs, before the Tableau library, so all of it comes in one request.
BUNDLED = ("js/embed-page.js",)
# Modules a bundle imports instead of copying: they hold state shared with other modules (the
# catalogue error-catalogue.js provides to embed-page.js).
SHARED = frozenset({catalogue_module.SHARED_WITH})


def build(static_folder: Path) -> Assets:
    """Everything served under /assets/, from the files under `static_folder`: JavaScript
    minified, each of BUNDLED as one file with what it imports, and the generated catalogue."""
    files = read_folder(static_folder)
    key = digest(*(part for path, body in files.items() for part in (path.encode(), body)))
    if key not in _BUILT:  # the same files give the same (immutable) Assets: build them once
        _BUILT[key] = _build(files)
    return _BUILT[key]


# Built Assets by a digest of the files read: one entry per process in production; apps built
# again from unchanged files (tests, several apps in one process) skip the minifying and bundling.
_BUILT: dict[str, Assets] = {}


def _build(files: dict[str, bytes]) -> Assets:
    if catalogue_module.PATH in files:
        raise ModuleFormError(f"static/{catalogue_module.PATH}: the host generates this file from "
                              "tableau_rules/catalogue.json; remove or rename yours")
    modules = parse_modules(files)
    served = {**files, **{path: minify_js(path, module.source) for path, module in modules.items()}}
    imports = {path: static_graph(modules, path)[:-1] for path in modules}
    for entry in (path for path in BUNDLED if path in modules):
        served[entry] = minify_js(entry, bundle(modules, entry, SHARED))
        imports[entry] = bundle_imports(modules, entry, SHARED)
    served[catalogue_module.PATH] = catalogue_module.catalogue_module()
    imports[catalogue_module.PATH] = (catalogue_module.SHARED_WITH,)
    return assets_of(served, imports)


def install(app: Flask) -> None:
    """Build the assets once, serve them, and give templates `asset_url(path)`."""
    assets = build(Path(app.static_folder or "static"))
    current_host_of(app).assets = assets
    app.register_blueprint(bp)

    built: dict[tuple[str, str], str] = {}  # URLs are fixed per process: build each once

    def asset_url(path: str) -> str:
        key = (request.script_root, path)
        if key not in built:
            assets.require(path)  # a misspelt path fails the page's render, naming the path
            built[key] = url_for("assets.file", version=assets.version, path=path)
        return built[key]

    def module_preloads(entries: Sequence[str], on_demand: Sequence[str] = ()) -> list[str]:
        return [asset_url(path) for path in assets.preloads(entries, on_demand)]

    app.jinja_env.globals.update(asset_url=asset_url, module_preloads=module_preloads)
