"""Admin API: a site's unified access token configuration (the simulator's stand-in for the Tableau
Cloud Manager's UAT configuration methods), guarded by the admin credential (admin_auth.py).

`GET|PUT|DELETE /api/<version>/sites/<site id>/settings/unified-access-token`; PUT takes
`{"unifiedAccessToken": {...}}` (uat_config.py) and replaces the whole configuration, so a host can
register its JWKS URL when it starts, or pin a new inline key set to rotate keys.
"""

from flask import Blueprint, Response, abort, request

from . import rest_format, uat_config
from .admin_auth import require_admin
from .model import Site
from .state import current

bp = Blueprint("admin_uat", __name__, url_prefix="/api/<version>/sites/<site_id>/settings")
bp.before_request(require_admin)

_PATH = "/unified-access-token"


@bp.get(_PATH)
def show(version: str, site_id: str) -> Response:
    config = _site(site_id).unified_access_token
    if config is None:
        return _bad(404, "the site has no unified access token configuration")
    return rest_format.respond({"unifiedAccessToken": uat_config.to_json(config)})


@bp.put(_PATH)
def replace(version: str, site_id: str) -> Response:
    site = _site(site_id)
    if current().registry.deployment != "cloud":
        return _bad(400, "unified access tokens exist on Tableau Cloud only")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "unifiedAccessToken" not in body:
        return _bad(400, 'expected a JSON body {"unifiedAccessToken": {...}}')
    try:
        site.unified_access_token = uat_config.parse(body["unifiedAccessToken"], site.id)
    except uat_config.InvalidUatConfig as exc:
        return _bad(400, str(exc))
    return rest_format.respond({"unifiedAccessToken": uat_config.to_json(site.unified_access_token)})


@bp.delete(_PATH)
def remove(version: str, site_id: str) -> Response:
    _site(site_id).unified_access_token = None
    return Response(status=204)


def _bad(status: int, detail: str) -> Response:
    summary = "Not Found" if status == 404 else "Bad Request"
    # The REST error code for these answers is the HTTP status times 1000 (404 -> "404000").
    return rest_format.error(status, str(status * 1000), summary, detail)


def _site(site_id: str) -> Site:
    return current().registry.site_by_id(site_id) or abort(404)
