"""Conformance table: every documented code, produced for its cause through public endpoints.

One case per code (a few codes have two causes); each crafts its token here and asserts the code
the simulator answers (docs/simulator-codes.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from flask import Flask

from sandbox.simulator import signing_keys

from .helpers import (
    ADMIN,
    API,
    APP_URL,
    EAS_ISSUER,
    HOST_ORIGIN,
    NOW,
    VIEW_URL,
    answered_code,
    build_registry,
    eas_token,
    hand_made_token,
    jwks,
    make_app,
    make_token,
    rsa_key,
    sign_in,
)

ODA = {"https://tableau.com/oda": "true", "https://tableau.com/groups": ["Guests"]}
UNREACHABLE_ISSUER = "https://eas.unreachable.example"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """An issuer's metadata is never fetched here: every fetch fails as an unreachable one does."""
    def unreachable(url: str) -> Any:
        raise requests.ConnectionError(f"no network in the conformance tests ({url})")

    monkeypatch.setattr(signing_keys, "get_json", unreachable)


def _eas(key: Any = None, issuer: str = EAS_ISSUER) -> dict[str, Any]:
    """Registry change registering a server-wide EAS with pinned keys (or none: fetched)."""
    server = {"issuer": issuer} if key is None else {"issuer": issuer, "jwks": jwks(key)}
    return {"authorizationServers": [server]}


@dataclass
class Case:
    code: int
    act: Callable[[Flask], Any]
    registry: dict[str, Any] = field(default_factory=dict)
    status: int = 401


def _signin(token: Callable[[], str], **kwargs: Any) -> Callable[[Flask], Any]:
    return lambda app: sign_in(app.test_client(), token(), **kwargs)


def _reused(app: Flask) -> Any:
    token = make_token()
    assert sign_in(app.test_client(), token).status_code == 200
    return sign_in(app.test_client(), token)


def _iframe_auth_on_demand(app: Flask) -> Any:
    form = {"jwt": make_token(**ODA), "site": "demo", "component": "viz", "target": VIEW_URL}
    return app.test_client().post("/embed/iframe-auth", data=form, headers={"Origin": HOST_ORIGIN})


def _third_secret(app: Flask) -> Any:
    client = app.test_client()
    assert client.post(f"{APP_URL}/secrets", headers=ADMIN).status_code == 201
    return client.post(f"{APP_URL}/secrets", headers=ADMIN)


def _jti_store_failing(app: Flask) -> Any:
    client = app.test_client()
    assert client.put("/_simulator/faults", json={"jtiStoreFailing": True}, headers=ADMIN).status_code == 200
    return sign_in(client, make_token())


def _unsigned() -> str:
    return make_token(key=None, algorithm="none")


CASES = {
    "5-sub-not-a-user-case-sensitive": Case(5, _signin(lambda: make_token(sub="Alice@example.com"))),
    "16-expired": Case(16, _signin(lambda: make_token(exp=int(NOW) - 5))),
    "67-on-demand-on-tableau-server": Case(
        67, _signin(lambda: make_token(**ODA)), {"deployment": "server"}, 403),
    "67-on-demand-without-an-on-demand-group": Case(
        67, _signin(lambda: make_token(**{**ODA, "https://tableau.com/groups": ["Sales"]})), {}, 403),
    "126-admin-unknown-app": Case(
        126, lambda app: app.test_client().get(f"{API}/connected-applications/nope", headers=ADMIN), {}, 404),
    "127-wrong-secret-value": Case(127, _signin(lambda: make_token(key="another-secret-32-bytes-long-xxx"))),
    "127-admin-unknown-secret": Case(
        127, lambda app: app.test_client().delete(f"{APP_URL}/secrets/nope", headers=ADMIN), {}, 404),
    "128-third-secret": Case(128, _third_secret, {}, 400),
    "133-allowlist-invalid-characters": Case(
        133, lambda app: app.test_client().put(
            APP_URL, json={"connectedApplication": {"domainSafelist": "https://a.example;x"}},
            headers=ADMIN), {}, 400),
    "10081-eas-metadata-unreachable": Case(
        10081, _signin(lambda: eas_token(issuer=UNREACHABLE_ISSUER)), _eas(issuer=UNREACHABLE_ISSUER)),
    "10082-eas-issuer-not-registered": Case(10082, _signin(lambda: eas_token(issuer="https://other.example"))),
    "10083-no-kid": Case(10083, _signin(lambda: make_token(drop=("kid",)))),
    "10083-no-issuer": Case(10083, _signin(lambda: make_token(drop=("iss",)))),
    "10084-aud-case": Case(10084, _signin(lambda: make_token(aud="Tableau"))),
    "10084-no-sub": Case(10084, _signin(lambda: make_token(drop=("sub",)))),
    "10085-unknown-kid": Case(10085, _signin(lambda: make_token(headers={"kid": "not-a-secret-id"}))),
    "10085-eas-unknown-kid": Case(10085, _signin(lambda: eas_token(kid="other")), _eas(rsa_key())),
    "10087-direct-trust-hs512": Case(10087, _signin(lambda: make_token(algorithm="HS512"))),
    "10087-eas-blocklisted": Case(
        10087, _signin(lambda: eas_token()), {**_eas(rsa_key()), "blocklistedJwsAlgorithms": ["RS256"]}),
    "10088-eas-rsa-1024": Case(10088, _signin(lambda: eas_token(rsa_key(1024))), _eas(rsa_key(1024))),
    "10089-unknown-client-id": Case(
        10089, _signin(lambda: make_token(headers={"iss": "00000000-0000-0000-0000-000000000000"}))),
    "10090-app-disabled": Case(10090, _signin(lambda: make_token()), {"app__enabled": False}),
    "10091-jti-reused": Case(10091, _reused),
    "10092-origin-not-allowed": Case(
        10092, _signin(lambda: make_token(), origin="https://evil.example"), {}, 403),
    "10092-empty-allowlist": Case(10092, _signin(lambda: make_token()), {"app__domainAllowlist": ""}, 403),
    "10094-no-jti": Case(10094, _signin(lambda: make_token(drop=("jti",)))),
    "10096-exp-too-far": Case(10096, _signin(lambda: make_token(exp=int(NOW) + 601))),
    "10097-scp-string": Case(10097, _signin(lambda: make_token(scp="tableau:views:embed"))),
    "10098-alg-none": Case(10098, _signin(_unsigned)),
    "10098-encrypted": Case(10098, _signin(lambda: "a.b.c.d.e")),
    "10099-no-scp": Case(10099, _signin(lambda: make_token(drop=("scp",)))),
    "10099-scope-not-for-component": Case(10099, _signin(lambda: make_token(), component="pulse")),
    "10100-jti-store-fails": Case(10100, _jti_store_failing),
    "10101-on-demand-not-usage-based": Case(
        10101, _signin(lambda: make_token(**ODA)), {"site__usageBasedLicensing": False}, 403),
    "10102-on-demand-with-iframe-auth": Case(10102, _iframe_auth_on_demand, {}, 403),
    "10103-too-large": Case(10103, _signin(lambda: make_token(padding="x" * 8000))),
    "10105-origin-null": Case(10105, _signin(lambda: make_token(), origin="null"), {}, 403),
    "10106-no-origin": Case(10106, _signin(lambda: make_token(), origin=None), {}, 403),
}


# Some cases sign with deliberately weak keys (10087, 10088).
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_documented_code_for_its_cause(case: Case):
    app = make_app(build_registry(**case.registry))  # clock pinned at NOW
    response = case.act(app)
    assert answered_code(response) == case.code
    assert response.status_code == case.status
    assert "workgroup_session_id" not in response.headers.get("Set-Cookie", "")


def test_every_documented_code_has_a_case():
    from tableau_rules.catalogue import catalogue

    covered = {case.code for case in CASES.values()}
    assert set(catalogue().codes) == covered


def test_the_fault_switch_fails_the_next_sign_in_with_a_chosen_code(client):
    client.put("/_simulator/faults", json={"failNextSignIn": 10100}, headers=ADMIN)
    assert answered_code(sign_in(client, make_token())) == 10100
    assert sign_in(client, make_token()).status_code == 200  # one shot



def _embed(app: Flask, token: str) -> Any:
    return sign_in(app.test_client(), token)


def _iframe_auth(app: Flask, token: str) -> Any:
    form = {"jwt": token, "site": "demo", "component": "viz", "target": VIEW_URL}
    return app.test_client().post("/embed/iframe-auth", data=form, headers={"Origin": HOST_ORIGIN})


def _rest(app: Flask, token: str) -> Any:
    body = {"credentials": {"jwt": token, "site": {"contentUrl": "demo"}}}
    return app.test_client().post("/api/3.24/auth/signin", json=body, headers={"Accept": "application/json"})


# Values no JWT library signs, each once crashed a sign-in with a 500 or was accepted. Every
# sign-in endpoint answers the documented code (the same as jwt_rules, tests/diagnostics).
MALFORMED = {
    "kid-number": (lambda: hand_made_token({"kid": 123}), 10083),
    "kid-blank": (lambda: hand_made_token({"kid": " "}), 10083),
    "exp-401-digits": (lambda: hand_made_token(exp=10**400), 10084),
    "exp-nan": (lambda: hand_made_token(exp=float("nan")), 10084),
    "exp-infinity": (lambda: hand_made_token(exp=float("inf")), 10084),
    "sub-blank": (lambda: hand_made_token(sub=" "), 10084),
    "jti-blank": (lambda: hand_made_token(jti=" "), 10094),
}
ENDPOINTS = {"embed": _embed, "iframe-auth": _iframe_auth, "rest": _rest}


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys())
@pytest.mark.parametrize(("token", "code"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_values_answer_their_code_at_every_sign_in(endpoint, token, code):
    response = endpoint(make_app(), token())
    assert (response.status_code, answered_code(response)) == (401, code)


# --- order of checks (docs/simulator-codes.md, "Order of checks") -------------------------------
# Each case breaks two rules; the earlier check in the documented order answers. Ids read
# "<step>-<winner> over <step>-<loser>", the steps as numbered in that table.

EXPIRED = {"exp": int(NOW) - 5}
OTHER_CLIENT = {"iss": "00000000-0000-0000-0000-000000000000"}


def _fail_next_then(token: Callable[[], str], code: int) -> Callable[[Flask], Any]:
    def act(app: Flask) -> Any:
        client = app.test_client()
        client.put("/_simulator/faults", json={"failNextSignIn": code}, headers=ADMIN)
        return sign_in(client, token())
    return act


def _reused_with(**kwargs: Any) -> Callable[[Flask], Any]:
    """Sign in once, then present the same token again breaking the rule in `kwargs` too."""
    def act(app: Flask) -> Any:
        token = make_token()
        assert sign_in(app.test_client(), token).status_code == 200
        return sign_in(app.test_client(), token, **kwargs)
    return act


def _iframe_auth(token: Callable[[], str], origin: str = HOST_ORIGIN) -> Callable[[Flask], Any]:
    def act(app: Flask) -> Any:
        form = {"jwt": token(), "site": "demo", "component": "viz", "target": VIEW_URL}
        return app.test_client().post("/embed/iframe-auth", data=form, headers={"Origin": origin})
    return act


def _iframe_auth_reused_on_demand(app: Flask) -> Any:
    token = make_token(**ODA)
    assert sign_in(app.test_client(), token).status_code == 200  # the library's flow accepts it
    return _iframe_auth(lambda: token)(app)


def _token(**kwargs: Any) -> Callable[[], str]:
    return lambda: make_token(**kwargs)


UNSIGNED = {"key": None, "algorithm": "none"}
BAD_KID = {"headers": {"kid": "nope"}}
EVIL = "https://evil.example"
NO_ODA_GROUP = {**ODA, "https://tableau.com/groups": ["Sales"]}

ORDER = {
    "0-fault over 4-unparseable": Case(10100, _fail_next_then(lambda: "x.y.z", 10100)),
    "1-unknown-site over 2-too-large": Case(16, _signin(_token(pad="x" * 8000), site="nope")),
    "2-too-large over 5-unsigned": Case(10103, _signin(_token(pad="x" * 8000, **UNSIGNED))),
    "3-encrypted over 4-unparseable": Case(10098, _signin(lambda: "a.b.c.d.e")),
    "4-unparseable over 25-no-origin": Case(10084, _signin(lambda: "x.y.z", origin=None)),
    "5-unsigned over 6-no-kid": Case(10098, _signin(_token(drop=("kid",), **UNSIGNED))),
    "6-no-kid over 7-unknown-issuer": Case(10083, _signin(_token(drop=("kid",), headers=OTHER_CLIENT))),
    "7-unknown-issuer over 16-expired": Case(10089, _signin(_token(headers=OTHER_CLIENT, **EXPIRED))),
    "7-unregistered-eas over 14-aud": Case(
        10082, _signin(lambda: eas_token(issuer="https://other.example", aud="nope"))),
    "8-disabled over 11-unknown-kid": Case(10090, _signin(_token(**BAD_KID)), {"app__enabled": False}),
    "9-alg over 11-unknown-kid": Case(10087, _signin(_token(algorithm="HS512", **BAD_KID))),
    "9-eas-blocklisted over 10-metadata": Case(
        10087, _signin(lambda: eas_token(issuer=UNREACHABLE_ISSUER)),
        {**_eas(issuer=UNREACHABLE_ISSUER), "blocklistedJwsAlgorithms": ["RS256"]}),
    "10-metadata over 11-unknown-kid": Case(
        10081, _signin(lambda: eas_token(issuer=UNREACHABLE_ISSUER, kid="nope")),
        _eas(issuer=UNREACHABLE_ISSUER)),
    "11-unknown-kid over 16-expired": Case(10085, _signin(_token(**BAD_KID, **EXPIRED))),
    "12-rsa-1024 over 16-expired": Case(
        10088, _signin(lambda: eas_token(rsa_key(1024), **EXPIRED)), _eas(rsa_key(1024))),
    "13-signature over 16-expired": Case(
        127, _signin(_token(key="another-secret-32-bytes-long-xxx", **EXPIRED))),
    "14-aud over 15-no-jti": Case(10084, _signin(_token(aud="Tableau", drop=("jti",)))),
    "14-exp-format over 18-no-scp": Case(10084, _signin(_token(exp="soon", drop=("scp",)))),
    "15-no-jti over 16-expired": Case(10094, _signin(_token(drop=("jti",), **EXPIRED))),
    "16-expired over 18-no-scp": Case(16, _signin(_token(drop=("scp",), **EXPIRED))),
    "17-too-far over 19-scp-string": Case(
        10096, _signin(_token(exp=int(NOW) + 601, scp="tableau:views:embed"))),
    "18-no-scp over 20-on-demand-on-server": Case(
        10099, _signin(_token(drop=("scp",), **ODA)), {"deployment": "server"}),
    "19-scp-string over 22-unknown-user": Case(10097, _signin(_token(scp="x", sub="nobody"))),
    "20-on-demand-on-server over 21-not-usage-based": Case(
        67, _signin(_token(**ODA)), {"deployment": "server", "site__usageBasedLicensing": False}, 403),
    "21-not-usage-based over 27-origin": Case(
        10101, _signin(_token(**ODA), origin=EVIL), {"site__usageBasedLicensing": False}, 403),
    "21-not-usage-based over 21a-no-on-demand-group": Case(
        10101, _signin(_token(**NO_ODA_GROUP)), {"site__usageBasedLicensing": False}, 403),
    "21a-no-on-demand-group over 27-origin": Case(67, _signin(_token(**NO_ODA_GROUP), origin=EVIL), {}, 403),
    "22-unknown-user over 23-component-scope": Case(5, _signin(_token(sub="nobody"), component="pulse")),
    "23-component-scope over 27-origin": Case(10099, _signin(_token(), component="pulse", origin=EVIL)),
    "24-empty-allowlist over 25-no-origin": Case(
        10092, _signin(_token(), origin=None), {"app__domainAllowlist": ""}, 403),
    "25-no-origin over 29-reused": Case(10106, _reused_with(origin=None), {}, 403),
    "26-origin-null over 29-reused": Case(10105, _reused_with(origin="null"), {}, 403),
    "27-origin over 28-on-demand-iframe-auth": Case(10092, _iframe_auth(_token(**ODA), origin=EVIL), {}, 403),
    "28-on-demand-iframe-auth over 29-reused": Case(10102, _iframe_auth_reused_on_demand, {}, 403),
}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("case", ORDER.values(), ids=ORDER.keys())
def test_the_earlier_check_answers(case: Case):
    response = case.act(make_app(build_registry(**case.registry)))
    assert (answered_code(response), response.status_code) == (case.code, case.status)
