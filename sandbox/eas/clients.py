"""Client registrations: the dicts given to create_app, checked and turned into Client records.

Shape: {"client_id": str, "client_secret": str, "redirect_uris": [str, ...],
        "scopes": [str, ...] (optional, default all), "grant_types": [str, ...] (optional),
        "post_logout_redirect_uris": [str, ...] (optional: where /logout may send the browser)}
The secret comes from the caller (environment or arguments) and is kept only as a digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import scopes
from .models import GRANT_TYPES, Client, digest
from .settings import EasConfigError, check_web_url

MIN_SECRET_CHARS = 16
_KEYS = {"client_id", "client_secret", "redirect_uris", "scopes", "grant_types",
         "post_logout_redirect_uris"}


def parse_clients(items: Iterable[Mapping[str, Any]] | None) -> list[Client]:
    clients = [parse_client(item) for item in items or []]
    ids = [c.client_id for c in clients]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise EasConfigError(f"client_id registered twice: {', '.join(duplicates)}")
    return clients


def parse_client(item: Mapping[str, Any]) -> Client:
    if not isinstance(item, Mapping):
        raise EasConfigError("each client must be a dict (see sandbox/eas/clients.py for the shape)")
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise EasConfigError(f"client: unknown keys {unknown}; expected {sorted(_KEYS)}")
    client_id = item.get("client_id")
    if not isinstance(client_id, str) or not client_id.strip():
        raise EasConfigError("client: client_id must be a non-empty string")
    return Client(
        client_id=client_id,
        secret_digest=digest(_secret(client_id, item.get("client_secret"))),
        redirect_uris=_redirect_uris(client_id, item.get("redirect_uris")),
        scopes=_scopes(client_id, item.get("scopes", scopes.SUPPORTED_SCOPES)),
        grant_types=_grant_types(client_id, item.get("grant_types", GRANT_TYPES)),
        post_logout_redirect_uris=_post_logout_uris(client_id, item.get("post_logout_redirect_uris", [])),
    )


def _secret(client_id: str, secret: object) -> str:
    # Never echo the secret in an error message.
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_CHARS:
        raise EasConfigError(
            f"client {client_id!r}: client_secret must be a string of at least {MIN_SECRET_CHARS} "
            "characters (generate one, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return secret


def _redirect_uris(client_id: str, uris: object) -> tuple[str, ...]:
    if not isinstance(uris, list | tuple) or not uris:
        raise EasConfigError(f"client {client_id!r}: redirect_uris must be a non-empty list")
    return tuple(check_web_url(uri, f"client {client_id!r}: redirect URI") for uri in uris)


def _post_logout_uris(client_id: str, uris: object) -> tuple[str, ...]:
    if not isinstance(uris, list | tuple):
        raise EasConfigError(f"client {client_id!r}: post_logout_redirect_uris must be a list")
    return tuple(check_web_url(uri, f"client {client_id!r}: post-logout redirect URI") for uri in uris)


def _scopes(client_id: str, allowed: object) -> tuple[str, ...]:
    if not isinstance(allowed, list | tuple) or not allowed:
        raise EasConfigError(f"client {client_id!r}: scopes must be a non-empty list")
    unknown = [s for s in allowed if s not in scopes.SUPPORTED_SCOPES]
    if unknown:
        raise EasConfigError(
            f"client {client_id!r}: unknown scopes {unknown}; supported: {list(scopes.SUPPORTED_SCOPES)}"
        )
    # Complete per component (Authentication and Embedding) so a granted authoring scope never lacks
    # views:embed.
    completed = set(allowed) | set(scopes.tableau_scp(allowed))
    return tuple(s for s in scopes.SUPPORTED_SCOPES if s in completed)


def _grant_types(client_id: str, grant_types: object) -> tuple[str, ...]:
    if not isinstance(grant_types, list | tuple) or "authorization_code" not in grant_types:
        raise EasConfigError(f"client {client_id!r}: grant_types must include 'authorization_code'")
    unknown = [g for g in grant_types if g not in GRANT_TYPES]
    if unknown:
        raise EasConfigError(f"client {client_id!r}: unsupported grant_types {unknown}")
    return tuple(grant_types)
