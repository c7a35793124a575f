"""Who may open a workbook's views: the workbook's "View" and "Web Edit" grants (model.Grant).

A user's groups are the site groups listing them as members plus, for the session, the groups its
token asserted (`https://tableau.com/groups`, kept only when the site allows group assertions, or
for an on-demand user) that exist on the site.
"""

from collections.abc import Iterable

from .model import NO_WEB_EDIT_ROLES, Site, Workbook
from .sessions import Session


def groups_of(site: Site, user_name: str, asserted: Iterable[str]) -> set[str]:
    """The user's static groups and the asserted ones that exist on the site."""
    static = {g.name for g in site.groups if user_name in g.members}
    return static | {name for name in asserted if site.group(name) is not None}


def can_view(site: Site, workbook: Workbook, session: Session) -> bool:
    if workbook.viewers is None:
        return True
    return workbook.viewers.admits(session.user_name, groups_of(site, session.user_name, session.groups))


def can_web_edit(site: Site, workbook: Workbook, session: Session) -> bool:
    """Web authoring needs "View", "Web Edit" and a site role that can edit (not Viewer, Unlicensed)."""
    user = site.user(session.user_name)
    if user is not None and user.site_role in NO_WEB_EDIT_ROLES:
        return False
    if not can_view(site, workbook, session):
        return False
    if workbook.web_editors is None:
        return True
    return workbook.web_editors.admits(session.user_name, groups_of(site, session.user_name, session.groups))
