"""A slice of Tableau's REST API: JWT sign-in (XML or JSON), sign-out, list workbooks and views,
query a view image - with connected-app scopes (REST scopes `tableau:content:read`,
`tableau:views:download`) and Tableau's REST error shape (rest_format.py).
"""

from typing import Any
from xml.etree import ElementTree

from flask import Blueprint, Response, request

from . import charts, png, rest_format, tokens, view_data
from .codes import SignInError
from .model import Site, Workbook
from .sessions import Session
from .state import current

bp = Blueprint("rest_api", __name__, url_prefix="/api/<version>")


class _Refused(Exception):
    """A REST method refused: its answer in Tableau's REST error shape."""

    def __init__(self, status: int, code: str, summary: str, detail: str) -> None:
        super().__init__(detail)
        self.response = rest_format.error(status, code, summary, detail)


@bp.errorhandler(_Refused)
def _refused(error: _Refused) -> Response:
    return error.response


CONTENT_READ = "tableau:content:read"
VIEWS_DOWNLOAD = "tableau:views:download"
_MAX_BODY = 64 * 1024


@bp.post("/auth/signin")
def sign_in(version: str) -> Response:
    try:
        jwt_text, site_url, is_uat = _credentials()
    except ValueError as exc:
        return rest_format.error(400, "400000", "Bad Request", str(exc))
    state = current()
    try:
        state.faults.before_sign_in()
        site = state.registry.site(site_url)
        if site is None:
            raise SignInError(16, "no site with that content URL")
        now = state.clock()
        accept = tokens.UAT_ONLY if is_uat else tokens.CONNECTED_APPS
        trusted = tokens.validate(jwt_text, site, state.registry, now, accept=accept)
        state.jtis.consume(trusted.issuer, trusted.jti, trusted.expires_at, now)
    except SignInError as failure:
        return rest_format.sign_in_error(failure)
    session = state.sessions.create(
        now, site_id=site.id, user_name=trusted.subject, scopes=trusted.scopes,
        expires_at=now + state.registry.session_lifetime_minutes * 60, client_id=trusted.client_id,
        jti=trusted.jti, on_demand=trusted.on_demand, trust=trusted.trust,
        attributes=trusted.attributes, groups=trusted.groups,
    )
    user = site.user(trusted.subject)
    return rest_format.respond({"credentials": {
        "token": session.id,
        "site": {"id": site.id, "contentUrl": site.content_url},
        "user": {"id": user.id if user else None},
    }})


@bp.post("/auth/signout")
def sign_out(version: str) -> Response:
    current().sessions.delete(request.headers.get("X-Tableau-Auth"))
    return Response(status=204)


@bp.get("/sites/<site_id>/workbooks")
def list_workbooks(version: str, site_id: str) -> Response:
    site, _session = _authorised(site_id, CONTENT_READ)
    workbooks = [_workbook_json(site, w) for w in site.workbooks]
    return rest_format.respond({"workbooks": {"workbook": workbooks}})


@bp.get("/sites/<site_id>/views")
@bp.get("/sites/<site_id>/workbooks/<workbook_id>/views")
def list_views(version: str, site_id: str, workbook_id: str | None = None) -> Response:
    site, _session = _authorised(site_id, CONTENT_READ)
    workbooks = [w for w in site.workbooks if workbook_id in (None, w.id)]
    if workbook_id and not workbooks:
        return rest_format.error(404, "404006", "Not Found", "no workbook with that ID")
    views = [
        {"id": v.id, "name": v.name, "contentUrl": f"{w.content_url}/sheets/{v.content_url}",
         "workbook": {"id": w.id}}
        for w in workbooks for v in w.views
    ]
    return rest_format.respond({"views": {"view": views}})


@bp.get("/sites/<site_id>/views/<view_id>/image")
def view_image(version: str, site_id: str, view_id: str) -> Response:
    site, session = _authorised(site_id, VIEWS_DOWNLOAD)
    found = site.view_by_id(view_id)
    if found is None:
        return rest_format.error(404, "404011", "Not Found", "no view with that ID")
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
        raise _Refused(401, "401002", "Unauthorized Access", "sign in first")
    site = state.registry.site_by_id(site_id)
    if site is None or session.site_id != site.id:
        raise _Refused(403, "403000", "Forbidden", "the credentials are for another site")
    if scope not in session.scopes:
        # Connected-app REST access is limited to the scopes in the JWT's 'scp'.
        raise _Refused(403, "403000", "Forbidden", f"the JWT did not grant {scope}")
    return site, session


def _credentials() -> tuple[str, str, bool]:
    """(jwt, site contentUrl, isUat) from the XML or JSON sign-in body."""
    if (request.content_length or 0) > _MAX_BODY:
        raise ValueError("request body too large")
    if request.is_json:
        body = request.get_json(silent=True)
        credentials = body.get("credentials") if isinstance(body, dict) else None
        if not isinstance(credentials, dict):
            raise ValueError('expected {"credentials": {"jwt": ..., "site": {"contentUrl": ...}}}')
        site = credentials.get("site") if isinstance(credentials.get("site"), dict) else {}
        return str(credentials.get("jwt", "")), str(site.get("contentUrl", "")), \
            _is_true(credentials.get("isUat"))
    return _xml_credentials(request.get_data(cache=False))


def _xml_credentials(data: bytes) -> tuple[str, str, bool]:
    try:
        # The standard parser does not fetch external entities and expat >= 2.4 bounds entity
        # expansion; the body size is capped above.
        root = ElementTree.fromstring(data)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise ValueError("the body is neither JSON nor well-formed XML") from exc
    credentials = _child(root, "credentials")
    site = _child(credentials, "site") if credentials is not None else None
    if credentials is None or site is None:
        raise ValueError('expected <tsRequest><credentials jwt=".."><site contentUrl=".."/>')
    return credentials.get("jwt", ""), site.get("contentUrl", ""), _is_true(credentials.get("isUat"))


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    # Namespace-agnostic: clients may or may not send xmlns="http://tableau.com/api".
    return next((c for c in element if c.tag.rsplit("}", 1)[-1] == name), None)


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _workbook_json(site: Site, workbook: Workbook) -> dict[str, Any]:
    project = next(p for p in site.projects if p.id == workbook.project_id)
    return {"id": workbook.id, "name": workbook.name, "contentUrl": workbook.content_url,
            "project": {"id": project.id, "name": project.name}}
