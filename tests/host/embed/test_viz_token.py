"""Direct-trust minting: header, claims, freshness at each call, lifetime bounds, rotation."""

from __future__ import annotations

import jwt
import pytest

from config import load_settings
from host.embed.viz_token import mint_for_user
from host.signin.users import User
from tableau_rules.jwt_rules import BrokenRules
from tests.conftest import SECOND_SECRET_VALUE, SECRET_VALUE, base_env

ALICE = User(
    login="alice", display_name="Alice", tableau_username="Alice@Example.com", password_hash="x",
    attributes={"Region": "West"}, groups=("Sales", "Authors"),
)


def decode(token: str, secret: str = SECRET_VALUE) -> dict:
    return jwt.decode(token, secret, algorithms=["HS256"], audience="tableau",
                      options={"verify_exp": False})


class FrozenClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_header_and_claims_follow_document_004():
    settings = load_settings(base_env(TABLEAU_SEND_USER_ATTRIBUTES="true", TABLEAU_SEND_GROUPS="true"))
    minted = mint_for_user(settings, ALICE, ["viz"], clock=FrozenClock(1_700_000_000))
    header = jwt.get_unverified_header(minted.token)
    assert header == {"alg": "HS256", "typ": "JWT", "kid": "secret-1", "iss": "client-123"}
    claims = decode(minted.token)
    assert claims["iss"] == "client-123"
    assert claims["sub"] == "Alice@Example.com"  # case kept exactly (Troubleshoot Connected Apps, code 5)
    assert claims["aud"] == "tableau"
    assert claims["exp"] == 1_700_000_000 + 300 == minted.expires_at
    assert claims["scp"] == ["tableau:views:embed"]
    assert claims["Region"] == "West"
    assert claims["https://tableau.com/groups"] == ["Sales", "Authors"]


def test_attributes_and_groups_are_left_out_unless_configured():
    settings = load_settings(base_env(TABLEAU_SEND_USER_ATTRIBUTES="false", TABLEAU_SEND_GROUPS="false"))
    claims = decode(mint_for_user(settings, ALICE, ["viz"]).token)
    assert "Region" not in claims and "https://tableau.com/groups" not in claims


def test_each_call_gets_a_fresh_jti_and_exp_under_a_frozen_then_moving_clock():
    settings = load_settings(base_env())
    clock = FrozenClock(1_700_000_000)
    first = decode(mint_for_user(settings, ALICE, ["viz"], clock=clock).token)
    second = decode(mint_for_user(settings, ALICE, ["viz"], clock=clock).token)
    assert first["jti"] != second["jti"]
    clock.now += 120
    third = decode(mint_for_user(settings, ALICE, ["viz"], clock=clock).token)
    assert third["exp"] == first["exp"] + 120


@pytest.mark.parametrize(
    ("components", "scopes"),
    [
        (["viz"], ["tableau:views:embed"]),
        (["authoring"], ["tableau:views:embed_authoring", "tableau:views:embed"]),
        (["pulse"], ["tableau:insights:embed"]),
        (["viz", "authoring"], ["tableau:views:embed", "tableau:views:embed_authoring"]),
    ],
)
def test_scopes_cover_every_component_on_the_page(components, scopes):
    claims = decode(mint_for_user(load_settings(base_env()), ALICE, components).token)
    assert claims["scp"] == scopes


@pytest.mark.parametrize("lifetime", ["1", "600"])
def test_lifetime_is_configurable_up_to_ten_minutes(lifetime):
    settings = load_settings(base_env(TOKEN_LIFETIME_SECONDS=lifetime))
    minted = mint_for_user(settings, ALICE, ["viz"], clock=FrozenClock(1000))
    assert decode(minted.token)["exp"] - 1000 == int(lifetime)


def test_rotation_signs_with_the_chosen_secret_and_names_it_in_kid():
    env = base_env(TABLEAU_SECRET_2_ID="secret-2", TABLEAU_SECRET_2_VALUE=SECOND_SECRET_VALUE)
    before = mint_for_user(load_settings(env), ALICE, ["viz"]).token
    after = mint_for_user(load_settings({**env, "TABLEAU_SIGNING_SECRET": "2"}), ALICE, ["viz"]).token
    assert jwt.get_unverified_header(before)["kid"] == "secret-1"
    assert jwt.get_unverified_header(after)["kid"] == "secret-2"
    decode(after, SECOND_SECRET_VALUE)
    with pytest.raises(jwt.InvalidSignatureError):
        decode(after, SECRET_VALUE)


def test_a_token_over_8000_bytes_is_refused_not_sent():
    big = User(login="big", display_name="Big", tableau_username="big@example.com", password_hash="x",
               attributes={"Notes": "x" * 9000})
    settings = load_settings(base_env(TABLEAU_SEND_USER_ATTRIBUTES="true"))
    with pytest.raises(BrokenRules, match="10103") as caught:
        mint_for_user(settings, big, ["viz"])
    assert "x" * 100 not in str(caught.value)  # the message names the rule, not the token


def test_minted_token_repr_hides_the_token():
    minted = mint_for_user(load_settings(base_env()), ALICE, ["viz"])
    assert minted.token not in repr(minted)
