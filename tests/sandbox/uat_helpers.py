"""Unified access tokens for the tests: a site configuration, tokens signed as an integrator's host
signs them (RS256, its own key), and a real HTTP server publishing a key set (`jwksUri`)."""

import threading
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from .helpers import NOW, build_registry, jwks, make_app, rsa_key

UAT_ISSUER = "https://host.example/uat"
TENANT_ID = "3c1e8f0a-9d2b-4c6a-8e7f-5a4b3c2d1e0f"
TENANT_CLAIM = "https://tableau.com/tenantId"
SITE_CLAIM = "https://tableau.com/siteId"
UAT_KID = "uat-key-1"
EMBED_AND_READ = ["tableau:views:embed", "tableau:views:embed_authoring", "tableau:content:read"]


def uat_config(**changes: Any) -> dict[str, Any]:
    """A site's UAT configuration with the test key inline; keyword arguments override fields."""
    config = {"enabled": True, "issuer": UAT_ISSUER, "tenantId": TENANT_ID,
              "jwks": jwks(rsa_key(), UAT_KID), "scopes": EMBED_AND_READ, **changes}
    return {k: v for k, v in config.items() if v is not None}


def uat_app(**changes: Any) -> Flask:
    """A simulator whose demo site has `uat_config(**changes)`."""
    return make_app(build_registry(site__unifiedAccessToken=uat_config(**changes)))


def uat_token(key: rsa.RSAPrivateKey | None = None, *, kid: str | None = UAT_KID, algorithm: str = "RS256",
              claims: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> str:
    """A UAT as a host mints it: `iss`, `email`, tenant, `scp`, `exp`, `jti`; `claims` override."""
    payload = {"iss": UAT_ISSUER, "email": "alice@example.com", TENANT_CLAIM: TENANT_ID,
               "exp": int(NOW) + 300, "jti": str(uuid.uuid4()), "scp": ["tableau:views:embed"],
               **(claims or {})}
    for name in drop:
        payload.pop(name, None)
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(payload, key or rsa_key(), algorithm=algorithm, headers=headers)


def rest_sign_in(client: FlaskClient, token: str, *, is_uat: bool = True) -> Any:
    body = {"credentials": {"jwt": token, "isUat": is_uat, "site": {"contentUrl": "demo"}}}
    return client.post("/api/3.24/auth/signin", json=body, headers={"Accept": "application/json"})


class KeyServer:
    """A real HTTP server on loopback publishing a JWKS the test may change (key rotation)."""

    def __init__(self) -> None:
        self.key_set: dict[str, Any] = {"keys": []}
        app = Flask("key-server")
        app.add_url_rule("/jwks.json", "jwks", lambda: jsonify(self.key_set))
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/jwks.json"

    def publish(self, *keys: tuple[rsa.RSAPrivateKey, str]) -> None:
        """Publish the public halves of (key, kid) pairs, in order."""
        self.key_set = {"keys": [jwks(key, kid)["keys"][0] for key, kid in keys]}

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
