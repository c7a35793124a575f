"""The JWT the host signs in to Tableau's REST API with: the signed-in user, only the REST scopes
the caller needs, signed as the page's tokens are (a unified access token with TRUST_MODE uat, else
the connected app's secret in force, rotation included), or with TABLEAU_REST_SECRET_* when set."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from config import Secret, Settings
from host.embed.mint import mint_direct_trust_jwt
from host.embed.signing import signing_now
from host.embed.uat_token import mint_uat_for_user
from host.embed.user_claims import user_claims
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules, preflight_parts


@dataclass(frozen=True)
class RestJwt:
    token: str
    is_uat: bool  # sign in with isUat (REST API "Authentication concepts")

    def __repr__(self) -> str:  # never show the token in logs or tracebacks
        return f"RestJwt(is_uat={self.is_uat}, token=<hidden>)"


def rest_jwt(settings: Settings, user: User, scopes: Sequence[str],
             clock: Callable[[], float] = time.time) -> RestJwt:
    """A JWT for `user` with exactly `scopes`; raises BrokenRules as page tokens do. Without REST
    settings of its own (no "My content" page: `flask tableau doctor --views`), signed as the pages.

    Attributes, groups and on-demand access go in as they do for the page's token: Tableau answers
    REST calls with the permissions of the user and of the groups the token asserts.
    """
    rest = settings.rest
    if rest is not None and rest.client_id is not None and rest.secret is not None:
        return RestJwt(_direct(settings, user, scopes, rest.client_id, rest.secret, clock), is_uat=False)
    if settings.uat is not None:  # the UAT configuration must allow these scopes (else 10097)
        return RestJwt(mint_uat_for_user(settings, user, scopes=scopes, clock=clock).token, is_uat=True)
    direct = signing_now(settings).direct  # the secret in force now (SIGNING_SETTINGS_FILE, rotation)
    if direct is None:
        raise RuntimeError("no connected app or UAT key signs the REST sign-in")
    return RestJwt(_direct(settings, user, scopes, direct.client_id, direct.signing_secret, clock),
                   is_uat=False)


def _direct(settings: Settings, user: User, scopes: Sequence[str], client_id: str, secret: Secret,
            clock: Callable[[], float]) -> str:
    now = int(clock())
    about = user_claims(settings, user)

    def preflight(header: Mapping[str, Any], claims: Mapping[str, Any], size: int) -> None:
        # No web component: only the rules every connected-app token must follow.
        problems = preflight_parts(header, claims, (), size=size, now=now)
        if problems:
            raise BrokenRules(problems)

    return mint_direct_trust_jwt(
        client_id=client_id, secret_id=secret.id, secret_value=secret.value,
        username=user.tableau_username, scopes=scopes, lifetime_seconds=settings.token_lifetime_seconds,
        extra_claims=about.extra_claims(), groups=about.groups, now=now, check=preflight,
    ).token
