"""The EAS_DOWN switch makes every endpoint answer 503."""

from __future__ import annotations

import pytest

from .helpers import Driver, Flow


@pytest.mark.parametrize("method,path", [
    ("get", "/.well-known/openid-configuration"), ("get", "/.well-known/oauth-authorization-server"),
    ("get", "/jwks.json"), ("post", "/token"), ("get", "/logout"), ("get", "/authorize"),
])
def test_down_switch_answers_503_everywhere(eas, driver: Driver, method: str, path: str) -> None:
    eas.config["EAS_DOWN"] = True
    response = getattr(driver.client, method)(path)
    assert response.status_code == 503
    assert response.json["error"] == "temporarily_unavailable"


def test_switching_back_restores_service(eas, driver: Driver) -> None:
    eas.config["EAS_DOWN"] = True
    assert driver.client.get(Flow().url()).status_code == 503
    eas.config["EAS_DOWN"] = False
    assert driver.tokens()["access_token"]
