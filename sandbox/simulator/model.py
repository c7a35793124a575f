"""The simulated Tableau's content and trust configuration, as loaded from the registry.

Plain dataclasses: `registry.py` builds them from JSON, the admin API mutates them, the sign-in
and content routes read them. Lookups that can fail return None; callers choose the documented code.
"""

from dataclasses import dataclass, field
from typing import Any

from . import allowlist

# Document 004: "A connected app can have a maximum of two secrets" (000: 128 on a third).
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
    project_id: str | None  # None = all projects (004, "Access level")
    domain_allowlist: str
    secrets: list[Secret] = field(default_factory=list)

    def secret(self, secret_id: str) -> Secret | None:
        return next((s for s in self.secrets if s.id == secret_id), None)


@dataclass
class User:
    id: str
    name: str
    password: str | None


@dataclass
class Project:
    id: str
    name: str


@dataclass
class View:
    id: str
    content_url: str
    name: str
    chart: dict[str, Any]


@dataclass
class Workbook:
    id: str
    content_url: str
    name: str
    project_id: str
    views: list[View]


@dataclass
class PulseMetric:
    id: str
    name: str
    project_id: str
    chart: dict[str, Any]


@dataclass
class EmbeddingSettings:
    """Site setting "Update Embedding Settings for Site" (000, 10092; 001)."""

    unrestricted: bool
    allow_list: str

    def frame_ancestors(self) -> str:
        """CSP value for pages embedded without a connected app (003: the app's list wins)."""
        return "*" if self.unrestricted else allowlist.frame_ancestors(self.allow_list)


@dataclass
class AuthorizationServer:
    """A registered EAS (001 server-wide, 002 site-level). `jwks` pins keys for offline use."""

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

    def user(self, name: str) -> User | None:
        # 000, code 5: the 'sub' value "is case sensitive".
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

    def metric(self, metric_id: str) -> PulseMetric | None:
        return next((m for m in self.pulse_metrics if m.id == metric_id), None)


@dataclass
class Registry:
    sites: list[Site]
    max_token_lifetime_minutes: int
    session_lifetime_minutes: int
    # "cloud" or "server": on-demand access exists on Tableau Cloud only (000, code 67).
    deployment: str
    blocklisted_algorithms: list[str]
    authorization_servers: list[AuthorizationServer]

    def site(self, content_url: str) -> Site | None:
        return next((s for s in self.sites if s.content_url == content_url), None)

    def site_by_id(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)
