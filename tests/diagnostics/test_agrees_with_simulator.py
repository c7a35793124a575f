"""jwt_rules and the sandbox simulator answer the same code for the same broken token.

For each crafted token the simulator answers its first failing check (docs/simulator-codes.md);
that code must be among the problems check_token() lists, and a clean token passes both.
"""

from __future__ import annotations

import pytest

from sandbox.simulator import tokens as simulator_tokens
from sandbox.simulator.codes import SignInError
from sandbox.simulator.registry import load
from tableau_rules.jwt_rules import check_token, verify_signature
from tests.conftest import SECRET_VALUE
from tests.diagnostics.tokens import EDGE_CASES, NOW, good_claims, rule_cases, signed
from tests.sandbox.helpers import build_registry

# Checked elsewhere in the simulator (scp.component: per component, at embed sign-in) or not at all
# (minted-too-long: a prediction about an earlier presentation of the same token).
NOT_TOKEN_LEVEL = {"scp.component", "lifetime.minted-too-long"}
CASES = [c for c in rule_cases(NOW) if c[3] not in NOT_TOKEN_LEVEL]


@pytest.fixture(scope="module")
def registry():
    return load(build_registry(
        app__clientId="client-123", app__secrets=[{"id": "secret-1", "value": SECRET_VALUE}]))


def simulator_code(token: str, registry) -> int | None:
    try:
        simulator_tokens.validate(token, registry.sites[0], registry, NOW)
    except SignInError as exc:
        return exc.code
    return None


def test_a_clean_token_passes_both(registry) -> None:
    token = signed(good_claims(NOW))
    assert simulator_code(token, registry) is None and check_token(token, now=NOW) == []


@pytest.mark.parametrize("token", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_same_code_as_the_simulator(token: str, registry) -> None:
    answered = simulator_code(token, registry)
    assert answered is not None
    assert answered in {p.code for p in check_token(token, now=NOW)}


def test_wrong_secret_same_code(registry) -> None:
    token = signed(good_claims(NOW), secret="w" * 48)
    assert simulator_code(token, registry) == 127
    assert [p.code for p in verify_signature(token, secret=SECRET_VALUE)] == [127]


# Values the two used to judge differently (truthiness vs. stripped text, any number vs. a time):
# both now call tableau_rules.claims, and each answers the code in EDGE_CASES.
@pytest.mark.parametrize(("token", "code"), EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_same_code_for_edge_values(token: str, code: int, registry) -> None:
    assert simulator_code(token, registry) == code
    assert code in {p.code for p in check_token(token, now=NOW)}
