"""What a unified access token must carry beyond a connected-app token, and what makes it one for a
given UAT configuration ("Unified access tokens", Tableau Cloud Manager; "Authentication and
Embedding").

Tableau documents no error codes for UATs: each finding carries the code the sandbox simulator
answers for it (docs/simulator-codes.md, "Unified access tokens"), so `flask tableau inspect
--trust uat`, the host's preflight and the simulator agree. The functions return
`(code, rule, message)` triples; jwt_rules.py turns them into Problems with the catalogue's fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tableau_rules import claims as rules

ALGORITHM = "RS256"  # UATs are RS256 only
DEFAULT_USERNAME_CLAIM = "email"
Finding = tuple[int, str, str]


@dataclass(frozen=True)
class UatExpected:
    """A UAT configuration as the host knows it (its UAT_* settings); None: not checked."""

    issuer: str | None = None
    key_ids: tuple[str, ...] = ()  # the kids of the keys the host publishes
    tenant_id: str | None = None
    site_id: str | None = None
    username_claim: str = DEFAULT_USERNAME_CLAIM
    scopes: tuple[str, ...] | None = None  # the scopes the configuration allows


def claim_findings(payload: dict[str, Any], username_claim: str) -> list[Finding]:
    """The tenant and the user: without them no configuration can take the token (10084)."""
    found: list[Finding] = []
    if not rules.is_nonempty_text(payload.get(rules.UAT_TENANT_CLAIM)):
        # The tenant says whom the token is for, as 'aud' does for a connected app: 10084.
        found.append((10084, "claims.tenant", f"a UAT needs '{rules.UAT_TENANT_CLAIM}' (the tenant ID)"))
    site = payload.get(rules.UAT_SITE_CLAIM)
    if site is not None and not rules.is_nonempty_text(site):
        found.append((10084, "claims.site", f"'{rules.UAT_SITE_CLAIM}' must be the site ID, a string"))
    if not rules.is_nonempty_text(payload.get(username_claim)):
        # As a missing 'sub' is for a connected app: the configured claim names the user.
        found.append((10084, "claims.username", f"the username claim '{username_claim}' is missing "
                      "(the UAT configuration names the user by it; default email)"))
    return found


def configured_findings(header: dict[str, Any], payload: dict[str, Any] | None,
                        expected: UatExpected) -> list[Finding]:
    """A token that this host's UAT configuration would refuse: issuer, key, tenant, site, scopes."""
    payload = payload or {}
    found: list[Finding] = []
    iss, kid = rules.issuer(header, payload), header.get("kid")
    if expected.issuer and iss is not None and iss != expected.issuer:
        # At the embed sign-in an issuer no configuration has is 10082 for a URL, else 10089.
        code = 10082 if str(iss).startswith(("https://", "http://")) else 10089
        found.append((code, "config.iss", f"'iss' {iss!r} is not this host's UAT issuer "
                                          f"(UAT_ISSUER {expected.issuer!r})"))
    if expected.key_ids and rules.is_nonempty_text(kid) and kid not in expected.key_ids:
        known = ", ".join(repr(k) for k in expected.key_ids)
        found.append((10085, "config.kid", f"'kid' {kid!r} is none of the keys this host publishes "
                                           f"({known})"))
    tenant = payload.get(rules.UAT_TENANT_CLAIM)
    if expected.tenant_id and rules.is_nonempty_text(tenant) and tenant != expected.tenant_id:
        found.append((10084, "config.tenant", f"'{rules.UAT_TENANT_CLAIM}' {tenant!r} is not "
                                              f"UAT_TENANT_ID {expected.tenant_id!r}"))
    site = payload.get(rules.UAT_SITE_CLAIM)
    if expected.site_id and rules.is_nonempty_text(site) and site != expected.site_id:
        found.append((10084, "config.site", f"'{rules.UAT_SITE_CLAIM}' {site!r} is not UAT_SITE_ID "
                                            f"{expected.site_id!r}"))
    scopes = payload.get("scp")
    if expected.scopes is not None and rules.is_scope_list(scopes):
        refused = refused_scopes(scopes, expected.scopes)
        if refused:
            found.append((10097, "config.scopes", f"'scp' names scopes UAT_SCOPES does not allow: "
                                                  f"{', '.join(refused)}"))
    return found


def refused_scopes(scopes: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """The scopes no allowed one covers: `tableau:<resource>:*` covers every action on the
    resource; a wildcard in the token is covered only by the same wildcard."""
    allowed = list(allowed)
    return [s for s in scopes if not any(_covers(a, s) for a in allowed)]


def _covers(allowed: str, scope: str) -> bool:
    if allowed.endswith(":*") and not scope.endswith(":*"):
        return scope.startswith(allowed[:-1])
    return scope == allowed
