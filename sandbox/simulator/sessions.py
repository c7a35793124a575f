"""Simulator sessions: what a successful sign-in creates and the content pages read.

A session belongs to one site and, when a connected app created it, to the embedding origin that
signed in and to the app's project scope ("Configure Connected Apps with Direct Trust": "Tableau
creates a session for the user. The session ... respects the embedding scopes defined in the JWT
[and] the restrictions specified in the connected app"). Sessions live in memory and expire.
"""

import secrets
from dataclasses import dataclass, field
from typing import Any

from .expiring import ExpiringMap

# The cookie real Tableau uses for its web session; HttpOnly, SameSite=Lax (see docs/simulator.md).
COOKIE_NAME = "workgroup_session_id"


@dataclass
class Session:
    id: str = field(repr=False)  # the cookie value: kept out of reprs and logs
    site_id: str
    user_name: str
    scopes: list[str]
    expires_at: float
    origin: str | None = None  # the embedding page's origin, for connected-app sessions
    client_id: str | None = None
    project_id: str | None = None  # None: all projects
    jti: str | None = None
    on_demand: bool = False
    trust: str | None = None  # tokens.DIRECT_TRUST, OAUTH_TRUST or UNIFIED_ACCESS_TOKEN; None: password
    attributes: dict[str, Any] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)

    def info(self) -> dict[str, Any]:
        """What the sign-in answers and the content page shows; never the token itself."""
        return {
            "siteId": self.site_id,
            "user": self.user_name,
            "scopes": self.scopes,
            "expiresAt": int(self.expires_at),
            "origin": self.origin,
            "onDemand": self.on_demand,
            "trust": self.trust,
            "attributes": self.attributes,
            "groups": self.groups,
        }


class SessionStore:
    """In-memory sessions keyed by an unguessable ID (the cookie value); expired ones are forgotten."""

    def __init__(self) -> None:
        self._sessions: ExpiringMap[str, Session] = ExpiringMap()

    def create(self, now: float, **fields: Any) -> Session:
        session = Session(id=secrets.token_urlsafe(32), **fields)
        self._sessions.put(session.id, session, session.expires_at, now)
        return session

    def get(self, session_id: str | None, now: float) -> Session | None:
        """The live session with this ID, or None."""
        return self._sessions.get(session_id or "", now)

    def delete(self, session_id: str | None) -> None:
        self._sessions.discard(session_id or "")

    def __len__(self) -> int:
        return len(self._sessions)
