"""The minting preflight checks the parts before signing: it must refuse exactly what the
token-based preflight refuses (the rule cases of test_jwt_rules, re-run on their parts)."""

from __future__ import annotations

import jwt
import pytest

from config import load_settings
from host.embed.mint import DirectTrustSigner, mint_direct_trust_jwt
from host.embed.viz_token import mint_for_user
from host.signin.users import User
from tableau_rules.claims import decode_segment
from tableau_rules.jwt_rules import BrokenRules, preflight, preflight_parts
from tests.conftest import SECRET_VALUE, base_env
from tests.diagnostics.tokens import EDGE_CASES, NOW, rule_cases


def parts_of(token: str) -> tuple[dict, dict] | None:
    segments = token.split(".")
    if len(segments) != 3 or not segments[2]:
        return None  # not a shape the minter can produce: three parts, always signed
    try:
        return decode_segment(segments[0]), decode_segment(segments[1])
    except ValueError:
        return None


ALL = [(case_id, token, component) for case_id, token, _, _, component in rule_cases(NOW)]
ALL += [(case_id, token, None) for case_id, (token, _) in EDGE_CASES.items()]
# Shapes the minter cannot produce (five parts, no signature, not JSON, NaN: json.dumps refuses it,
# tested below) are left out: the token-based preflight keeps covering them for pasted tokens.
CASES = [case for case in ALL if (parts := parts_of(case[1])) and all(isinstance(p, dict) for p in parts)]


def test_most_rule_cases_are_checked_on_parts() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("case_id", "token", "component"), CASES, ids=[c[0] for c in CASES])
def test_parts_and_token_preflight_find_the_same_rules(case_id: str, token: str,
                                                       component: str | None) -> None:
    parts = parts_of(token)
    components = [component] if component else []
    expected = {(p.code, p.rule) for p in preflight(token, components, now=NOW)}
    found = {(p.code, p.rule) for p in preflight_parts(*parts, components, size=len(token.encode()),
                                                       now=NOW)}
    assert found == expected


def test_the_signer_makes_byte_for_byte_what_jwt_encode_makes() -> None:
    claims = {"iss": "c", "sub": "alice@example.com", "aud": "tableau", "exp": 2000, "jti": "j",
              "scp": ["tableau:views:embed"], "Région": "Ouest"}
    signer = DirectTrustSigner("c", "k", SECRET_VALUE)
    ours = signer.sign(signer.payload_segment(claims))
    assert ours == jwt.encode(claims, SECRET_VALUE, algorithm="HS256", headers={"kid": "k", "iss": "c"})
    assert signer.token_size(signer.payload_segment(claims)) == len(ours)


def test_a_check_that_refuses_stops_the_signing() -> None:
    seen = []

    def refuse(header, claims, size) -> None:
        seen.append((header["kid"], claims["sub"], size))
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        mint_direct_trust_jwt(client_id="c", secret_id="k", secret_value=SECRET_VALUE, username="a",
                              scopes=["tableau:views:embed"], check=refuse, now=NOW)
    assert seen and seen[0][:2] == ("k", "a") and seen[0][2] > 100


def test_a_nan_attribute_is_refused_before_signing() -> None:
    user = User(login="a", display_name="A", tableau_username="a@example.com", password_hash="x",
                attributes={"Quota": float("nan")})
    with pytest.raises(BrokenRules, match="10084"):
        mint_for_user(load_settings(base_env()), user, ["viz"])
