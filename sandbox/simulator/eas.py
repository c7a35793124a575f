"""OAuth 2.0 trust: tokens signed by a registered external authorization server ("Register EAS to
Enable SSO for Embedded Content", "Configure Connected Apps with OAuth 2.0 Trust").

An EAS is registered server-wide (`authorizationServers` at the registry's top level; tokens carry
`aud: "tableau"`) or on a site (`sites[].authorizationServers`; `aud` is the site ID). Its keys
come from a pinned `jwks` in the registry or from the issuer's metadata
(`<issuer>/.well-known/openid-configuration` -> `jwks_uri`), fetched on each sign-in.
"""

from typing import Any

from tableau_rules import claims

from . import signing_keys
from .codes import SignInError
from .model import AuthorizationServer, Registry, Site

_METADATA_PATH = "/.well-known/openid-configuration"
_SIGNER = "the authorization server"


def looks_like_issuer_url(issuer: str) -> bool:
    """EAS issuers are URLs ("Issuer URL"); connected-app client IDs are not."""
    return issuer.startswith(("https://", "http://"))


def find(issuer: str, site: Site, registry: Registry) -> tuple[AuthorizationServer, str] | None:
    """The EAS registered for `issuer` and the audience its tokens must carry, site level first."""
    for server in site.authorization_servers:
        if server.issuer == issuer:
            return server, site.id
    for server in registry.authorization_servers:
        if server.issuer == issuer:
            return server, claims.AUDIENCE
    return None


def verify(token: str, header: dict[str, Any], server: AuthorizationServer, registry: Registry) -> bytes:
    """The verified payload bytes of an EAS-signed token, or the documented code."""
    # 10087 BLOCKLISTED_JWS_ALGORITHM_USED_TO_SIGN (the blocklisted_jws_algorithms setting); an
    # EAS signs with an asymmetric key, so a shared-secret algorithm is refused the same way.
    allowed = [a for a in claims.ASYMMETRIC_ALGORITHMS if a not in registry.blocklisted_algorithms]
    return signing_keys.verify(token, header, lambda: _jwks(server), allowed, _SIGNER)


def _jwks(server: AuthorizationServer) -> dict[str, Any]:
    if server.jwks is not None:
        return server.jwks
    metadata = signing_keys.fetch_key_set(server.issuer.rstrip("/") + _METADATA_PATH, _SIGNER)
    jwks_uri = metadata.get("jwks_uri")
    if not isinstance(jwks_uri, str):
        # 10081 COULD_NOT_RETRIEVE_IDP_METADATA "verify the EAS is configured correctly".
        raise SignInError(10081, "the authorization server's metadata names no jwks_uri")
    return signing_keys.fetch_key_set(jwks_uri, _SIGNER)
