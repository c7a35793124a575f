"""Tableau's documented JWT rules for connected apps, as pure functions: from "Troubleshoot Connected
Apps", "Register EAS to Enable SSO for Embedded Content", "Authentication and Embedding" and
"Configure Connected Apps with Direct Trust" (docs/references.md).

`check_token()` decodes a token *without trusting it* and lists every rule it breaks, each with the
code Tableau would answer for it and the catalogue's resolution. Tableau stops at the first failed
rule; listing them all lets an integrator fix a token in one pass. Where Troubleshoot Connected Apps does
not say which code a cause gets, the choice agrees with the sandbox simulator
(sandbox/simulator/tokens.py), so the host's preflight, `flask tableau inspect` and the simulator never
disagree.

Findings with no documented code (a future 'iat' or 'nbf', a header 'iss' that differs from the
claim) are `Caution`s: a clear warning with its fix, never a made-up code. Given the host's
configured IDs (`Expected`), a token of another connected app or secret is a problem too.

Signatures are checked only on request (`verify_signature()`), with a direct-trust secret or an
EAS/UAT key set: decoding without a key is what lets this module explain a token it cannot verify.
Nothing here logs or returns the token itself.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import jwt

from tableau_rules import claims as rules
from tableau_rules import uat_rules
from tableau_rules.catalogue import entry
from tableau_rules.scopes import COMPONENT_SCOPES, UnknownComponent
from tableau_rules.uat_rules import UatExpected

Trust = Literal["direct", "eas", "uat"]
TRUSTS: tuple[str, ...] = ("direct", "eas", "uat")
UAT_TENANT_CLAIM = rules.UAT_TENANT_CLAIM
# How far ahead of this clock an 'iat' or 'nbf' may be before it is worth a warning: the skew
# `flask tableau doctor` also tolerates.
FUTURE_LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class Problem:
    """One broken rule: the code Tableau would answer, a short rule id, what is wrong, the fix."""

    code: int
    rule: str
    message: str
    resolution: str

    @property
    def name(self) -> str:
        return entry(self.code).name

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "rule": self.rule,
                "message": self.message, "resolution": self.resolution}


@dataclass(frozen=True)
class Caution:
    """A finding Tableau documents no code for: a clear warning, what is odd and the fix."""

    rule: str
    message: str
    fix: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "fix": self.fix}


@dataclass(frozen=True)
class Expected:
    """The IDs this host is configured with; a token naming others is not one for this host."""

    client_id: str | None = None  # TABLEAU_CLIENT_ID: the direct-trust 'iss'
    secret_ids: tuple[str, ...] = ()  # TABLEAU_SECRET_ID (and _2_ID): the direct-trust 'kid'
    eas_issuer: str | None = None  # EAS_ISSUER: the EAS token's 'iss'
    uat: UatExpected | None = None  # the UAT_* settings: issuer, key IDs, tenant, username claim

    @property
    def username_claim(self) -> str:
        return self.uat.username_claim if self.uat else uat_rules.DEFAULT_USERNAME_CLAIM


@dataclass(frozen=True)
class Inspection:
    """What could be read from a token (never the token itself), the rules it breaks and the
    warnings worth a look."""

    header: dict[str, Any] | None
    claims: dict[str, Any] | None
    size: int
    problems: tuple[Problem, ...]
    cautions: tuple[Caution, ...] = ()

    @property
    def ok(self) -> bool:
        """No documented rule broken (cautions aside)."""
        return not self.problems

    @property
    def clean(self) -> bool:
        return not self.problems and not self.cautions


def problem(code: int, rule: str, message: str) -> Problem:
    """A Problem whose resolution comes from the catalogue (never retyped here)."""
    return Problem(code=code, rule=rule, message=message, resolution=entry(code).resolution)


# --- decoding without trust -------------------------------------------------------------------


def _decode(token: str) -> tuple[dict | None, dict | None, list[Problem]]:
    """Header and claims as far as they can be read, and the format problems met on the way."""
    segments = token.split(".")
    if len(segments) == 5:
        # Troubleshoot Connected Apps: 10098 "Tableau does not support an unsigned or encrypted JWT"
        # (five parts = JWE).
        return None, None, [problem(10098, "format.encrypted", "the token is encrypted (JWE)")]
    if len(segments) != 3:
        return None, None, [problem(
            10084, "format.segments", f"a JWT has 3 dot-separated parts, this has {len(segments)}")]
    try:
        header = rules.decode_segment(segments[0])
    except ValueError:
        return None, None, [problem(10084, "format.header", "the header is not base64url JSON")]
    try:
        payload = rules.decode_segment(segments[1])
    except ValueError:
        return header, None, [problem(10084, "format.payload", "the claims are not base64url JSON")]
    return header, payload, []


# --- the rules --------------------------------------------------------------------------------


def _size_rules(size: int) -> list[Problem]:
    if size > rules.MAX_TOKEN_BYTES:  # Troubleshoot Connected Apps: 10103 "JWT size exceeds 8000 bytes"
        return [problem(10103, "size", f"the token is {size} bytes, over {rules.MAX_TOKEN_BYTES}")]
    return []


def _header_rules(signed: bool, header: dict, payload: dict | None, trust: str) -> list[Problem]:
    found: list[Problem] = []
    alg = header.get("alg")
    if rules.uses_jws_extensions(header):
        found.append(problem(10084, "format.crit", "the header uses 'crit' or 'b64', which Tableau does not"))
    if not signed or str(alg).lower() == "none":
        found.append(problem(10098, "header.unsigned", "the token is unsigned (alg none or no signature)"))
    elif trust == "direct" and alg != rules.DIRECT_TRUST_ALGORITHM:
        # Configure Connected Apps with Direct Trust: "Only HS256 is supported"; 10087 is the code about
        # the signing algorithm (simulator).
        found.append(problem(10087, "header.alg", f"direct trust signs with HS256, not {alg!r}"))
    elif trust == "uat" and alg != uat_rules.ALGORITHM:
        # Unified access tokens: RS256 only (the simulator answers 10087, the algorithm code).
        found.append(problem(10087, "header.alg", f"a UAT is signed with RS256, not {alg!r}"))
    elif trust == "eas" and alg not in rules.ASYMMETRIC_ALGORITHMS:
        # Register EAS to Enable SSO for Embedded Content: the EAS signs with an asymmetric key (RSA);
        # UATs are RS256 (Unified Access Tokens).
        found.append(problem(10087, "header.alg", f"{trust} tokens use an RSA algorithm, not {alg!r}"))
    if not rules.is_nonempty_text(header.get("kid")):
        # Troubleshoot Connected Apps: 10083 "The 'kid' (Secret ID) or 'clientId' (Issuer) ... missing
        # from the JWT header".
        found.append(problem(10083, "header.kid", "the header has no 'kid' (the secret or key ID)"))
    # Configure Connected Apps with Direct Trust: 'iss' is "Required (in header or as a claim)"; the host
    # puts it in both.
    if rules.issuer(header, payload) is None:
        whose = "the UAT issuer" if trust == "uat" else "the client ID"
        found.append(problem(10083, "header.iss", f"no 'iss' ({whose}) in the header or claims"))
    return found


def _identity_rules(payload: dict, trust: str, username_claim: str) -> list[Problem]:
    found: list[Problem] = []
    aud = payload.get("aud")
    if trust == "direct" and aud != rules.AUDIENCE:
        # Troubleshoot Connected Apps: 10084 "'aud' ... uses the "tableau" value. This value is case
        # sensitive."
        found.append(problem(10084, "claims.aud", f"'aud' must be \"tableau\" (case sensitive), got {aud!r}"))
    elif trust == "eas" and not rules.is_nonempty_text(aud):
        # Configure Connected Apps with OAuth 2.0 Trust: a server-wide EAS uses "tableau", a site-level
        # EAS the site's ID.
        found.append(problem(10084, "claims.aud", "'aud' must be \"tableau\" or the site ID"))
    if trust != "uat" and not rules.is_nonempty_text(payload.get("sub")):
        # Troubleshoot Connected Apps: 10084 "The 'aud' (Audience) and 'sub' (Subject) are included in
        # the JWT."
        found.append(problem(10084, "claims.sub", "'sub' (the Tableau user name) is missing"))
    if trust == "uat":
        # UAT codes are not in Troubleshoot Connected Apps: the simulator's choices (uat_rules.py).
        found += [problem(*f) for f in uat_rules.claim_findings(payload, username_claim)]
    if not rules.is_nonempty_text(payload.get("jti")):
        # Troubleshoot Connected Apps: 10094
        found.append(problem(10094, "claims.jti", "'jti' (a unique JWT ID) is missing"))
    return found


def _time_rules(payload: dict, now: float, max_lifetime_s: int) -> list[Problem]:
    exp, iat = payload.get("exp"), payload.get("iat")
    found: list[Problem] = []
    if not rules.is_epoch_seconds(exp):
        # Troubleshoot Connected Apps: 10084 "Review IssueTime or expiration is the right format" (epoch
        # seconds, UTC).
        found.append(problem(10084, "claims.exp", "'exp' must be a number of seconds since the epoch"))
    if iat is not None and not rules.is_epoch_seconds(iat):
        found.append(problem(10084, "claims.iat", "'iat' must be a number of seconds since the epoch"))
    if not rules.is_epoch_seconds(exp):
        return found
    if exp <= now:
        # An expired token: Troubleshoot Connected Apps lists 'exp' problems under 16 LOGIN_FAILED (the
        # simulator agrees).
        found.append(problem(16, "lifetime.expired", f"'exp' passed {int(now - exp)} s ago"))
    elif exp - now > max_lifetime_s:
        # Troubleshoot Connected Apps: 10096, at most 10 minutes
        found.append(problem(10096, "lifetime.too-long",
                             f"'exp' is {int(exp - now)} s ahead, over {max_lifetime_s} s"))
    elif rules.is_epoch_seconds(iat) and exp - iat > max_lifetime_s:
        # Minted to live too long: Tableau answers 10096 whenever it is presented early enough, so
        # this is the minter's bug even when the token happens to pass now. (A future 'iat' is a
        # Caution, not a rule: nothing documents a code for it.)
        found.append(problem(10096, "lifetime.minted-too-long",
                             f"'exp' - 'iat' is {int(exp - iat)} s, over {max_lifetime_s} s"))
    return found


def _scope_rules(payload: dict, components: Iterable[str]) -> list[Problem]:
    if "scp" not in payload:
        # Troubleshoot Connected Apps: 10099
        return [problem(10099, "scp.missing", "'scp' (the scopes) is missing")]
    scopes = payload["scp"]
    if not rules.is_scope_list(scopes):
        # Troubleshoot Connected Apps: 10097 "'scp' ... not passed as a list type" (Authentication and
        # Embedding: a JSON list of strings).
        return [problem(10097, "scp.type", f"'scp' must be a list of strings, not {type(scopes).__name__}")]
    found = []
    for kind in components:
        missing = [s for s in COMPONENT_SCOPES[kind] if s not in scopes]
        if missing:
            # Authentication and Embedding: scopes per component; the simulator answers 10099 for a
            # missing one.
            found.append(problem(10099, "scp.component",
                                 f"<{kind}> needs {', '.join(missing)} in 'scp'"))
    return found


def _configured_id_rules(header: dict, payload: dict | None, trust: str,
                         expected: Expected) -> list[Problem]:
    """A token for another connected app, secret or EAS than the host's: what the simulator answers."""
    found: list[Problem] = []
    iss, kid = rules.issuer(header, payload), header.get("kid")
    if trust == "direct" and expected.client_id and iss is not None and iss != expected.client_id:
        # Troubleshoot Connected Apps: 10089 "ensure the issuer is calling the correct connected
        # app ID (also known as the client ID)".
        found.append(problem(10089, "config.iss", f"'iss' {iss!r} is not this host's connected app "
                                                  f"(TABLEAU_CLIENT_ID {expected.client_id!r})"))
    if (trust == "direct" and expected.secret_ids and rules.is_nonempty_text(kid)
            and kid not in expected.secret_ids):
        # Troubleshoot Connected Apps: 10085 "Could not find the secret ... verify the correct 'kid'".
        known = ", ".join(repr(i) for i in expected.secret_ids)
        found.append(problem(10085, "config.kid", f"'kid' {kid!r} is none of this host's secret IDs "
                                                  f"({known})"))
    if trust == "eas" and expected.eas_issuer and iss is not None and iss != expected.eas_issuer:
        # Register EAS to Enable SSO for Embedded Content: 10082, "verify that the correct issuer".
        found.append(problem(10082, "config.iss", f"'iss' {iss!r} is not this host's EAS "
                                                  f"(EAS_ISSUER {expected.eas_issuer!r})"))
    if trust == "uat" and expected.uat is not None:
        found += [problem(*f) for f in uat_rules.configured_findings(header, payload, expected.uat)]
    return found


def _cautions(header: dict | None, payload: dict | None, now: float) -> list[Caution]:
    found: list[Caution] = []
    claim_iss = (payload or {}).get("iss")
    if (header is not None and rules.is_nonempty_text(header.get("iss"))
            and rules.is_nonempty_text(claim_iss) and header["iss"] != claim_iss):
        found.append(Caution("header.iss-differs", f"the header's 'iss' {header['iss']!r} differs "
                             f"from the claim's {claim_iss!r}; Tableau goes by the header's",
                             "put the connected app's client ID in both"))
    for claim in ("iat", "nbf"):
        value = (payload or {}).get(claim)
        if value is None:
            continue
        if not rules.is_epoch_seconds(value):
            if claim == "nbf":  # a bad 'iat' is already a 10084 problem
                found.append(Caution("claims.nbf", "'nbf' is not a number of seconds since the epoch",
                                     "leave 'nbf' out, or write it as epoch seconds (UTC)"))
        elif value > now + FUTURE_LEEWAY_SECONDS:
            found.append(Caution(f"claims.{claim}-future", f"'{claim}' is {int(value - now)} s in the "
                                 "future: the minting clock is ahead or not on UTC",
                                 "sync the minting server's clock (NTP) and mint with UTC epoch "
                                 "seconds; Tableau's pages require UTC clocks"))
    return found


# --- public API -------------------------------------------------------------------------------


def inspect_token(
    token: str,
    *,
    trust: Trust = "direct",
    component: str | None = None,
    now: float | None = None,
    max_lifetime_s: int = rules.MAX_LIFETIME_SECONDS,
    expected: Expected | None = None,
) -> Inspection:
    """Decode `token` without verifying it; the readable header/claims, every broken rule and the
    cautions. With `expected`, a token naming another app, secret or EAS is a problem too."""
    username_claim = expected.username_claim if expected else uat_rules.DEFAULT_USERNAME_CLAIM
    found = _inspect(token, trust, [component] if component else [], now, max_lifetime_s,
                     username_claim)
    if found.header is None:
        return found
    extra = _configured_id_rules(found.header, found.claims, trust, expected) if expected else []
    cautions = _cautions(found.header, found.claims, time.time() if now is None else now)
    return replace(found, problems=found.problems + tuple(extra), cautions=tuple(cautions))


def check_token(
    token: str,
    *,
    trust: Trust = "direct",
    component: str | None = None,
    now: float | None = None,
    max_lifetime_s: int = rules.MAX_LIFETIME_SECONDS,
) -> list[Problem]:
    """Every documented rule `token` breaks (empty when none); never verifies the signature."""
    found = inspect_token(token, trust=trust, component=component, now=now,
                          max_lifetime_s=max_lifetime_s)
    return list(found.problems)


def preflight(
    token: str, components: Iterable[str], *, now: float | None = None,
    max_lifetime_s: int = rules.MAX_LIFETIME_SECONDS,
) -> list[Problem]:
    """The host's check before it hands out a direct-trust token for the page's components."""
    return list(_inspect(token, "direct", list(components), now, max_lifetime_s).problems)


class BrokenRules(ValueError):
    """A token the host was about to hand out breaks documented rules; the message names each
    code and rule (never the token), so the host's error log says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        found = "; ".join(f"{p.code} {p.rule}: {p.message}" for p in problems)
        super().__init__(f"refused to hand out a token that breaks Tableau's rules: {found}")


def require_clean(
    token: str, components: Iterable[str] = (), *, now: float | None = None,
    max_lifetime_s: int = rules.MAX_LIFETIME_SECONDS,
) -> None:
    """`preflight()` for the minting path: raise BrokenRules instead of returning problems."""
    problems = preflight(token, components, now=now, max_lifetime_s=max_lifetime_s)
    if problems:
        raise BrokenRules(problems)


def _inspect(token: str, trust: str, components: list[str], now: float | None,
             max_lifetime_s: int, username_claim: str = uat_rules.DEFAULT_USERNAME_CLAIM) -> Inspection:
    if trust not in TRUSTS:
        raise ValueError(f"unknown trust {trust!r}; expected one of {', '.join(TRUSTS)}")
    for kind in components:
        if kind not in COMPONENT_SCOPES:
            raise UnknownComponent(f"unknown component kind {kind!r}")
    now = time.time() if now is None else now
    header, payload, found = _decode(token)
    size = len(token.encode())
    signed = bool(token.rsplit(".", 1)[-1])
    found = _size_rules(size) + found + _parts_rules(header, payload, signed, trust, components, now,
                                                     max_lifetime_s, username_claim)
    return Inspection(header, payload, size, tuple(found))


def _parts_rules(header: dict | None, payload: dict | None, signed: bool, trust: str,
                 components: list[str], now: float, max_lifetime_s: int,
                 username_claim: str = uat_rules.DEFAULT_USERNAME_CLAIM) -> list[Problem]:
    found: list[Problem] = []
    if header is not None:
        found += _header_rules(signed, header, payload, trust)
    if payload is not None:
        found += _identity_rules(payload, trust, username_claim)
        found += _time_rules(payload, now, max_lifetime_s)
        found += _scope_rules(payload, components)
    return found


def preflight_parts(
    header: Mapping[str, Any], claims: Mapping[str, Any], components: Iterable[str], *, size: int,
    now: float, max_lifetime_s: int = rules.MAX_LIFETIME_SECONDS, trust: Trust = "direct",
    expected: Expected | None = None,
) -> list[Problem]:
    """preflight() for a token about to be signed (direct trust, or a UAT with trust="uat"): the
    same rules, applied to the header and claims it will carry and its final `size` in bytes,
    without decoding it after. With `expected`, the configured-ID rules too (a UAT's scopes)."""
    components = list(components)
    for kind in components:
        if kind not in COMPONENT_SCOPES:
            raise UnknownComponent(f"unknown component kind {kind!r}")
    header, claims = dict(header), dict(claims)
    username_claim = expected.username_claim if expected else uat_rules.DEFAULT_USERNAME_CLAIM
    found = _size_rules(size) + _parts_rules(header, claims, True, trust, components, now,
                                             max_lifetime_s, username_claim)
    return found + (_configured_id_rules(header, claims, trust, expected) if expected else [])


def verify_signature(
    token: str, *, secret: str | None = None, jwks: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Check the signature with a direct-trust secret (HS256) or a JWKS dict (RS256 etc.).

    Only the signature: the claims are `check_token()`'s job. Empty list when it verifies.
    """
    if (secret is None) == (jwks is None):
        raise ValueError("pass exactly one of secret= or jwks=")
    header, _, found = _decode(token)
    if header is None:
        return found
    if secret is not None:
        return _verify_hmac(token, header, secret)
    return _verify_with_jwks(token, header, jwks or {})


def _verify_hmac(token: str, header: dict, secret: str) -> list[Problem]:
    if header.get("alg") != rules.DIRECT_TRUST_ALGORITHM:
        return [problem(10087, "signature.alg", "a connected-app secret verifies HS256 only")]
    try:
        with warnings.catch_warnings():  # a short secret is doctor's finding, not a crash here
            warnings.simplefilter("ignore")
            jwt.PyJWS().decode(token, key=secret, algorithms=[rules.DIRECT_TRUST_ALGORITHM])
    except jwt.InvalidSignatureError:
        # Troubleshoot Connected Apps: 127 "verify the correct connected app's secret ID and secret
        # value" (simulator too).
        return [problem(127, "signature.secret", "the signature does not match this secret")]
    except jwt.InvalidTokenError:  # e.g. a signature part that is not base64url, a numeric 'kid'
        return [problem(10084, "signature.format", "the token is not a well-formed JWS")]
    return []


def _verify_with_jwks(token: str, header: dict, jwks: Mapping[str, Any]) -> list[Problem]:
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in rules.ASYMMETRIC_ALGORITHMS:
        return [problem(10087, "signature.alg", f"a key set verifies RSA algorithms, not {alg!r}")]
    keys = [k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("kid") == kid]
    if not keys:
        # Troubleshoot Connected Apps and Register EAS to Enable SSO for Embedded Content: 10085
        # COULD_NOT_FETCH_JWT_KEYS, no key with the token's 'kid'.
        return [problem(10085, "signature.kid", f"the key set has no key with kid {kid!r}")]
    try:
        key = jwt.PyJWK(keys[0], algorithm=alg)
    except (jwt.PyJWKError, jwt.InvalidKeyError) as exc:
        return [problem(10085, "signature.key", f"the key with kid {kid!r} is unusable: {exc}")]
    bits = getattr(key.key, "key_size", rules.MIN_RSA_KEY_BITS)
    if bits < rules.MIN_RSA_KEY_BITS:
        # Register EAS to Enable SSO for Embedded Content: 10088 "signed with an RSA key size of 2048".
        return [problem(10088, "signature.key-size", f"the RSA key is {bits} bits, under 2048")]
    try:
        jwt.PyJWS().decode(token, key=key.key, algorithms=[alg])
    except jwt.InvalidSignatureError:
        # No documented code for a bad EAS signature: the key Tableau finds by 'kid' does not
        # verify, so 10085 (its keys) with its resolution "verify the correct issuer" fits best.
        return [problem(10085, "signature.mismatch", f"the key {kid!r} does not verify the signature")]
    except jwt.InvalidTokenError:  # e.g. a signature part that is not base64url, a numeric 'kid'
        return [problem(10084, "signature.format", "the token is not a well-formed JWS")]
    return []
