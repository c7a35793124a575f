"""The "My content" page: the workbooks and views Tableau lets the signed-in user see, listed
through the REST API on their behalf, and a clear page for each way that can fail."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, make_response, render_template

from host.embed.views_file import ViewsFile
from host.extension import current_host, current_host_of
from host.rest import user_session
from host.rest.client import RestFailure, WorkbookListing, list_content
from host.signin.guard import login_required
from host.signin.sessions import RestSession
from tableau_rules.catalogue import CodeEntry, UnknownCode, entry
from tableau_rules.content_urls import parse_src

log = logging.getLogger(__name__)
bp = Blueprint("rest", __name__)

# What each failure answers: HTTP status and the page's headline.
FAILURE_PAGES = {
    RestFailure.UNKNOWN_USER: (403, "Tableau does not know you"),
    RestFailure.SIGN_IN_REFUSED: (502, "Tableau refused the sign-in"),
    RestFailure.FORBIDDEN: (403, "Tableau refused to list your content"),
    RestFailure.EXPIRED: (502, "Tableau ended the session"),
    RestFailure.UNREACHABLE: (503, "Tableau cannot be reached"),
}


def site_to_list(views: ViewsFile) -> str:
    """The site the views are on (views_check.py holds the file to one site and at least one view):
    the connected app's site, so the one its JWT can sign in to."""
    first = next(iter(views.views.values()))
    return parse_src(first.kind, first.src).site or ""  # None: the default site


def install(app: Flask, site: str) -> None:
    """Register the page, listing the site whose content URL is `site`."""
    current_host_of(app).rest_site = site
    app.register_blueprint(bp)
    user_session.install(app)


@bp.app_context_processor
def nav_link() -> dict[str, Any]:
    return {"my_content": True}


@bp.get("/my-content")
@login_required
def my_content() -> Response:
    site = current_host().rest_site or ""
    try:
        rest, workbooks = _listing(site)
    except RestFailure as failure:
        return _failure_page(failure, site)
    return _no_store(render_template(
        "my_content.html", site=site, workbooks=workbooks, embedded=_embedded_views(),
        reused_until=time.strftime("%H:%M UTC", time.gmtime(rest.expires_at)),
        scopes=user_session.SCOPES, failure=None))


def _listing(site: str) -> tuple[RestSession, list[WorkbookListing]]:
    """Reuse the stored session; once Tableau says it ended (401), sign in again and retry once.
    A 403 is about rights, not time: no retry, the page says so, the next visit signs in anew."""
    url = current_host().settings.tableau_server_url
    rest = user_session.session_for_user(site)
    try:
        return rest, list_content(url, rest)
    except RestFailure as failure:
        if failure.kind == RestFailure.FORBIDDEN:
            user_session.forget(rest)
        if failure.kind != RestFailure.EXPIRED:
            raise
    rest = user_session.session_for_user(site, stale=rest)
    return rest, list_content(url, rest)


def _failure_page(failure: RestFailure, site: str) -> Response:
    status, title = FAILURE_PAGES[failure.kind]
    # Kind and code only: Tableau's detail may name the user; never a token.
    log.warning("My content for %s: %s %s", g.user.login, failure.kind, failure.code)
    html = render_template(
        "my_content.html", site=site, workbooks=None, failure=failure, title=title,
        code_entry=_catalogue_entry(failure.code), scopes=user_session.SCOPES,
        debug=current_host().settings.sandbox or current_app.debug)
    response = _no_store(html)
    response.status_code = status
    return response


def _catalogue_entry(code: str) -> CodeEntry | None:
    try:
        return entry(code)
    except UnknownCode:
        return None  # a REST code (e.g. 403000), not a connected-app one


def _embedded_views() -> dict[str, str]:
    """src -> slug of the views this host embeds, to link a listed view to its page."""
    return {v.src: v.slug for v in current_host().views.views.values() if v.kind == "viz"}


def _no_store(html: str) -> Response:
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"  # one user's content
    return response
