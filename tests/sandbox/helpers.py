"""Test helpers: a registry built here, tokens crafted with PyJWT, sign-in shortcuts.

Every simulator made here has its clock pinned at NOW and every token is made against NOW, so no
test depends on the wall clock (how long collection or an earlier test took).
"""

import base64
import copy
import functools
import hashlib
import hmac
import json
import re
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient

from sandbox.simulator import create_app
from sandbox.simulator.state import EXTENSION, SimulatorState

SITE_ID = "0b6a3c36-6a36-4a58-a6ab-2a9b0d2f6f10"
SALES = "7d8f0a52-4f5e-4a32-9a55-1d6f2c3b4a01"
FINANCE = "7d8f0a52-4f5e-4a32-9a55-1d6f2c3b4a02"
METRIC = "5e0c3a1d-2b7f-4c8e-9d6a-0f1e2d3c4b5a"
CLIENT_ID = "c7a8e0d4-1111-4a2b-8c3d-000000000001"
SECRET_ID = "5ec7e71d-2222-4a2b-8c3d-000000000001"
SECRET = "test-secret-value-that-is-long-enough-for-hs256"
HOST_ORIGIN = "http://localhost:5000"
SIMULATOR_URL = "http://localhost:8001"
NOW = 1_800_000_000.0  # the pinned simulator clock
VIEW_URL = "/t/demo/views/Superstore/Overview"
CHART = {"type": "bar", "labels": ["a", "b"], "values": [1, 2]}

REGISTRY: dict[str, Any] = {
    "maxTokenLifetimeMinutes": 10,
    "sessionLifetimeMinutes": 60,
    "deployment": "cloud",
    "sites": [{
        "id": SITE_ID, "contentUrl": "demo", "name": "Demo site",
        "embedding": {"unrestrictedEmbedding": True, "allowList": ""},
        "attributeCaptureEnabled": True, "groupAssertionsEnabled": True,
        "usageBasedLicensing": True,
        "users": [{"name": "alice@example.com", "password": None},
                  {"name": "bob@example.com", "password": "bob-password"}],
        "groups": [{"name": "Guests", "onDemandAccess": True}],
        "projects": [{"id": SALES, "name": "Sales"}, {"id": FINANCE, "name": "Finance"}],
        "workbooks": [
            {"contentUrl": "Superstore", "name": "Superstore", "project": "Sales",
             "views": [{"contentUrl": "Overview", "name": "Overview", "chart": CHART},
                       {"contentUrl": "Trend", "name": "Trend",
                        "chart": {"type": "line", "labels": ["x", "y", "z"], "values": [3, 1, 2]}}]},
            {"contentUrl": "Budget", "name": "Budget", "project": "Finance",
             "views": [{"contentUrl": "Summary", "name": "Summary", "chart": CHART}]},
        ],
        "pulseMetrics": [{"id": METRIC, "name": "Revenue", "project": "Sales", "chart": CHART}],
        "connectedApps": [{
            "clientId": CLIENT_ID, "name": "Test app", "enabled": True, "projectId": None,
            "domainAllowlist": "http://localhost:* http://127.0.0.1:*",
            "secrets": [{"id": SECRET_ID, "value": SECRET}],
        }],
    }],
}


def build_registry(**changes: Any) -> dict[str, Any]:
    """A deep copy of REGISTRY; `site__key=value` changes the site, `app__key` the app."""
    data = copy.deepcopy(REGISTRY)
    for key, value in changes.items():
        scope, _, name = key.rpartition("__")
        target = {"": data, "site": data["sites"][0],
                  "app": data["sites"][0]["connectedApps"][0]}[scope]
        target[name] = value
    return data


def default_claims(**changes: Any) -> dict[str, Any]:
    return {"iss": CLIENT_ID, "sub": "alice@example.com", "aud": "tableau", "exp": int(NOW) + 300,
            "jti": str(uuid.uuid4()), "scp": ["tableau:views:embed"], **changes}


def hand_made_token(headers: dict[str, Any] | None = None, **claims: Any) -> str:
    """A token no JWT library would sign (a numeric 'kid', an 'exp' of NaN or 10**400), HS256-signed
    with the test secret so only the value under test is wrong."""
    header = {"alg": "HS256", "typ": "JWT", "kid": SECRET_ID, "iss": CLIENT_ID, **(headers or {})}
    signing_input = ".".join(_b64(json.dumps(part).encode()) for part in (header, default_claims(**claims)))
    mac = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(
    *, key: str = SECRET, headers: dict[str, Any] | None = None, drop: tuple[str, ...] = (),
    algorithm: str = "HS256", **claims: Any,
) -> str:
    """A direct-trust JWT as the host mints it; keyword claims override, `drop` removes."""
    payload = default_claims(**claims)
    header = {"kid": SECRET_ID, "iss": CLIENT_ID, **(headers or {})}
    for name in drop:
        payload.pop(name, None)
        header.pop(name, None)
    return jwt.encode(payload, key, algorithm=algorithm, headers=header)


def make_app(registry: dict[str, Any] | None = None, **options: Any) -> Flask:
    """A simulator for `registry` (default: REGISTRY) with the test admin credential, an empty
    environment and its clock pinned at NOW; `options` override create_app's keywords."""
    app = create_app(build_registry() if registry is None else registry,
                     **{"public_url": SIMULATOR_URL, "admin_token": ADMIN_TOKEN, "env": {}, **options})
    state(app).clock = lambda: NOW
    return app


def sign_in(client: FlaskClient, token: str, *, component: str = "viz", origin: str | None = HOST_ORIGIN,
            site: str = "demo"):
    headers = {"Origin": origin} if origin is not None else {}
    return client.post("/api/embed/signin", json={"jwt": token, "site": site, "component": component},
                       headers=headers)


def error_code(response) -> int:
    return response.get_json()["result"]["errors"][0]["code"]


def state(app: Flask) -> SimulatorState:
    return app.extensions[EXTENSION]


ADMIN_TOKEN = "test-admin-credential"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"}
API = f"/api/3.24/sites/{SITE_ID}"
APP_URL = f"{API}/connected-applications/{CLIENT_ID}"
EAS_ISSUER = "https://eas.example"


def answered_code(response) -> int:
    """The connected-app code, whichever documented shape carried it (embed, REST, iframe page)."""
    if response.mimetype == "text/html":
        match = re.search(r'data-error-code="(\d+)"', response.text)
        assert match, "no error code on the page"
        return int(match[1])
    if response.mimetype == "application/xml":
        match = re.search(r'<error code="(\d+)"', response.text)
        assert match, "no error code in the XML"
        return int(match[1])
    body = response.get_json()
    if "error" in body:
        return int(body["error"]["code"])
    return error_code(response)


@functools.lru_cache(maxsize=8)
def rsa_key(bits: int = 2048, name: str = "first") -> rsa.RSAPrivateKey:
    """One key per (size, name), made once per test run; a new `name` is another key (rotation)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def jwks(key: rsa.RSAPrivateKey, kid: str = "eas-key-1") -> dict[str, Any]:
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"keys": [{**jwk, "kid": kid, "use": "sig"}]}


def eas_token(key: rsa.RSAPrivateKey | None = None, *, kid: str = "eas-key-1", algorithm: str = "RS256",
              issuer: str = EAS_ISSUER, **claims: Any) -> str:
    """A token as an EAS issues it: asymmetric, `iss` = the issuer URL
    ("Register EAS to Enable SSO for Embedded Content")."""
    return make_token(key=key or rsa_key(), algorithm=algorithm, iss=issuer,
                      headers={"kid": kid, "iss": issuer}, **claims)
