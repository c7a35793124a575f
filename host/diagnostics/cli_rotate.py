"""`flask tableau rotate secret|uat-key|eas-key`: rotation with zero failed loads (docs/rotation.md).

Beside the running demo (whose settings file the host re-reads: SIGNING_SETTINGS_FILE), it carries
the steps out against the simulator's admin API (secret, uat-key) or the demo EAS's (eas-key);
anywhere else, or with --steps, it prints them for a person to carry out at a real site or IdP. It
never prints a secret or a private key.
"""

from __future__ import annotations

import textwrap

import click
from flask.cli import with_appcontext

from config import ConfigError, Settings
from host.diagnostics.cli_host import load_cli_host
from host.rotation.manual_steps import STEPS

TITLES = {"secret": "the connected-app secret", "uat-key": "the UAT signing key",
          "eas-key": "the EAS's signing key"}
DONE = {"secret": "the host signs with the new one only",
        "uat-key": "the host signs with the new one only",
        "eas-key": "the EAS signs with the new one only and publishes it alone"}


@click.command("rotate")
@with_appcontext  # as the `tableau` group's own commands: the loaded app's settings count too
@click.argument("what", type=click.Choice(list(STEPS)))
@click.option("--steps", "steps_only", is_flag=True,
              help="Only print the steps for a real site or IdP; change nothing.")
@click.option("--drain-seconds", type=click.IntRange(0), default=None,
              help="Wait this long after the switch instead of TOKEN_LIFETIME_SECONDS + 5 "
                   "(eas-key: the EAS's token lifetime + 5); shorter risks failed loads.")
def rotate_command(what: str, steps_only: bool, drain_seconds: int | None) -> None:
    """Rotate WHAT (secret, uat-key, eas-key) so that no viz fails to load.

    Beside the running demo: done step by step, against the simulator (secret, uat-key) or the
    demo EAS (eas-key: its signing key, through its admin API). Otherwise: the steps for a real
    site or IdP.
    """
    try:
        settings = load_cli_host().settings
    except ConfigError:
        settings = None
        click.echo("note: the host's settings do not load; the steps show placeholders", err=True)
    # Loaded here, not with the host: the steps call the admin APIs through requests.
    from host.rotation.eas_key import rotate_eas_key
    from host.rotation.run import RotationError, sandbox_rotation
    from host.rotation.sandbox_admin import AdminError
    from host.rotation.secret import rotate_secret
    from host.rotation.uat_key import rotate_uat_key

    rotation = None
    if settings is not None and not steps_only:
        rotation = sandbox_rotation(settings, click.echo)
    if rotation is None:
        _print_steps(what, settings, explain=not steps_only and settings is not None)
        return
    _announce(what, rotation.signing_file.name)
    rotate = {"secret": rotate_secret, "uat-key": rotate_uat_key, "eas-key": rotate_eas_key}[what]
    try:
        rotate(rotation, drain_seconds)
    except (RotationError, AdminError) as exc:
        raise click.ClickException(f"{exc}\n(steps done: {rotation.done}; docs/rotation.md)") from exc
    click.echo(f"done: {TITLES[what]} is rotated; {DONE[what]}.")


def _announce(what: str, signing_file: str) -> None:
    if what == "eas-key":
        click.echo(f"Rotating {TITLES[what]} at the demo EAS, through its admin API (nothing changes "
                   "on the host):")
    else:
        click.echo(f"Rotating {TITLES[what]} in the sandbox ({signing_file} holds the signing "
                   "settings; the host re-reads it):")


def _print_steps(what: str, settings: Settings | None, explain: bool) -> None:
    if explain:
        click.echo("note: not beside the running demo (scripts/demo), so nothing is changed here; "
                   "carry these steps out yourself:", err=True)
    click.echo(f"Rotating {TITLES[what]} with zero failed loads (docs/rotation.md):")
    for number, text in enumerate(STEPS[what](settings), 1):
        click.echo(textwrap.fill(text, width=100, initial_indent=f"  {number}. ",
                                 subsequent_indent="     "))
