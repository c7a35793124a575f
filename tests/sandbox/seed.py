"""The committed demo registry (sandbox/registry.json) as the tests' simulator, and tokens from its
connected app, so the tests check what the demo shows."""

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import jwt
from flask import Flask

from .helpers import NOW, make_app

SEED = Path(__file__).resolve().parents[2] / "sandbox" / "registry.json"
SEED_DATA: dict[str, Any] = json.loads(SEED.read_text())
SEED_SITE_ID: str = SEED_DATA["sites"][0]["id"]
_APP = SEED_DATA["sites"][0]["connectedApps"][0]
SEED_SECRET = "seed-secret-value-for-the-tests-only-0123456789"  # noqa: S105 (a test value)
GROUPS = "https://tableau.com/groups"
ALICE = {"sub": "alice@example.com", "Region": "West", GROUPS: ["Sales"]}  # config/sandbox_users.json
BOB = {"sub": "bob@example.com", "Region": "East", GROUPS: ["Finance", "Authors"]}
VIEW = ["tableau:views:embed"]
AUTHORING = ["tableau:views:embed_authoring", "tableau:views:embed"]


def seed_app(**site_changes: Any) -> Flask:
    """A simulator on the demo registry; `site_changes` replace keys of its one site."""
    data = copy.deepcopy(SEED_DATA)
    data["sites"][0].update(site_changes)
    return make_app(data, env={"SANDBOX_SECRET_VALUE": SEED_SECRET})


def seed_token(claims: dict[str, Any], *, scp: list[str] = VIEW, drop: tuple[str, ...] = ()) -> str:
    """A direct-trust token from the demo's connected app, as the host mints it for a user."""
    payload = {"iss": _APP["clientId"], "aud": "tableau", "exp": int(NOW) + 300, "jti": str(uuid.uuid4()),
               "scp": scp, **claims}
    for name in drop:
        payload.pop(name, None)
    headers = {"kid": _APP["secrets"][0]["id"], "iss": _APP["clientId"]}
    return jwt.encode(payload, SEED_SECRET, algorithm="HS256", headers=headers)
