"""Which token a page gets: the EAS's own JWT when Tableau trusts the EAS, else one minted here."""

from __future__ import annotations

from flask import current_app, g

from host.eas_tokens import eas_token_for
from host.tokens import MintedToken, mint_direct_trust


def token_for_page(components: list[str]) -> MintedToken:
    """The viz token for the signed-in user: from the EAS when it is trusted, else minted here."""
    sign_in = g.get("sign_in")
    if sign_in is not None and sign_in.eas is not None:  # only set with TRUST_MODE eas
        return eas_token_for(components)
    return mint_direct_trust(current_app.config["EMBED_SETTINGS"], g.user, components)
