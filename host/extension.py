"""The host's one Flask extension: settings, users, views and stores, reached through current_host()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

from config import Settings
from host.embed.mint import VizToken
from host.embed.views_file import ViewsFile
from host.signin.store import ServerStore
from host.signin.users import UserDirectory

if TYPE_CHECKING:  # the EAS package is imported only when an EAS is configured
    from host.eas.client import EasClient

EXTENSION = "embedding_host"
csrf = CSRFProtect()


@dataclass
class HostContext:
    """Everything the host's views read besides the request: one typed object per app."""

    settings: Settings
    users: UserDirectory
    views: ViewsFile
    sessions: ServerStore
    # Both set by host.eas.install, only when an EAS is configured:
    eas: EasClient | None = None
    eas_tokens: Callable[[list[str]], VizToken] | None = None  # hands out the EAS's JWT


def init_app(app: Flask, context: HostContext) -> None:
    """Attach the context (the init_app pattern of Flask extensions) and CSRF protection."""
    app.extensions[EXTENSION] = context
    csrf.init_app(app)


def current_host_of(app: Flask) -> HostContext:
    return app.extensions[EXTENSION]


def current_host() -> HostContext:
    return current_host_of(current_app)
