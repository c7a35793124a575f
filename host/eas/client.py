"""The EAS client: Authlib's OAuth registration, the token verifier, and the app wiring.

The EAS's tokens stay on the server (host/signin/sessions.py), never in the cookie. With TRUST_MODE
eas the EAS's JWT is the viz token (host/eas/tokens.py hands it out and renews it). With TRUST_MODE
direct the EAS only proves who the user is, and the host signs its own token for them
(docs/idp-guide.md, "fallback").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.flask_client import OAuth
from flask import Flask

from config import EasSettings
from host.eas.verify import EasTokenVerifier, EasUnavailable
from host.extension import current_host, current_host_of
from host.state import AuthlibCache
from tableau_rules.claims import ASYMMETRIC_ALGORITHMS, MIN_RSA_KEY_BITS
from tableau_rules.jwt_rules import check_token

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 10


@dataclass
class EasClient:
    """What the EAS routes and token supply share: the settings, Authlib's client, the verifier."""

    settings: EasSettings
    oauth_client: Any  # Authlib's FlaskOAuth2App
    verifier: EasTokenVerifier

    def metadata(self) -> dict[str, Any]:
        try:
            return self.oauth_client.load_server_metadata()
        except (requests.RequestException, ValueError) as exc:
            raise EasUnavailable(f"cannot read the EAS metadata: {exc.__class__.__name__}") from exc

    def end_session_url(self, id_token: str | None) -> str | None:
        """OpenID Connect RP-Initiated Logout 1.0: the EAS's end_session_endpoint with the ID token
        as hint, our client ID and where to come back. None when the EAS offers no such endpoint,
        is unreachable, or keeps it on another origin than its issuer's (the page's CSP form-action
        allows the issuer's origin only)."""
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except EasUnavailable:
            log.warning("EAS unreachable at sign-out: its session stays")
            return None
        if not isinstance(endpoint, str) or origin_of(endpoint) != origin_of(self.settings.issuer):
            return None
        params = [("client_id", self.settings.client_id)]
        if id_token:
            params.append(("id_token_hint", id_token))
        if self.settings.post_logout_redirect_uri:
            params.append(("post_logout_redirect_uri", self.settings.post_logout_redirect_uri))
        return add_params_to_uri(endpoint, params)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def eas_client() -> EasClient:
    client = current_host().eas
    if not isinstance(client, EasClient):  # routes exist only with an EAS: a wiring bug
        raise RuntimeError("no EAS is configured")
    return client


def make_client(app: Flask, eas: EasSettings) -> EasClient:
    """Register the EAS with Authlib (PKCE S256, the configured scopes) and build its verifier."""
    # Pending sign-ins (state, nonce, PKCE verifier) in the shared store: the callback may reach
    # another worker or machine, and each state is taken once, atomically.
    # A sign-in at the EAS must finish within EAS_SIGN_IN_MINUTES. With EAS_SIGN_IN_LIMIT_PER_CLIENT
    # this bounds the pending sign-ins one client can leave behind; no global cap one client could fill.
    host = current_host_of(app)
    pending_seconds = host.settings.limits.pending_sign_in_seconds
    oauth = OAuth(app, cache=AuthlibCache(host.state, max_ttl_seconds=pending_seconds))
    oauth.register(
        "eas",
        client_id=eas.client_id,
        client_secret=eas.client_secret,
        server_metadata_url=eas.metadata_url,
        client_kwargs={"scope": eas.scopes, "code_challenge_method": "S256", "timeout": HTTP_TIMEOUT},
    )
    oauth_client = oauth.create_client("eas")
    oauth_client.framework.expires_in = pending_seconds
    client = EasClient(eas, oauth_client, verifier=None)  # type: ignore[arg-type]
    client.verifier = make_verifier(eas, lambda: client.metadata()["jwks_uri"], _get_json)
    return client


def make_verifier(eas: EasSettings, jwks_uri: Callable[[], str],
                  fetch_json: Callable[[str], dict[str, Any]]) -> EasTokenVerifier:
    """The portable verifier, set up with this host's settings and Tableau's documented rules."""
    return EasTokenVerifier(
        issuer=eas.issuer, audience=eas.audience, jwks_uri=jwks_uri, fetch_json=fetch_json,
        algorithms=ASYMMETRIC_ALGORITHMS, min_rsa_bits=MIN_RSA_KEY_BITS, extra_check=_tableau_rules,
    )


def _tableau_rules(token: str, now: float) -> list[str]:
    """The documented rules Tableau applies on top of the signature (tableau_rules.jwt_rules)."""
    return [f"{p.message} ({p.code})" for p in check_token(token, trust="eas", now=now)]


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise EasUnavailable(f"cannot fetch {url}: {exc.__class__.__name__}") from exc
