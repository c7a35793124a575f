"""Which token a page gets: the EAS's own JWT when Tableau trusts the EAS, else one minted here
(a unified access token with TRUST_MODE uat, else a direct-trust JWT)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import g

from config import Settings
from host.embed.mint import VizToken, mint_direct_trust_jwt
from host.embed.signing import signing_now
from host.embed.uat_token import mint_uat_for_user
from host.embed.user_claims import user_claims
from host.extension import current_host
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules, preflight_parts, problem
from tableau_rules.scopes import scopes_for

# Which trust makes the signed-in user's viz tokens (the token panel names it).
DIRECT_TRUST = "direct"  # minted here, HS256 with the connected app's secret
EAS_TRUST = "eas"  # the EAS's own RS256 JWT (OAuth 2.0 trust)
UAT_TRUST = "uat"  # minted here, RS256 with the host's own key (unified access token)


def page_trust() -> str:
    """EAS_TRUST only for a user who signed in there, with TRUST_MODE eas; else the host's own:
    UAT_TRUST with TRUST_MODE uat, DIRECT_TRUST otherwise."""
    sign_in = g.get("sign_in")
    eas_signed_in = sign_in is not None and sign_in.eas is not None
    if eas_signed_in and current_host().eas_tokens is not None:
        return EAS_TRUST
    return UAT_TRUST if current_host().settings.uat is not None else DIRECT_TRUST


def token_for_page(components: list[str]) -> VizToken:
    """The viz token for the signed-in user: from the EAS when it is trusted, else minted here."""
    host = current_host()
    if page_trust() == EAS_TRUST:
        return host.eas_tokens(components)  # only with TRUST_MODE eas
    return own_token_for_user(host.settings, g.user, components)


def own_token_for_user(
    settings: Settings, user: User, components: Iterable[str], clock: Callable[[], float] = time.time
) -> VizToken:
    """The token this host signs itself: a UAT when TRUST_MODE has uat, else direct trust."""
    if settings.uat is not None:
        return mint_uat_for_user(settings, user, components, clock=clock)
    return mint_for_user(settings, user, components, clock)


def mint_for_user(
    settings: Settings, user: User, components: Iterable[str], clock: Callable[[], float] = time.time
) -> VizToken:
    """A direct-trust JWT for `user`, scoped to the components on the page; raises BrokenRules.

    The subject is always the signed-in user, never the request's.
    """
    settings = signing_now(settings)  # the secret in force now (SIGNING_SETTINGS_FILE, rotation)
    if settings.direct is None:
        raise RuntimeError("direct trust is not configured (TRUST_MODE has no direct)")
    app = settings.direct
    components = list(components)  # read twice below: scopes, then the preflight
    scopes = scopes_for(components)  # UnknownComponent for a kind that is not viz/authoring/pulse
    now = int(clock())
    about = user_claims(settings, user)  # attributes, groups, on-demand access

    def preflight(header: Mapping[str, Any], claims: Mapping[str, Any], size: int) -> None:
        # Never hand out a token Tableau would refuse (e.g. 10103, over 8000 bytes), checked on
        # what is about to be signed; BrokenRules names each code and rule, never the token.
        problems = preflight_parts(header, claims, components, size=size, now=now)
        if problems:
            raise BrokenRules(problems)

    try:
        return mint_direct_trust_jwt(
            client_id=app.client_id, secret_id=app.signing_secret.id,
            secret_value=app.signing_secret.value, username=user.tableau_username,
            scopes=scopes, lifetime_seconds=settings.token_lifetime_seconds,
            extra_claims=about.extra_claims(), groups=about.groups, now=now, check=preflight,
        )
    except ValueError as exc:  # json refuses NaN or infinity in a claim: not a JWT Tableau reads
        if isinstance(exc, BrokenRules):
            raise
        raise BrokenRules([problem(10084, "format.payload", "a claim is not JSON (NaN or "
                                   "infinity in a user attribute)")]) from exc
