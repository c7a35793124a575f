"""What every sandbox rotation shares: the preconditions, numbered steps, the drain wait and the
signing settings file the host re-reads (SIGNING_SETTINGS_FILE)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from config import ConfigError, LabSettings, Settings, reload_signing
from config.signing_file import update_settings_file
from host.embed.signing import describe
from host.rotation.manual_steps import DRAIN_MARGIN_SECONDS
from host.rotation.sandbox_admin import SandboxAdmin


class RotationError(RuntimeError):
    """A rotation cannot start or go on; the message says why and what to do (never a secret)."""


@dataclass
class Rotation:
    """One sandbox rotation: the host's settings as the file holds them now, the simulator, output."""

    settings: Settings
    lab: LabSettings
    signing_file: Path
    out: Callable[[str], None]
    sleep: Callable[[float], None] = time.sleep
    steps: int = 4
    done: int = field(default=0, init=False)

    @property
    def admin(self) -> SandboxAdmin:
        return SandboxAdmin(self.settings.tableau_server_url, self.lab)

    def step(self, text: str) -> None:
        self.done += 1
        self.out(f"step {self.done}/{self.steps}: {text}")

    def write(self, changes: Mapping[str, str | None]) -> None:
        """Change the signing settings file; the host signs as it says from its next token."""
        update_settings_file(self.signing_file, changes)
        self.settings = reread(self.settings)
        self.out(f"  signing settings now: {describe(self.settings)} (the host's next token follows)")

    def drain(self, seconds: int | None, lifetime: int | None = None,
              lifetime_name: str = "TOKEN_LIFETIME_SECONDS") -> None:
        """Wait until no token signed the old way can be presented: `lifetime` (the host's
        TOKEN_LIFETIME_SECONDS unless told, e.g. the EAS's) plus a margin, or --drain-seconds."""
        if lifetime is None:
            lifetime = self.settings.token_lifetime_seconds
        if seconds is None:
            self.step(f"wait {lifetime + DRAIN_MARGIN_SECONDS} s ({lifetime_name} plus "
                      f"{DRAIN_MARGIN_SECONDS}): every token signed the old way expires")
            self.sleep(lifetime + DRAIN_MARGIN_SECONDS)
            return
        self.step(f"wait {seconds} s (--drain-seconds; a token signed the old way may live "
                  f"{lifetime} s, so a page holding one may fail to load)")
        self.sleep(seconds)


def sandbox_rotation(settings: Settings, out: Callable[[str], None],
                     sleep: Callable[[float], None] = time.sleep) -> Rotation | None:
    """A Rotation when these are the sandbox's settings with a signing file (the running demo's);
    None otherwise: then the steps are for a person to carry out."""
    if not settings.sandbox or settings.lab is None or settings.signing_file is None:
        return None
    return Rotation(reread(settings), settings.lab, settings.signing_file, out, sleep)


def reread(settings: Settings) -> Settings:
    """The settings with the signing file as it is now (RotationError when it is unusable)."""
    try:
        return reload_signing(settings)
    except ConfigError as exc:
        raise RotationError(f"the signing settings file cannot be used: {exc.message}") from exc

