"""`flask tableau doctor`: configuration and environment checks, one line each, with the fix.

Each check is a small function `(Context) -> list[Line]` listed in CHECKS; add one there to grow
the doctor. A check never raises for a broken environment: a down server is a `fail` line.
`python -m host.diagnostics` runs the same checks when the host refuses to start (its settings are
then reported line by line instead of as one ConfigError).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from config import MIN_SECRET_BYTES, ConfigError, Secret
from host.diagnostics.cli_host import host_from_environ, load_cli_host
from host.diagnostics.doctor_context import FAIL, OK, TIMEOUT, WARN, Context, Line
from host.diagnostics.doctor_uat import check_uat
from host.embed.views_check import read_views_json, sites_of, views_problems
from host.embed.viz_token import mint_for_user
from host.wording import count
from tableau_rules.claims import MAX_LIFETIME_SECONDS
from tableau_rules.content_urls import server_url_problem
from tableau_rules.jwt_rules import preflight
from tableau_rules.scopes import COMPONENT_SCOPES, LIBRARY_PATH

MAX_SKEW_SECONDS = 60
MIN_SENSIBLE_LIFETIME = 60


def utc_offset_seconds() -> int:
    """The process's local UTC offset now (a function so tests can stand in another zone)."""
    return time.localtime().tm_gmtoff or 0


# --- checks -----------------------------------------------------------------------------------


def check_secrets(ctx: Context) -> list[Line]:
    direct = ctx.settings.direct
    if direct is None:  # no direct trust: the EAS or the host's UAT key signs, there is no secret
        signer = "the host's UAT key" if ctx.settings.uat else "the EAS"
        return [Line(OK, "secrets", f"none needed: {signer} signs every token")]
    lines = [_secret_line("signing secret", direct.signing_secret)]
    if direct.spare_secret is not None:
        lines.append(_secret_line("spare secret", direct.spare_secret))
        if direct.spare_secret.id == direct.signing_secret.id:
            lines.append(Line(FAIL, "secrets", "both secrets have the same ID",
                              "copy each secret's own ID from the connected app's page"))
    if not direct.client_id:
        lines.append(Line(FAIL, "client id", "TABLEAU_CLIENT_ID is empty",
                          "copy the connected app's ID (126/10089 otherwise)"))
    return lines


def _secret_line(label: str, secret: Secret) -> Line:
    size = len(secret.value.encode())
    if not secret.id or not secret.value:
        return Line(FAIL, label, "ID or value missing",
                    "copy both from Tableau: Settings > Connected Apps > your app (127 otherwise)")
    if size < MIN_SECRET_BYTES:
        return Line(FAIL, label, f"value is {size} bytes, under {MIN_SECRET_BYTES}",
                    "generate a new secret in the connected app and copy its whole value")
    return Line(OK, label, f"ID {secret.id!r}, value {size} bytes")


def check_lifetime(ctx: Context) -> list[Line]:
    seconds = ctx.settings.token_lifetime_seconds
    if seconds > MAX_LIFETIME_SECONDS:
        return [Line(FAIL, "lifetime", f"{seconds} s is over Tableau's {MAX_LIFETIME_SECONDS} s",
                     "set TOKEN_LIFETIME_SECONDS to 600 or less (Troubleshoot Connected Apps: "
                     "codes 16, 10096)")]
    if seconds < MIN_SENSIBLE_LIFETIME:
        return [Line(WARN, "lifetime", f"{seconds} s leaves little room for slow pages or skew",
                     "set TOKEN_LIFETIME_SECONDS to 60..600 (default 300)")]
    return [Line(OK, "lifetime", f"{seconds} s")]


def check_server_url(ctx: Context) -> list[Line]:
    url = ctx.settings.tableau_server_url
    parts = urlsplit(url)
    if parts.scheme != "https" and not ctx.settings.sandbox:
        # Configure Connected Apps with Direct Trust and Register EAS to Enable SSO for Embedded Content:
        # embedding through connected apps needs Tableau to serve over SSL.
        return [Line(FAIL, "server url", f"{url} is not https", "use the https:// URL of your site")]
    problem = server_url_problem("TABLEAU_SERVER_URL", url)
    if problem:  # the settings refuse it at start; settings built another way get it here
        message, fix = problem.split(": set ", 1)
        return [Line(FAIL, "server url", message, "set " + fix)]
    note = " (http is allowed in the sandbox only)" if parts.scheme != "https" else ""
    return [Line(OK, "server url", url + note)]


def check_library(ctx: Context) -> list[Line]:
    response, error = ctx.library()
    fix = "check TABLEAU_SERVER_URL, the network and any proxy between here and Tableau"
    if response is None:
        return [Line(FAIL, "library", error, fix)]
    if response.status_code != 200:
        return [Line(FAIL, "library", f"{LIBRARY_PATH} answered HTTP {response.status_code}", fix)]
    kind = response.headers.get("Content-Type", "")
    if "javascript" not in kind:
        return [Line(WARN, "library", f"{LIBRARY_PATH} is served as {kind or 'no type'!r}",
                     "browsers refuse a module script that is not JavaScript; check the URL")]
    return [Line(OK, "library", f"{LIBRARY_PATH} reachable")]


def check_clock_zone(ctx: Context) -> list[Line]:
    offset = utc_offset_seconds()
    if offset:
        sign, minutes = "+" if offset > 0 else "-", abs(offset) // 60
        zone = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
        # Troubleshoot Connected Apps: "the clocks of the external application and the server ... must be
        # set to UTC".
        return [Line(WARN, "clock zone", f"the process runs in {zone}, not UTC",
                     "run the host with TZ=UTC (Troubleshoot Connected Apps: clocks must be UTC)")]
    return [Line(OK, "clock zone", "UTC")]


def check_clock_skew(ctx: Context) -> list[Line]:
    response, _ = ctx.library()
    date = response.headers.get("Date") if response is not None else None
    if not date:
        return [Line(WARN, "clock skew", "no Date header from the Tableau server to compare with",
                     "fix the library check first")]
    try:
        server = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return [Line(WARN, "clock skew", f"unreadable Date header {date!r}", "")]
    skew = ctx.clock() - server
    if abs(skew) > MAX_SKEW_SECONDS:
        ahead = "ahead of" if skew > 0 else "behind"
        return [Line(WARN, "clock skew", f"this clock is {abs(int(skew))} s {ahead} Tableau's",
                     "sync the clock with NTP; skew makes tokens look expired (16) or too long (10096)")]
    return [Line(OK, "clock skew", f"{abs(int(skew))} s from Tableau's clock")]


def check_eas(ctx: Context) -> list[Line]:
    # Only when an EAS is configured: Tableau fetches the issuer's metadata (Register EAS to Enable SSO
    # for Embedded Content: 10081 when it cannot) and its JWKS to find the token's 'kid' (10085); the
    # host does the same.
    eas = ctx.settings.eas
    if eas is None:
        return []
    meta = _fetch_json(ctx, eas.metadata_url)
    if not isinstance(meta, dict) or not meta.get("jwks_uri"):
        return [Line(FAIL, "eas metadata", f"no metadata with a jwks_uri at {eas.metadata_url}",
                     "check EAS_ISSUER / EAS_METADATA_URL and that the EAS is up (10081)")]
    lines = []
    if meta.get("issuer") != eas.issuer:
        lines.append(Line(FAIL, "eas issuer", f"metadata names issuer {meta.get('issuer')!r}",
                          f"set EAS_ISSUER to exactly that value (10082), not {eas.issuer!r}"))
    keys = _fetch_json(ctx, meta["jwks_uri"])
    if not isinstance(keys, dict) or not keys.get("keys"):
        return [*lines, Line(FAIL, "eas jwks", f"no keys at {meta['jwks_uri']}",
                             "the EAS must publish its signing key (10085)")]
    return [*lines, Line(OK, "eas", f"metadata and {count(len(keys['keys']), 'key')} at {eas.issuer}")]


def _fetch_json(ctx: Context, url: str) -> Any:
    try:
        response = ctx.http.get(url, timeout=TIMEOUT)
        return response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None


def check_minting(ctx: Context) -> list[Line]:
    if ctx.settings.direct is None:
        return []  # TRUST_MODE=eas: the host mints nothing itself
    user = next(iter(ctx.users), None) if ctx.users is not None else None
    if user is None:
        return [Line(WARN, "minting", "no users to mint a test token for", "add users to USERS_FILE")]
    try:
        with warnings.catch_warnings():  # a short secret is check_secrets' line, not noise here
            warnings.simplefilter("ignore")
            minted = mint_for_user(ctx.settings, user, list(COMPONENT_SCOPES), clock=ctx.clock)
    except ValueError as exc:
        return [Line(FAIL, "minting", str(exc), "fix the users file or settings named above")]
    problems = preflight(minted.token, list(COMPONENT_SCOPES), now=ctx.clock())
    if problems:
        found = "; ".join(f"{p.code} {p.message}" for p in problems)
        return [Line(FAIL, "minting", f"a token for {user.login!r} breaks rules: {found}",
                     problems[0].resolution)]
    return [Line(OK, "minting", f"a token for {user.login!r} passes every rule")]


def check_views_file(ctx: Context) -> list[Line]:
    """The views file as the host reads it at start: every problem, each with its entry."""
    path = ctx.settings.views_file
    data, problems = read_views_json(path)
    problems = problems or views_problems(data, path.name)
    if problems:
        return [Line(FAIL, "views file", problem, "correct that entry in VIEWS_FILE")
                for problem in problems]
    sites = sorted({p.site or "(default)" for p in sites_of(data).values()})
    return [Line(OK, "views file", f"{count(len(data['views']), 'view')} on site {', '.join(sites)}; "
                 "`flask tableau doctor --views` checks them on Tableau")]


CHECKS: list[Callable[[Context], list[Line]]] = [
    check_secrets, check_lifetime, check_server_url, check_library, check_clock_zone,
    check_clock_skew, check_eas, check_minting, check_views_file, check_uat,
]


def run(ctx: Context) -> list[Line]:
    """Every check's lines, in order."""
    return [line for check in CHECKS for line in check(ctx)]


def config_lines(error: ConfigError) -> list[Line]:
    """One fail line per setting that stops the host from starting."""
    return [Line(FAIL, "config", problem, "fix the setting (.env.example describes each one)")
            for problem in error.problems]


def main(environ: dict[str, str] | None = None,
         more: Callable[[Context], list[Line]] | None = None) -> int:
    """`python -m host.diagnostics`: the checks without the app, for a host that will not start.
    Without `environ`: the running demo's settings, else the environment and the project's .env.
    `more`: further checks after CHECKS (the views on Tableau, with --views)."""
    try:
        host = load_cli_host() if environ is None else host_from_environ(environ)
    except ConfigError as exc:
        lines = config_lines(exc)
    else:
        ctx = Context(host.settings, host.users)
        lines = run(ctx) + (more(ctx) if more else [])
    for line in lines:
        print(line.render())
    return 1 if any(line.status == FAIL for line in lines) else 0
