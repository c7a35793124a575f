"""The benchmarks' only imports from the project: when a module moves, one line here changes.

Everything else in bench/ talks to the host over HTTP (gunicorn 'app:create_app()') or takes what
it needs from here.
"""

from __future__ import annotations

from app import create_app
from config import Settings, load_settings
from host.embed.viz_token import mint_for_user
from host.extension import current_host_of
from host.signin import sessions
from host.signin.users import User, UserDirectory
from sandbox.servers import REGISTRY, Sandbox, host_environment, start_sandbox

__all__ = [
    "APP_SPEC", "REGISTRY", "Sandbox", "Settings", "User", "UserDirectory", "create_app",
    "current_host_of", "host_environment", "load_settings", "mint_for_user", "sessions",
    "start_sandbox",
]

# The factory as gunicorn names it; keep in step with `create_app` above.
APP_SPEC = "app:create_app()"
