"""OAuth scopes the demo EAS grants, and how they become the JWT's `scp` list.

The OAuth scopes are Tableau's own scope strings (Authentication and Embedding), so the mapping is the
identity, with one rule from Authentication and Embedding: a scope only one component needs pulls in that
component's other scopes (`tableau:views:embed_authoring` brings `tableau:views:embed`, since
<tableau-authoring-viz> needs both). `openid` asks for an ID token and never reaches `scp`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tableau_rules.scopes import COMPONENT_SCOPES

OPENID = "openid"

# Every embedding scope, once, in the order of tableau_rules.scopes (stable `scp` order).
TABLEAU_SCOPES: tuple[str, ...] = tuple(
    dict.fromkeys(scope for scopes in COMPONENT_SCOPES.values() for scope in scopes)
)
SUPPORTED_SCOPES: tuple[str, ...] = (OPENID, *TABLEAU_SCOPES)


def _sole_owner(scope: str) -> str | None:
    owners = [kind for kind, scopes in COMPONENT_SCOPES.items() if scope in scopes]
    return owners[0] if len(owners) == 1 else None


def tableau_scp(scopes: Iterable[str]) -> list[str]:
    """The `scp` list (Authentication and Embedding: a JSON list) for the requested scopes, completed per
    component."""
    wanted = {s for s in scopes if s in TABLEAU_SCOPES}
    for scope in list(wanted):
        owner = _sole_owner(scope)
        if owner:
            wanted.update(COMPONENT_SCOPES[owner])
    return [s for s in TABLEAU_SCOPES if s in wanted]


def split(scope: str | None) -> list[str]:
    """RFC 6749 §3.3: a space-delimited list."""
    return scope.split() if scope else []


def grant(requested: str | None, allowed: Iterable[str]) -> str | None:
    """The scope string granted for a request, or None (invalid_scope) when no Tableau scope is left.

    RFC 6749 §3.3 lets the server grant less than asked; a token without `scp` would be refused
    by Tableau (Troubleshoot Connected Apps, 10099), so such a request fails instead.
    """
    allowed = set(allowed)
    asked = [s for s in split(requested) if s in allowed]
    scp = [s for s in tableau_scp(asked) if s in allowed]
    if not scp:
        return None
    return " ".join(([OPENID] if OPENID in asked else []) + scp)
