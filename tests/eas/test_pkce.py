"""PKCE is required of every client, S256 only (RFC 7636; RFC 9700 §2.1.1)."""

from __future__ import annotations

import pytest

from .helpers import ISSUER, Driver, Flow, pkce_pair, query


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "PKCE is required"),
        ({"code_challenge_method": None}, "must be S256"),  # absent means plain (RFC 7636 §4.3)
        ({"code_challenge_method": "plain"}, "must be S256"),
    ],
)
def test_authorization_request_without_s256_challenge_is_refused(
    driver: Driver, overrides: dict, why: str
) -> None:
    flow = Flow()
    params = query(driver.client.get(flow.url(**overrides)))
    assert params["error"] == "invalid_request"  # RFC 7636 §4.4.1
    assert why in params["error_description"]
    assert params["state"] == flow.state and params["iss"] == ISSUER
    assert "code" not in params


def test_plain_challenge_equal_to_verifier_is_refused(driver: Driver) -> None:
    verifier, _ = pkce_pair()
    flow = Flow(verifier=verifier, challenge=verifier)
    params = query(driver.client.get(flow.url(code_challenge_method="plain")))
    assert params["error"] == "invalid_request"


def test_wrong_verifier_is_refused(driver: Driver) -> None:
    flow = Flow()
    other_verifier, _ = pkce_pair()
    response = driver.exchange(driver.code(flow), other_verifier)
    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"
    assert "access_token" not in response.json


def test_missing_verifier_is_refused(driver: Driver) -> None:
    flow = Flow()
    response = driver.exchange(driver.code(flow), None)
    assert response.status_code == 400
    assert response.json["error"] == "invalid_request"


def test_a_code_tried_with_a_wrong_verifier_cannot_be_used_afterwards(driver: Driver) -> None:
    flow = Flow()
    code = driver.code(flow)
    assert driver.exchange(code, pkce_pair()[0]).status_code == 400
    # Single use whatever the outcome: someone guessing verifiers gets one try per code.
    assert driver.exchange(code, flow.verifier).json["error"] == "invalid_grant"
