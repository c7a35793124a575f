"""`flask tableau uat-key`: a new RSA key for signing unified access tokens (docs/uat.md).

The private key goes to a file only (mode 0600, under instance/ by default, which git ignores);
stdout gets its `kid` and public half, which are what Tableau Cloud Manager needs.
"""

from __future__ import annotations

from pathlib import Path

import click

from config.signing_file import PROJECT_DIR, resolve
from config.uat import DEFAULT_KEY_FILE
from host.embed.uat_keys import ALLOWED_BITS, DEFAULT_BITS, KeyFileExists, generate_key_file


@click.command("uat-key")
@click.option("--out", "out", default=DEFAULT_KEY_FILE, show_default=True,
              help="Where to write the private key (relative to the project directory).")
@click.option("--bits", type=click.Choice([str(b) for b in ALLOWED_BITS]), default=str(DEFAULT_BITS),
              show_default=True, help="RSA key size (Tableau needs 2048 or more).")
def uat_key_command(out: str, bits: str) -> None:
    """Make an RSA key for unified access tokens; print its kid and public key, never the key."""
    path = resolve(out)
    try:
        signer = generate_key_file(path, int(bits))
    except KeyFileExists as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {path} ({exc.strerror})") from exc
    shown = _shown(path)
    click.echo(f"wrote {shown} (RSA {bits} bits, mode 0600): the private key; never commit or share it")
    click.echo(f"kid: {signer.key_id}")
    click.echo(f"\nSettings: TRUST_MODE=uat, UAT_KEY_FILE={shown} (or UAT_KEY_2_FILE while rotating).")
    click.echo("Tableau Cloud Manager, UAT configuration: the JWKS URI https://<this host>"
               "/.well-known/jwks.json, or this public key with the key ID above:\n")
    click.echo(signer.public_pem().decode("ascii"), nl=False)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)

