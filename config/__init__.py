"""Settings for the embedding host, read from the environment (and `.env`), validated, fail-closed.

Every variable read here is listed in `.env.example`; `tests/host/test_config.py` keeps the two in
step. Outside the sandbox no secret has a default: a missing or weak one stops the app at start with
a message naming the variable and how to make a value.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import click

from config.env_files import load_project_dotenv
from config.signing_file import file_stamp, read_signing_values, resolve, with_signing_file
from config.uat import UatSettings, read_uat, read_uat_keys
from tableau_rules.claims import MAX_LIFETIME_SECONDS
from tableau_rules.content_urls import server_url_problem
from tableau_rules.scopes import LIBRARY_PATH

CONFIG_DIR = Path(__file__).resolve().parent
SANDBOX = "sandbox"
PRODUCTION = "production"
# direct: the host mints every token (local sign-in; an EAS sign-in too, as a fallback).
# eas: users sign in at the EAS and its JWT is the viz token (OAuth 2.0 trust: "Configure Connected
#   Apps with OAuth 2.0 Trust").
# direct,eas: both ways offered, each with its own trust (the sandbox demo).
# uat: the host signs unified access tokens with its own RSA key ("Unified access tokens"); beside
#   direct, the host's own tokens are UATs and the connected app stays configured (a migration).
TRUST_MODES = ("direct", "eas", "uat")  # TRUST_MODE is one of these or several, comma-separated
DEFAULT_EAS_SCOPES = "openid tableau:views:embed tableau:views:embed_authoring tableau:insights:embed"
MIN_SECRET_BYTES = 32
DEFAULT_LIFETIME_SECONDS = 300
DEFAULT_STATE_STORE_URL = "sqlite:///state.db"  # under instance/: several workers, one machine
GENERATE_HINT = "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
# TOKEN_RETRIES_EXHAUSTED: what a view shows when its retries with a fresh token run out, and the
# catalogue action the page takes for it (data-retry-fallback: docs/error-handling.md). A message by
# default: Tableau's password form is a dead end for users who have no Tableau password.
RETRIES_EXHAUSTED_ACTIONS = {"message": "FAIL", "tableau-sign-in": "LOGIN"}


_RATE = re.compile(r"\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day|month|year)s?"
                   r"(\s*;\s*\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day|month|year)s?)*")


class ConfigError(click.ClickException):
    """The configuration is unusable; the message lists every problem and its fix.

    A ClickException so that `flask run` prints the message alone, not a traceback.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"the embedding host cannot start:\n{lines}")


@dataclass(frozen=True)
class Secret:
    """A connected-app secret: its ID goes in the JWT header as `kid`, its value signs (Configure
    Connected Apps with Direct Trust)."""

    id: str
    value: str = ""

    def __repr__(self) -> str:  # never show the value in logs or tracebacks
        return f"Secret(id={self.id!r}, value=<hidden>)"


@dataclass(frozen=True)
class DirectTrust:
    """The connected app (direct trust) the host signs its own tokens for (Configure Connected Apps with
    Direct Trust)."""

    client_id: str
    signing_secret: Secret
    spare_secret: Secret | None


@dataclass(frozen=True)
class EasSettings:
    """The External Authorization Server the host signs users in with (OAuth 2.0, code + PKCE)."""

    issuer: str
    metadata_url: str
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scopes: str
    audience: str
    username_claim: str
    # True: the EAS's JWT is the viz token. False: the host mints its own after the IdP login.
    tokens_from_eas: bool
    # Where the EAS sends the browser after signing out there (OpenID Connect RP-Initiated Logout);
    # "" sends none, and the EAS shows its own page.
    post_logout_redirect_uri: str = ""


@dataclass(frozen=True)
class LabSettings:
    """The failure lab's access to the simulator's admin API (sandbox only)."""

    admin_token: str = field(repr=False)
    site_id: str


@dataclass(frozen=True)
class Limits:
    """Abuse limits (Flask-Limiter strings such as "10/minute", counted in the state store)."""

    max_body_bytes: int = 64 * 1024  # any request; bigger bodies get 413, unread
    troubleshoot_max_body_bytes: int = 16 * 1024  # the paste-a-JWT form
    login_per_client: str = "30/minute"  # every POST /login from one client
    # Wrong passwords for one account from one client: slows a guesser to a crawl, while the real
    # user, from their own client, can still sign in.
    login_failures_per_account: str = "10/15 minutes"
    eas_starts_per_client: str = "20/minute"  # each start leaves a pending sign-in for minutes
    pending_sign_in_seconds: int = 300  # a sign-in started at the EAS must finish within this
    troubleshoot_per_client: str = "30/minute"  # POSTed token checks
    token_api_per_session: str = "120/minute"  # noqa: S105 (a rate, not a secret): POST /api/token
    sessions_per_user: int = 20  # past it, that user's oldest session ends


@dataclass(frozen=True)
class RestSettings:
    """Tableau's REST API on the signed-in user's behalf (the "My content" page, host/rest): a JWT
    sign-in ("Authentication concepts") signed as the page's tokens are (the connected app's secret
    in force, or the UAT key), or with a connected-app secret of its own."""

    session_seconds: int  # how long a REST session is reused before the host signs in again
    # TABLEAU_REST_CLIENT_ID / TABLEAU_REST_SECRET_*: both set, or both None (sign as the pages do).
    client_id: str | None = None
    secret: Secret | None = None


@dataclass(frozen=True)
class Settings:
    app_env: str
    secret_key: str
    tableau_server_url: str
    trust_mode: str
    direct: DirectTrust | None
    token_lifetime_seconds: int
    users_file: Path | None  # None: no local sign-in (users come from the EAS)
    views_file: Path
    send_user_attributes: bool
    send_groups: bool
    eas: EasSettings | None = None
    lab: LabSettings | None = None
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-* headers count
    state_store_url: str = DEFAULT_STATE_STORE_URL
    limits: Limits = field(default_factory=Limits)
    uat: UatSettings | None = None  # TRUST_MODE uat: the host's own tokens are UATs
    signing_file: Path | None = None  # SIGNING_SETTINGS_FILE: re-read when it changes (rotation)
    token_panel: bool = False  # embed pages show the decoded token (header, claims, expiry)
    token_retries_exhausted: str = "message"  # noqa: S105 (a choice, not a secret): RETRIES_EXHAUSTED_ACTIONS
    # --- REST on the user's behalf (read by _read_rest) ---
    rest: RestSettings | None = None  # None: no "My content" page
    # --- On-demand access (read by _read_on_demand): members of these groups get the 'oda' claim ---
    on_demand_groups: tuple[str, ...] = ()  # () when TABLEAU_ON_DEMAND_ACCESS is off

    @property
    def local_sign_in(self) -> bool:
        modes = self.trust_mode.split(",")
        return ("direct" in modes or "uat" in modes) and self.users_file is not None

    @property
    def sandbox(self) -> bool:
        return self.app_env == SANDBOX

    @property
    def retry_fallback(self) -> str:
        """The catalogue action for TOKEN_RETRIES_EXHAUSTED: FAIL (a message) or LOGIN."""
        return RETRIES_EXHAUSTED_ACTIONS[self.token_retries_exhausted]

    @property
    def library_url(self) -> str:
        """The Embedding API library, from the Tableau server itself (its version matches)."""
        return self.tableau_server_url + LIBRARY_PATH

    @property
    def tableau_origin(self) -> str:
        parts = urlsplit(self.tableau_server_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def eas_origin(self) -> str:
        """The EAS issuer's origin ("" without an EAS): signing out redirects there."""
        if self.eas is None:
            return ""
        parts = urlsplit(self.eas.issuer)
        return f"{parts.scheme}://{parts.netloc}"

    def __repr__(self) -> str:
        return f"Settings(app_env={self.app_env!r}, tableau={self.tableau_server_url!r})"


class _Reader:
    """Reads variables and collects every problem, so one start-up reports them all."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def text(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default).strip()

    def required(self, name: str, why: str) -> str:
        value = self.text(name)
        if not value:
            self.problems.append(f"{name} is not set: {why}")
        return value

    def secret(self, name: str, why: str, hint: str = GENERATE_HINT) -> str:
        """A required secret of at least MIN_SECRET_BYTES; `hint` says where a value comes from."""
        value = self.required(name, f"{why}; {hint}")
        if value and len(value.encode()) < MIN_SECRET_BYTES:
            self.problems.append(
                f"{name} is too short ({len(value.encode())} bytes, at least {MIN_SECRET_BYTES}): {hint}"
            )
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if not raw:
            return default
        if raw in ("1", "true", "yes", "on"):
            return True
        if raw in ("0", "false", "no", "off"):
            return False
        self.problems.append(f"{name}={raw!r} is not a boolean: use true or false")
        return default

    def integer(self, name: str, default: int, low: int, high: int, why: str) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(f"{name}={raw!r} is not a whole number")
            return default
        if not low <= value <= high:
            self.problems.append(f"{name}={value} is out of range {low}..{high}: {why}")
        return value

    def rate(self, name: str, default: str) -> str:
        """A rate such as "10/minute" or "100/hour;1000/day" (Flask-Limiter's notation)."""
        raw = self.text(name, default)
        if not _RATE.fullmatch(raw):
            self.problems.append(f"{name}={raw!r} is not a rate: write e.g. 10/minute or 5/15 minutes")
        return raw

    def path(self, name: str, default: Path | None, why: str) -> Path:
        raw = self.text(name)
        if not raw and default is None:
            self.problems.append(f"{name} is not set: {why}")
            return Path()
        path = Path(raw) if raw else default
        if not path.is_absolute():
            path = CONFIG_DIR.parent / path
        if not path.is_file():
            self.problems.append(f"{name}: file {path} does not exist")
        return path


def _read_env(r: _Reader) -> str:
    app_env = r.text("APP_ENV").lower()
    if app_env not in (SANDBOX, PRODUCTION):
        shown = f"={app_env!r}" if app_env else " is not set"
        r.problems.append(
            f"APP_ENV{shown}: set APP_ENV=sandbox for the offline demo, "
            "or APP_ENV=production for a real Tableau Cloud/Server"
        )
    return app_env


def _read_server_url(r: _Reader, sandbox: bool) -> str:
    # Configure Connected Apps with Direct Trust and Register EAS to Enable SSO for Embedded Content:
    # embedding through connected apps requires Tableau to serve over SSL.
    url = _read_https_url(
        r, "TABLEAU_SERVER_URL", "the Tableau Cloud/Server base URL, e.g. "
        "https://10ax.online.tableau.com", sandbox,
    )
    # A URL copied from the address bar (…/#/site/acme/home) would make every library and content
    # URL wrong: refuse it and give the base URL (and the site it names) instead.
    problem = server_url_problem("TABLEAU_SERVER_URL", url) if urlsplit(url).netloc else None
    if problem:
        r.problems.append(problem)
    return url


def _read_trust_mode(r: _Reader) -> str:
    """One trust or several, comma-separated, written back in a fixed order (e.g. "direct,eas")."""
    mode = r.text("TRUST_MODE", "direct").lower().replace(" ", "")
    parts = mode.split(",")
    unknown = [p for p in parts if p not in TRUST_MODES]
    usage = f"use {', '.join(TRUST_MODES)}, or several joined by commas such as direct,eas"
    if unknown:
        named = ", ".join(repr(p) for p in unknown)
        r.problems.append(f"TRUST_MODE={mode!r} is unknown: {named} is not a trust mode; {usage}")
    elif len(set(parts)) != len(parts):
        r.problems.append(f"TRUST_MODE={mode!r} names a trust mode twice; {usage}")
    return ",".join(m for m in TRUST_MODES if m in parts) if not unknown else mode


def _read_direct(r: _Reader, trust_mode: str) -> DirectTrust | None:
    """Needed with TRUST_MODE direct (alone or beside others)."""
    if "direct" not in trust_mode.split(","):
        return None
    client_id = r.required("TABLEAU_CLIENT_ID", "copy the connected app's ID (client ID)")
    signing, spare = _read_secrets(r)
    return DirectTrust(client_id, signing, spare)


def _read_secrets(r: _Reader) -> tuple[Secret, Secret | None]:
    """The two connected-app secrets (Configure Connected Apps with Direct Trust allows two, for
    rotation); one signs, one is spare."""
    why = "copy it from the connected app's page in Tableau (Settings > Connected Apps)"
    hint = "paste the secret's value (not its ID) as Tableau showed it when generated"
    first = Secret(r.required("TABLEAU_SECRET_ID", why), r.secret("TABLEAU_SECRET_VALUE", why, hint))
    second = None
    if r.text("TABLEAU_SECRET_2_ID") or r.text("TABLEAU_SECRET_2_VALUE"):
        second = Secret(
            r.required("TABLEAU_SECRET_2_ID", "it is needed with TABLEAU_SECRET_2_VALUE"),
            r.secret("TABLEAU_SECRET_2_VALUE", "it is needed with TABLEAU_SECRET_2_ID", hint),
        )
    choice = r.text("TABLEAU_SIGNING_SECRET", "1")
    if choice == "1":
        return first, second
    if choice == "2" and second is not None:
        return second, first
    if choice == "2":
        r.problems.append("TABLEAU_SIGNING_SECRET=2 but TABLEAU_SECRET_2_ID/_VALUE are not set")
    else:
        r.problems.append(f"TABLEAU_SIGNING_SECRET={choice!r} must be 1 or 2")
    return first, second


def _read_https_url(r: _Reader, name: str, why: str, sandbox: bool, default: str = "",
                    exact: bool = False) -> str:
    url = r.text(name) or default
    if not exact:
        url = url.rstrip("/")
    if not url:
        r.problems.append(f"{name} is not set: {why}")
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        r.problems.append(f"{name}={url!r} is not an absolute http(s) URL")
    elif parts.scheme != "https" and not sandbox:
        r.problems.append(f"{name}={url!r} must use https outside the sandbox")
    return url


def _read_eas(r: _Reader, trust_mode: str, sandbox: bool) -> EasSettings | None:
    """EAS settings: required with TRUST_MODE eas, optional (fallback sign-in) with direct."""
    if "eas" not in trust_mode.split(",") and not r.text("EAS_ISSUER"):
        return None
    # Exactly as written: some issuers end in "/" (Auth0), and 'iss' is compared as a string.
    issuer = _read_https_url(r, "EAS_ISSUER", "the EAS's issuer URL (its 'iss' claim)", sandbox,
                             exact=True)
    return EasSettings(
        issuer=issuer,
        metadata_url=_read_https_url(
            r, "EAS_METADATA_URL", "", sandbox,
            default=issuer.rstrip("/") + "/.well-known/openid-configuration",
        ),
        client_id=r.required("EAS_CLIENT_ID", "the client ID this host has at the EAS"),
        client_secret=r.required("EAS_CLIENT_SECRET", "the client secret this host has at the EAS"),
        redirect_uri=_read_https_url(
            r, "EAS_REDIRECT_URI", "the exact callback URL registered at the EAS, ending in "
            "/auth/eas/callback", sandbox,
        ),
        scopes=r.text("EAS_SCOPES", DEFAULT_EAS_SCOPES),
        audience=r.text("EAS_AUDIENCE", "tableau"),
        username_claim=r.text("EAS_USERNAME_CLAIM", "sub"),
        tokens_from_eas="eas" in trust_mode.split(","),
        post_logout_redirect_uri=_read_post_logout_uri(r, sandbox),
    )


def _read_post_logout_uri(r: _Reader, sandbox: bool) -> str:
    """EAS_POST_LOGOUT_REDIRECT_URI, by default this host's home page (EAS_REDIRECT_URI's origin)."""
    callback = urlsplit(r.text("EAS_REDIRECT_URI"))
    home = f"{callback.scheme}://{callback.netloc}/" if callback.scheme and callback.netloc else ""
    if not home and not r.text("EAS_POST_LOGOUT_REDIRECT_URI"):
        return ""  # EAS_REDIRECT_URI's own problem is reported already
    return _read_https_url(r, "EAS_POST_LOGOUT_REDIRECT_URI", "", sandbox, default=home, exact=True)


def _read_users_file(r: _Reader, sandbox: bool, eas: EasSettings | None) -> Path | None:
    """Local sign-in needs a users file; with an EAS configured it is optional (EAS users only)."""
    if sandbox:
        return r.path("USERS_FILE", CONFIG_DIR / "sandbox_users.json", "")
    if eas is not None and not r.text("USERS_FILE"):
        return None
    return r.path("USERS_FILE", None, "the file of users who may sign in (see .env.example)")


def _read_lab(r: _Reader, sandbox: bool) -> LabSettings | None:
    """The failure lab drives the simulator; the demo launcher sets both values."""
    token, site_id = r.text("SANDBOX_ADMIN_TOKEN"), r.text("SANDBOX_SITE_ID")
    if not (token or site_id):
        return None
    if not sandbox:
        r.problems.append("SANDBOX_ADMIN_TOKEN/SANDBOX_SITE_ID are for APP_ENV=sandbox only")
        return None
    if not (token and site_id):
        r.problems.append("SANDBOX_ADMIN_TOKEN and SANDBOX_SITE_ID go together: set both or neither")
        return None
    return LabSettings(admin_token=token, site_id=site_id)


def _read_limits(r: _Reader) -> Limits:
    d = Limits()
    return Limits(
        max_body_bytes=r.integer("MAX_BODY_BYTES", d.max_body_bytes, 4096, 16 * 1024 * 1024,
                                 "the largest request body the host reads"),
        troubleshoot_max_body_bytes=r.integer(
            "TROUBLESHOOT_MAX_BODY_BYTES", d.troubleshoot_max_body_bytes, 4096, 1024 * 1024,
            "the largest paste the troubleshooting page reads"),
        login_per_client=r.rate("LOGIN_LIMIT_PER_CLIENT", d.login_per_client),
        login_failures_per_account=r.rate("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", d.login_failures_per_account),
        eas_starts_per_client=r.rate("EAS_SIGN_IN_LIMIT_PER_CLIENT", d.eas_starts_per_client),
        pending_sign_in_seconds=60 * r.integer(
            "EAS_SIGN_IN_MINUTES", d.pending_sign_in_seconds // 60, 1, 30,
            "minutes a user has to finish signing in at the EAS"),
        troubleshoot_per_client=r.rate("TROUBLESHOOT_LIMIT_PER_CLIENT", d.troubleshoot_per_client),
        token_api_per_session=r.rate("TOKEN_API_LIMIT_PER_SESSION", d.token_api_per_session),
        sessions_per_user=r.integer("MAX_SESSIONS_PER_USER", d.sessions_per_user, 1, 10_000,
                                    "signed-in sessions one user may hold at once"),
    )


# --- REST on the user's behalf (host/rest, docs/rest.md) ---

# Tableau Cloud ends an idle REST session after about 120 minutes, Tableau Server after 240
# (wgserver.session.idle_limit): reuse one for the shorter by default, then sign in again.
DEFAULT_REST_SESSION_MINUTES = 120


def _read_rest(r: _Reader, direct: DirectTrust | None, uat: UatSettings | None) -> RestSettings | None:
    """Signed as the page's tokens by default (a UAT with TRUST_MODE uat, else the connected app's
    secret in force); TABLEAU_REST_SECRET_ID/_VALUE (and TABLEAU_REST_CLIENT_ID for another app)
    keep a secret of its own."""
    if not r.flag("MY_CONTENT_PAGE", True):
        return None
    session_seconds = 60 * r.integer(
        "TABLEAU_REST_SESSION_MINUTES", DEFAULT_REST_SESSION_MINUTES, 1, 24 * 60,
        "minutes a REST session is reused; keep it under the server's idle limit")
    own_client = r.text("TABLEAU_REST_CLIENT_ID")
    if not (own_client or r.text("TABLEAU_REST_SECRET_ID") or r.text("TABLEAU_REST_SECRET_VALUE")):
        if direct is None and uat is None:
            return None  # TRUST_MODE=eas and no REST secret: nothing here signs a JWT
        return RestSettings(session_seconds=session_seconds)
    hint = "paste the secret's value (not its ID) as Tableau showed it when generated"
    secret = Secret(
        r.required("TABLEAU_REST_SECRET_ID", "the REST sign-in's own secret needs its ID"),
        r.secret("TABLEAU_REST_SECRET_VALUE", "the REST sign-in's own secret needs its value", hint),
    )
    client_id = own_client or (direct.client_id if direct else "")
    if not client_id:
        r.problems.append("TABLEAU_REST_CLIENT_ID is not set: without a connected app for the pages "
                          "(TRUST_MODE has no direct), the REST secret needs its app's ID (client ID)")
    return RestSettings(session_seconds=session_seconds, client_id=client_id, secret=secret)


# --- On-demand access (host/embed/user_claims.py, docs/user-claims.md) ---

def _read_on_demand(r: _Reader, sandbox: bool) -> tuple[str, ...]:
    """On-demand access ("Authentication and Embedding"; Tableau Cloud only): the groups whose
    members have no Tableau account. The sandbox's demo site allows it for its Guests group."""
    if not r.flag("TABLEAU_ON_DEMAND_ACCESS", sandbox):
        return ()
    raw = r.text("TABLEAU_ON_DEMAND_GROUPS", "Guests" if sandbox else "")
    groups = tuple(dict.fromkeys(g.strip() for g in raw.split(",") if g.strip()))
    if not groups:
        r.problems.append("TABLEAU_ON_DEMAND_GROUPS is not set: with TABLEAU_ON_DEMAND_ACCESS=true, "
                          "name the groups (comma-separated) that allow on-demand access on the site")
    return groups


def _read_retries_exhausted(r: _Reader) -> str:
    """TOKEN_RETRIES_EXHAUSTED: message (default) or tableau-sign-in."""
    value = r.text("TOKEN_RETRIES_EXHAUSTED", "message").lower()
    if value not in RETRIES_EXHAUSTED_ACTIONS:
        r.problems.append(
            f"TOKEN_RETRIES_EXHAUSTED={value!r} is unknown: use message (a plain message when a view's "
            "token retries run out) or tableau-sign-in (Tableau's own sign-in form, for users who "
            "have a Tableau account)")
        return "message"
    return value


def _read_secret_key(r: _Reader, sandbox: bool) -> str:
    if sandbox and not r.text("SECRET_KEY"):
        return secrets.token_hex(32)  # sandbox only: sessions last as long as the process
    return r.secret("SECRET_KEY", "it signs the session cookie")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting; raise ConfigError listing all problems."""
    if environ is None:
        load_project_dotenv()  # the project's .env only, never one from a parent directory
        environ = os.environ
    r = _Reader(environ)
    signing_file = _read_signing_file(r)
    app_env = _read_env(r)
    sandbox = app_env == SANDBOX
    trust_mode = _read_trust_mode(r)
    eas = _read_eas(r, trust_mode, sandbox)
    settings = Settings(
        app_env=app_env,
        secret_key=_read_secret_key(r, sandbox),
        tableau_server_url=_read_server_url(r, sandbox),
        trust_mode=trust_mode,
        direct=_read_direct(r, trust_mode),
        token_lifetime_seconds=r.integer(
            "TOKEN_LIFETIME_SECONDS", DEFAULT_LIFETIME_SECONDS, 1, MAX_LIFETIME_SECONDS,
            "Tableau refuses a JWT whose exp is more than 10 minutes ahead (codes 16, 10096)",
        ),
        users_file=_read_users_file(r, sandbox, eas),
        views_file=r.path("VIEWS_FILE", CONFIG_DIR / "views.json", "the views to embed"),
        send_user_attributes=r.flag("TABLEAU_SEND_USER_ATTRIBUTES", sandbox),
        send_groups=r.flag("TABLEAU_SEND_GROUPS", sandbox),
        eas=eas,
        lab=_read_lab(r, sandbox),
        trusted_proxies=r.integer(
            "TRUSTED_PROXIES", 0, 0, 5, "the number of reverse proxies in front of the host"
        ),
        state_store_url=r.text("STATE_STORE_URL", DEFAULT_STATE_STORE_URL),
        limits=_read_limits(r),
        uat=read_uat(r, trust_mode.split(","), sandbox),
        signing_file=signing_file,
        token_panel=r.flag("TOKEN_PANEL", sandbox),
        token_retries_exhausted=_read_retries_exhausted(r),
    )
    settings = replace(settings, rest=_read_rest(r, settings.direct, settings.uat),
                       on_demand_groups=_read_on_demand(r, sandbox))
    if r.problems:
        raise ConfigError(r.problems)
    return settings


# --- the signing settings file (SIGNING_SETTINGS_FILE; config/signing_file.py) ------------------


def _read_signing_file(r: _Reader) -> Path | None:
    """With SIGNING_SETTINGS_FILE, the reader takes the signing settings from that file instead."""
    raw = r.text("SIGNING_SETTINGS_FILE")
    if not raw:
        return None
    path = resolve(raw)
    try:
        r.environ = with_signing_file(r.environ, path)
    except (OSError, UnicodeDecodeError) as exc:
        r.problems.append(f"SIGNING_SETTINGS_FILE: cannot read {path} ({exc.__class__.__name__}); "
                          "it holds the secrets and keys that sign (docs/rotation.md)")
    return path


def signing_file_stamp(settings: Settings) -> tuple[int, int, int] | None:
    """What changes when the signing settings file is rewritten (None: no file, or it is gone)."""
    return file_stamp(settings.signing_file) if settings.signing_file is not None else None


def reload_signing(settings: Settings) -> Settings:
    """`settings` with the secrets and UAT keys its SIGNING_SETTINGS_FILE holds now; ConfigError
    (never showing a value) when the file cannot be read or names an unusable secret or key."""
    if settings.signing_file is None:
        return settings
    try:
        r = _Reader(read_signing_values(settings.signing_file))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"SIGNING_SETTINGS_FILE: cannot read {settings.signing_file} "
                           f"({exc.__class__.__name__})"]) from exc
    direct = settings.direct
    if direct is not None:
        direct = DirectTrust(direct.client_id, *_read_secrets(r))
    uat = settings.uat
    if uat is not None:
        signing_key, spare_key = read_uat_keys(r)
        uat = replace(uat, signing_key=signing_key, spare_key=spare_key)
    if r.problems:
        raise ConfigError(r.problems)
    return replace(settings, direct=direct, uat=uat)
