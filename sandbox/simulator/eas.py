"""OAuth 2.0 trust: tokens signed by a registered external authorization server (001, 002).

An EAS is registered server-wide (`authorizationServers` at the registry's top level; tokens carry
`aud: "tableau"`) or on a site (`sites[].authorizationServers`; `aud` is the site ID, 002). Its keys
come from a pinned `jwks` in the registry or from the issuer's metadata
(`<issuer>/.well-known/openid-configuration` -> `jwks_uri`), fetched on each sign-in.
"""

from typing import Any

import jwt
import requests

from tableau_rules import claims

from .codes import SignInError
from .model import AuthorizationServer, Registry, Site

_TIMEOUT_SECONDS = 3
_METADATA_PATH = "/.well-known/openid-configuration"


def looks_like_issuer_url(issuer: str) -> bool:
    """EAS issuers are URLs (001, "Issuer URL"); connected-app client IDs are not."""
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
    algorithm = header["alg"]
    if algorithm in registry.blocklisted_algorithms or algorithm not in claims.ASYMMETRIC_ALGORITHMS:
        # 001: 10087 BLOCKLISTED_JWS_ALGORITHM_USED_TO_SIGN (blocklisted_jws_algorithms setting);
        # an EAS signs with an asymmetric key, so a shared-secret algorithm is refused the same way.
        raise SignInError(10087, f"{algorithm} is not accepted from an authorization server")
    key = _key(server, header["kid"], algorithm)
    if isinstance(key, jwt.algorithms.RSAPublicKey) and key.key_size < claims.MIN_RSA_KEY_BITS:
        raise SignInError(10088, f"the RSA key is under {claims.MIN_RSA_KEY_BITS} bits")  # 001: 10088
    try:
        return jwt.PyJWS().decode(token, key=key, algorithms=[algorithm])
    except jwt.InvalidSignatureError as exc:
        # No key of the issuer verifies the token: "JWT could not find keys" (001: 10085).
        raise SignInError(10085, "no key of the authorization server verifies the signature") from exc
    except jwt.InvalidTokenError as exc:  # e.g. a signature segment that is not base64url
        raise SignInError(10084, "the token is not a well-formed JWT") from exc


def _key(server: AuthorizationServer, kid: str, algorithm: str) -> Any:
    keys = _jwks(server).get("keys")
    found = next((k for k in keys if isinstance(k, dict) and k.get("kid") == kid), None) \
        if isinstance(keys, list) else None
    if found is None:
        raise SignInError(10085, "the issuer's key set has no key with the token's 'kid'")  # 001
    try:
        return jwt.PyJWK(found, algorithm=algorithm).key
    except jwt.PyJWKError as exc:
        raise SignInError(10085, "the key with the token's 'kid' cannot verify this algorithm") from exc


def _jwks(server: AuthorizationServer) -> dict[str, Any]:
    if server.jwks is not None:
        return server.jwks
    try:
        metadata = _get_json(server.issuer.rstrip("/") + _METADATA_PATH)
        return _get_json(str(metadata["jwks_uri"]))
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        # 001: 10081 COULD_NOT_RETRIEVE_IDP_METADATA "verify the EAS is configured correctly".
        raise SignInError(10081, "the authorization server's metadata or keys cannot be fetched") from exc


def _get_json(url: str) -> dict[str, Any]:
    response = requests.get(url, timeout=_TIMEOUT_SECONDS)
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data
