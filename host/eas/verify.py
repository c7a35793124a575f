"""Checks a JWT an External Authorization Server issued, before it is handed to Tableau.

Copy this file alone into your own application: it needs only PyJWT[crypto] and the standard
library. A misconfigured EAS then gives a clear message instead of a blank viz. Follows Tableau's
"Configure Connected Apps with OAuth 2.0 Trust" and "Register EAS to Enable SSO for Embedded
Content" pages, and RFC 8725 for the JOSE pitfalls. Tableau's further claim rules can be added
through `extra_check` (this host passes tableau_rules.jwt_rules).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

# The EAS signs with an asymmetric key; an RSA key under 2048 bits is refused (code 10088).
DEFAULT_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
DEFAULT_MIN_RSA_BITS = 2048
# Headers that would let a token name its own key: never followed (RFC 8725 §3.10).
FORBIDDEN_HEADERS = ("jku", "x5u", "jwk", "x5c")
LEEWAY_SECONDS = 30


class EasTokenError(ValueError):
    """The EAS's token would be refused by Tableau, or cannot be trusted; says why and what to fix."""


class EasUnavailable(RuntimeError):
    """The EAS (metadata, JWKS or token endpoint) could not be reached."""


class EasTokenVerifier:
    """Verifies RS256-family JWTs against the EAS's JWKS; caches keys, refetches once per miss.

    `jwks_uri` is called when keys are needed (so metadata can be read lazily); `fetch_json` GETs
    a URL and returns its JSON object, raising EasUnavailable when it cannot; `extra_check(token,
    now)` returns a list of further problems (empty when none).
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_uri: Callable[[], str],
        fetch_json: Callable[[str], dict[str, Any]],
        algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
        min_rsa_bits: int = DEFAULT_MIN_RSA_BITS,
        extra_check: Callable[[str, float], list[str]] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._issuer = issuer
        self._audience = audience
        self._jwks_uri = jwks_uri
        self._fetch_json = fetch_json
        self._algorithms = tuple(algorithms)
        self._min_rsa_bits = min_rsa_bits
        self._extra_check = extra_check
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._weak_kids: dict[str, int] = {}  # kid -> RSA key size, for keys Tableau refuses
        self._lock = threading.Lock()

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims when it is valid; raises EasTokenError saying why not."""
        header = self._checked_header(token)
        key = self._key(header["kid"])
        try:
            claims = jwt.decode(
                token, key, algorithms=[header["alg"]], audience=self._audience,
                issuer=self._issuer, leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub", "jti", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise EasTokenError("the EAS token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise EasTokenError(
                f"the EAS token's aud is not {self._audience!r} (EAS_AUDIENCE); Tableau "
                "would answer 10084"
            ) from exc
        except jwt.InvalidIssuerError as exc:
            raise EasTokenError(f"the EAS token's iss is not {self._issuer!r} (EAS_ISSUER)") from exc
        except jwt.PyJWTError as exc:
            raise EasTokenError(f"the EAS token is not valid: {exc}") from exc
        problems = self._extra_check(token, self._clock()) if self._extra_check else []
        if problems:
            raise EasTokenError(f"Tableau would refuse the EAS token: {'; '.join(problems)}")
        return claims

    def _checked_header(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise EasTokenError(f"the EAS did not return a JWT: {exc}") from exc
        alg = header.get("alg")
        if alg not in self._algorithms:
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
                    f"under {self._min_rsa_bits} bits (10088)"
                )
            if kid not in self._keys:
                raise EasTokenError(f"kid {kid!r} is not in the EAS's JWKS; Tableau would answer 10085")
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
            if isinstance(key.key, RSAPublicKey) and key.key.key_size < self._min_rsa_bits:
                self._weak_kids[data["kid"]] = key.key.key_size
                continue
            keys[data["kid"]] = key
        return keys
