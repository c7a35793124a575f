"""jwt_rules for unified access tokens: what every UAT needs, and what makes one wrong for this
host's UAT configuration, each with the code the simulator answers (docs/simulator-codes.md)."""

from __future__ import annotations

import pytest

from tableau_rules.jwt_rules import Expected, check_token, inspect_token
from tableau_rules.uat_rules import UatExpected, refused_scopes
from tests.diagnostics.tokens import NOW, raw

TENANT = "https://tableau.com/tenantId"
SITE = "https://tableau.com/siteId"
HEADER = {"alg": "RS256", "kid": "key-1", "typ": "JWT"}
EXPECTED = Expected(uat=UatExpected(issuer="https://host.example", key_ids=("key-1", "key-2"),
                                    tenant_id="tenant-1", site_id="site-1",
                                    scopes=("tableau:views:embed", "tableau:content:read")))


def claims(**changes):
    base = {"iss": "https://host.example", "email": "alice@example.com", TENANT: "tenant-1",
            "exp": int(NOW) + 300, "iat": int(NOW), "jti": "j-1", "scp": ["tableau:views:embed"]}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def findings(token: str, expected: Expected | None = EXPECTED) -> list[tuple[int, str]]:
    found = inspect_token(token, trust="uat", now=NOW, component="viz", expected=expected)
    return [(p.code, p.rule) for p in found.problems]


def test_a_good_uat_breaks_no_rule():
    assert findings(raw(HEADER, claims())) == []
    assert check_token(raw(HEADER, claims()), trust="uat", now=NOW) == []


@pytest.mark.parametrize(("header", "body", "expected"), [
    ({**HEADER, "alg": "PS256"}, claims(), (10087, "header.alg")),
    ({**HEADER, "kid": None}, claims(), (10083, "header.kid")),
    (HEADER, claims(iss=None), (10083, "header.iss")),
    (HEADER, claims(**{TENANT: None}), (10084, "claims.tenant")),
    (HEADER, claims(email=None, sub="alice@example.com"), (10084, "claims.username")),
    (HEADER, claims(**{SITE: 7}), (10084, "claims.site")),
    # Against this host's configuration:
    (HEADER, claims(iss="https://other.example"), (10082, "config.iss")),
    (HEADER, claims(iss="other-issuer"), (10089, "config.iss")),
    ({**HEADER, "kid": "retired"}, claims(), (10085, "config.kid")),
    (HEADER, claims(**{TENANT: "tenant-2"}), (10084, "config.tenant")),
    (HEADER, claims(**{SITE: "site-2"}), (10084, "config.site")),
    (HEADER, claims(scp=["tableau:views:embed", "tableau:users:read"]), (10097, "config.scopes")),
], ids=["alg", "kid", "iss", "tenant", "username", "site-type", "issuer-url", "issuer-name",
        "unknown-kid", "wrong-tenant", "wrong-site", "scope"])
def test_each_uat_rule_gives_the_simulators_code(header, body, expected):
    assert expected in findings(raw({k: v for k, v in header.items() if v is not None}, body))


def test_the_username_claim_is_the_configured_one():
    upn = Expected(uat=UatExpected(username_claim="upn"))
    token = raw(HEADER, claims(email=None, upn="alice@example.com"))
    assert findings(token, upn) == []
    assert (10084, "claims.username") in findings(token, None)  # default: email


def test_configured_checks_need_the_configuration():
    token = raw({**HEADER, "kid": "anything"}, claims(iss="https://anyone.example",
                                                      scp=["tableau:views:embed", "tableau:x:y"]))
    assert findings(token, None) == []


def test_wildcard_scopes_cover_every_action_of_their_resource_only():
    allowed = ["tableau:views:*", "tableau:content:read"]
    assert refused_scopes(["tableau:views:embed", "tableau:content:read"], allowed) == []
    assert refused_scopes(["tableau:content:*", "tableau:insights:embed"], allowed) == [
        "tableau:content:*", "tableau:insights:embed"]
