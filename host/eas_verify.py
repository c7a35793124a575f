"""Checks an EAS-issued JWT before the host hands it to Tableau, so a misconfigured EAS gives a
clear message here instead of a blank viz (documents 001 and 002; RFC 8725 for the JOSE pitfalls)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from config import EasSettings
from tableau_rules.claims import ASYMMETRIC_ALGORITHMS, MIN_RSA_KEY_BITS
from tableau_rules.jwt_rules import check_token

# Headers that would let a token name its own key: never followed (RFC 8725 §3.10).
FORBIDDEN_HEADERS = ("jku", "x5u", "jwk", "x5c")
LEEWAY_SECONDS = 30


class EasTokenError(ValueError):
    """The EAS's token would be refused by Tableau, or cannot be trusted; says why and what to fix."""


class EasUnavailable(RuntimeError):
    """The EAS (metadata, JWKS or token endpoint) could not be reached."""


class EasTokenVerifier:
    """Verifies RS256-family JWTs against the EAS's JWKS; caches keys, refetches once per miss."""

    def __init__(
        self,
        eas: EasSettings,
        jwks_uri: Callable[[], str],
        fetch_json: Callable[[str], dict[str, Any]],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._eas = eas
        self._jwks_uri = jwks_uri
        self._fetch_json = fetch_json
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._weak_kids: dict[str, int] = {}  # kid -> RSA key size, for keys Tableau refuses
        self._lock = threading.Lock()

    def verify(self, token: str) -> dict[str, Any]:
        header = self._checked_header(token)
        key = self._key(header["kid"])
        try:
            claims = jwt.decode(
                token, key, algorithms=[header["alg"]], audience=self._eas.audience,
                issuer=self._eas.issuer, leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub", "jti", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise EasTokenError("the EAS token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise EasTokenError(
                f"the EAS token's aud is not {self._eas.audience!r} (EAS_AUDIENCE); Tableau "
                "would answer 10084"
            ) from exc
        except jwt.InvalidIssuerError as exc:
            raise EasTokenError(
                f"the EAS token's iss is not {self._eas.issuer!r} (EAS_ISSUER)"
            ) from exc
        except jwt.PyJWTError as exc:
            raise EasTokenError(f"the EAS token is not valid: {exc}") from exc
        self._check_tableau_rules(token)
        return claims

    def _checked_header(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise EasTokenError(f"the EAS did not return a JWT: {exc}") from exc
        alg = header.get("alg")
        if alg not in ASYMMETRIC_ALGORITHMS:
            # Refuses alg=none and HS*: a token "signed" with the public key as an HMAC secret.
            raise EasTokenError(f"the EAS token's alg {alg!r} is not allowed; expected RS256")
        named = [h for h in FORBIDDEN_HEADERS if h in header]
        if named:
            raise EasTokenError(f"the EAS token names its own key ({', '.join(named)}); refused")
        if not header.get("kid"):
            raise EasTokenError("the EAS token has no kid header; Tableau would answer 10083")
        return header

    def _key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            if kid not in self._keys:
                self._keys = self._fetch_keys()  # one refetch per unknown kid: keys may have rotated
            if kid in self._weak_kids:
                raise EasTokenError(
                    f"kid {kid!r} is a {self._weak_kids[kid]}-bit RSA key; Tableau refuses keys "
                    f"under {MIN_RSA_KEY_BITS} bits (10088)"
                )
            if kid not in self._keys:
                raise EasTokenError(
                    f"kid {kid!r} is not in the EAS's JWKS; Tableau would answer 10085"
                )
            return self._keys[kid]

    def _fetch_keys(self) -> dict[str, jwt.PyJWK]:
        keys: dict[str, jwt.PyJWK] = {}
        self._weak_kids = {}
        for data in self._fetch_json(self._jwks_uri()).get("keys", []):
            if data.get("use", "sig") != "sig" or "kid" not in data:
                continue
            try:
                key = jwt.PyJWK(data)
            except jwt.PyJWTError:
                continue  # a key type this host cannot use; others may still serve
            if isinstance(key.key, RSAPublicKey) and key.key.key_size < MIN_RSA_KEY_BITS:
                self._weak_kids[data["kid"]] = key.key.key_size  # 001: refused (10088)
                continue
            keys[data["kid"]] = key
        return keys

    def _check_tableau_rules(self, token: str) -> None:
        """The documented rules Tableau applies on top of the signature (tableau_rules.jwt_rules)."""
        problems = check_token(token, trust="eas", now=self._clock())
        if problems:
            found = "; ".join(f"{p.message} ({p.code})" for p in problems)
            raise EasTokenError(f"Tableau would refuse the EAS token: {found}")
