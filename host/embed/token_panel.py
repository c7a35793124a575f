"""What the server tells the token panel (TOKEN_PANEL): which trust signed the page's token and the
scopes each component on the page needs.

The token itself is decoded in the browser (static/js/token-panel.js) from the token the page
already carries; nothing here puts any part of it on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from host.embed.viz_token import DIRECT_TRUST, EAS_TRUST, UAT_TRUST
from host.extension import current_host
from tableau_rules.scopes import COMPONENT_SCOPES, COMPONENT_TAGS


@dataclass(frozen=True)
class Trust:
    """How Tableau trusts a token, in words, and the Tableau page that documents it."""

    name: str
    algorithm: str
    signer: str
    page: str


TRUSTS = {
    DIRECT_TRUST: Trust(
        name="Direct trust", algorithm="HS256",
        signer="This host signed it with the connected app's secret; Tableau checks the signature "
               "with the same secret.",
        page="Configure Connected Apps with Direct Trust",
    ),
    EAS_TRUST: Trust(
        name="OAuth 2.0 trust (EAS)", algorithm="RS256",
        signer="The External Authorization Server signed it with its private key when you signed "
               "in there; this host checked it and passed it on, and Tableau checks it against "
               "the EAS's published keys.",
        page="Configure Connected Apps with OAuth 2.0 Trust",
    ),
    UAT_TRUST: Trust(
        name="Unified access token", algorithm="RS256",
        signer="This host signed it with its own private key; Tableau checks it against the "
               "public keys the host publishes at /.well-known/jwks.json.",
        page="Unified Access Tokens",
    ),
}


@dataclass(frozen=True)
class ComponentScopes:
    tag: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class TokenPanel:
    trust: Trust
    components: tuple[ComponentScopes, ...]


def token_panel(components: list[str], trust: str) -> TokenPanel | None:
    """The panel for a page with these component kinds, or None when TOKEN_PANEL is off."""
    if not current_host().settings.token_panel:
        return None
    rows = tuple(ComponentScopes(COMPONENT_TAGS[kind], COMPONENT_SCOPES[kind])
                 for kind in components)
    return TokenPanel(trust=TRUSTS[trust], components=rows)
