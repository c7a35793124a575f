"""`flask tableau doctor`'s unified-access-token lines (TRUST_MODE uat): the keys (readable, size,
mode 0600), the configuration values, the key set Tableau fetches (UAT_JWKS_URL serves the signing
key) and a test mint that passes every rule.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import requests

from config.uat import key_file_is_private, key_file_problem
from host.diagnostics.doctor_context import FAIL, OK, TIMEOUT, WARN, Context, Line
from host.embed.mint_uat import load_signer
from host.embed.signing import signing_now
from host.embed.uat_token import mint_uat_for_user
from host.wording import count
from tableau_rules.jwt_rules import BrokenRules
from tableau_rules.scopes import COMPONENT_SCOPES
from tableau_rules.uat_rules import refused_scopes


def check_uat(ctx: Context) -> list[Line]:
    uat = signing_now(ctx.settings).uat
    if uat is None:
        return []
    lines = [_key_line(path, label) for path, label in
             ((uat.signing_key, "uat signing key"), (uat.spare_key, "uat spare key")) if path]
    if any(line.status == FAIL for line in lines):
        return lines
    site = f", site {uat.site_id}" if uat.site_id else ""
    lines.append(Line(OK, "uat configuration", f"issuer {uat.issuer!r}, tenant {uat.tenant_id}{site}, "
                      f"user in '{uat.username_claim}', scopes {' '.join(uat.scopes)}"))
    return [*lines, *_jwks_lines(ctx, uat.jwks_url, load_signer(uat.signing_key).key_id),
            *_mint_lines(ctx)]


def _key_line(path: Path, label: str) -> Line:

    problem = key_file_problem(path)
    if problem:
        return Line(FAIL, label, problem, "fix UAT_KEY_FILE / UAT_KEY_2_FILE (docs/uat.md)")
    signer = load_signer(path)
    about = f"{path.name}: RSA {signer.key_size} bits, kid {signer.key_id}"
    if not key_file_is_private(path):
        return Line(WARN, label, f"{about}; others may read it", f"chmod 600 {path}")
    return Line(OK, label, about)


def _jwks_lines(ctx: Context, url: str | None, kid: str) -> list[Line]:

    if not url:
        return [Line(WARN, "uat jwks", "UAT_JWKS_URL is not set, so what Tableau fetches is not checked",
                     "set UAT_JWKS_URL to the JWKS URI of your UAT configuration")]
    try:
        answer = ctx.http.get(url, timeout=TIMEOUT)
        keys = answer.json().get("keys", []) if answer.status_code == 200 else None
    except (requests.RequestException, ValueError, AttributeError):
        keys = None
    if not isinstance(keys, list):
        return [Line(FAIL, "uat jwks", f"no key set at {url}",
                     "serve /.well-known/jwks.json there (Tableau answers 10081/10085 otherwise)")]
    if kid not in [k.get("kid") for k in keys if isinstance(k, dict)]:
        return [Line(FAIL, "uat jwks", f"{url} does not publish the signing key {kid}",
                     "point UAT_JWKS_URL at this host, or wait for the caches to see it (10085)")]
    return [Line(OK, "uat jwks", f"{url} publishes the signing key ({count(len(keys), 'key')})")]


def _mint_lines(ctx: Context) -> list[Line]:

    uat = ctx.settings.uat
    user = next(iter(ctx.users), None) if ctx.users is not None else None
    if user is None or uat is None:
        return [Line(WARN, "uat minting", "no users to mint a test UAT for", "add users to USERS_FILE")]
    # The page's components the configuration allows (a viz at least).
    kinds = [k for k, scopes in COMPONENT_SCOPES.items() if not refused_scopes(scopes, uat.scopes)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mint_uat_for_user(ctx.settings, user, kinds or ["viz"], clock=ctx.clock)
    except (BrokenRules, ValueError) as exc:
        return [Line(FAIL, "uat minting", str(exc), "fix the setting the rule names (docs/uat.md)")]
    return [Line(OK, "uat minting", f"a UAT for {user.login!r} ({', '.join(kinds)}) passes every rule")]
