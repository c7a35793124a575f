"""Content pages at Tableau's URLs (docs/architecture.md, "Content URLs").

With a session for the site: the chart (authoring adds a mock authoring frame), and a static
script tells the embedding page it is interactive. Without one: the simulator's own "Sign in to
Tableau" page. Content pages carry `frame-ancestors` from the connected app's allowlist
("Configure Connected Apps with Direct Trust").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, g, render_template, request

from tableau_rules.scopes import AUTHORING, COMPONENT_SCOPES, PULSE, VIZ

from . import allowlist, charts, permissions, view_data
from .model import Site, View, Workbook
from .sessions import COOKIE_NAME, Session
from .state import SimulatorState, current

bp = Blueprint("content", __name__)


@bp.get("/t/<site>/views/<workbook>/<view>")
@bp.get("/views/<workbook>/<view>", defaults={"site": ""})
def view_page(site: str, workbook: str, view: str) -> tuple[str, int]:
    return _workbook_page(site, workbook, view, VIZ)


@bp.get("/t/<site>/authoring/<workbook>/<view>")
@bp.get("/authoring/<workbook>/<view>", defaults={"site": ""})
def authoring_page(site: str, workbook: str, view: str) -> tuple[str, int]:
    return _workbook_page(site, workbook, view, AUTHORING)


@bp.get("/pulse/site/<site>/metrics/<metric_id>")
def pulse_page(site: str, metric_id: str) -> tuple[str, int]:
    def find(found: Site) -> _Content:
        metric = found.metric(metric_id) or abort(404)
        context = {"metric": metric, "chart": charts.svg(metric.chart)}
        return _Content(metric.project_id, metric.name, "pulse.html", context)

    return _guarded(site, PULSE, find)


@dataclass
class _Content:
    project_id: str
    name: str
    template: str
    context: dict[str, Any]
    workbook: Workbook | None = None  # whose permissions apply (Pulse metrics have none here)
    view: View | None = None  # whose data is drawn for the session's user


def _view_context(view: View, session: Session) -> dict[str, Any]:
    """The chart and rows this user sees (user attribute filter, view_data.py)."""
    data = view_data.for_user(view, session.attributes)
    return {"data": data, "chart": charts.svg(data.chart), "user_filter": view.user_filter}


def _workbook_page(site_url: str, workbook_url: str, view_url: str, kind: str) -> tuple[str, int]:
    def find(site: Site) -> _Content:
        workbook, view = site.view(workbook_url, view_url) or abort(404)
        context = {
            "workbook": workbook, "view": view, "kind": kind,
            "toolbar": request.args.get(":toolbar", "top"),
            "show_tabs": request.args.get(":tabs", "yes") != "no",
            "query": request.query_string.decode(),
        }
        return _Content(workbook.project_id, view.name, "view.html", context, workbook, view)

    return _guarded(site_url, kind, find)


def _guarded(site_url: str, kind: str, find: Callable[[Site], _Content]) -> tuple[str, int]:
    """Find the content, then apply the session rules before rendering it."""
    state = current()
    site = state.registry.site(site_url) or abort(404)
    content = find(site)
    session = _session(state, site)
    if session is None:
        g.frame_ancestors = site.embedding.frame_ancestors()
        return render_template("signin.html", site=site, next=request.full_path, error=None), 200
    g.frame_ancestors = _session_frame_ancestors(site, session)
    missing = [s for s in COMPONENT_SCOPES[kind] if s not in session.scopes]
    if missing:
        # The session's token did not grant this component (Troubleshoot Connected Apps: 10099
        # SCOPES_MISSING_IN_JWT).
        message = f"{content.name}: the session lacks {', '.join(missing)}"
        return render_template("error.html", code=10099, message=message), 403
    if session.project_id not in (None, content.project_id):
        # "Configure Connected Apps with Direct Trust", "Access level": only content in the app's
        # project can be embedded through it.
        message = f"{content.name} is outside the connected app's project"
        return render_template("error.html", code=None, reason="project", message=message), 403
    if content.workbook is not None and not _permitted(site, content.workbook, session, kind):
        # "The scope respects the permissions a user already has configured in Tableau"
        # (Authentication and Embedding): a JWT never grants more than the user's permissions.
        action = "edit" if kind == AUTHORING else "view"
        message = f"{session.user_name} does not have permission to {action} {content.name}"
        return render_template("error.html", code=None, reason="permission", message=message), 403
    context = {**content.context, **(_view_context(content.view, session) if content.view else {})}
    # The page tells its parent it is interactive; only the origin that signed in may hear it.
    page = render_template(
        content.template, site=site, session=session, parent_origin=session.origin or "*", **context,
    )
    return page, 200


def _permitted(site: Site, workbook: Workbook, session: Session, kind: str) -> bool:
    if kind == AUTHORING:
        return permissions.can_web_edit(site, workbook, session)
    return permissions.can_view(site, workbook, session)


def _session(state: SimulatorState, site: Site) -> Session | None:
    """The visitor's live session for this site; one from a deleted or disabled app is void
    ("Configure Connected Apps with Direct Trust")."""
    session = state.sessions.get(request.cookies.get(COOKIE_NAME), state.clock())
    if session is None or session.site_id != site.id:
        return None
    if session.client_id is not None:
        app = site.app(session.client_id)
        if app is None or not app.enabled:
            return None
    return session


def _session_frame_ancestors(site: Site, session: Session) -> str:
    app = site.app(session.client_id) if session.client_id else None
    return allowlist.frame_ancestors(app.domain_allowlist) if app else site.embedding.frame_ancestors()
