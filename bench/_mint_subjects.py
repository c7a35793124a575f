"""The three ways to make the same token that bench/mint compares: the project's, bare PyJWT, and
a hand-written HS256 floor (json + base64url + hmac, with everything constant prepared once)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt

from bench._project import REGISTRY, Settings, User, UserDirectory, load_settings, mint_for_user

GROUPS_CLAIM = "https://tableau.com/groups"
VIZ_SCOPES = ["tableau:views:embed"]


def sandbox_settings() -> Settings:
    """The sandbox's settings (attributes and groups sent), with a freshly generated secret."""
    app = json.loads(REGISTRY.read_text(encoding="utf-8"))["sites"][0]["connectedApps"][0]
    return load_settings({
        "APP_ENV": "sandbox",
        "TABLEAU_SERVER_URL": "http://127.0.0.1:8001",
        "TABLEAU_CLIENT_ID": app["clientId"],
        "TABLEAU_SECRET_ID": app["secrets"][0]["id"],
        "TABLEAU_SECRET_VALUE": secrets.token_hex(32),
    })


def demo_user(settings: Settings, login: str = "alice") -> User:
    user = UserDirectory.load(settings.users_file, sandbox=True).get(login)
    if user is None:
        raise SystemExit(f"the sandbox users file has no {login!r}")
    return user


def project(settings: Settings, user: User) -> Callable[[], str]:
    def mint() -> str:
        return mint_for_user(settings, user, ["viz"]).token
    return mint


def _claims(settings: Settings, user: User) -> Callable[[], dict[str, Any]]:
    """The claims a plain sample builds at each call: the same names and values as the project's."""
    direct = settings.direct
    lifetime = settings.token_lifetime_seconds
    attributes = dict(user.attributes)
    groups = list(user.groups)

    def claims() -> dict[str, Any]:
        now = int(time.time())
        return {**attributes, "iss": direct.client_id, "sub": user.tableau_username, "aud": "tableau",
                "exp": now + lifetime, "iat": now, "jti": str(uuid.uuid4()), "scp": list(VIZ_SCOPES),
                GROUPS_CLAIM: groups}
    return claims


def bare_pyjwt(settings: Settings, user: User) -> Callable[[], str]:
    claims = _claims(settings, user)
    secret = settings.direct.signing_secret
    headers = {"kid": secret.id, "iss": settings.direct.client_id}

    def encode() -> str:
        return jwt.encode(claims(), secret.value, algorithm="HS256", headers=headers)
    return encode


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def hs256_floor(settings: Settings, user: User) -> Callable[[], str]:
    claims = _claims(settings, user)
    secret = settings.direct.signing_secret
    header = {"alg": "HS256", "typ": "JWT", "kid": secret.id, "iss": settings.direct.client_id}
    prefix = _b64(json.dumps(header, separators=(",", ":")).encode()) + b"."
    keyed = hmac.new(secret.value.encode(), digestmod=hashlib.sha256)

    def sign() -> str:
        signing_input = prefix + _b64(json.dumps(claims(), separators=(",", ":")).encode())
        mac = keyed.copy()
        mac.update(signing_input)
        return (signing_input + b"." + _b64(mac.digest())).decode()
    return sign


def same_token_shape(settings: Settings, tokens: dict[str, str]) -> list[str]:
    """Differences between the tokens' headers and claims (jti, iat, exp aside): none expected."""
    key = settings.direct.signing_secret.value
    seen = {}
    for name, token in tokens.items():
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, key, algorithms=["HS256"], audience="tableau")
        if claims["exp"] - claims["iat"] != settings.token_lifetime_seconds:
            return [f"{name}: exp - iat is not the configured lifetime"]
        seen[name] = (header, {k: v for k, v in claims.items() if k not in ("jti", "iat", "exp")})
    reference_name, reference = next(iter(seen.items()))
    return [f"{name} differs from {reference_name}: {shape}" for name, shape in seen.items()
            if shape != reference]
