"""/assets/<version>/<path>: the static files at versioned URLs, cached for a year.

A versioned URL never changes meaning (a new deployment has a new version), so browsers and shared
caches keep the file for a year without asking again (`immutable`: not even on reload). An unknown
version or path is a 404 that nobody may keep (`no-store`): during a rolling deployment an instance
may be asked for the other deployment's version, and a kept 404 would outlive it.

Files are sent gzip-compressed to browsers that accept it (compressed once at start). Safe from
BREACH: these files are the same for everybody and carry no secret. Pages and API answers are
never compressed here: they carry a token (the viz JWT, the CSRF token), and some reflect the
request (login's `next`, /troubleshoot's `q`): compressing the two together lets an attacker who
can choose the reflected part guess the secret from the compressed length (README, "Serving").
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from host.assets.files import Assets
from host.extension import current_host

IMMUTABLE = "public, max-age=31536000, immutable"

bp = Blueprint("assets", __name__)


def current_assets() -> Assets:
    assets = current_host().assets
    if assets is None:
        raise RuntimeError("host.assets.build.install(app) has not run")
    return assets


@bp.get("/assets/<version>/<path:path>")
def file(version: str, path: str) -> Response:
    found = current_assets().get(version, path)
    if found is None:
        abort(404)
    packed = found.gzipped is not None and request.accept_encodings["gzip"] > 0
    response = Response(found.gzipped if packed else found.body, content_type=found.content_type)
    response.headers["Cache-Control"] = IMMUTABLE
    if found.gzipped is not None:
        response.vary.add("Accept-Encoding")  # caches keep the two representations apart
    if packed:
        response.content_encoding = "gzip"
    response.set_etag(f"{found.etag}-gzip" if packed else found.etag)  # one tag per representation
    return response.make_conditional(request)


@bp.after_request
def never_keep_errors(response: Response) -> Response:
    if response.status_code not in (200, 304):
        response.headers["Cache-Control"] = "no-store"
    return response
