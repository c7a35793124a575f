"""Unified access tokens: JWTs the integrator signs with its own RSA key, trusted through a site's
UAT configuration ("Unified access tokens", Tableau Cloud Manager; "Authentication and Embedding").

The token is RS256 with a header `kid`; `iss` is the configured issuer; the configured username
claim (default `email`) names the Tableau user; `https://tableau.com/tenantId` must be the
configured tenant and `https://tableau.com/siteId`, when present, the site's ID; every scope in
`scp` must be one the configuration allows. Tableau's troubleshooting page names no code for a
UAT misconfiguration: each is answered with the connected-app code closest to it
(docs/simulator-codes.md, "Unified access tokens").
"""

from typing import Any

from tableau_rules import claims

from . import signing_keys
from .codes import SignInError
from .model import Site, UnifiedAccessTokenConfig

ALGORITHM = "RS256"
_SIGNER = "the unified access token configuration"


def issued_for(issuer: str, site: Site) -> bool:
    """Whether `issuer` is the issuer of the site's UAT configuration."""
    config = site.unified_access_token
    return config is not None and config.issuer == issuer


def config_for(issuer: str, site: Site) -> UnifiedAccessTokenConfig:
    """The site's enabled configuration with this issuer, or the code for its absence."""
    config = site.unified_access_token
    if config is None or config.issuer != issuer:
        # 10082 "verify that the correct issuer is being called": the token's issuer is not one
        # this site was configured with (a UAT issuer, like an EAS issuer, is a URI).
        raise SignInError(10082, "no unified access token configuration on this site has the token's issuer")
    if not config.enabled:
        raise SignInError(10090, "the unified access token configuration is disabled")  # as 10090
    return config


def verify(token: str, header: dict[str, Any], config: UnifiedAccessTokenConfig) -> bytes:
    """The verified payload bytes: RS256 only, the key named by `kid` in the configured keys."""
    return signing_keys.verify(token, header, lambda: _key_set(config), (ALGORITHM,), _SIGNER)


def check_claims(payload: dict[str, Any], config: UnifiedAccessTokenConfig, site: Site) -> str:
    """The user name the token names, after its tenant and site are checked (10084)."""
    # The tenant and site claims say whom the token is for, as 'aud' does for a connected app:
    # a missing or different value is 10084 ("the 'aud' (Audience) value ..."), as for 'aud'.
    if payload.get(claims.UAT_TENANT_CLAIM) != config.tenant_id:
        raise SignInError(10084, f"'{claims.UAT_TENANT_CLAIM}' is missing or not the configured tenant")
    if claims.UAT_SITE_CLAIM in payload and payload[claims.UAT_SITE_CLAIM] != site.id:
        raise SignInError(10084, f"'{claims.UAT_SITE_CLAIM}' is not this site's ID")
    username = payload.get(config.username_claim)
    if not claims.is_nonempty_text(username):
        # As a missing 'sub' is for a connected app (10084): the configured claim names the user.
        raise SignInError(10084, f"the username claim '{config.username_claim}' is missing")
    return username


def check_scopes(scopes: list[str], config: UnifiedAccessTokenConfig) -> None:
    """Every scope in `scp` must be allowed by the configuration (10097, "Issues with scopes claim")."""
    if config.scopes is None:
        return
    refused = [s for s in scopes if not any(_allows(allowed, s) for allowed in config.scopes)]
    if refused:
        raise SignInError(10097, f"'scp' names scopes the configuration does not allow: {', '.join(refused)}")


def _allows(allowed: str, scope: str) -> bool:
    """A configured scope allows itself; `tableau:<resource>:*` allows every action on the resource.
    A wildcard in the token is allowed only by the same wildcard in the configuration."""
    if allowed.endswith(":*") and not scope.endswith(":*"):
        return scope.startswith(allowed[:-1])
    return scope == allowed


def _key_set(config: UnifiedAccessTokenConfig) -> dict[str, Any]:
    if config.jwks is not None:
        return config.jwks
    return signing_keys.fetch_key_set(str(config.jwks_uri), _SIGNER)
