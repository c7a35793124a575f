"""Loading sandbox/registry.json (docs/architecture.md, "Simulator registry").

`${NAME}` in any string is replaced from the environment; an unset or empty variable refuses the
whole registry, naming the variable, so no secret ever has to be committed.
"""

import copy
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import allowlist, content_registry, uat_config
from .content_registry import derived_id
from .model import (
    COOKIE_MODES,
    MAX_SECRETS,
    SITE_ROLES,
    AuthorizationServer,
    ConnectedApp,
    EmbeddingSettings,
    Project,
    Registry,
    Secret,
    Site,
    UnifiedAccessTokenConfig,
    User,
)
from .registry_error import RegistryError

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def read(source: Mapping[str, Any] | str | Path) -> Any:
    """The registry's raw JSON, from a file or a copy of a dict (later changes to either are not seen)."""
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source))
    try:
        return json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RegistryError(f"cannot read registry {source}: {exc}") from exc


def load(source: Mapping[str, Any] | str | Path, env: Mapping[str, str] | None = None) -> Registry:
    """Build the registry from a dict or a JSON file path, expanding `${NAME}` from `env`."""
    data = expand(read(source), os.environ if env is None else env)
    try:
        return _registry(data)
    except (KeyError, TypeError) as exc:
        raise RegistryError(f"registry entry missing or of the wrong type: {exc}") from exc


def expand(value: Any, env: Mapping[str, str]) -> Any:
    """A copy of `value` with every `${NAME}` in its strings replaced by env[NAME]."""
    if isinstance(value, str):
        return _VARIABLE.sub(lambda match: _variable(match[1], env), value)
    if isinstance(value, list):
        return [expand(item, env) for item in value]
    if isinstance(value, dict):
        return {key: expand(item, env) for key, item in value.items()}
    return value


def _variable(name: str, env: Mapping[str, str]) -> str:
    if not env.get(name):
        raise RegistryError(f"environment variable {name} is unset or empty (used in the registry)")
    return env[name]


def _registry(data: dict[str, Any]) -> Registry:
    sites = [_site(item) for item in data["sites"]]
    client_ids = [app.client_id for site in sites for app in site.connected_apps]
    if len(client_ids) != len(set(client_ids)):
        raise RegistryError("connected app client IDs must be unique")
    deployment = data.get("deployment", "cloud")
    if deployment != "cloud" and any(site.unified_access_token for site in sites):
        # "Authentication and Embedding": unified access tokens are Tableau Cloud only.
        raise RegistryError("unifiedAccessToken: unified access tokens exist on Tableau Cloud only")
    return Registry(
        sites=sites,
        max_token_lifetime_minutes=int(data.get("maxTokenLifetimeMinutes", 10)),
        session_lifetime_minutes=int(data.get("sessionLifetimeMinutes", 240)),
        deployment=deployment,
        blocklisted_algorithms=list(data.get("blocklistedJwsAlgorithms", [])),
        authorization_servers=[_eas(item) for item in data.get("authorizationServers", [])],
        session_cookie=_cookie_mode(data.get("sessionCookie", "lax")),
    )


def _cookie_mode(value: Any) -> str:
    if value not in COOKIE_MODES:
        raise RegistryError(f"sessionCookie must be one of {', '.join(COOKIE_MODES)}")
    return value


def _site(data: dict[str, Any]) -> Site:
    site_id = data["id"]
    projects = [Project(p["id"], p["name"]) for p in data.get("projects", [])]
    by_name = {p.name: p.id for p in projects}
    users = [_user(site_id, u) for u in data.get("users", [])]
    groups = [content_registry.group(g, {u.name for u in users}) for g in data.get("groups", [])]
    names = content_registry.Names(users={u.name for u in users}, groups={g.name for g in groups})
    embedding = data.get("embedding", {})
    return Site(
        id=site_id,
        content_url=data["contentUrl"],
        name=data["name"],
        embedding=EmbeddingSettings(
            unrestricted=bool(embedding.get("unrestrictedEmbedding", True)),
            allow_list=_checked_allowlist(embedding.get("allowList", ""), f"site {site_id}"),
        ),
        attribute_capture_enabled=bool(data.get("attributeCaptureEnabled", False)),
        group_assertions_enabled=bool(data.get("groupAssertionsEnabled", False)),
        usage_based_licensing=bool(data.get("usageBasedLicensing", False)),
        users=users,
        projects=projects,
        groups=groups,
        workbooks=[content_registry.workbook(site_id, w, by_name, names) for w in data.get("workbooks", [])],
        pulse_metrics=[content_registry.metric(m, by_name) for m in data.get("pulseMetrics", [])],
        connected_apps=[_app(a, by_name.values()) for a in data.get("connectedApps", [])],
        authorization_servers=[_eas(e) for e in data.get("authorizationServers", [])],
        unified_access_token=_uat(data.get("unifiedAccessToken"), site_id),
    )


def _uat(data: Any, site_id: str) -> UnifiedAccessTokenConfig | None:
    if data is None:
        return None
    try:
        return uat_config.parse(data, site_id)
    except uat_config.InvalidUatConfig as exc:
        raise RegistryError(f"site {site_id}: unifiedAccessToken: {exc}") from exc


def _user(site_id: str, data: dict[str, Any]) -> User:
    user_id = data.get("id") or derived_id(site_id, "user", data["name"])
    role = data.get("siteRole", "Explorer")
    if role not in SITE_ROLES:
        raise RegistryError(f"user {data['name']}: siteRole must be one of {', '.join(SITE_ROLES)}")
    return User(id=user_id, name=data["name"], password=data.get("password"), site_role=role)


def _app(data: dict[str, Any], project_ids: Any) -> ConnectedApp:
    client_id = data["clientId"]
    project_id = data.get("projectId")
    if project_id is not None and project_id not in project_ids:
        raise RegistryError(f"connected app {client_id}: unknown projectId {project_id}")
    secrets = [Secret(id=s["id"], value=s["value"]) for s in data.get("secrets", [])]
    if len(secrets) > MAX_SECRETS:
        raise RegistryError(f"connected app {client_id}: at most {MAX_SECRETS} secrets "
                            f"(Troubleshoot Connected Apps, code 128)")
    return ConnectedApp(
        client_id=client_id,
        name=data["name"],
        enabled=bool(data.get("enabled", False)),
        project_id=project_id,
        domain_allowlist=_checked_allowlist(data.get("domainAllowlist", ""), client_id),
        secrets=secrets,
    )


def _eas(data: dict[str, Any]) -> AuthorizationServer:
    return AuthorizationServer(issuer=data["issuer"], jwks=data.get("jwks"))


def _checked_allowlist(value: str, where: str) -> str:
    try:
        allowlist.sources(value)
    except allowlist.InvalidAllowlist as exc:
        raise RegistryError(f"{where}: {exc}") from exc
    return value
