"""`flask tableau inspect|token|doctor`: diagnostics for the connected app (docs/diagnostics.md).

Exit status: 0 clean, 1 a problem found (or a failed doctor line), 2 the check could not be run
(usage error, empty input, a key set that cannot be fetched, settings that do not load for `token`).
No command prints a token except `token`, to stdout only; secrets are read from the environment,
never from argv.

The commands do not need the host's app: they read the settings themselves (cli_host.py: the running
demo's, else the app's, else the environment's), so `inspect` works with no configuration at all and
`doctor` reports settings that do not load. When they do not, Flask's CLI gets `commands_only_app()`
while it merely looks up commands (`flask --help`, `flask tableau …`), never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

import click
import jwt
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

from config import ConfigError
from host.diagnostics.cli_host import CliHost, load_cli_host
from host.diagnostics.cli_rotate import rotate_command
from host.diagnostics.cli_uat import uat_key_command
from host.embed.uat_token import mint_uat_for_user
from host.embed.viz_token import mint_for_user, own_token_for_user
from host.signin.users import User, UserDirectory
from host.wording import count
from tableau_rules.claims import MAX_LIFETIME_SECONDS
from tableau_rules.jwt_rules import (
    TRUSTS,
    UAT_TENANT_CLAIM,
    Caution,
    Expected,
    Inspection,
    Problem,
    inspect_token,
    verify_signature,
)
from tableau_rules.scopes import COMPONENT_SCOPES

tableau = AppGroup("tableau", help="Diagnose the Tableau connected app: inspect, token, doctor.")
COMPONENTS = click.Choice(list(COMPONENT_SCOPES))
# Commands kept in files of their own (unified access tokens, rotation):
tableau.add_command(uat_key_command)
tableau.add_command(rotate_command)


class CheckNotRun(click.ClickException):
    """The check itself could not be carried out (not a finding about the token)."""

    exit_code = 2


# --- when the host's settings do not load -----------------------------------------------------


def looking_up_commands() -> bool:
    """True while Flask's CLI only looks up commands (`flask --help`, `flask tableau …`); False for a
    command that runs the host (`flask run`, `shell`, `routes`) and outside the CLI (gunicorn)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and isinstance(ctx.command, FlaskGroup)


def commands_only_app(error: ConfigError) -> Flask:
    """An app with only the `tableau` commands, for Flask's CLI when the settings do not load: the
    diagnostics stay reachable and `flask --help` shows no traceback. It serves nothing."""
    app = Flask(__name__)
    app.cli = _CommandsOnly(error)
    app.cli.add_command(tableau)
    return app


class _CommandsOnly(AppGroup):
    """Says once, where `flask --help` lists the commands, why there are no others."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__()
        self.problems = len(error.problems)

    def list_commands(self, ctx: click.Context) -> list[str]:
        click.echo(f"note: the embedding host cannot start ({count(self.problems, 'problem')} in its "
                   "settings); `flask tableau doctor` lists them", err=True)
        return super().list_commands(ctx)


# --- inspect ----------------------------------------------------------------------------------


@tableau.command("inspect")
@click.argument("token", required=False, default="-")
@click.option("--component", type=COMPONENTS, help="Also check the scopes this component needs.")
@click.option("--trust", type=click.Choice(TRUSTS), help="Which trust made the token (default: read "
              "from the token and this host's settings, and said on stderr).")
@click.option("--secret-env", metavar="VAR", help="Verify HS256 with the secret in env var VAR.")
@click.option("--jwks-url", metavar="URL", help="Verify RS256 with the key set at URL.")
@click.option("--max-lifetime", type=click.IntRange(1), default=MAX_LIFETIME_SECONDS, show_default=True,
              help="Longest 'exp' Tableau accepts, in seconds.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def inspect_command(token: str, component: str | None, trust: str | None, secret_env: str | None,
                    jwks_url: str | None, max_lifetime: int, as_json: bool) -> None:
    """List every documented rule TOKEN breaks, with Tableau's code and the fix.

    TOKEN '-' or absent reads stdin (preferred: argv ends up in shell history).
    """
    if secret_env and jwks_url:
        raise click.UsageError("use either --secret-env or --jwks-url, not both")
    token = _read_token(token)
    expected = _configured_ids()
    if trust is None:
        trust, why = _trust_of(token, expected)
        click.echo(f"note: checked as a {trust} token ({why}); --trust chooses", err=True)
    found = inspect_token(token, trust=trust, component=component, max_lifetime_s=max_lifetime,
                          expected=expected)
    signature, sig_problems = _signature(token, secret_env, jwks_url)
    problems = [*found.problems, *sig_problems]
    if as_json:
        click.echo(json.dumps(_report(found, signature, problems), indent=2, sort_keys=True))
    else:
        _print_report(found, signature, problems)
    raise SystemExit(1 if problems or found.cautions else 0)


def _trust_of(token: str, expected: Expected | None) -> tuple[str, str]:
    """Which trust a token most likely comes from, and why: its 'iss' when it is this host's UAT
    issuer or EAS, else its shape (HS256: direct trust; a tenant claim: a UAT; else an EAS's)."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "direct", "it cannot be decoded"
    issuer = claims.get("iss")
    if expected and expected.uat and issuer is not None and issuer == expected.uat.issuer:
        return "uat", "'iss' is this host's UAT issuer"
    if expected and issuer is not None and issuer == expected.eas_issuer:
        return "eas", "'iss' is this host's EAS"
    if header.get("alg") == "HS256":
        return "direct", "signed with HS256"
    if UAT_TENANT_CLAIM in claims:
        return "uat", f"it has '{UAT_TENANT_CLAIM}'"
    return "eas", f"signed with {header.get('alg')!r} and no tenant claim"


def _configured_ids() -> Expected | None:
    """The host's client, secret and EAS IDs when its settings load; decoding needs none of them."""
    try:
        return load_cli_host().expected()
    except ConfigError:
        click.echo("note: the host's settings do not load, so the token is not compared with the "
                   "configured client and secret IDs", err=True)
        return None


def _read_token(arg: str) -> str:
    if arg == "-":
        stdin = sys.stdin
        if stdin.isatty():
            click.echo("Paste the token, then press Ctrl-D:", err=True)
        arg = stdin.read()
    token = arg.strip()
    if not token:
        raise click.UsageError("no token given (pass it on stdin or as TOKEN)")
    return token


def _signature(token: str, secret_env: str | None, jwks_url: str | None) -> tuple[str, list[Problem]]:
    if secret_env:
        secret = os.environ.get(secret_env)
        if not secret:
            raise click.UsageError(f"--secret-env {secret_env}: that environment variable is not set")
        problems = verify_signature(token, secret=secret)
    elif jwks_url:
        problems = verify_signature(token, jwks=_fetch_jwks(jwks_url))
    else:
        return "not checked", []
    return ("invalid" if problems else "verified"), problems


def _fetch_jwks(url: str) -> dict[str, Any]:
    import requests  # loaded by the commands that go on the network, never by the host itself

    from host.diagnostics.doctor_context import TIMEOUT

    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        keys = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise CheckNotRun(f"cannot fetch the key set at {url} ({type(exc).__name__})") from exc
    if not isinstance(keys, dict):
        raise CheckNotRun(f"{url} did not answer a JWKS object")
    return keys


def _report(found: Inspection, signature: str, problems: list[Problem]) -> dict[str, Any]:
    return {"ok": not problems and not found.cautions, "header": found.header, "claims": found.claims,
            "size": found.size, "signature": signature, "problems": [p.as_dict() for p in problems],
            "warnings": [c.as_dict() for c in found.cautions]}


def _print_report(found: Inspection, signature: str, problems: list[Problem]) -> None:
    for title, part in (("header", found.header), ("claims", found.claims)):
        shown = json.dumps(part, indent=2, sort_keys=True) if part is not None else "(unreadable)"
        click.echo(f"{title}: {shown}")
    for claim in ("iat", "exp"):
        when = _when((found.claims or {}).get(claim))
        if when:
            click.echo(f"{claim}: {when}")
    click.echo(f"size: {found.size} bytes; signature: {signature}")
    if not problems and not found.cautions:
        click.echo("ok: no documented rule is broken")
    elif not problems:  # exit 1 all the same: a warning is something to look at
        click.echo(f"warn: no documented rule is broken, but {count(len(found.cautions), 'warning')} "
                   "below (no documented code)")
    for p in problems:
        click.echo(f"\n{p.code} {p.name} [{p.rule}]: {p.message}\n  fix: {p.resolution}")
    for c in found.cautions:
        _print_caution(c)


def _print_caution(caution: Caution) -> None:
    click.echo(f"\nwarning (no documented code) [{caution.rule}]: {caution.message}\n"
               f"  fix: {caution.fix}")


def _when(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    try:
        moment = datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return ""
    delta = int(value - time.time())
    return f"{moment} (in {delta} s)" if delta >= 0 else f"{moment} ({-delta} s ago)"


# --- token ------------------------------------------------------------------------------------


def find_user(users: UserDirectory, name: str) -> User | None:
    """A user by host login or by Tableau username (exact: Tableau names are case sensitive)."""
    return users.get(name) or next((u for u in users if u.tableau_username == name), None)


# --trust: direct trust, a UAT, or (None) the host's own choice. Each raises RuntimeError when its
# trust is not configured, with a message saying so.
MINTERS = {"direct": mint_for_user, "uat": mint_uat_for_user, None: own_token_for_user}


@tableau.command("token")
@click.option("--user", "name", required=True, help="Host login or Tableau username.")
@click.option("--component", "components", type=COMPONENTS, multiple=True, default=("viz",),
              show_default=True, help="Component kind(s) to scope the token for (repeatable).")
@click.option("--trust", type=click.Choice(["direct", "uat"]), default=None,
              help="Which token: the host's own choice by default (a UAT when TRUST_MODE has uat).")
def token_command(name: str, components: tuple[str, ...], trust: str | None) -> None:
    """Mint a token for manual testing: the token on stdout, nothing else there."""
    host = _host_or_stop("mint a token")
    users = host.users
    user = find_user(users, name)
    if user is None:
        known = ", ".join(sorted(u.login for u in users)) or "none"
        raise click.BadParameter(f"no user {name!r} (known logins: {known})", param_hint="--user")
    try:  # minting runs the preflight: a token Tableau would refuse is never printed
        minted = MINTERS[trust](host.settings, user, list(components))
    except (ValueError, RuntimeError) as exc:  # BrokenRules (e.g. 10103), or no direct trust
        raise click.ClickException(str(exc)) from exc
    click.echo(f"warning: this token is a credential for {user.tableau_username!r} until "
               f"{datetime.fromtimestamp(minted.expires_at, UTC):%H:%M:%S} UTC; do not share it",
               err=True)
    click.echo(minted.token)


# --- doctor -----------------------------------------------------------------------------------


def _host_or_stop(doing: str) -> CliHost:
    try:
        return load_cli_host()
    except ConfigError as exc:
        raise CheckNotRun(f"cannot {doing}: {exc.message}\n(`flask tableau doctor` checks the rest)") \
            from exc


@tableau.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--views", "on_tableau", is_flag=True,
              help="Also sign in to Tableau's REST API and check that each configured view exists.")
@click.option("--user", "user_name", metavar="LOGIN", help="The user --views signs in as (default: "
              "the first in USERS_FILE).")
def doctor_command(as_json: bool, on_tableau: bool, user_name: str | None) -> None:
    """Check the configuration and the environment; exit 1 when a line fails."""
    # Loaded here, not with the host: the checks need requests, the host's own pages never do.
    from host.diagnostics import doctor
    from host.diagnostics.rest_views import check_views_on_tableau

    try:
        host = load_cli_host()
    except ConfigError as exc:
        lines = doctor.config_lines(exc)
    else:
        ctx = doctor.Context(host.settings, host.users)
        lines = doctor.run(ctx) + (check_views_on_tableau(ctx, user_name) if on_tableau else [])
    if as_json:
        click.echo(json.dumps([line.as_dict() for line in lines], indent=2))
    else:
        for line in lines:
            click.echo(line.render())
    raise SystemExit(1 if any(line.status == doctor.FAIL for line in lines) else 0)
