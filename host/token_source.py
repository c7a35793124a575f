"""Which token a page gets: the EAS's own JWT when Tableau trusts the EAS, else one minted here."""

from __future__ import annotations

from flask import current_app, g

from host.eas import eas_token_for
from host.tokens import MintedToken, mint_direct_trust


def token_for_page(components: list[str]) -> MintedToken:
    """The viz token for the signed-in user: from the EAS when it is trusted, else minted here."""
    settings = current_app.config["EMBED_SETTINGS"]
    if g.get("eas_session") is not None and settings.eas.tokens_from_eas:
        return eas_token_for(components)
    return mint_direct_trust(settings, g.user, components)
