"""The views the host embeds, from VIEWS_FILE: single views and dashboards of several."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from host.embed.views_check import option_text, read_views_json, views_problems
from tableau_rules.scopes import COMPONENT_TAGS


class ViewsFileError(ValueError):
    """VIEWS_FILE is unusable; `problems` names each entry, the field and the fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


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
        """Read and check the file; ViewsFileError lists every problem (views_check.py)."""
        data, problems = read_views_json(path)
        if not problems:
            problems = views_problems(data, f"VIEWS_FILE {path}")
        if problems:
            raise ViewsFileError(problems)
        views = {raw["slug"]: _view(raw) for raw in data["views"]}
        dashboards = {raw["slug"]: _dashboard(raw, views) for raw in data.get("dashboards", [])}
        return cls(views, dashboards)


def _view(raw: dict[str, Any]) -> EmbeddedView:
    options = {k: option_text(v) for k, v in raw.get("options", {}).items()}
    return EmbeddedView(slug=raw["slug"], title=raw["title"], kind=raw["kind"], src=raw["src"],
                        description=raw.get("description", ""), options=options)


def _dashboard(raw: dict[str, Any], views: dict[str, EmbeddedView]) -> Dashboard:
    return Dashboard(slug=raw["slug"], title=raw.get("title", raw["slug"]),
                     views=tuple(views[s] for s in raw["views"]), description=raw.get("description", ""))
