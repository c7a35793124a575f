"""The EAS's demo users, read from a file of the same shape as the host's config/sandbox_users.json.

By default it is that very file, so both sign-ins know the same people (alice, bob, carol) with the
same Tableau usernames, attributes and groups.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from tableau_rules.claims import RESERVED_CLAIMS

from .models import User
from .settings import EasConfigError

DEFAULT_USERS_FILE = Path(__file__).resolve().parents[2] / "config" / "sandbox_users.json"

# Checked when the login is unknown, so an unknown login and a wrong password take as long.
_DUMMY_HASH = generate_password_hash("never-a-real-password", method="pbkdf2:sha256:1000")


class UserDirectory:
    def __init__(self, users: list[User]) -> None:
        self._by_login = {u.login: u for u in users}

    def get(self, login: str) -> User | None:
        return self._by_login.get(login)

    def authenticate(self, login: str, password: str) -> User | None:
        user = self._by_login.get(login)
        ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
        return user if user and ok else None


def load_users(path: Path) -> UserDirectory:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EasConfigError(f"users file {path}: cannot read it ({exc})") from exc
    # The demo passwords are published: only a file that says it is for the sandbox is served.
    if not isinstance(data, dict) or data.get("sandbox_only") is not True:
        raise EasConfigError(f'users file {path}: must be a JSON object with "sandbox_only": true')
    raw_users = data.get("users")
    if not isinstance(raw_users, list) or not raw_users:
        raise EasConfigError(f'users file {path}: "users" must be a non-empty list')
    users = [_parse_user(path, i, raw) for i, raw in enumerate(raw_users)]
    logins = [u.login for u in users]
    if len(set(logins)) != len(logins):
        raise EasConfigError(f"users file {path}: a login appears twice")
    return UserDirectory(users)


def _parse_user(path: Path, index: int, raw: Any) -> User:
    where = f"users file {path}, user #{index}"
    if not isinstance(raw, dict):
        raise EasConfigError(f"{where}: must be an object")
    for key in ("login", "display_name", "tableau_username", "password_hash"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise EasConfigError(f"{where}: {key!r} must be a non-empty string")
    return User(
        login=raw["login"],
        display_name=raw["display_name"],
        tableau_username=raw["tableau_username"],
        password_hash=raw["password_hash"],
        attributes=_attributes(where, raw.get("attributes", {})),
        groups=_groups(where, raw.get("groups", [])),
    )


def _attributes(where: str, attributes: Any) -> dict[str, Any]:
    if not isinstance(attributes, dict):
        raise EasConfigError(f"{where}: 'attributes' must be an object")
    # Attributes travel as top-level claims (Configure Connected Apps with OAuth 2.0 Trust); these names
    # are taken by the token itself.
    taken = sorted(set(attributes) & RESERVED_CLAIMS)
    if taken:
        raise EasConfigError(f"{where}: attribute names {taken} are JWT claims of their own; rename them")
    for name, value in attributes.items():
        if not isinstance(value, str | int | float | bool) and not _string_list(value):
            raise EasConfigError(
                f"{where}: attribute {name!r} must be a string, number, boolean or list of strings"
            )
    return dict(attributes)


def _groups(where: str, groups: Any) -> tuple[str, ...]:
    # Configure Connected Apps with OAuth 2.0 Trust: the groups claim holds names of groups on the site.
    if not _string_list(groups):
        raise EasConfigError(f"{where}: 'groups' must be a list of strings")
    return tuple(groups)


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
