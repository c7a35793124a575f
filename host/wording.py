"""Words a page or a message puts next to a number."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 view', '2 views', '0 views'; `plural` for irregular words ('1 query', '2 queries')."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
