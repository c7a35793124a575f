"""Drives the demo EAS through its real endpoints, as the host would (tests only)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ISSUER = "http://localhost"
CLIENT_ID = "embedding-host"
CLIENT_SECRET = "test-only-client-secret-0123456789"
REDIRECT_URI = "http://localhost:5000/auth/eas/callback"
POST_LOGOUT_URI = "http://localhost:5000/"
ALL_SCOPES = "tableau:views:embed tableau:views:embed_authoring tableau:insights:embed"
SITE_ID = "a56cb0d3-397a-4985-9dec-2e43aaf2e004"


def client_registration(**overrides: Any) -> dict[str, Any]:
    """The host's registration at the EAS (the shape create_app takes)."""
    return {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [REDIRECT_URI],
            "post_logout_redirect_uris": [POST_LOGOUT_URI], **overrides}


def pkce_pair() -> tuple[str, str]:
    """RFC 7636 §4.1/§4.2: a random verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def query(response: TestResponse) -> dict[str, str]:
    """The parameters of a redirect's Location (each once)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    params = parse_qs(urlsplit(response.headers["Location"]).query)
    assert all(len(v) == 1 for v in params.values()), params
    return {k: v[0] for k, v in params.items()}


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no csrf_token field"
    return match.group(1)


@dataclass
class Flow:
    """One authorization request: its PKCE pair, state and parameters."""

    scope: str = ALL_SCOPES
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    verifier: str = ""
    challenge: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.verifier:
            self.verifier, self.challenge = pkce_pair()

    def url(self, **overrides: str | None) -> str:
        params: dict[str, Any] = {
            "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
            "scope": self.scope, "state": self.state, "code_challenge": self.challenge,
            "code_challenge_method": "S256", **self.extra, **overrides,
        }
        return "/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


class Driver:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, flow: Flow, login: str = "alice", password: str = "alice-pw",
                decision: str = "allow", **overrides: str | None) -> TestResponse:
        url = flow.url(**overrides)
        page = self.client.get(url)
        assert page.status_code == 200, page.get_data(as_text=True)[:500]
        form = {"csrf_token": csrf_from(page.get_data(as_text=True)), "decision": decision,
                "login": login, "password": password}
        return self.client.post(url, data=form)

    def code(self, flow: Flow, **kwargs: Any) -> str:
        """A code for the flow; signs in through the page unless already signed in here."""
        first = self.client.get(flow.url())
        params = query(first if first.status_code == 302 else self.sign_in(flow, **kwargs))
        assert params["state"] == flow.state
        return params["code"]

    def exchange(self, code: str, verifier: str | None, redirect_uri: str = REDIRECT_URI,
                 basic: bool = False, secret: str = CLIENT_SECRET) -> TestResponse:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if verifier is not None:
            form["code_verifier"] = verifier
        return self._token(form, basic, secret)

    def refresh(self, refresh_token: str, scope: str | None = None) -> TestResponse:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if scope:
            form["scope"] = scope
        return self._token(form, basic=False, secret=CLIENT_SECRET)

    def tokens(self, flow: Flow | None = None, **kwargs: Any) -> dict[str, Any]:
        """The whole code flow; the token response body."""
        flow = flow or Flow()
        response = self.exchange(self.code(flow, **kwargs), flow.verifier)
        assert response.status_code == 200, response.json
        return response.json

    def verify(self, token: str, audience: str = "tableau") -> dict[str, Any]:
        """Verify as a relying party would: the key from /jwks.json by kid, RS256 only."""
        kid = jwt.get_unverified_header(token)["kid"]
        keys = {k["kid"]: k for k in self.client.get("/jwks.json").json["keys"]}
        key = jwt.PyJWK(keys[kid])
        return jwt.decode(token, key, algorithms=["RS256"], audience=audience, issuer=ISSUER,
                          options={"require": ["exp", "iat", "sub", "jti", "iss", "aud"]})

    def _token(self, form: dict[str, str], basic: bool, secret: str) -> TestResponse:
        if basic:
            credentials = base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode()
            return self.client.post("/token", data=form, headers={"Authorization": f"Basic {credentials}"})
        return self.client.post("/token", data={**form, "client_id": CLIENT_ID, "client_secret": secret})
