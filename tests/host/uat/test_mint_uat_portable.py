"""host/embed/mint_uat.py runs as one file with PyJWT[crypto] only, and its constants agree with the
rules the simulator and the inspector apply."""

from __future__ import annotations

from pathlib import Path

import jwt

from host.embed import mint_uat
from tableau_rules import claims, uat_rules
from tests.host.test_portable import run_alone
from tests.uat_keys import pem


def test_uat_minting_runs_as_one_file_with_pyjwt_only(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_bytes(pem())
    out = run_alone(tmp_path, "host/embed/mint_uat.py", """
import mint_uat
assert not [m for m in sys.modules if m.split('.')[0] in ('host', 'config', 'tableau_rules', 'flask')]
signer = mint_uat.load_signer('key.pem')
t = mint_uat.mint_unified_access_token(signer=signer, issuer='https://app', tenant_id='t-1',
                                       username='alice@example.com', scopes=['tableau:views:embed'],
                                       now=1000)
print(signer.key_id)
print(t.token)
""")
    kid, token = out.split()
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": kid, "typ": "JWT"}
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == 1300


def test_the_uat_constants_agree_with_the_rules() -> None:
    assert mint_uat.ALGORITHM == uat_rules.ALGORITHM
    assert (mint_uat.TENANT_CLAIM, mint_uat.SITE_CLAIM, mint_uat.GROUPS_CLAIM) == (
        claims.UAT_TENANT_CLAIM, claims.UAT_SITE_CLAIM, claims.GROUPS_CLAIM)
    assert (mint_uat.MIN_KEY_BITS, mint_uat.MAX_LIFETIME_SECONDS) == (
        claims.MIN_RSA_KEY_BITS, claims.MAX_LIFETIME_SECONDS)
