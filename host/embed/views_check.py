"""Every mistake in a views file, each named with its entry and its fix (start-up and both doctors).

Checked: JSON, the required fields, duplicate slugs, each `src` against its component's shape
(tableau_rules/content_urls.py), options, dashboards' views, and a view on another site than the
others' (one connected app, and the page's one token, belong to one site).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tableau_rules.content_urls import BadSrc, ContentPath, parse_src
from tableau_rules.scopes import COMPONENT_SCOPES

# Embedding API attributes and their values (Authentication and Embedding; the Embedding API reference).
OPTION_VALUES: dict[str, tuple[str, ...] | None] = {
    "toolbar": ("top", "bottom", "hidden"),
    "hide-tabs": ("true", "false"),
    "device": ("default", "desktop", "tablet", "phone"),
    "width": None,
    "height": None,
}
REQUIRED = ("slug", "title", "kind", "src")


def read_views_json(path: Path) -> tuple[Any, list[str]]:
    """The parsed file, or the one problem that stops it being read."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except OSError as exc:
        return None, [f"VIEWS_FILE {path}: cannot read it ({exc.strerror or exc})"]
    except UnicodeDecodeError:
        return None, [f"VIEWS_FILE {path}: not UTF-8 text"]
    except json.JSONDecodeError as exc:
        return None, [f"VIEWS_FILE {path}: not valid JSON at line {exc.lineno} column {exc.colno} "
                      f"({exc.msg})"]


def views_problems(data: Any, where: str) -> list[str]:
    """Every problem in a parsed views file; empty when it is usable."""
    if not isinstance(data, dict):
        return [f"{where}: must be a JSON object with a 'views' list"]
    views, dashboards = data.get("views", []), data.get("dashboards", [])
    if not isinstance(views, list) or not views:
        return [f"{where}: 'views' must be a non-empty list"]
    if not isinstance(dashboards, list):
        return [f"{where}: 'dashboards' must be a list"]
    problems: list[str] = []
    paths: dict[str, ContentPath] = {}
    for i, raw in enumerate(views):
        found, path = _view_problems(f"{where}: views[{i}]", raw)
        problems += found
        if path is not None:
            paths[f"{where}: views[{i}] {raw['slug']!r}"] = path
    problems += _duplicates(where, "views", views)
    problems += _site_problems(paths)
    known = {v.get("slug") for v in views if isinstance(v, dict)}
    for i, raw in enumerate(dashboards):
        problems += _dashboard_problems(f"{where}: dashboards[{i}]", raw, known)
    problems += _duplicates(where, "dashboards", dashboards)
    return problems


def _view_problems(where: str, raw: Any) -> tuple[list[str], ContentPath | None]:
    if not isinstance(raw, dict):
        return [f"{where}: must be an object"], None
    missing = [key for key in REQUIRED if not isinstance(raw.get(key), str) or not raw[key].strip()]
    if missing:
        return [f"{where}: {', '.join(repr(k) for k in missing)} required (a non-empty string)"], None
    where = f"{where} {raw['slug']!r}"
    if raw["kind"] not in COMPONENT_SCOPES:
        return [f"{where}: kind {raw['kind']!r} is not one of {', '.join(COMPONENT_SCOPES)}"], None
    problems = _option_problems(where, raw.get("options", {}))
    try:
        return problems, parse_src(raw["kind"], raw["src"])
    except BadSrc as exc:
        return [*problems, f"{where}: {exc}"], None


def _option_problems(where: str, options: Any) -> list[str]:
    if not isinstance(options, dict):
        return [f"{where}: 'options' must be an object"]
    problems = []
    for key, value in options.items():
        if key not in OPTION_VALUES:
            problems.append(f"{where}: option {key!r} is not one of {', '.join(OPTION_VALUES)}")
            continue
        allowed = OPTION_VALUES[key]
        text = option_text(value)
        if allowed is not None and text not in allowed:
            problems.append(f"{where}: option {key}={text!r} is not one of {', '.join(allowed)}")
    return problems


def option_text(value: Any) -> str:
    """An option as the attribute's text: JSON true/false become "true"/"false"."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _duplicates(where: str, key: str, entries: list[Any]) -> list[str]:
    slugs = Counter(e.get("slug") for e in entries if isinstance(e, dict) and isinstance(e.get("slug"), str))
    return [f"{where}: {key} slug {slug!r} is used {count} times; each needs its own (it is the page URL)"
            for slug, count in slugs.items() if count > 1]


def _site_problems(paths: dict[str, ContentPath]) -> list[str]:
    sites = Counter(p.site for p in paths.values())
    if len(sites) < 2:
        return []
    usual = sites.most_common(1)[0][0]
    return [f"{where}: site {_site(p.site)} differs from the other views' site {_site(usual)}: a "
            "connected app and the page's token belong to one site; fix the src"
            for where, p in paths.items() if p.site != usual]


def _site(site: str | None) -> str:
    return repr(site) if site is not None else "(the default site)"


def _dashboard_problems(where: str, raw: Any, known: set[Any]) -> list[str]:
    if not isinstance(raw, dict):
        return [f"{where}: must be an object"]
    if not isinstance(raw.get("slug"), str) or not raw["slug"].strip():
        return [f"{where}: 'slug' required (a non-empty string)"]
    views = raw.get("views")
    if not isinstance(views, list) or not views:
        return [f"{where} {raw['slug']!r}: 'views' must list the slugs of its views"]
    unknown = [s for s in views if s not in known]
    if unknown:
        return [f"{where} {raw['slug']!r}: no view with slug {', '.join(repr(s) for s in unknown)}"]
    return []


def sites_of(data: dict[str, Any]) -> dict[str, ContentPath]:
    """{slug: content path} of a checked file's views (for `flask tableau doctor --views`)."""
    return {v["slug"]: parse_src(v["kind"], v["src"]) for v in data["views"]}
