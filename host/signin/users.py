"""The host's own user directory: who may sign in, and who they are on Tableau."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from tableau_rules.claims import RESERVED_CLAIMS


class UsersFileError(ValueError):
    """The users file is missing, malformed, or not allowed in this mode."""


@dataclass(frozen=True)
class User:
    login: str
    display_name: str
    # Tableau's 'sub' is the Tableau username and is case sensitive (Troubleshoot Connected Apps, code 5).
    tableau_username: str
    password_hash: str = field(repr=False)
    attributes: dict[str, Any] = field(default_factory=dict)
    groups: tuple[str, ...] = ()


class UserDirectory:
    def __init__(self, users: list[User]) -> None:
        self._by_login = {u.login: u for u in users}
        self._dummy_hash: str | None = None  # made at the first unknown login

    def _unknown_login_hash(self) -> str:
        """A hash checked when the login is unknown, so both failures cost the same time: made
        with the method (and its cost) of this file's own hashes, e.g. scrypt:32768:8:1."""
        if self._dummy_hash is None:
            methods = [u.password_hash.split("$", 1)[0] for u in self._by_login.values()]
            self._dummy_hash = generate_password_hash(
                "not-a-real-password", **({"method": methods[0]} if methods else {}))
        return self._dummy_hash

    @classmethod
    def load(cls, path: Path | None, *, sandbox: bool) -> UserDirectory:
        """Read a users file; a file marked sandbox_only is refused outside the sandbox.
        No file: nobody signs in here (users come from the EAS)."""
        if path is None:
            return cls([])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise UsersFileError(f"USERS_FILE {path}: cannot read it ({exc})") from exc
        if data.get("sandbox_only") and not sandbox:
            raise UsersFileError(
                f"USERS_FILE {path} holds demo users with published passwords and is for "
                "APP_ENV=sandbox only; point USERS_FILE at your own users file"
            )
        return cls([_parse_user(path, i, raw) for i, raw in enumerate(data.get("users", []))])

    def get(self, login: str) -> User | None:
        return self._by_login.get(login)

    def authenticate(self, login: str, password: str) -> User | None:
        """The user when the password matches; None for an unknown login or a wrong password."""
        user = self._by_login.get(login)
        if user is None:
            check_password_hash(self._unknown_login_hash(), password)
            return None
        return user if check_password_hash(user.password_hash, password) else None

    def __iter__(self):
        return iter(self._by_login.values())


def _parse_user(path: Path, index: int, raw: dict[str, Any]) -> User:
    missing = [k for k in ("login", "password_hash", "tableau_username") if not raw.get(k)]
    if missing:
        raise UsersFileError(f"USERS_FILE {path}: user #{index + 1} lacks {', '.join(missing)}")
    groups = raw.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise UsersFileError(f"USERS_FILE {path}: user {raw['login']!r}: groups must be a list")
    attributes = raw.get("attributes", {})
    # User attributes travel as extra top-level claims (Configure Connected Apps with OAuth 2.0 Trust); these
    # names are taken.
    clash = sorted(RESERVED_CLAIMS.intersection(attributes))
    if clash:
        raise UsersFileError(
            f"USERS_FILE {path}: user {raw['login']!r}: attribute names {clash} are JWT claims"
        )
    return User(
        login=raw["login"],
        display_name=raw.get("display_name", raw["login"]),
        tableau_username=raw["tableau_username"],
        password_hash=raw["password_hash"],
        attributes=dict(attributes),
        groups=tuple(groups),
    )
