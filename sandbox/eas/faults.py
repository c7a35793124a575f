"""A fault switch for tests and demos: app.config["EAS_DOWN"] = True makes every endpoint but the
admin API answer 503, so the host's "EAS unavailable" path (and Tableau's 10081) can be shown
without killing it."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request

from .admin import bp as admin_bp

DOWN = "EAS_DOWN"


def install(app: Flask) -> None:
    app.config.setdefault(DOWN, False)
    app.before_request(_maybe_down)


def _maybe_down() -> Response | None:
    if not current_app.config.get(DOWN) or request.blueprint == admin_bp.name:
        return None  # the admin API never is, as the simulator's: a key rotation under way goes on
    # RFC 6749 §4.1.2.1 names the condition "temporarily_unavailable".
    response = jsonify(error="temporarily_unavailable", error_description="The demo EAS is switched off.")
    response.status_code = 503
    response.headers["Retry-After"] = "30"
    return response
