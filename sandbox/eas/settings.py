"""The EAS's own settings, validated once at start so a bad value fails loudly (fail closed)."""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from tableau_rules.claims import AUDIENCE, MAX_LIFETIME_SECONDS

# RFC 6749 §4.1.2: a code "MUST expire shortly after it is issued"; 10 minutes is the maximum
# RECOMMENDED. The host redeems it within a second, so one minute is plenty.
CODE_LIFETIME_SECONDS = 60
# Refresh tokens let the host fetch a fresh JWT (new jti) for each page: Tableau takes a jti
# once (Troubleshoot Connected Apps, 10091). They live for a working day and rotate on every use.
REFRESH_LIFETIME_SECONDS = 8 * 3600


class EasConfigError(ValueError):
    """A create_app argument or a file the EAS reads cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class EasSettings:
    issuer: str
    audience: str
    token_lifetime_seconds: int
    code_lifetime_seconds: int = CODE_LIFETIME_SECONDS
    refresh_lifetime_seconds: int = REFRESH_LIFETIME_SECONDS

    def endpoint(self, path: str) -> str:
        """An absolute endpoint URL under the issuer (RFC 8414 §2: metadata URLs are absolute)."""
        return self.issuer.rstrip("/") + path


def build_settings(issuer: str, audience: str, token_lifetime_seconds: int) -> EasSettings:
    return EasSettings(
        issuer=check_issuer(issuer),
        audience=check_audience(audience),
        token_lifetime_seconds=check_lifetime(token_lifetime_seconds),
    )


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def check_web_url(value: object, what: str) -> str:
    """https anywhere, http on loopback only (RFC 8252 §7.3; Authlib refuses other http URLs)."""
    if not isinstance(value, str) or not value:
        raise EasConfigError(f"{what} must be a non-empty URL string")
    parts = urlsplit(value)
    secure = parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))
    if not parts.hostname or not secure:
        raise EasConfigError(
            f"{what} {value!r} must be an https URL (http is allowed for localhost/127.0.0.1 only)"
        )
    if parts.fragment or "#" in value:
        raise EasConfigError(f"{what} {value!r} must not have a fragment (RFC 6749 §3.1.2)")
    return value


def check_issuer(issuer: object) -> str:
    url = check_web_url(issuer, "issuer")
    # RFC 8414 §2: the issuer identifier has no query or fragment component.
    if urlsplit(url).query:
        raise EasConfigError(f"issuer {url!r} must not have a query string (RFC 8414 §2)")
    return url


def check_audience(audience: object) -> str:
    """'tableau' for a server-wide EAS (Register EAS to Enable SSO for Embedded Content, case sensitive:
    10084), a site ID (UUID) at site level (Configure Connected Apps with OAuth 2.0 Trust)."""
    if audience == AUDIENCE:
        return AUDIENCE
    try:
        uuid.UUID(str(audience))
    except ValueError:
        raise EasConfigError(
            f"audience {audience!r} must be {AUDIENCE!r} (server-wide EAS, case sensitive) or the "
            "site ID, a UUID (site-level EAS, Configure Connected Apps with OAuth 2.0 Trust)"
        ) from None
    return str(audience)


def check_lifetime(seconds: object) -> int:
    """Tableau refuses an exp further than 10 minutes ahead (Troubleshoot Connected Apps, codes 16 and
    10096)."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 < seconds <= MAX_LIFETIME_SECONDS:
        raise EasConfigError(
            f"token_lifetime_seconds must be an integer from 1 to {MAX_LIFETIME_SECONDS} (Tableau "
            f"refuses a JWT whose exp is more than 10 minutes ahead: 10096); got {seconds!r}"
        )
    return seconds
