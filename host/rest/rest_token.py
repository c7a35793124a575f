"""The JWT the host signs in to Tableau's REST API with: the signed-in user, only the REST scopes
the caller needs, the REST connected app's secret (TABLEAU_REST_SECRET_*, else the embedding one)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from config import Settings
from host.embed.mint import mint_direct_trust_jwt
from host.embed.user_claims import user_claims
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules, preflight_parts


def rest_jwt(settings: Settings, user: User, scopes: Sequence[str],
             clock: Callable[[], float] = time.time) -> str:
    """A direct-trust JWT for `user` with exactly `scopes`; raises BrokenRules as page tokens do.

    Attributes, groups and on-demand access go in as they do for the page's token: Tableau answers
    REST calls with the permissions of the user and of the groups the token asserts.
    """
    if settings.rest is None:
        raise RuntimeError("the REST sign-in is not configured")
    app, now = settings.rest, int(clock())
    about = user_claims(settings, user)  # as in the page's token: attributes, groups, on-demand

    def preflight(header: Mapping[str, Any], claims: Mapping[str, Any], size: int) -> None:
        # No web component: only the rules every connected-app token must follow.
        problems = preflight_parts(header, claims, (), size=size, now=now)
        if problems:
            raise BrokenRules(problems)

    return mint_direct_trust_jwt(
        client_id=app.client_id, secret_id=app.secret.id, secret_value=app.secret.value,
        username=user.tableau_username, scopes=scopes,
        lifetime_seconds=settings.token_lifetime_seconds,
        extra_claims=about.extra_claims(), groups=about.groups, now=now, check=preflight,
    ).token
