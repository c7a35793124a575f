"""Which host configuration `flask tableau …` and `python -m host.diagnostics` look at.

In order: the running demo's settings (instance/sandbox.env, written by scripts/demo, since the
demo makes its secrets at start), else the loaded app's, else the environment and the project's
`.env`. When none loads, ConfigError lists every problem, and each command says what it can still
do (inspect decodes anyway, doctor reports the problems, token cannot mint).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import click
from flask import current_app, has_app_context

from config import ConfigError, Settings, load_settings
from config.env_files import running_demo_settings, sandbox_env_path
from host.embed.uat_token import uat_expected
from host.extension import EXTENSION, HostContext
from host.signin.users import UserDirectory, UsersFileError
from tableau_rules.jwt_rules import Expected


@dataclass(frozen=True)
class CliHost:
    settings: Settings
    users: UserDirectory
    source: str  # where the settings came from, for the user's note

    def expected(self) -> Expected:
        """The IDs a token for this host must name (inspect flags a token naming others)."""
        direct, eas = self.settings.direct, self.settings.eas
        secrets = (direct.signing_secret, direct.spare_secret) if direct else ()
        uat = uat_expected(self.settings.uat).uat if self.settings.uat else None
        return Expected(
            client_id=direct.client_id if direct else None,
            secret_ids=tuple(s.id for s in secrets if s is not None),
            eas_issuer=eas.issuer if eas else None,
            uat=uat,  # issuer, published kids, tenant, site, username claim, allowed scopes
        )


def load_cli_host() -> CliHost:
    """The host's settings and users for a CLI command; raises ConfigError listing every problem."""
    demo = running_demo_settings(sandbox_env_path())
    if demo is not None:
        click.echo(f"note: using the running demo's settings from {demo.path}", err=True)
        return host_from_environ(demo.values, f"the running demo ({demo.path})")
    context = _app_context()
    if context is not None:
        return CliHost(context.settings, context.users, "this app's settings")
    return host_from_environ(None, "the environment and .env")


def _app_context() -> HostContext | None:
    # None in the commands-only app Flask's CLI gets when the settings do not load.
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def host_from_environ(environ: Mapping[str, str] | None, source: str = "the given settings") -> CliHost:
    """Settings and users from `environ` (None: the environment and .env); raises ConfigError."""
    settings = load_settings(environ)
    try:
        users = UserDirectory.load(settings.users_file, sandbox=settings.sandbox)
    except UsersFileError as exc:
        raise ConfigError([str(exc)]) from exc
    return CliHost(settings, users, source)
