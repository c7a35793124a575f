"""CORS for the embed sign-in: credentialed, and only for origins some allowlist admits.

The sign-in answers with a cookie, so `*` is not an option; the origin is reflected only when an
enabled connected app's `domainAllowlist` or a site's embedding settings admit it. An origin no
configuration admits gets no CORS headers - in a browser the request then fails
("unknown-auth-error"), just as the Embedding API docs note for a CORS error on sign-in. An
admitted origin that is not in the token's own app allowlist reads the documented 10092 answer.
"""

from flask import Response, request

from . import allowlist
from .state import current


def add_cors_headers(response: Response) -> Response:
    origin = request.headers.get("Origin")
    if current().faults.down:
        return response  # an outage: the browser sees a failed request, as with a dead server
    if origin and _admitted(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
    response.vary.add("Origin")
    return response


def _admitted(header: str) -> bool:
    try:
        origin = allowlist.parse_origin(header)
    except allowlist.InvalidOrigin:
        return False  # never reflect "null" or garbage with credentials
    state = current()
    self_origin = state.self_origin()
    for site in state.registry.sites:
        if site.embedding.unrestricted or allowlist.allows(site.embedding.allow_list, origin, self_origin):
            return True
        if any(app.enabled and allowlist.allows(app.domain_allowlist, origin, self_origin)
               for app in site.connected_apps):
            return True
    return False
