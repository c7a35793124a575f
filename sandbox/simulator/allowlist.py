"""Domain allowlists in CSP frame-ancestors syntax ("Configure Connected Apps with Direct Trust",
"Domain formatting").

One grammar serves the connected app's `domainAllowlist` and the site's embedding `allowList`:
space-separated sources, each `*`, `'self'`, `'none'`, a scheme (`https:`) or a host source
(`[scheme://]host[:port][/path]`, host may start with `*.`, port may be `*`). An empty list blocks
all embedding ("Configure Connected Apps with Direct Trust": "No domains ... Access to embedded
content is blocked").
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SCHEME_SOURCE = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*):$", re.IGNORECASE)
_HOST_SOURCE = re.compile(
    r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?"
    r"(?P<host>\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)"
    r"(?::(?P<port>[0-9]{1,5}|\*))?"
    r"(?P<path>/[a-z0-9._~%/-]*)?$",
    re.IGNORECASE,
)
_KEYWORDS = ("'self'", "'none'")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidAllowlist(ValueError):
    """Troubleshoot Connected Apps, code 133 INVALID_CONNECTED_APP_DOMAIN_SAFELIST."""


class InvalidOrigin(ValueError):
    """Troubleshoot Connected Apps, code 10105 ORIGIN_HEADER_NOT_A_VALID_URI."""


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        default = _DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{self.host}" + ("" if default else f":{self.port}")


def parse_origin(value: str) -> Origin:
    """An http(s) Origin header value; anything else (including "null") is not a valid URI."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise InvalidOrigin("the Origin header is not a URL") from exc
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise InvalidOrigin("the Origin header is not an http(s) origin")
    if parts.path or parts.query or parts.fragment or parts.username:
        raise InvalidOrigin("the Origin header carries more than an origin")
    return Origin(parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme])


def sources(allowlist: str) -> list[str]:
    """The validated sources of an allowlist; raises InvalidAllowlist naming the bad source."""
    items = allowlist.split()
    for item in items:
        if item == "*" or item.lower() in _KEYWORDS:
            continue
        if not (_SCHEME_SOURCE.match(item) or _HOST_SOURCE.match(item)):
            raise InvalidAllowlist(f"domain allowlist entry {item!r} contains invalid characters")
    return items


def allows(allowlist: str, origin: Origin, self_origin: Origin | None = None) -> bool:
    """Whether `origin` may embed content under `allowlist` (CSP3 source matching)."""
    return any(_source_matches(item, origin, self_origin) for item in sources(allowlist))


def frame_ancestors(allowlist: str) -> str:
    """The CSP directive value for content pages; validated, so safe to put in a header."""
    return " ".join(sources(allowlist)) or "'none'"


def _source_matches(item: str, origin: Origin, self_origin: Origin | None) -> bool:
    lowered = item.lower()
    if item == "*":
        return True  # CSP: '*' matches every network scheme; origins here are always http(s)
    if lowered == "'self'":
        return origin == self_origin
    if lowered == "'none'":
        return False
    scheme_only = _SCHEME_SOURCE.match(item)
    if scheme_only:
        return _scheme_matches(scheme_only["scheme"].lower(), origin.scheme)
    host_source = _HOST_SOURCE.match(item)
    assert host_source  # sources() validated every item
    scheme = (host_source["scheme"] or "http").lower()  # no scheme: the simulator's own, http
    return (
        _scheme_matches(scheme, origin.scheme)
        and _host_matches(host_source["host"].lower(), origin.host)
        and _port_matches(host_source["port"], origin)
    )


def _scheme_matches(source_scheme: str, scheme: str) -> bool:
    # CSP3: an http source also matches the secure upgrade https.
    return source_scheme == scheme or (source_scheme == "http" and scheme == "https")


def _host_matches(source_host: str, host: str) -> bool:
    if source_host == "*":
        return True
    if source_host.startswith("*."):
        return host.endswith(source_host[1:])  # subdomains only, as CSP3
    return source_host == host


def _port_matches(source_port: str | None, origin: Origin) -> bool:
    if source_port == "*":
        return True
    if source_port is None:
        return origin.port == _DEFAULT_PORTS[origin.scheme]
    return int(source_port) == origin.port
