"""Tableau's REST API as the signed-in user, through tableauserverclient (TSC).

A JWT sign-in (REST API "Authentication concepts": the connected app's JWT in `credentials`, the
site's content URL) asks only for the scopes the caller needs; Tableau then answers as that user,
with that user's permissions. The session's credential (X-Tableau-Auth) is returned to the caller
to keep server-side and reuse; it is never logged or rendered.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import (
    FailedSignInError,
    InternalServerError,
    NonXMLResponseError,
    NotSignedInError,
    XMLError,
)
from tableauserverclient.server.exceptions import EndpointUnavailableError

from host.rest.rest_token import RestJwt
from host.signin.sessions import RestSession

CONTENT_READ = "tableau:content:read"  # "Query Workbooks for Site", "Query Views for Site"
TIMEOUT_SECONDS = 10
# REST API 3.17 brought JWT sign-in (TSC's sign_in_with_json_web_token asks for it).
JWT_SIGN_IN_VERSION = "3.17"
UNKNOWN_USER_CODE = "5"  # SYSTEM_USER_NOT_FOUND (Troubleshoot Connected Apps)


class RestFailure(Exception):
    """Tableau refused a call or could not be reached; `kind` decides the page the user gets."""

    SIGN_IN_REFUSED = "sign-in-refused"  # the JWT sign-in answered a connected-app code
    UNKNOWN_USER = "unknown-user"  # code 5: no such user on the site
    FORBIDDEN = "forbidden"  # a method answered 403: the session lacks a scope (or the site)
    EXPIRED = "expired"  # a method answered 401: the session ended
    UNREACHABLE = "unreachable"  # no answer, a 5xx, or not Tableau's REST API

    def __init__(self, kind: str, code: str = "", detail: str = "") -> None:
        super().__init__(f"{kind} {code}: {detail}".strip())
        self.kind = kind
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ViewListing:
    name: str
    path: str  # where the view is on the server, as an embed src: /t/<site>/views/<wb>/<view>


@dataclass(frozen=True)
class WorkbookListing:
    name: str
    project: str
    views: tuple[ViewListing, ...]


def sign_in(server_url: str, site: str, jwt: RestJwt, *, lifetime_seconds: int,
            clock: Callable[[], float] = time.time) -> RestSession:
    """Sign in with `jwt` (a connected app's, or a unified access token: RestJwt.is_uat) to the site
    whose content URL is `site`; raises RestFailure."""
    server = _server(server_url)
    with _translated(signing_in=True):
        server.use_server_version()  # serverInfo: the newest REST version this server speaks
        if not server.check_at_least_version(JWT_SIGN_IN_VERSION):
            server.version = JWT_SIGN_IN_VERSION  # serverInfo unanswered: Tableau's sign-in will say
        server.auth.sign_in_with_json_web_token(TSC.JWTAuth(jwt.token, isUat=jwt.is_uat, site_id=site))
    return RestSession(token=server.auth_token, site_id=server.site_id,
                       site_url=_answered(lambda: server.site_url) or site,
                       user_id=_answered(lambda: server.user_id),  # none for an on-demand user
                       api_version=str(server.version), expires_at=int(clock()) + lifetime_seconds)


def list_content(server_url: str, rest: RestSession) -> list[WorkbookListing]:
    """The workbooks the session's user may see, each with its views; raises RestFailure."""
    server = _resumed(server_url, rest)
    with _translated(signing_in=False):
        workbooks = list(TSC.Pager(server.workbooks))
        views = list(TSC.Pager(server.views))
    return _group(rest.site_url, workbooks, views)


def sign_out(server_url: str, rest: RestSession) -> None:
    """End the REST session at Tableau; raises RestFailure."""
    server = _resumed(server_url, rest)
    with _translated(signing_in=False):
        server.auth.sign_out()


def _answered(read: Callable[[], str]) -> str | None:
    """A sign-in answer's field, None when it had none (TSC raises NotSignedInError then)."""
    try:
        return read()
    except NotSignedInError:
        return None


def _server(server_url: str) -> TSC.Server:
    return TSC.Server(server_url, http_options={"timeout": TIMEOUT_SECONDS})


def _resumed(server_url: str, rest: RestSession) -> TSC.Server:
    """A TSC server holding a session signed in earlier (kept in the state store, any worker).

    TSC has no public way to resume a stored session: Server._set_auth is what its own sign_in
    calls, kept as a sign-in shortcut for existing code. The version is pinned in
    requirements.txt, and tests/host/rest checks the reuse, so an upgrade that breaks it fails.
    """
    server = _server(server_url)
    server.version = rest.api_version
    server._set_auth(rest.site_id, rest.user_id, rest.token, rest.site_url)
    return server


@contextmanager
def _translated(*, signing_in: bool) -> Iterator[None]:
    """Turns TSC's and requests' exceptions into RestFailure."""
    try:
        yield
    except (XMLError, requests.RequestException, InternalServerError, NonXMLResponseError,
            EndpointUnavailableError) as exc:
        raise _failure(exc, signing_in) from exc


def _failure(exc: Exception, signing_in: bool) -> RestFailure:
    if isinstance(exc, XMLError):  # Tableau's error answer: FailedSignInError (401), ServerResponseError
        code, detail = str(exc.code or ""), exc.detail or exc.summary or ""
        if signing_in:
            kind = RestFailure.UNKNOWN_USER if code == UNKNOWN_USER_CODE else RestFailure.SIGN_IN_REFUSED
        else:
            kind = RestFailure.EXPIRED if isinstance(exc, FailedSignInError) else RestFailure.FORBIDDEN
        return RestFailure(kind, code, detail)
    if isinstance(exc, EndpointUnavailableError):
        return RestFailure(RestFailure.SIGN_IN_REFUSED, "", f"this server's REST API is too old: {exc}")
    return RestFailure(RestFailure.UNREACHABLE, "", _reason(exc))


def _reason(exc: Exception) -> str:
    if isinstance(exc, InternalServerError):
        return f"the server answered HTTP {exc.code}"
    if isinstance(exc, NonXMLResponseError):
        return "the server's answer is not Tableau's REST API (check TABLEAU_SERVER_URL)"
    return type(exc).__name__  # requests' message may hold the URL; the kind of failure is enough


def _group(site: str, workbooks: Iterable[TSC.WorkbookItem],
           views: Iterable[TSC.ViewItem]) -> list[WorkbookListing]:
    by_workbook: dict[str, list[ViewListing]] = {}
    for view in views:
        by_workbook.setdefault(view.workbook_id, []).append(ViewListing(view.name, _view_path(site, view)))
    return sorted(
        (WorkbookListing(w.name, w.project_name or "", tuple(by_workbook.get(w.id, ()))) for w in workbooks),
        key=lambda w: (w.project.lower(), w.name.lower()),
    )


def _view_path(site: str, view: TSC.ViewItem) -> str:
    """The view's embed src from its REST contentUrl, "<workbook>/sheets/<view>" (Tableau's URLs:
    /t/<site>/views/<workbook>/<view>, /views/... on the default site)."""
    workbook, _, sheet = (view.content_url or "").partition("/sheets/")
    prefix = f"/t/{site}" if site else ""
    return f"{prefix}/views/{workbook}/{sheet}"
