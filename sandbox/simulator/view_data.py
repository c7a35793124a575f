"""The data a view shows a user: its chart, filtered by a user attribute where the view says so.

A view with a `userFilter` keeps the rows whose field equals the user attribute captured from the
token, as a calculation `ISNULL(USERATTRIBUTE('Region')) OR [Region] = USERATTRIBUTE('Region')`
would: when the site does not capture attributes (`attributeCaptureEnabled: false`, the session
holds none) or the token has no such attribute, every row is shown.
"""

from dataclasses import dataclass
from typing import Any

from .model import View


@dataclass
class ViewData:
    chart: dict[str, Any]  # type, title, labels, values: what charts.svg and png.render draw
    columns: list[str]  # the row data's fields, for the data table; empty for a labelled chart
    rows: list[dict[str, Any]]  # the rows this user sees
    filter_value: str | None = None  # the attribute value that filtered the rows, if any


def for_user(view: View, attributes: dict[str, Any]) -> ViewData:
    """The view's data as `attributes` (the session's captured user attributes) let the user see it."""
    chart = view.chart
    if "rows" not in chart:
        return ViewData(chart=chart, columns=[], rows=[])
    rows, value = chart["rows"], None
    if view.user_filter is not None:
        value = _attribute_text(attributes.get(view.user_filter.attribute))
        if value is not None:
            rows = [row for row in rows if str(row[view.user_filter.field]) == value]
    return ViewData(chart=_aggregate(chart, rows), columns=list(chart["rows"][0]), rows=rows,
                    filter_value=value)


def _attribute_text(value: Any) -> str | None:
    """A single-valued attribute as text; a missing, empty or non-scalar one does not filter."""
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
        return str(value)
    return None


def _aggregate(chart: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """SUM(value) by label, labels in the order they first appear."""
    totals: dict[str, float] = {}
    for row in rows:
        label = str(row[chart["label"]])
        totals[label] = totals.get(label, 0) + row[chart["value"]]
    return {"type": chart["type"], "title": chart.get("title", ""),
            "labels": list(totals), "values": list(totals.values())}
