"""What a token says about the user besides `sub`: attributes, groups and on-demand access.

One place decides it for every token the host mints (page, token API, REST sign-in), so what the
token panel shows on a page is what the REST listing was asked with too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from config import Settings
from host.signin.users import User
from tableau_rules.claims import ON_DEMAND_ACCESS_CLAIM


@dataclass(frozen=True)
class UserClaims:
    attributes: dict[str, Any] = field(default_factory=dict)  # extra top-level claims
    groups: tuple[str, ...] = ()  # https://tableau.com/groups
    on_demand: bool = False  # https://tableau.com/oda: "true"

    def extra_claims(self) -> dict[str, Any]:
        """The claims to add beside the registered ones (groups go in separately)."""
        if self.on_demand:
            # The string "true", not a boolean (Troubleshoot Connected Apps, codes 67 and 10101).
            return {**self.attributes, ON_DEMAND_ACCESS_CLAIM: "true"}
        return dict(self.attributes)


def user_claims(settings: Settings, user: User) -> UserClaims:
    """Attributes and groups when the settings send them. A user in an on-demand group
    (TABLEAU_ON_DEMAND_GROUPS) has no Tableau account: Tableau creates them for the session from
    the token, so the token says so and always carries their groups, which grant what they see
    ("Authentication and Embedding", on-demand access)."""
    on_demand = any(group in settings.on_demand_groups for group in user.groups)
    return UserClaims(
        attributes=dict(user.attributes) if settings.send_user_attributes else {},
        groups=user.groups if settings.send_groups or on_demand else (),
        on_demand=on_demand,
    )
