"""Per-app simulator state: the registry and everything the requests change."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, request

from .allowlist import Origin, parse_origin
from .faults import Faults
from .model import Registry
from .replay import JtiStore
from .sessions import SessionStore

EXTENSION = "tableau_simulator"


@dataclass
class SimulatorState:
    registry: Registry
    public_url: str | None
    # The admin API's bearer credential, fixed at create_app(); None or empty: the API is refused.
    admin_token: str | None = field(default=None, repr=False)
    # Builds the registry as it was at start: what POST /_simulator/reset goes back to.
    reload: Callable[[], Registry] | None = None
    sessions: SessionStore = field(default_factory=SessionStore)
    jtis: JtiStore = field(default_factory=JtiStore)
    faults: Faults = field(default_factory=Faults)
    clock: Callable[[], float] = time.time  # tests move time forward by replacing this

    def reset(self) -> None:
        """Back to the start: the registry as loaded, no sessions, no used jti, no faults."""
        if self.reload is not None:
            self.registry = self.reload()
        self.sessions = SessionStore()
        self.jtis = JtiStore()
        self.faults = Faults()

    def session_cookie_mode(self) -> str:
        """The fault switch's cookie mode when set, else the registry's (model.COOKIE_MODES)."""
        return self.faults.session_cookie or self.registry.session_cookie

    def self_origin(self) -> Origin:
        """The simulator's own origin, for 'self' in allowlists and absolute URLs."""
        return parse_origin((self.public_url or request.host_url).rstrip("/"))


def current() -> SimulatorState:
    return current_app.extensions[EXTENSION]
