"""Pieces an integrator carries out of the house: each runs alone with only its stated dependencies."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization

from app import create_app
from tests.conftest import base_env
from tests.uat_keys import pem

ROOT = Path(__file__).resolve().parents[2]


def run_alone(tmp_path: Path, source: str, code: str) -> str:
    """Copy one file into an empty folder and run `code` beside it in a fresh interpreter whose
    path holds that folder and the installed packages, but not this project."""
    shutil.copy(ROOT / source, tmp_path / Path(source).name)
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, '.')\n{code}"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_minting_runs_as_one_file_with_pyjwt_only(tmp_path: Path) -> None:
    out = run_alone(tmp_path, "host/embed/mint.py", """
import mint
assert not [m for m in sys.modules if m.split('.')[0] in ('host', 'config', 'tableau_rules', 'flask')]
t = mint.mint_direct_trust_jwt(client_id='c', secret_id='k', secret_value='s' * 32,
                               username='alice@example.com', scopes=['tableau:views:embed'], now=1000)
print(t.token)
""")
    token = out.strip()
    claims = jwt.decode(token, "s" * 32, algorithms=["HS256"], audience="tableau",
                        options={"verify_exp": False})
    assert jwt.get_unverified_header(token)["kid"] == "k"
    assert claims["sub"] == "alice@example.com" and claims["exp"] == 1300


def test_the_eas_verifier_runs_as_one_file_with_pyjwt_only(tmp_path: Path) -> None:
    out = run_alone(tmp_path, "host/eas/verify.py", """
import verify
assert not [m for m in sys.modules if m.split('.')[0] in ('host', 'config', 'tableau_rules', 'flask')]
v = verify.EasTokenVerifier(issuer='https://eas', audience='tableau', jwks_uri=lambda: 'u',
                            fetch_json=lambda url: {'keys': []})
try:
    v.verify('not-a-jwt')
except verify.EasTokenError as exc:
    print('refused:', exc)
""")
    assert out.startswith("refused: the EAS did not return a JWT")


def test_the_lone_verifier_accepts_a_real_eas_token_and_refuses_a_forged_one(tmp_path: Path) -> None:
    private = serialization.load_pem_private_key(pem(), None)
    public = {**jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True),
              "kid": "k1", "alg": "RS256"}
    now = int(time.time())
    claims = {"iss": "https://eas", "aud": "tableau", "sub": "alice@example.com", "jti": "j1",
              "exp": now + 300, "iat": now}
    good = jwt.encode(claims, private, algorithm="RS256", headers={"kid": "k1"})
    forged = jwt.encode({**claims, "sub": "mallory"}, serialization.load_pem_private_key(pem(index=1), None),
                        algorithm="RS256", headers={"kid": "k1"})
    out = run_alone(tmp_path, "host/eas/verify.py", f"""
import verify
v = verify.EasTokenVerifier(issuer='https://eas', audience='tableau', jwks_uri=lambda: 'u',
                            fetch_json=lambda url: {{'keys': [{public!r}]}})
print(v.verify({good!r})['sub'])
try:
    v.verify({forged!r})
except verify.EasTokenError as exc:
    print('refused:', exc)
""")
    accepted, refused = out.strip().splitlines()
    assert accepted == "alice@example.com" and refused.startswith("refused:")


def test_minting_with_the_rule_check_runs_with_tableau_rules_copied_beside_it(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tableau_rules", tmp_path / "tableau_rules",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = run_alone(tmp_path, "host/embed/mint.py", """
import mint
from tableau_rules.jwt_rules import BrokenRules, require_clean
assert not [m for m in sys.modules if m.split('.')[0] in ('host', 'config', 'flask')]
ok = mint.mint_direct_trust_jwt(client_id='c', secret_id='k', secret_value='s' * 32,
                                username='alice@example.com', scopes=['tableau:views:embed'])
require_clean(ok.token, ['viz'])
bad = mint.mint_direct_trust_jwt(client_id='c', secret_id='k', secret_value='s' * 32,
                                 username='alice@example.com', scopes=['tableau:views:embed'])
try:
    require_clean(bad.token, ['authoring'])  # the authoring component needs another scope
except BrokenRules as exc:
    print('refused:', exc)
""")
    assert out.startswith("refused:") and "10099" in out and "tableau:views:embed_authoring" in out


def loaded_by_a_host(env: str, watched: set[str]) -> list[str]:
    """Which of `watched` a fresh interpreter has loaded after building a host and serving a
    signed-in page and a token."""
    code = ("import json, sys\nfrom app import create_app\nfrom tests.conftest import Auth, base_env\n"
            f"app = create_app({{'ENV': base_env({env}), 'TESTING': True}})\n"
            "client = app.test_client()\nAuth(client).login()\n"
            "assert client.get('/views/overview').status_code == 200\n"
            f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {watched!r})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_direct_trust_host_never_loads_authlib() -> None:
    assert loaded_by_a_host("", {"authlib", "joserfc"}) == []


def test_the_direct_trust_path_loads_no_http_client() -> None:
    # Without the "My content" page (tableauserverclient), nothing the host serves needs requests:
    # the CLI's network checks load it when they run.
    assert loaded_by_a_host("MY_CONTENT_PAGE='0'", {"authlib", "joserfc", "requests",
                                                   "tableauserverclient"}) == []


def test_the_mint_constants_agree_with_the_rules() -> None:
    from host.embed import mint
    from tableau_rules import claims

    assert (mint.AUDIENCE, mint.ALGORITHM, mint.MAX_LIFETIME_SECONDS, mint.GROUPS_CLAIM) == (
        claims.AUDIENCE, claims.DIRECT_TRUST_ALGORITHM, claims.MAX_LIFETIME_SECONDS, claims.GROUPS_CLAIM)


def test_an_eas_host_loads_authlib_for_its_sign_in() -> None:
    # The counterpart: configuring an EAS plugs its routes in.
    env = base_env(TRUST_MODE="direct,eas", EAS_ISSUER="http://127.0.0.1:9", EAS_CLIENT_ID="host",
                   EAS_CLIENT_SECRET="x" * 40, EAS_REDIRECT_URI="http://localhost/auth/eas/callback")
    rules = {rule.rule for rule in create_app({"ENV": env, "TESTING": True}).url_map.iter_rules()}
    assert "/auth/eas/callback" in rules
