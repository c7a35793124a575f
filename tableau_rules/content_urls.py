"""Tableau's URL shapes: the server's base URL, and the content paths a web component's `src` takes.

What people paste is often the browser's address bar: `https://10ax.online.tableau.com/#/site/acme/
views/Sales/Overview`. The library and the sign-in need the base URL alone, and a component's `src`
the path form, `/t/acme/views/Sales/Overview`; these functions say so with the corrected value.

    <tableau-viz>            /t/<site>/views/<workbook>/<sheet>      (/views/... on the default site)
    <tableau-authoring-viz>  /t/<site>/authoring/<workbook>/<sheet>  (/authoring/... there)
    <tableau-pulse>          /pulse/site/<site>/metrics/<metric id>

(docs/architecture.md, "Content URLs"; the Embedding API's `src` attribute.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tableau_rules.scopes import AUTHORING, COMPONENT_TAGS, PULSE, VIZ

_SEGMENT = r"[^/?#\s]+"
# The address bar of Tableau's own pages: #/site/<site>/..., or #/... on the default site.
_HASH_SITE = re.compile(r"^/?#/site/(?P<site>[^/?#\s]+)(?P<rest>/.*)?$")
_T_SITE = re.compile(r"^/t/(?P<site>[^/?#\s]+)(?:/.*)?$")
_CONTENT = {
    VIZ: "views",
    AUTHORING: "authoring",
}
_PULSE = re.compile(rf"^/pulse/site/(?P<site>{_SEGMENT})/metrics/(?P<metric>{_SEGMENT})$")
SHAPES = {
    VIZ: "/t/<site>/views/<workbook>/<sheet> (or /views/<workbook>/<sheet> on the default site)",
    AUTHORING: "/t/<site>/authoring/<workbook>/<sheet> (or /authoring/<workbook>/<sheet> on the "
               "default site)",
    PULSE: "/pulse/site/<site>/metrics/<metric id>",
}


@dataclass(frozen=True)
class ServerUrl:
    base: str  # scheme://host[:port]
    site: str | None  # the site found in a pasted page URL; None when there was none
    extra: bool  # the value had more than the base URL (a path, query or fragment)


def split_server_url(url: str) -> ServerUrl:
    """The base URL and, from a pasted page address, the site in it."""
    parts = urlsplit(url.strip())
    base = f"{parts.scheme}://{parts.netloc}"
    site = None
    for candidate in (f"#{parts.fragment}" if parts.fragment else "", parts.path):
        match = _HASH_SITE.match(candidate) or _T_SITE.match(candidate)
        if match:
            site = match.group("site")
            break
    extra = bool(parts.path.strip("/") or parts.query or parts.fragment)
    return ServerUrl(base=base, site=site, extra=extra)


def server_url_problem(name: str, url: str) -> str | None:
    """Why `url` cannot be the server's base URL, with the value to use instead; None when it can."""
    found = split_server_url(url)
    if not found.extra:
        return None
    where = (f"; it names site {found.site!r}: use /t/{found.site}/ in your views' src"
             if found.site else "")
    return (f"{name}={url!r} must be the server's base URL, without a path, query or #fragment: "
            f"set {name}={found.base}{where}")


@dataclass(frozen=True)
class ContentPath:
    site: str | None  # None: the default site
    path: str  # the corrected or accepted path
    workbook: str | None = None
    sheet: str | None = None  # None for a Pulse metric


class BadSrc(ValueError):
    """A `src` that is not a content path for its component; the message has the fix."""


def parse_src(kind: str, src: str) -> ContentPath:
    """The site, workbook and sheet of a component's `src`; BadSrc with the fix otherwise."""
    path = src.strip()
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        raise BadSrc(f"src {src!r} is a full URL; src is a path on TABLEAU_SERVER_URL"
                     + _suggestion(kind, parts.path + (f"#{parts.fragment}" if parts.fragment else "")))
    if path.startswith(("#/", "/#/")):
        raise BadSrc(f"src {src!r} is the browser's address-bar form" + _suggestion(kind, path))
    if parts.fragment:
        raise BadSrc(f"src {src!r} has a #fragment; use the path alone: {SHAPES[kind]}")
    found = _match(kind, parts.path)
    if found is None:
        raise BadSrc(f"src {src!r} is not a <{_tag(kind)}> path: use {SHAPES[kind]}"
                     + _other_kind_hint(kind, parts.path))
    return found


def _match(kind: str, path: str) -> ContentPath | None:
    if kind == PULSE:
        m = _PULSE.match(path)
        return ContentPath(site=m.group("site"), path=path) if m else None
    word = _CONTENT[kind]
    m = re.match(rf"^(?:/t/(?P<site>{_SEGMENT}))?/{word}/(?P<workbook>{_SEGMENT})/(?P<sheet>{_SEGMENT})$",
                 path)
    if not m:
        return None
    return ContentPath(site=m.group("site"), path=path, workbook=m.group("workbook"),
                       sheet=m.group("sheet"))


def _suggestion(kind: str, pasted: str) -> str:
    """': use /t/acme/views/Wb/Sheet' when the pasted value holds the parts, else the shape."""
    m = _HASH_SITE.match(pasted)
    site, rest = (m.group("site"), m.group("rest") or "") if m else (None, pasted.lstrip("#"))
    rest = rest.split("?", 1)[0]
    candidate = (f"/t/{site}" if site else "") + rest
    found = _match(kind, candidate) if kind != PULSE else _match(kind, rest)
    return f": use {found.path}" if found else f": use {SHAPES[kind]}"


def _other_kind_hint(kind: str, path: str) -> str:
    for other in (VIZ, AUTHORING, PULSE):
        if other != kind and _match(other, path):
            return f" (this is a <{_tag(other)}> path: set kind to {other!r}?)"
    return ""


def _tag(kind: str) -> str:
    return COMPONENT_TAGS[kind]
