"""The host's one Flask extension: settings, users, views and the state store, via current_host()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask, current_app

from config import EasSettings, Settings
from host.assets.files import Assets
from host.embed.mint import VizToken
from host.embed.page_shells import PageShells
from host.embed.views_file import ViewsFile
from host.rate_limits import RateLimits
from host.signin.users import UserDirectory
from host.state import StateStore

if TYPE_CHECKING:  # host.csrf reads its tables through current_host()
    from host.csrf import CsrfTokens

EXTENSION = "embedding_host"


class EasPlugin(Protocol):
    """What the host core knows of the EAS client (host/eas/client.py, imported only when configured)."""

    settings: EasSettings

    def metadata(self) -> dict[str, Any]: ...

    def end_session_url(self, id_token: str | None) -> str | None:
        """Where to send the browser to sign out at the EAS too; None when it offers no way."""
        ...


@dataclass
class HostContext:
    """Everything the host's views read besides the request: one typed object per app."""

    settings: Settings
    users: UserDirectory
    views: ViewsFile
    state: StateStore  # sessions, pending sign-ins, locks: shared by every worker and machine
    rate_limits: RateLimits
    # Both set by host.eas.install, only when an EAS is configured:
    eas: EasPlugin | None = None
    eas_tokens: Callable[[list[str]], VizToken] | None = None  # hands out the EAS's JWT
    # Filled in by the parts that use them, each in its own install:
    assets: Assets | None = None  # host.assets.build: the static files at versioned URLs
    csrf_tokens: CsrfTokens | None = None  # host.csrf: each session's token signed once
    rest_site: str | None = None  # host.rest.routes: the site "My content" lists ("": default)
    page_shells: PageShells = field(default_factory=PageShells)  # embed pages rendered once


def init_app(app: Flask, context: HostContext) -> None:
    """Attach the context (the init_app pattern of Flask extensions)."""
    app.extensions[EXTENSION] = context


def current_host_of(app: Flask) -> HostContext:
    return app.extensions[EXTENSION]


def current_host() -> HostContext:
    return current_host_of(current_app)
