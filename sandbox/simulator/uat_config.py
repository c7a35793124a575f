"""A site's unified access token configuration as JSON: read (registry and admin API) and written.

```json
{"enabled": true, "issuer": "https://host.example", "tenantId": "…", "siteId": "…" (optional),
 "usernameClaim": "email", "scopes": ["tableau:views:embed", …] (optional: any),
 "jwksUri": "https://host.example/.well-known/jwks.json"  |  "jwks": {"keys": […]}
 |  "publicKey": "-----BEGIN PUBLIC KEY-----…", "keyId": "…"}
```

Exactly one key source. Every problem raises InvalidUatConfig naming the field.
"""

from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from tableau_rules import claims

from .model import UnifiedAccessTokenConfig

_KEY_SOURCES = ("jwksUri", "jwks", "publicKey")
# Claims with a meaning of their own cannot name the user; 'sub' can (it is what connected apps use).
_NOT_USERNAME = claims.RESERVED_CLAIMS - {"sub"}


class InvalidUatConfig(ValueError):
    """The configuration cannot be used; the message names the field."""


def parse(data: Any, site_id: str) -> UnifiedAccessTokenConfig:
    """The configuration for the site `site_id`, or InvalidUatConfig."""
    if not isinstance(data, dict):
        raise InvalidUatConfig("the unified access token configuration must be a JSON object")
    site = data.get("siteId")
    if site is not None and site != site_id:
        raise InvalidUatConfig(f"siteId {site!r} is not this site's ID ({site_id})")
    jwks_uri, jwks = _key_source(data)
    return UnifiedAccessTokenConfig(
        issuer=_text(data, "issuer"),
        tenant_id=_text(data, "tenantId"),
        enabled=_flag(data.get("enabled", True), "enabled"),
        jwks_uri=jwks_uri,
        jwks=jwks,
        scopes=_scopes(data.get("scopes")),
        site_id=site,
        username_claim=_username_claim(data.get("usernameClaim", "email")),
    )


def to_json(config: UnifiedAccessTokenConfig) -> dict[str, Any]:
    """The configuration as the admin API shows it (public keys only; nothing secret is held)."""
    shown: dict[str, Any] = {
        "enabled": config.enabled, "issuer": config.issuer, "tenantId": config.tenant_id,
        "siteId": config.site_id, "usernameClaim": config.username_claim, "scopes": config.scopes,
    }
    if config.jwks_uri is not None:
        shown["jwksUri"] = config.jwks_uri
    else:
        shown["jwks"] = config.jwks
    return shown


def _key_source(data: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    given = [name for name in _KEY_SOURCES if data.get(name) is not None]
    if len(given) != 1:
        raise InvalidUatConfig("give exactly one of jwksUri, jwks or publicKey (with keyId)")
    if given == ["jwksUri"]:
        uri = _text(data, "jwksUri")
        if not uri.startswith(("https://", "http://")):
            raise InvalidUatConfig("jwksUri must be an http(s) URL")
        return uri, None
    if given == ["jwks"]:
        return None, _jwks(data["jwks"])
    return None, {"keys": [_pem_as_jwk(_text(data, "publicKey"), _text(data, "keyId"))]}


def _jwks(value: Any) -> dict[str, Any]:
    keys = value.get("keys") if isinstance(value, dict) else None
    if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) for k in keys):
        raise InvalidUatConfig('jwks must be a key set {"keys": [<JWK>, …]} with at least one key')
    if not all(claims.is_nonempty_text(k.get("kid")) for k in keys):
        raise InvalidUatConfig("every key in jwks needs a 'kid' (the token's header names it)")
    return value


def _pem_as_jwk(pem: str, key_id: str) -> dict[str, Any]:
    try:
        key = load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise InvalidUatConfig("publicKey is not a PEM public key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidUatConfig("publicKey must be an RSA key (tokens are RS256)")
    return {**jwt.algorithms.RSAAlgorithm.to_jwk(key, as_dict=True), "kid": key_id, "use": "sig"}


def _scopes(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not claims.is_scope_list(value):
        raise InvalidUatConfig("scopes must be a list of scope names")
    return list(value)


def _username_claim(value: Any) -> str:
    if not claims.is_nonempty_text(value) or value in _NOT_USERNAME:
        taken = ", ".join(sorted(_NOT_USERNAME))
        raise InvalidUatConfig(f"usernameClaim must name a claim of its own (not one of {taken})")
    return value


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not claims.is_nonempty_text(value):
        raise InvalidUatConfig(f"{name} is required and must be a non-blank string")
    return value


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidUatConfig(f"{name} must be true or false")
    return value
