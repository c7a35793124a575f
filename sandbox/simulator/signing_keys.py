"""Verifying a token against a JSON Web Key Set: shared by OAuth 2.0 trust (eas.py) and unified
access tokens (uat.py).

Both trusts sign with an asymmetric key named by the header's `kid` and refuse the same things:
an algorithm that is not allowed (10087), a `kid` with no key (10085), an RSA key under 2048 bits
(10088), a signature no key verifies (10085). A key set that cannot be fetched is 10081.
"""

from collections.abc import Callable, Collection
from typing import Any

import jwt
import requests

from tableau_rules import claims

from .codes import SignInError

FETCH_TIMEOUT_SECONDS = 3


def verify(token: str, header: dict[str, Any], key_set: Callable[[], dict[str, Any]],
           allowed: Collection[str], signer: str) -> bytes:
    """The verified payload bytes, or the documented code; `signer` names who signs, for details.

    `key_set` is called only once the algorithm passed, so 10087 is answered before any fetch.
    """
    algorithm = header["alg"]
    if algorithm not in allowed:
        raise SignInError(10087, f"{algorithm} is not accepted from {signer}")
    key = _key(key_set(), header["kid"], algorithm, signer)
    if isinstance(key, jwt.algorithms.RSAPublicKey) and key.key_size < claims.MIN_RSA_KEY_BITS:
        raise SignInError(10088, f"the RSA key is under {claims.MIN_RSA_KEY_BITS} bits")
    try:
        return jwt.PyJWS().decode(token, key=key, algorithms=[algorithm])
    except jwt.InvalidSignatureError as exc:
        # No key of the signer verifies the token: "JWT could not find keys" (10085).
        raise SignInError(10085, f"no key of {signer} verifies the signature") from exc
    except jwt.InvalidTokenError as exc:  # e.g. a signature segment that is not base64url
        raise SignInError(10084, "the token is not a well-formed JWT") from exc


def _key(keys: dict[str, Any], kid: str, algorithm: str, signer: str) -> Any:
    entries = keys.get("keys")
    found = next((k for k in entries if isinstance(k, dict) and k.get("kid") == kid), None) \
        if isinstance(entries, list) else None
    if found is None:
        raise SignInError(10085, f"the key set of {signer} has no key with the token's 'kid'")
    try:
        return jwt.PyJWK(found, algorithm=algorithm).key
    except jwt.PyJWKError as exc:
        raise SignInError(10085, "the key with the token's 'kid' cannot verify this algorithm") from exc


def fetch_key_set(url: str, signer: str) -> dict[str, Any]:
    """A JWKS (or metadata) document from `url`; 10081 when it cannot be fetched or read."""
    try:
        return get_json(url)
    except (requests.RequestException, ValueError) as exc:
        # 10081 COULD_NOT_RETRIEVE_IDP_METADATA: the keys Tableau must fetch are out of reach.
        raise SignInError(10081, f"the keys of {signer} cannot be fetched") from exc


def get_json(url: str) -> dict[str, Any]:
    """GET a JSON object (3 s timeout); raises requests' errors or ValueError."""
    response = requests.get(url, timeout=FETCH_TIMEOUT_SECONDS)
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data
