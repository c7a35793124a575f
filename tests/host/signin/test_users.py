"""The host's users file: attribute names that are claims of their own are refused, naming them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from host.signin.users import UserDirectory, UsersFileError
from tableau_rules.claims import RESERVED_CLAIMS
from tests.conftest import DEMO_USERS


def users_file(tmp_path: Path, attributes: dict[str, str]) -> Path:
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"users": [{
        "login": "alice", "password_hash": "x", "tableau_username": "alice@example.com",
        "attributes": attributes}]}), encoding="utf-8")
    return path


# An attribute named like the on-demand claim would make every token of that user on-demand (Troubleshoot
# Connected Apps: 67, 10101); 'nbf' would make Tableau wait. Each reserved name is refused, and the
# message names it.
@pytest.mark.parametrize("name", sorted(RESERVED_CLAIMS))
def test_an_attribute_named_like_a_claim_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsersFileError, match=f"'{name}'"):
        UserDirectory.load(users_file(tmp_path, {name: "true"}), sandbox=True)


def test_the_on_demand_and_nbf_claims_are_reserved() -> None:
    assert {"https://tableau.com/oda", "nbf"} <= RESERVED_CLAIMS


def test_ordinary_attributes_load(tmp_path: Path) -> None:
    directory = UserDirectory.load(users_file(tmp_path, {"Region": "West"}), sandbox=True)
    user = directory.get("alice")
    assert user is not None and user.attributes == {"Region": "West"}


def test_the_demo_users_file_uses_the_production_hash_and_signs_in() -> None:
    # Tests sign in against a cheap-hash copy (tests/conftest.py); this is the real thing, once.
    directory = UserDirectory.load(DEMO_USERS, sandbox=True)
    alice = directory.get("alice")
    assert alice is not None and alice.password_hash.startswith("scrypt:")
    assert directory.authenticate("alice", "alice-demo") == alice
    assert directory.authenticate("alice", "wrong") is None


def test_an_unknown_login_costs_a_hash_of_the_files_own_method() -> None:
    # Unknown and known logins both check one hash of the same method, so timing tells nothing.
    directory = UserDirectory.load(DEMO_USERS, sandbox=True)
    assert directory.authenticate("mallory", "x") is None
    method = directory.get("alice").password_hash.split("$", 1)[0]
    assert directory._unknown_login_hash().split("$", 1)[0] == method
