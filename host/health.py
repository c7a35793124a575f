"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz (the
state store answers too). Neither needs a session, and neither says more than ok or not."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from host.extension import current_host
from host.state import StateUnavailable

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """The process is up and serving requests."""
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> Any:
    """Ready for traffic: the state store (sessions, sign-ins, limits) answers."""
    try:
        current_host().state.ping()
    except StateUnavailable:
        return _no_store(jsonify(status="unavailable", store="unreachable")), 503
    return _no_store(jsonify(status="ok", store="ok"))


def _no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response
