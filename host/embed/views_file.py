"""The views the host embeds, from VIEWS_FILE: single views and dashboards of several."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tableau_rules.scopes import COMPONENT_SCOPES, COMPONENT_TAGS

# Embedding API attributes and their values (Authentication and Embedding; the Embedding API reference).
OPTION_VALUES: dict[str, tuple[str, ...] | None] = {
    "toolbar": ("top", "bottom", "hidden"),
    "hide-tabs": ("true", "false"),
    "device": ("default", "desktop", "tablet", "phone"),
    "width": None,
    "height": None,
}


class ViewsFileError(ValueError):
    """VIEWS_FILE is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class EmbeddedView:
    slug: str
    title: str
    kind: str
    src: str
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def tag(self) -> str:
        return COMPONENT_TAGS[self.kind]

    def attributes(self) -> dict[str, str]:
        """Component attributes besides src and token; hide-tabs is a boolean attribute."""
        attrs = {k: v for k, v in self.options.items() if k != "hide-tabs"}
        if self.options.get("hide-tabs") == "true":
            attrs["hide-tabs"] = ""
        return attrs


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    views: tuple[EmbeddedView, ...]
    description: str = ""


@dataclass(frozen=True)
class ViewsFile:
    views: dict[str, EmbeddedView]
    dashboards: dict[str, Dashboard]

    @classmethod
    def load(cls, path: Path) -> ViewsFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ViewsFileError(f"VIEWS_FILE {path}: cannot read it ({exc})") from exc
        views = {}
        for i, raw in enumerate(data.get("views", [])):
            view = _parse_view(f"VIEWS_FILE {path}: views[{i}]", raw)
            views[view.slug] = view
        dashboards = {}
        for i, raw in enumerate(data.get("dashboards", [])):
            where = f"VIEWS_FILE {path}: dashboards[{i}]"
            missing = [s for s in raw.get("views", []) if s not in views]
            if missing or not raw.get("views"):
                raise ViewsFileError(f"{where}: unknown or no views {missing}")
            dashboards[raw["slug"]] = Dashboard(
                slug=raw["slug"], title=raw.get("title", raw["slug"]),
                views=tuple(views[s] for s in raw["views"]), description=raw.get("description", ""),
            )
        return cls(views, dashboards)


def _parse_view(where: str, raw: dict[str, Any]) -> EmbeddedView:
    for key in ("slug", "title", "kind", "src"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ViewsFileError(f"{where}: '{key}' is required")
    if raw["kind"] not in COMPONENT_SCOPES:
        raise ViewsFileError(f"{where}: kind {raw['kind']!r} is not one of {list(COMPONENT_SCOPES)}")
    if not raw["src"].startswith("/"):
        raise ViewsFileError(f"{where}: src must be a path on the Tableau server, starting with /")
    options = {k: str(v).lower() if isinstance(v, bool) else str(v)
               for k, v in raw.get("options", {}).items()}
    for key, value in options.items():
        if key not in OPTION_VALUES:
            raise ViewsFileError(f"{where}: option {key!r} is not one of {list(OPTION_VALUES)}")
        allowed = OPTION_VALUES[key]
        if allowed is not None and value not in allowed:
            raise ViewsFileError(f"{where}: option {key}={value!r} is not one of {list(allowed)}")
    return EmbeddedView(
        slug=raw["slug"], title=raw["title"], kind=raw["kind"], src=raw["src"],
        description=raw.get("description", ""), options=options,
    )
