"""Validation of connected-app JWTs, in the documented order (docs/simulator-codes.md).

`validate()` answers who the token is for, or raises SignInError with the code Tableau documents
for the first problem found. Direct trust is verified here; a token whose issuer is a registered
authorization server goes to `eas.py` (OAuth 2.0 trust), one whose issuer is the site's unified
access token issuer to `uat.py`.

Codes, and the quotes in the comments, are from "Troubleshoot Connected Apps" unless a comment
names another page; the direct-trust rules are from "Configure Connected Apps with Direct Trust".
"""

from dataclasses import dataclass, field
from typing import Any

import jwt

from tableau_rules import claims

from . import eas, uat
from .codes import SignInError
from .model import ConnectedApp, Registry, Site, UnifiedAccessTokenConfig

# Trusts a token may come from (TrustedToken.trust, the session info's "trust").
DIRECT_TRUST = "direct-trust"
OAUTH_TRUST = "oauth-trust"
UNIFIED_ACCESS_TOKEN = "uat"  # noqa: S105 (a trust's name, not a credential)

# Which trusts a sign-in accepts: the embed sign-in any, chosen by the token's issuer; the REST
# sign-in connected apps only, or unified access tokens only when it says "isUat": true.
ANY_TRUST = "any"
CONNECTED_APPS = "connected-apps"
UAT_ONLY = "uat-only"


@dataclass
class TrustedToken:
    """A token whose signature and claims passed; what a session is made from."""

    issuer: str
    client_id: str | None  # None for EAS and UAT tokens: the site's embedding settings apply
    subject: str
    jti: str
    expires_at: float
    scopes: list[str]
    on_demand: bool
    trust: str = DIRECT_TRUST
    attributes: dict[str, Any] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)


@dataclass
class _Verified:
    """A token whose signature verified, with the user it names and the trust that vouched for it."""

    payload: dict[str, Any]
    subject: str
    subject_claim: str
    trust: str
    client_id: str | None = None
    uat: UnifiedAccessTokenConfig | None = None


def validate(
    token: str, site: Site, registry: Registry, now: float, *, accept: str = ANY_TRUST,
) -> TrustedToken:
    """Check `token` for `site`; raises SignInError (Troubleshoot Connected Apps) for the first
    failed rule. `accept` is ANY_TRUST, CONNECTED_APPS or UAT_ONLY."""
    header = _header(token)
    issuer = _issuer(token, header)
    verified = _verify(token, header, issuer, site, registry, accept)
    payload = verified.payload
    _check_times_and_jti(payload)
    _check_lifetime(payload, registry, now)
    scopes = _scopes(payload)
    if verified.uat is not None:
        uat.check_scopes(scopes, verified.uat)
    on_demand = _check_user(verified.subject, payload, site, registry)
    return TrustedToken(
        issuer=issuer,
        client_id=verified.client_id,
        subject=verified.subject,
        jti=payload["jti"],
        expires_at=float(payload["exp"]),
        scopes=scopes,
        on_demand=on_demand,
        trust=verified.trust,
        attributes=_attributes(payload, verified.subject_claim) if site.attribute_capture_enabled else {},
        # An on-demand user exists only through the groups its token names, so they always count.
        groups=_groups(payload) if site.group_assertions_enabled or on_demand else [],
    )


def _verify(token: str, header: dict[str, Any], issuer: str, site: Site, registry: Registry,
            accept: str) -> _Verified:
    """Find who vouches for `issuer` (connected app, EAS, UAT configuration) and verify with it."""
    if accept != UAT_ONLY:
        app = site.app(issuer)
        if app is not None:
            payload = _verify_direct_trust(token, header, app)
            subject = _audience_and_subject(payload, claims.AUDIENCE)
            return _Verified(payload, subject, "sub", DIRECT_TRUST, client_id=app.client_id)
        found = eas.find(issuer, site, registry)
        if found is not None:
            server, audience = found
            payload = _json_object(eas.verify(token, header, server, registry))
            return _Verified(payload, _audience_and_subject(payload, audience), "sub", OAUTH_TRUST)
    if accept == UAT_ONLY or (accept == ANY_TRUST and uat.issued_for(issuer, site)):
        config = uat.config_for(issuer, site)
        payload = _json_object(uat.verify(token, header, config))
        subject = uat.check_claims(payload, config, site)
        return _Verified(payload, subject, config.username_claim, UNIFIED_ACCESS_TOKEN, uat=config)
    raise _unknown_issuer(issuer, site)


def _unknown_issuer(issuer: str, site: Site) -> SignInError:
    if uat.issued_for(issuer, site):
        # The REST sign-in reads a unified access token only when the request says "isUat": true.
        return SignInError(10082, "the token's issuer is a unified access token issuer: sign in with isUat")
    if eas.looks_like_issuer_url(issuer):
        # "Register EAS to Enable SSO for Embedded Content": 10082 "Missing issuer ... verify that
        # the correct issuer is being called".
        return SignInError(10082, "no authorization server is registered with the token's issuer")
    # 10089 "ensure the issuer is calling the correct connected app ID".
    return SignInError(10089, "no connected app on this site has the token's issuer")


def _header(token: str) -> dict[str, Any]:
    # 10103 "JWT size exceeds 8000 bytes" - checked before any parsing.
    if len(token.encode()) > claims.MAX_TOKEN_BYTES:
        raise SignInError(10103, f"the JWT is over {claims.MAX_TOKEN_BYTES} bytes")
    segments = token.split(".")
    if len(segments) == 5:
        raise SignInError(10098, "the token is a JWE (encrypted)")
    if len(segments) != 3:
        raise SignInError(10084, "the token is not a well-formed JWT")
    header = _segment(segments[0], "header")
    if claims.uses_jws_extensions(header):
        raise SignInError(10084, "the JWT header uses 'crit' or 'b64'")  # RFC 7515, 7797
    if str(header.get("alg", "none")).lower() == "none" or not segments[-1]:
        raise SignInError(10098, "the token is unsigned")  # JWT_UNSIGNED_OR_ENCRYPTED
    return header


def _issuer(token: str, header: dict[str, Any]) -> str:
    # 10083 "'kid' (Secret ID) or 'clientId' (Issuer) ... missing from the JWT header"; "Configure
    # Connected Apps with Direct Trust" also allows 'iss' "in header or as a claim", so the claim is
    # read when the header lacks it.
    # A blank or non-string 'kid' names no secret: the header's issue too, as in jwt_rules.
    issuer = claims.issuer(header, None) or claims.issuer(header, _segment(token.split(".")[1], "claims"))
    if not claims.is_nonempty_text(header.get("kid")) or issuer is None:
        raise SignInError(10083, "the JWT header needs 'kid' and 'iss' (the client ID)")
    return issuer


def _segment(segment: str, part: str) -> dict[str, Any]:
    """A header or claims segment, read strictly as jwt_rules reads it (10084)."""
    try:
        return claims.decode_segment(segment)
    except ValueError as exc:
        raise SignInError(10084, f"the JWT {part} is not base64url JSON") from exc


def _verify_direct_trust(token: str, header: dict[str, Any], app: ConnectedApp) -> dict[str, Any]:
    if not app.enabled:
        raise SignInError(10090, "the connected app is disabled")
    if header["alg"] != claims.DIRECT_TRUST_ALGORITHM:
        # "Configure Connected Apps with Direct Trust": "Only HS256 is supported"; 10087 is the code
        # about the signing algorithm.
        raise SignInError(10087, f"direct trust accepts only {claims.DIRECT_TRUST_ALGORITHM}")
    secret = app.secret(header["kid"])
    if secret is None:
        # 10085 "Could not find the secret ... verify the correct 'kid' (Secret ID)".
        raise SignInError(10085, "the connected app has no secret with the token's 'kid'")
    try:
        raw = jwt.PyJWS().decode(token, key=secret.value, algorithms=[claims.DIRECT_TRUST_ALGORITHM])
    except jwt.InvalidSignatureError as exc:
        # 127 "verify the correct connected app's secret ID and secret value".
        raise SignInError(127, "the signature does not match the secret named by 'kid'") from exc
    except jwt.InvalidTokenError as exc:  # e.g. a signature segment that is not base64url
        raise SignInError(10084, "the token is not a well-formed JWT") from exc
    return _json_object(raw)


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        return claims.parse_json_object(raw)
    except ValueError as exc:
        raise SignInError(10084, "the JWT payload is not a JSON object") from exc


def _audience_and_subject(payload: dict[str, Any], audience: str) -> str:
    """The connected-app token's user ('sub') once 'aud' is checked."""
    # 10084 "'aud' ... uses the "tableau" value ... case sensitive"; a site-level EAS uses the site
    # ID ("Configure Connected Apps with OAuth 2.0 Trust").
    if payload.get("aud") != audience:
        raise SignInError(10084, "'aud' is not \"tableau\" (or the site ID for a site-level EAS)")
    if not claims.is_nonempty_text(payload.get("sub")):
        raise SignInError(10084, "'sub' (the Tableau user name) is missing")
    return payload["sub"]


def _check_times_and_jti(payload: dict[str, Any]) -> None:
    # 10084 "Review IssueTime or expiration is the right format"; 'iat' is optional.
    if not claims.is_epoch_seconds(payload.get("exp")):
        raise SignInError(10084, "'exp' must be a number of seconds since the epoch (UTC)")
    if payload.get("iat") is not None and not claims.is_epoch_seconds(payload["iat"]):
        raise SignInError(10084, "'iat' must be a number of seconds since the epoch (UTC)")
    if not claims.is_nonempty_text(payload.get("jti")):
        raise SignInError(10094, "'jti' is missing")  # MISSING_REQUIRED_JTI


def _check_lifetime(payload: dict[str, Any], registry: Registry, now: float) -> None:
    expires_at = float(payload["exp"])
    if expires_at <= now:
        # An expired token: "Troubleshoot Connected Apps" lists 'exp' problems under 16 LOGIN_FAILED,
        # and the known pitfall (public issue trackers) "clocks not on UTC give random 16" is exactly a
        # token that looks expired.
        raise SignInError(16, "'exp' is in the past (check the clock is on UTC)")
    limit = registry.max_token_lifetime_minutes * 60
    if expires_at - now > limit:
        raise SignInError(10096, f"'exp' is more than {limit} seconds ahead")


def _scopes(payload: dict[str, Any]) -> list[str]:
    if "scp" not in payload:
        raise SignInError(10099, "'scp' is missing")  # SCOPES_MISSING_IN_JWT
    scopes = payload["scp"]
    if not claims.is_scope_list(scopes):
        raise SignInError(10097, "'scp' must be a list of strings")  # SCOPES_MALFORMED
    return scopes


def _check_user(subject: str, payload: dict[str, Any], site: Site, registry: Registry) -> bool:
    """Whether this is an on-demand (ephemeral) user; otherwise the subject must be a site user."""
    if payload.get(claims.ON_DEMAND_ACCESS_CLAIM) == "true":
        if registry.deployment != "cloud":
            # 67 "On-demand access is available through licensed Tableau Cloud sites only".
            raise SignInError(67, "on-demand access exists on Tableau Cloud only")
        if not site.usage_based_licensing:
            raise SignInError(10101, "the site is not on usage-based licensing")
        if not any((g := site.group(name)) and g.on_demand_access for name in _groups(payload)):
            # "Authentication and Embedding": on-demand access is enabled per group ("Allow
            # on-demand access"), not per site, so a token naming no such group asks for a feature
            # not enabled for it: 67 FEATURE_NOT_ENABLED (docs/simulator-codes.md says why).
            raise SignInError(67, "'https://tableau.com/groups' names no group that allows on-demand access")
        return True
    if site.user(subject) is None:
        # 5 "verify the 'sub' ... is the user name ... This value is case sensitive."
        raise SignInError(5, "no user with that name on the site (names are case sensitive)")
    return False


def _attributes(payload: dict[str, Any], subject_claim: str) -> dict[str, Any]:
    # Claims with a meaning of their own are not attributes (nor a UAT's username claim); any other
    # top-level claim is ("Configure Connected Apps with OAuth 2.0 Trust", user attributes).
    return {k: v for k, v in payload.items() if k not in claims.RESERVED_CLAIMS and k != subject_claim}


def _groups(payload: dict[str, Any]) -> list[str]:
    groups = payload.get(claims.GROUPS_CLAIM, [])
    return [g for g in groups if isinstance(g, str)] if isinstance(groups, list) else []
