"""The registry's content entries: groups, workbooks (with their permissions), views (with their
chart data and user filter) and Pulse metrics. registry.py reads the rest.

A workbook may carry `"permissions": {"view": <grant>, "webEdit": <grant>}`, a grant being
`{"users": [names], "groups": [names]}`; a missing capability is held by every user of the site.
A view's chart is either `labels`/`values` or row data: `rows` (objects), `label` (the field the
bars are grouped by) and `value` (the field summed); `userFilter: {"attribute", "field"}` keeps the
rows whose field equals the user's captured attribute (view_data.py).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from .model import Grant, Group, PulseMetric, UserFilter, View, Workbook
from .registry_error import RegistryError

_CHART_TYPES = ("bar", "line")
_CAPABILITIES = {"view": "viewers", "webEdit": "web_editors"}


@dataclass
class Names:
    """The site's user and group names, for checking what permissions refer to."""

    users: set[str]
    groups: set[str]


def group(data: dict[str, Any], users: set[str]) -> Group:
    members = list(data.get("members", []))
    unknown = sorted(set(members) - users)
    if unknown:
        raise RegistryError(f"group {data['name']}: members are not site users: {', '.join(unknown)}")
    return Group(name=data["name"], members=members, on_demand_access=bool(data.get("onDemandAccess", False)))


def workbook(site_id: str, data: dict[str, Any], projects: dict[str, str], names: Names) -> Workbook:
    url = data["contentUrl"]
    return Workbook(
        id=data.get("id") or derived_id(site_id, "workbook", url),
        content_url=url,
        name=data["name"],
        project_id=project_id(data["project"], projects),
        views=[_view(site_id, url, v) for v in data["views"]],
        **_permissions(data.get("permissions", {}), f"workbook {url}", names),
    )


def metric(data: dict[str, Any], projects: dict[str, str]) -> PulseMetric:
    return PulseMetric(
        id=data["id"],
        name=data["name"],
        project_id=project_id(data["project"], projects),
        chart=_labelled_chart(data["chart"], f"metric {data['id']}"),
    )


def project_id(name: str, projects: dict[str, str]) -> str:
    if name not in projects:
        raise RegistryError(f"unknown project {name!r}")
    return projects[name]


def derived_id(site_id: str, kind: str, name: str) -> str:
    """A stable ID for entries the seed leaves without one (REST answers need LUIDs)."""
    return str(uuid.uuid5(uuid.UUID(site_id), f"{kind}:{name}"))


def _view(site_id: str, workbook_url: str, data: dict[str, Any]) -> View:
    where = f"view {workbook_url}/{data['contentUrl']}"
    chart = data["chart"]
    chart = _row_chart(chart, where) if "rows" in chart else _labelled_chart(chart, where)
    return View(
        id=data.get("id") or derived_id(site_id, "view", f"{workbook_url}/{data['contentUrl']}"),
        content_url=data["contentUrl"],
        name=data["name"],
        chart=chart,
        user_filter=_user_filter(data.get("userFilter"), chart, where),
    )


def _permissions(data: dict[str, Any], where: str, names: Names) -> dict[str, Grant]:
    unknown = sorted(set(data) - set(_CAPABILITIES))
    if unknown:
        raise RegistryError(f"{where}: unknown capability {', '.join(unknown)} (expected view, webEdit)")
    return {_CAPABILITIES[name]: _grant(grant, f"{where} {name}", names) for name, grant in data.items()}


def _grant(data: dict[str, Any], where: str, names: Names) -> Grant:
    grant = Grant(users=list(data.get("users", [])), groups=list(data.get("groups", [])))
    strangers = sorted(set(grant.users) - names.users) + sorted(set(grant.groups) - names.groups)
    if strangers:
        raise RegistryError(f"{where}: no such user or group: {', '.join(strangers)}")
    return grant


def _labelled_chart(data: dict[str, Any], where: str) -> dict[str, Any]:
    labels, values = data.get("labels", []), data.get("values", [])
    if data.get("type") not in _CHART_TYPES or not labels or len(labels) != len(values):
        raise RegistryError(f"{where}: chart needs type bar|line and labels/values of one length")
    if not all(isinstance(v, int | float) for v in values):
        raise RegistryError(f"{where}: chart values must be numbers")
    return data


def _row_chart(data: dict[str, Any], where: str) -> dict[str, Any]:
    rows, label, value = data.get("rows"), data.get("label"), data.get("value")
    if data.get("type") not in _CHART_TYPES or not isinstance(rows, list) or not rows:
        raise RegistryError(f"{where}: a row chart needs type bar|line and a non-empty list of rows")
    for row in rows:
        if not isinstance(row, dict) or label not in row or not isinstance(row.get(value), int | float):
            raise RegistryError(f"{where}: every row needs the field {label!r} and a number in {value!r}")
    return data


def _user_filter(data: Any, chart: dict[str, Any], where: str) -> UserFilter | None:
    if data is None:
        return None
    if "rows" not in chart:
        raise RegistryError(f"{where}: userFilter needs a row chart (rows, label, value)")
    user_filter = UserFilter(attribute=str(data["attribute"]), field=str(data["field"]))
    if not all(user_filter.field in row for row in chart["rows"]):
        raise RegistryError(f"{where}: userFilter field {user_filter.field!r} is missing from some rows")
    return user_filter
