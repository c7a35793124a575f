"""What one EAS app holds: settings, keys, storage, users and the Authlib server."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app

from .keys import KeyStore
from .settings import EasSettings
from .storage import Store
from .users import UserDirectory

if TYPE_CHECKING:
    from .server import EasAuthorizationServer

EXTENSION = "eas"


@dataclass
class EasState:
    settings: EasSettings
    keys: KeyStore
    store: Store
    users: UserDirectory
    admin_token: str | None = field(default=None, repr=False)  # the admin API's (admin.py)
    server: EasAuthorizationServer = field(init=False, repr=False)


def current() -> EasState:
    return current_app.extensions[EXTENSION]
