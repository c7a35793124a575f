"""tableau_rules.jwt_rules: every documented rule, signature checks, and the host's preflight."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from config import load_settings
from host.embed.viz_token import mint_for_user
from host.signin.users import User
from tableau_rules.catalogue import entry
from tableau_rules.jwt_rules import (
    BrokenRules,
    Expected,
    check_token,
    inspect_token,
    preflight,
    require_clean,
    verify_signature,
)
from tableau_rules.scopes import UnknownComponent
from tests.conftest import SECRET_VALUE, base_env
from tests.diagnostics.tokens import EDGE_CASES, NOW, good_claims, raw, rule_cases, signed

CASES = rule_cases(NOW)


def test_a_good_token_breaks_no_rule() -> None:
    token = signed(good_claims(NOW))
    assert check_token(token, now=NOW, component="viz") == []
    found = inspect_token(token, now=NOW)
    assert found.ok and found.claims["sub"] == "alice@example.com" and found.header["kid"] == "secret-1"


@pytest.mark.parametrize(("token", "code", "rule", "component"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_gives_tableaus_code(token: str, code: int, rule: str, component: str | None) -> None:
    problems = check_token(token, now=NOW, component=component)
    assert (code, rule) in [(p.code, p.rule) for p in problems]
    hit = next(p for p in problems if p.rule == rule)
    # The resolution is the catalogue's text, never retyped.
    assert hit.resolution == entry(code).resolution and hit.name == entry(code).name


def test_every_problem_is_listed_not_just_the_first() -> None:
    token = signed(good_claims(NOW, aud="TABLEAU", jti=None, scp="x"), kid=None)
    assert {p.code for p in check_token(token, now=NOW)} == {10083, 10084, 10094, 10097}


def test_iss_as_a_claim_is_enough() -> None:
    # Configure Connected Apps with Direct Trust: 'iss' is required "in header or as a claim".
    assert check_token(signed(good_claims(NOW), iss=None), now=NOW) == []


def test_max_lifetime_is_configurable() -> None:
    token = signed(good_claims(NOW, exp=int(NOW) + 500))
    assert check_token(token, now=NOW) == []
    assert [p.code for p in check_token(token, now=NOW, max_lifetime_s=300)] == [10096]


def test_eas_and_uat_rules() -> None:
    rs = raw({"alg": "RS256", "kid": "k1", "iss": "https://eas.example.com"},
             good_claims(NOW, aud="0d1f-site-id"))
    # Configure Connected Apps with OAuth 2.0 Trust: a site-level EAS uses the site ID
    assert check_token(rs, trust="eas", now=NOW) == []
    assert [p.rule for p in check_token(signed(good_claims(NOW)), trust="eas", now=NOW)] == ["header.alg"]
    uat = raw({"alg": "RS256", "kid": "k1", "iss": "issuer"}, good_claims(NOW, sub=None, aud=None))
    # A UAT names its user in the username claim (default email), not 'sub'.
    assert [p.rule for p in check_token(uat, trust="uat", now=NOW)] == ["claims.tenant", "claims.username"]


def test_unknown_trust_or_component_is_a_caller_error() -> None:
    token = signed(good_claims(NOW))
    with pytest.raises(ValueError, match="trust"):
        check_token(token, trust="saml")  # type: ignore[arg-type]
    with pytest.raises(UnknownComponent):
        check_token(token, component="dashboard")


def test_preflight_checks_every_component_on_the_page() -> None:
    token = signed(good_claims(NOW))
    assert preflight(token, ["viz"], now=NOW) == []
    problems = preflight(token, ["viz", "authoring", "pulse"], now=NOW)
    assert [p.code for p in problems] == [10099, 10099]
    assert "embed_authoring" in problems[0].message and "insights" in problems[1].message


def test_messages_never_carry_the_token() -> None:
    token = signed(good_claims(NOW, exp=int(NOW) - 5, jti=None))
    for p in check_token(token, now=NOW):
        assert token not in p.message and token.split(".")[2] not in str(p.as_dict())


# --- signatures ---------------------------------------------------------------------------------


def test_hs256_signature() -> None:
    token = signed(good_claims(NOW))
    assert verify_signature(token, secret=SECRET_VALUE) == []
    wrong = verify_signature(token, secret="w" * 48)
    assert [(p.code, p.rule) for p in wrong] == [(127, "signature.secret")]  # as the simulator
    with pytest.raises(ValueError):
        verify_signature(token)


def test_a_token_pyjwt_refuses_to_read_is_a_format_problem_not_a_crash() -> None:
    token = EDGE_CASES["kid-number"][0]  # PyJWT raises InvalidTokenError for a numeric 'kid'
    assert [(p.code, p.rule) for p in verify_signature(token, secret=SECRET_VALUE)] == [
        (10084, "signature.format")]


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks_for(key: rsa.RSAPrivateKey, kid: str = "k1") -> dict:
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"keys": [{**public, "kid": kid, "use": "sig"}]}


def rs_token(key: rsa.RSAPrivateKey, kid: str = "k1") -> str:
    return jwt.encode(good_claims(NOW), key, algorithm="RS256", headers={"kid": kid, "iss": "eas"})


def test_rs256_with_a_jwks(rsa_key: rsa.RSAPrivateKey) -> None:
    token = rs_token(rsa_key)
    assert verify_signature(token, jwks=jwks_for(rsa_key)) == []
    assert [p.code for p in verify_signature(token, jwks=jwks_for(rsa_key, kid="other"))] == [10085]
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert [p.rule for p in verify_signature(token, jwks=jwks_for(other))] == ["signature.mismatch"]
    assert [p.code for p in verify_signature(signed(good_claims(NOW)), jwks=jwks_for(rsa_key))] == [10087]


def test_rsa_keys_under_2048_bits_are_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - deliberately weak
    header = {"alg": "RS256", "kid": "k1"}
    token = raw(header, good_claims(NOW))  # signature irrelevant: the key size is checked first
    # Register EAS to Enable SSO for Embedded Content
    assert [p.code for p in verify_signature(token, jwks=jwks_for(small))] == [10088]


def test_a_future_iat_alone_is_not_a_problem() -> None:
    # Nothing documents Tableau refusing it (the simulator accepts it); clocks are doctor's job.
    assert check_token(signed(good_claims(NOW, iat=int(NOW) + 120, exp=int(NOW) + 300)), now=NOW) == []


def test_require_clean_raises_with_codes_but_not_the_token() -> None:
    require_clean(signed(good_claims(NOW)), ["viz"], now=NOW)  # clean: no exception
    token = signed(good_claims(NOW, jti=None))
    with pytest.raises(BrokenRules) as caught:
        require_clean(token, ["viz"], now=NOW)
    assert [p.code for p in caught.value.problems] == [10094]
    assert "10094 claims.jti" in str(caught.value) and token.split(".")[2] not in str(caught.value)


def test_a_token_minted_for_every_component_breaks_no_rule() -> None:
    user = User(login="a", display_name="A", tableau_username="a@example.com", password_hash="x")
    components = ["viz", "authoring", "pulse"]
    minted = mint_for_user(load_settings(base_env()), user, components, clock=lambda: NOW)
    assert preflight(minted.token, components, now=NOW) == []


# --- the host's configured IDs, and warnings without a documented code --------------------------

HOST_IDS = Expected(client_id="client-123", secret_ids=("secret-1", "secret-2"),
                    eas_issuer="https://idp.example/")


def test_a_token_for_this_host_passes_the_configured_ids() -> None:
    found = inspect_token(signed(good_claims(NOW)), now=NOW, expected=HOST_IDS)
    assert found.clean
    assert inspect_token(signed(good_claims(NOW), kid="secret-2"), now=NOW, expected=HOST_IDS).clean


@pytest.mark.parametrize(("token", "code", "rule"), [
    (signed(good_claims(NOW, iss="other-app"), iss="other-app"), 10089, "config.iss"),
    (signed(good_claims(NOW), kid="secret-9"), 10085, "config.kid"),
], ids=["another-app", "another-secret"])
def test_another_app_or_secret_gets_the_code_the_simulator_answers(token: str, code: int, rule: str) -> None:
    problems = inspect_token(token, now=NOW, expected=HOST_IDS).problems
    assert [(p.code, p.rule) for p in problems] == [(code, rule)]
    assert problems[0].resolution == entry(code).resolution
    assert check_token(token, now=NOW) == []  # without the IDs, nothing to compare with


def test_an_eas_token_from_another_issuer() -> None:
    token = raw({"alg": "RS256", "kid": "k"}, good_claims(NOW, iss="https://evil.example/", aud="tableau"))
    problems = inspect_token(token, trust="eas", now=NOW, expected=HOST_IDS).problems
    assert ("config.iss", 10082) in [(p.rule, p.code) for p in problems]


@pytest.mark.parametrize(("claims", "header", "rule"), [
    ({"iat": int(NOW) + 3600}, {}, "claims.iat-future"),
    ({"nbf": int(NOW) + 3600}, {}, "claims.nbf-future"),
    ({"nbf": "tomorrow"}, {}, "claims.nbf"),
    ({}, {"iss": "client-999"}, "header.iss-differs"),
], ids=["iat", "nbf", "nbf-format", "header-iss"])
def test_cautions_without_a_documented_code(claims: dict, header: dict, rule: str) -> None:
    found = inspect_token(signed(good_claims(NOW, **claims), **header), now=NOW)
    assert [c.rule for c in found.cautions] == [rule]
    assert found.ok and not found.clean  # no documented rule broken, still not clean
    assert found.cautions[0].fix


def test_a_little_clock_skew_is_no_caution() -> None:
    token = signed(good_claims(NOW, iat=int(NOW) + 30, nbf=int(NOW) + 30))
    assert inspect_token(token, now=NOW).cautions == ()


def test_the_preflight_ignores_cautions() -> None:
    token = signed(good_claims(NOW, iat=int(NOW) + 3600))
    assert preflight(token, ["viz"], now=NOW) == []
