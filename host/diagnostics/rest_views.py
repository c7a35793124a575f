"""`flask tableau doctor --views`: does each configured view exist, and can the test user see it?

Signs in to Tableau's REST API with a connected-app JWT for the test user (REST API "Authentication
concepts": `POST /api/<version>/auth/signin` with `credentials.jwt` and the site's `contentUrl`; the
answer's `credentials.token` goes in `X-Tableau-Auth`), lists the site's views as that user sees
them (`GET /api/<version>/sites/<site id>/views`, scope `tableau:content:read`) and looks for each
view's `<workbook>/sheets/<sheet>`. A view missing from the list is either misspelled or hidden from
that user: Tableau answers the same for both. Pulse metrics are not views; they are skipped.
"""

from __future__ import annotations

import contextlib
import difflib
from collections import defaultdict
from typing import Any

import requests

from host.diagnostics.doctor import FAIL, OK, TIMEOUT, WARN, Context, Line
from host.embed.views_check import read_views_json, views_problems
from host.rest.rest_token import RestJwt, rest_jwt
from host.signin.users import User
from tableau_rules.catalogue import UnknownCode, entry
from tableau_rules.content_urls import ContentPath, parse_src
from tableau_rules.jwt_rules import BrokenRules
from tableau_rules.scopes import PULSE

API_VERSION = "3.22"
CONTENT_READ = "tableau:content:read"  # the REST scope for listing content
PAGE_SIZE = 1000
LOGIN_FAILED = "16"  # Troubleshoot Connected Apps: an 'exp' too far ahead, or an unknown 'sub'
_SITE_OR_USER_FIX = (
    "the site in the views' src (/t/<site>/...) must be the site's content URL, as in its address "
    "https://<server>/#/site/<site>/home (no /t/ for the default site), and the user must be on it")
MAX_PAGES = 50


class RestFailure(Exception):
    """A REST call that did not answer as documented; the message says what came back, `code`
    Tableau's error code when it gave one."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


def check_views_on_tableau(ctx: Context, user_name: str | None = None,
                           api_version: str = API_VERSION) -> list[Line]:
    """One line per configured view: found for the test user, or not, with the fix."""
    data, problems = read_views_json(ctx.settings.views_file)
    problems = problems or views_problems(data, "views file")
    if problems:
        return [Line(FAIL, "views on tableau", "the views file has problems",
                     "fix the 'views file' lines first")]
    if ctx.settings.direct is None and ctx.settings.rest is None and ctx.settings.uat is None:
        return [Line(WARN, "views on tableau", "needs a connected app or a UAT key to sign in",
                     "set TABLEAU_CLIENT_ID and a secret, or check the views in Tableau")]
    user = _test_user(ctx, user_name)
    if user is None:
        return [Line(FAIL, "views on tableau", f"no user {user_name or ''!r} to sign in as",
                     "pass --user with a login from USERS_FILE")]
    by_site: dict[str | None, dict[str, ContentPath]] = defaultdict(dict)
    lines = []
    for raw in data["views"]:
        if raw["kind"] == PULSE:
            lines.append(Line(OK, f"view {raw['slug']}", "a Pulse metric: not checked (not a REST view)"))
            continue
        path = parse_src(raw["kind"], raw["src"])
        by_site[path.site][raw["slug"]] = path
    for site, views in by_site.items():
        lines += _check_site(ctx, user, site, views, api_version)
    return lines


def _test_user(ctx: Context, name: str | None) -> User | None:
    users = list(ctx.users or [])
    if name is None:
        return users[0] if users else None
    return next((u for u in users if name in (u.login, u.tableau_username)), None)


def _check_site(ctx: Context, user: User, site: str | None, views: dict[str, ContentPath],
                api_version: str) -> list[Line]:
    api = f"{ctx.settings.tableau_server_url}/api/{api_version}"
    try:
        auth, site_id = _sign_in(ctx, api, user, site or "")
    except RestFailure as exc:
        where = f"site {site or '(default)'!r} as {user.tableau_username!r}"
        if exc.code == LOGIN_FAILED:  # a token minted this instant: not its 'exp', so site or user
            return [Line(FAIL, "rest sign-in", f"{where}: code 16 (login failed)", _SITE_OR_USER_FIX)]
        fix = "check the connected app allows REST access and that the user is on the site"
        return [Line(FAIL, "rest sign-in", f"{where}: {exc}", fix)]
    try:
        visible = _view_urls(ctx, api, auth, site_id)
    except RestFailure as exc:
        return [Line(FAIL, "rest views", str(exc), "check the JWT's scope tableau:content:read")]
    finally:
        _sign_out(ctx, api, auth)
    return [_view_line(slug, path, visible, user) for slug, path in views.items()]


def _view_line(slug: str, path: ContentPath, visible: set[str], user: User) -> Line:
    wanted = f"{path.workbook}/sheets/{path.sheet}"
    if wanted in visible:
        return Line(OK, f"view {slug}", f"{path.path} exists and {user.tableau_username} can see it")
    close = difflib.get_close_matches(wanted, sorted(visible), n=1)
    hint = f"; did you mean …/{close[0].replace('/sheets/', '/')}?" if close else ""
    return Line(FAIL, f"view {slug}", f"{path.path}: no such view for {user.tableau_username}{hint}",
                "check the workbook and sheet names in src (as in the view's URL, case sensitive) "
                "and that this user may see the view")


def _sign_in(ctx: Context, api: str, user: User, site: str) -> tuple[str, str]:
    try:
        jwt = _jwt_for(ctx, user)
    except BrokenRules as exc:  # names each code and rule, never the token
        raise RestFailure(f"the host would not send this JWT: {exc}") from exc
    credentials: dict[str, Any] = {"jwt": jwt.token, "site": {"contentUrl": site}}
    if jwt.is_uat:
        credentials["isUat"] = True
    answer = _call(ctx, "post", f"{api}/auth/signin", json={"credentials": credentials})
    credentials = answer.get("credentials") if isinstance(answer, dict) else None
    try:
        return str(credentials["token"]), str(credentials["site"]["id"])
    except (KeyError, TypeError) as exc:
        raise RestFailure("the sign-in answer has no credentials.token and site.id") from exc


def _jwt_for(ctx: Context, user: User) -> RestJwt:
    """The JWT the host's own REST sign-in ("My content") would use for this user: the same
    secret or UAT key, attributes, groups and on-demand access, so a user who sees content only
    through a group (or on demand) is checked as the pages see them."""
    try:
        return rest_jwt(ctx.settings, user, [CONTENT_READ], clock=ctx.clock)
    except RuntimeError as exc:  # neither a connected-app secret nor a UAT key to sign with
        raise RestFailure(str(exc)) from exc


def _view_urls(ctx: Context, api: str, auth: str, site_id: str) -> set[str]:
    """`<workbook>/sheets/<sheet>` of every view the signed-in user sees, page by page."""
    found: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        answer = _call(ctx, "get", f"{api}/sites/{site_id}/views", auth=auth,
                       params={"pageSize": PAGE_SIZE, "pageNumber": page})
        if not isinstance(answer, dict):
            raise RestFailure("the views answer is not a JSON object")
        views = (answer.get("views") or {}).get("view") or []
        found |= {v["contentUrl"] for v in views if isinstance(v, dict) and "contentUrl" in v}
        total = int((answer.get("pagination") or {}).get("totalAvailable") or 0)
        if len(views) < PAGE_SIZE or len(found) >= total:
            break
    return found


def _sign_out(ctx: Context, api: str, auth: str) -> None:
    with contextlib.suppress(requests.RequestException):  # the session expires on its own anyway
        ctx.http.post(f"{api}/auth/signout", headers={"X-Tableau-Auth": auth}, timeout=TIMEOUT)


def _call(ctx: Context, method: str, url: str, auth: str | None = None, **kwargs: Any) -> Any:
    headers = {"Accept": "application/json", **({"X-Tableau-Auth": auth} if auth else {})}
    try:
        response = getattr(ctx.http, method)(url, headers=headers, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as exc:
        raise RestFailure(f"cannot reach {url.split('/api/')[0]} ({type(exc).__name__})") from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code >= 400:
        raise _refusal(response.status_code, answer)
    return answer


def _refusal(status: int, answer: Any) -> RestFailure:
    """Tableau's error answer as a RestFailure: its code, and the code's fix when it has one."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return RestFailure(f"HTTP {status}")
    code = str(error.get("code", ""))
    text = f"HTTP {status}, code {code}: {error.get('summary', '')} {error.get('detail', '')}".strip()
    try:  # a connected-app code (as the simulator answers) has its resolution in the catalogue
        return RestFailure(f"{text} (fix: {entry(code).resolution})", code=code)
    except UnknownCode:
        return RestFailure(text, code=code)
