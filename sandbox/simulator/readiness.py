"""`GET /_simulator/ready`: 200 once the simulator answers requests, for harnesses that start it.

No credential, never affected by the fault switch (a harness asks whether the process is up, not
whether a simulated outage is on), and never anything secret: the sites' IDs and content URLs only.
"""

from flask import Blueprint, Response, jsonify

from .state import current

bp = Blueprint("readiness", __name__)


@bp.get("/_simulator/ready")
def ready() -> Response:
    sites = [{"id": s.id, "contentUrl": s.content_url} for s in current().registry.sites]
    return jsonify({"ready": True, "sites": sites})
