"""Scopes each embedding web component needs (Authentication and Embedding, "Scope (scp)" table)."""

from collections.abc import Iterable

VIZ = "viz"
AUTHORING = "authoring"
PULSE = "pulse"

# Authentication and Embedding: TableauViz -> tableau:views:embed; TableauAuthoringViz ->
# embed_authoring AND views:embed; TableauPulse -> tableau:insights:embed. Metrics and Ask Data scopes
# are retired.
COMPONENT_SCOPES: dict[str, tuple[str, ...]] = {
    VIZ: ("tableau:views:embed",),
    AUTHORING: ("tableau:views:embed_authoring", "tableau:views:embed"),
    PULSE: ("tableau:insights:embed",),
}

COMPONENT_TAGS: dict[str, str] = {
    VIZ: "tableau-viz",
    AUTHORING: "tableau-authoring-viz",
    PULSE: "tableau-pulse",
}


# Authentication and Embedding (Embedding API v3): load the library from the Tableau server that
# hosts the content, so its version matches the server's.
LIBRARY_PATH = "/javascripts/api/tableau.embedding.3.latest.min.js"


class UnknownComponent(ValueError):
    """A component kind that is not one of viz, authoring, pulse."""


def scopes_for(components: Iterable[str]) -> list[str]:
    """The `scp` list covering every component kind given, in a stable order, without repeats."""
    scopes: list[str] = []
    for kind in components:
        if kind not in COMPONENT_SCOPES:
            known = ", ".join(COMPONENT_SCOPES)
            raise UnknownComponent(f"unknown component kind {kind!r}; expected one of {known}")
        scopes.extend(s for s in COMPONENT_SCOPES[kind] if s not in scopes)
    return scopes
