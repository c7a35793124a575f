"""REST methods on the signed-in user's behalf: Query Workbooks for Site, Query Views for Site,
Query Views for Workbook, Query View Image.

Each needs `X-Tableau-Auth` from a JWT sign-in (rest_api.py) for the site in the path and the REST
scope the method needs in the JWT's `scp`; each answers only what the user may see (the workbook's
"View" permission, permissions.py). Lists are paged as Tableau pages them (`pageSize`,
`pageNumber`, a `pagination` element). XML unless the client asks for JSON (rest_format.py).
"""

from typing import Any

from flask import Blueprint, Response, request

from . import charts, permissions, png, rest_format, view_data
from .model import Site, View, Workbook
from .sessions import Session
from .state import current

bp = Blueprint("rest_content", __name__, url_prefix="/api/<version>/sites/<site_id>")

CONTENT_READ = "tableau:content:read"
VIEWS_DOWNLOAD = "tableau:views:download"
_DEFAULT_PAGE_SIZE, _MAX_PAGE_SIZE = 100, 1000


class _Refused(Exception):
    """A REST method refused: its answer in Tableau's REST error shape."""

    def __init__(self, status: int, code: str, summary: str, detail: str) -> None:
        super().__init__(detail)
        self.response = rest_format.error(status, code, summary, detail)


@bp.errorhandler(_Refused)
def _refused(error: _Refused) -> Response:
    return error.response


@bp.get("/workbooks")
def list_workbooks(version: str, site_id: str) -> Response:
    site, session = _authorised(site_id, CONTENT_READ)
    visible = [w for w in site.workbooks if permissions.can_view(site, w, session)]
    page, pagination = _page(visible)
    return rest_format.respond({"pagination": pagination,
                                "workbooks": {"workbook": [_workbook_json(site, w) for w in page]}})


@bp.get("/views")
@bp.get("/workbooks/<workbook_id>/views")
def list_views(version: str, site_id: str, workbook_id: str | None = None) -> Response:
    site, session = _authorised(site_id, CONTENT_READ)
    visible = [w for w in site.workbooks if permissions.can_view(site, w, session)]
    if workbook_id is not None:
        visible = [w for w in visible if w.id == workbook_id]
        if not visible:
            # Unknown and not visible answer alike, so a listing never reveals what a user may not see.
            raise _Refused(404, "404006", "Not Found", "no workbook with that ID that this user may see")
    page, pagination = _page([(w, v) for w in visible for v in w.views])
    return rest_format.respond({"pagination": pagination,
                                "views": {"view": [_view_json(site, w, v) for w, v in page]}})


@bp.get("/views/<view_id>/image")
def view_image(version: str, site_id: str, view_id: str) -> Response:
    site, session = _authorised(site_id, VIEWS_DOWNLOAD)
    found = site.view_by_id(view_id)
    if found is None or not permissions.can_view(site, found[0], session):
        raise _Refused(404, "404011", "Not Found", "no view with that ID that this user may see")
    chart = view_data.for_user(found[1], session.attributes).chart
    if request.accept_mimetypes.best_match(["image/png", "image/svg+xml"]) == "image/svg+xml":
        return Response(str(charts.svg(chart)), mimetype="image/svg+xml")
    return Response(png.render(chart), mimetype="image/png")


def _authorised(site_id: str, scope: str) -> tuple[Site, Session]:
    """The site and session, when X-Tableau-Auth names a live session for the site whose JWT
    granted `scope`; otherwise raises the refusal."""
    state = current()
    session: Session | None = state.sessions.get(request.headers.get("X-Tableau-Auth"), state.clock())
    if session is None:
        raise _Refused(401, "401002", "Unauthorized Access",
                       "sign in first (X-Tableau-Auth is missing, expired or signed out)")
    site = state.registry.site_by_id(site_id)
    if site is None or session.site_id != site.id:
        raise _Refused(403, "403000", "Forbidden", "the credentials are for another site")
    if scope not in session.scopes:
        # A JWT sign-in may call only the methods whose scope its 'scp' granted.
        raise _Refused(403, "403000", "Forbidden",
                       f"the JWT's 'scp' did not grant {scope}, which this method needs")
    return site, session


def _page(items: list[Any]) -> tuple[list[Any], dict[str, str]]:
    """One page of `items` and Tableau's pagination element for it."""
    size = _positive_int("pageSize", _DEFAULT_PAGE_SIZE, _MAX_PAGE_SIZE)
    number = _positive_int("pageNumber", 1, 1_000_000)
    start = (number - 1) * size
    pagination = {"pageNumber": str(number), "pageSize": str(size), "totalAvailable": str(len(items))}
    return items[start:start + size], pagination


def _positive_int(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise _Refused(400, "400006", "Bad Request", f"{name} must be an integer from 1 to {maximum}")
    return int(raw)


def _workbook_json(site: Site, workbook: Workbook) -> dict[str, Any]:
    project = next(p for p in site.projects if p.id == workbook.project_id)
    return {"id": workbook.id, "name": workbook.name, "contentUrl": workbook.content_url,
            "webpageUrl": f"{_site_path(site)}/workbooks/{workbook.content_url}",
            "project": {"id": project.id, "name": project.name}}


def _view_json(site: Site, workbook: Workbook, view: View) -> dict[str, Any]:
    return {"id": view.id, "name": view.name, "viewUrlName": view.content_url,
            "contentUrl": f"{workbook.content_url}/sheets/{view.content_url}",
            "webpageUrl": f"{_site_path(site)}/views/{workbook.content_url}/{view.content_url}",
            "workbook": {"id": workbook.id}, "project": {"id": workbook.project_id}}


def _site_path(site: Site) -> str:
    """The site's URL prefix on this simulator: `<public URL>/t/<site>` (`/` for the default site)."""
    base = str(current().self_origin())
    return f"{base}/t/{site.content_url}" if site.content_url else base
