"""Unified access tokens for the signed-in user (TRUST_MODE uat), checked before they leave."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from config import Settings, UatSettings
from host.embed.mint import VizToken
from host.embed.mint_uat import load_signer, mint_unified_access_token
from host.embed.signing import signing_now
from host.embed.uat_keys import key_ids
from host.embed.user_claims import user_claims
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules, Expected, preflight_parts, problem
from tableau_rules.scopes import scopes_for
from tableau_rules.uat_rules import UatExpected


def uat_expected(uat: UatSettings) -> Expected:
    """What a UAT for this host must name: its issuer, keys, tenant, site, username claim, scopes."""
    return Expected(uat=UatExpected(
        issuer=uat.issuer, key_ids=key_ids(uat), tenant_id=uat.tenant_id, site_id=uat.site_id,
        username_claim=uat.username_claim, scopes=uat.scopes))


def mint_uat_for_user(
    settings: Settings, user: User, components: Iterable[str] = (), *,
    scopes: Sequence[str] | None = None, clock: Callable[[], float] = time.time,
) -> VizToken:
    """A UAT for `user`, scoped to the page's components (or to `scopes`, e.g. for REST); raises
    BrokenRules when it would break a rule, a scope UAT_SCOPES does not allow included (10097)."""
    settings = signing_now(settings)  # the key in force now (SIGNING_SETTINGS_FILE, rotation)
    uat = settings.uat
    if uat is None:
        raise RuntimeError("unified access tokens are not configured (TRUST_MODE has no uat)")
    components = list(components)
    scp = list(scopes) if scopes is not None else scopes_for(components)
    now = int(clock())
    expected = uat_expected(uat)
    about = user_claims(settings, user)  # attributes, groups, on-demand access: as direct trust

    def preflight(header: Mapping[str, Any], claims: Mapping[str, Any], size: int) -> None:
        problems = preflight_parts(header, claims, components, size=size, now=now, trust="uat",
                                   expected=expected)
        if problems:
            raise BrokenRules(problems)

    try:
        minted = mint_unified_access_token(
            signer=load_signer(uat.signing_key), issuer=uat.issuer, tenant_id=uat.tenant_id,
            username=user.tableau_username, scopes=scp, username_claim=uat.username_claim,
            site_id=uat.site_id, lifetime_seconds=settings.token_lifetime_seconds,
            extra_claims=about.extra_claims(), groups=about.groups, now=now, check=preflight,
        )
    except ValueError as exc:  # NaN or infinity in a user attribute: not JSON
        if isinstance(exc, BrokenRules):
            raise
        raise BrokenRules([problem(10084, "format.payload", "a claim is not JSON (NaN or "
                                   "infinity in a user attribute)")]) from exc
    return VizToken(token=minted.token, expires_at=minted.expires_at)
