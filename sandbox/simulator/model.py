"""The simulated Tableau's content and trust configuration, as loaded from the registry.

Plain dataclasses: `registry.py` builds them from JSON, the admin API mutates them, the sign-in
and content routes read them. Lookups that can fail return None; callers choose the documented code.
"""

from dataclasses import dataclass, field
from typing import Any

from . import allowlist

# "Configure Connected Apps with Direct Trust": "A connected app can have a maximum of two
# secrets" ("Troubleshoot Connected Apps": 128 on a third).
MAX_SECRETS = 2


@dataclass
class Secret:
    id: str
    value: str


@dataclass
class ConnectedApp:
    client_id: str
    name: str
    enabled: bool
    # None = all projects ("Configure Connected Apps with Direct Trust", "Access level")
    project_id: str | None
    domain_allowlist: str
    secrets: list[Secret] = field(default_factory=list)

    def secret(self, secret_id: str) -> Secret | None:
        return next((s for s in self.secrets if s.id == secret_id), None)


# Tableau's site roles ("Add User to Site", siteRole). Viewer and Unlicensed cannot web-edit.
SITE_ROLES = ("Creator", "Explorer", "ExplorerCanPublish", "SiteAdministratorCreator",
              "SiteAdministratorExplorer", "Viewer", "Unlicensed")
NO_WEB_EDIT_ROLES = frozenset({"Viewer", "Unlicensed"})


@dataclass
class User:
    id: str
    name: str
    password: str | None
    site_role: str = "Explorer"


@dataclass
class Group:
    """A site group. `members` are static; a token's `https://tableau.com/groups` adds the user for
    that session when the site allows group assertions. `on_demand_access` is the group's "Allow
    on-demand access" capability ("Authentication and Embedding")."""

    name: str
    members: list[str] = field(default_factory=list)
    on_demand_access: bool = False


@dataclass
class Grant:
    """Who holds a capability on a workbook: named users and members of named groups."""

    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def admits(self, user_name: str, groups: set[str]) -> bool:
        return user_name in self.users or bool(groups.intersection(self.groups))


@dataclass
class UserFilter:
    """Rows kept for a user, as a calculation `ISNULL(USERATTRIBUTE(attribute)) OR
    [field] = USERATTRIBUTE(attribute)` would keep them: only when the attribute was captured."""

    attribute: str
    field: str


@dataclass
class Project:
    id: str
    name: str


@dataclass
class View:
    id: str
    content_url: str
    name: str
    # {"type", "title", "labels", "values"} or, for row data, {"type", "title", "rows", "label", "value"}
    chart: dict[str, Any]
    user_filter: UserFilter | None = None


@dataclass
class Workbook:
    id: str
    content_url: str
    name: str
    project_id: str
    views: list[View]
    # Capabilities "View" and "Web Edit"; None: every user of the site (and on-demand users).
    viewers: Grant | None = None
    web_editors: Grant | None = None


@dataclass
class PulseMetric:
    id: str
    name: str
    project_id: str
    chart: dict[str, Any]


@dataclass
class EmbeddingSettings:
    """Site setting "Update Embedding Settings for Site".

    Sources: "Troubleshoot Connected Apps" (10092); "Register EAS to Enable SSO for Embedded Content".
    """

    unrestricted: bool
    allow_list: str

    def frame_ancestors(self) -> str:
        """CSP value for pages embedded without a connected app.

        "Authentication and Embedding": the app's list wins when there is one.
        """
        return "*" if self.unrestricted else allowlist.frame_ancestors(self.allow_list)


@dataclass
class AuthorizationServer:
    """A registered EAS. `jwks` pins keys for offline use.

    Server-wide: "Register EAS to Enable SSO for Embedded Content"; site-level: "Configure Connected
    Apps with OAuth 2.0 Trust".
    """

    issuer: str
    jwks: dict[str, Any] | None = None


@dataclass
class UnifiedAccessTokenConfig:
    """A site's unified access token configuration ("Unified access tokens", Tableau Cloud Manager).

    Keys come from `jwks_uri` (fetched at each sign-in) or from `jwks` (inline; a PEM public key
    given at configuration is held here as a one-key set). `scopes` None allows any scope.
    """

    issuer: str
    tenant_id: str
    enabled: bool = True
    jwks_uri: str | None = None
    jwks: dict[str, Any] | None = None
    scopes: list[str] | None = None
    site_id: str | None = None
    username_claim: str = "email"


@dataclass
class Site:
    id: str
    content_url: str
    name: str
    embedding: EmbeddingSettings
    attribute_capture_enabled: bool
    group_assertions_enabled: bool
    usage_based_licensing: bool
    users: list[User]
    projects: list[Project]
    workbooks: list[Workbook]
    pulse_metrics: list[PulseMetric]
    connected_apps: list[ConnectedApp]
    authorization_servers: list[AuthorizationServer] = field(default_factory=list)
    unified_access_token: UnifiedAccessTokenConfig | None = None
    groups: list[Group] = field(default_factory=list)

    def user(self, name: str) -> User | None:
        # Troubleshoot Connected Apps, code 5: the 'sub' value "is case sensitive".
        return next((u for u in self.users if u.name == name), None)

    def app(self, client_id: str) -> ConnectedApp | None:
        return next((a for a in self.connected_apps if a.client_id == client_id), None)

    def workbook(self, content_url: str) -> Workbook | None:
        return next((w for w in self.workbooks if w.content_url == content_url), None)

    def view(self, workbook_url: str, view_url: str) -> tuple[Workbook, View] | None:
        workbook = self.workbook(workbook_url)
        view = workbook and next((v for v in workbook.views if v.content_url == view_url), None)
        return (workbook, view) if view else None

    def view_by_id(self, view_id: str) -> tuple[Workbook, View] | None:
        for workbook in self.workbooks:
            for view in workbook.views:
                if view.id == view_id:
                    return workbook, view
        return None

    def group(self, name: str) -> Group | None:
        return next((g for g in self.groups if g.name == name), None)

    def metric(self, metric_id: str) -> PulseMetric | None:
        return next((m for m in self.pulse_metrics if m.id == metric_id), None)


# How the session cookie is set (web.with_cookie): "lax" SameSite=Lax (host and simulator on one
# site); "cross-site" SameSite=None; Secure (an embedded session on another site); "partitioned"
# the same plus Partitioned (CHIPS: kept in a jar of the embedding site, so it survives a browser
# that blocks third-party cookies).
COOKIE_MODES = ("lax", "cross-site", "partitioned")


@dataclass
class Registry:
    sites: list[Site]
    max_token_lifetime_minutes: int
    session_lifetime_minutes: int
    # "cloud" or "server": on-demand access exists on Tableau Cloud only (Troubleshoot Connected
    # Apps, code 67).
    deployment: str
    blocklisted_algorithms: list[str]
    authorization_servers: list[AuthorizationServer]
    session_cookie: str = "lax"  # one of COOKIE_MODES

    def site(self, content_url: str) -> Site | None:
        return next((s for s in self.sites if s.content_url == content_url), None)

    def site_by_id(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)
