"""The admin credential guarding the simulator's admin API (create_app's `admin_token`, by
default env SIMULATOR_ADMIN_TOKEN read once when the app is created).

The admin API changes trust configuration, so with no credential configured it is refused
altogether rather than left open.
"""

import hmac

from flask import Response, request

from . import rest_format
from .state import current

ENV = "SIMULATOR_ADMIN_TOKEN"


def require_admin() -> Response | None:
    """before_request hook: None when the bearer credential matches, else the refusal."""
    expected = current().admin_token or ""
    if not expected:
        return rest_format.error(403, "403000", "Admin API disabled", f"set {ENV} to enable it")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.encode(), expected.encode()):
        response = rest_format.error(401, "401002", "Unauthorized Access", "admin bearer token required")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    return None
