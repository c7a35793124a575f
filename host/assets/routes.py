"""/assets/<version>/<path>: the static files at versioned URLs, cached for a year.

A versioned URL never changes meaning (a new deployment has a new version), so browsers and shared
caches keep the file for a year without asking again (`immutable`: not even on reload). An unknown
version or path is a 404 that nobody may keep (`no-store`): during a rolling deployment an instance
may be asked for the other deployment's version, and a kept 404 would outlive it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from host.assets.files import Assets

EXTENSION = "host_assets"
IMMUTABLE = "public, max-age=31536000, immutable"

bp = Blueprint("assets", __name__)


def current_assets() -> Assets:
    return current_app.extensions[EXTENSION]


@bp.get("/assets/<version>/<path:path>")
def file(version: str, path: str) -> Response:
    found = current_assets().get(version, path)
    if found is None:
        abort(404)
    response = Response(found.body, content_type=found.content_type)
    response.headers["Cache-Control"] = IMMUTABLE
    response.set_etag(found.etag)
    return response.make_conditional(request)


@bp.after_request
def never_keep_errors(response: Response) -> Response:
    if response.status_code not in (200, 304):
        response.headers["Cache-Control"] = "no-store"
    return response
