"""Server-side SVG for a view's demo data (bar or line); no chart library, no inline styles.

Colours and fonts are SVG presentation attributes (allowed under a CSP without 'unsafe-inline').
"""

from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 16, 36, 40
_COLOUR = "#4e79a7"


def svg(chart: dict[str, Any], width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """The chart as an inline <svg> element, sized by a viewBox so it scales with its frame."""
    title = escape(chart.get("title", ""))
    marks = _bars(chart, width, height) if chart["type"] == "bar" else _line(chart, width, height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{title}" class="chart">',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" fill="#333">{title}</text>',
        f'<line x1="{_LEFT}" y1="{height - _BOTTOM}" x2="{width - _RIGHT}" y2="{height - _BOTTOM}"'
        ' stroke="#999"/>',
        *marks,
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above is escaped


def points(chart: dict[str, Any], width: int, height: int) -> list[tuple[float, float, float]]:
    """(centre x, top y, slot width) per value, in the plot area; shared with the PNG renderer."""
    values = chart["values"]
    if not values:  # a user filter may leave no rows: an empty plot, not an error
        return []
    top = max(max(values), 1)
    slot = (width - _LEFT - _RIGHT) / len(values)
    plot_height = height - _TOP - _BOTTOM
    return [
        (_LEFT + slot * (i + 0.5), height - _BOTTOM - plot_height * max(v, 0) / top, slot)
        for i, v in enumerate(values)
    ]


def _bars(chart: dict[str, Any], width: int, height: int) -> list[str]:
    marks = []
    base = height - _BOTTOM
    coords = points(chart, width, height)
    for (x, y, slot), label, value in zip(coords, chart["labels"], chart["values"], strict=True):
        bar = slot * 0.6
        marks.append(
            f'<rect x="{x - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{base - y:.1f}"'
            f' fill="{_COLOUR}"><title>{escape(label)}: {value}</title></rect>'
        )
        marks.extend(_labels(x, y, base, label, value))
    return marks


def _line(chart: dict[str, Any], width: int, height: int) -> list[str]:
    marks = []
    base = height - _BOTTOM
    coords = points(chart, width, height)
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
    marks.append(f'<polyline points="{path}" fill="none" stroke="{_COLOUR}" stroke-width="3"/>')
    for (x, y, _), label, value in zip(coords, chart["labels"], chart["values"], strict=True):
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{_COLOUR}"/>')
        marks.extend(_labels(x, y, base, label, value))
    return marks


def _labels(x: float, y: float, base: float, label: str, value: float) -> list[str]:
    return [
        f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle" font-size="12" fill="#555">'
        f"{escape(label)}</text>",
        f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="12" fill="#333">'
        f"{value}</text>",
    ]
