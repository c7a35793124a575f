"""The demo in unified-access-token mode (`scripts/demo --trust uat`): the host gets a key and the
UAT settings, and registers its key set's URL with the simulator's UAT admin API once it runs.

The host then signs UATs for users of its own login (EAS users keep the EAS's JWT); the connected
app stays configured beside it (TRUST_MODE direct,eas,uat), so the lab and `flask tableau rotate
secret` still have a secret to work on.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from config import Settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_KEY_DIR = PROJECT_DIR / "instance" / "uat-keys"
TRUSTS = ("direct", "uat")
# The embedding scopes and the REST ones the host's pages use: the demo's UAT configuration allows
# these, and the host never sends others.
DEMO_SCOPES = ("tableau:views:embed tableau:views:embed_authoring tableau:insights:embed "
               "tableau:content:read tableau:views:download")


def uat_host_environment(host_url: str, site_id: str, key_dir: Path | None) -> dict[str, str]:
    """The host's UAT settings; makes the key (instance/uat-keys/uat-key.pem) when there is none."""
    from host.embed.uat_keys import generate_key_file  # the launcher may import the host

    key = (key_dir or DEFAULT_KEY_DIR) / "uat-key.pem"
    if not key.exists():
        generate_key_file(key)
    return {
        "TRUST_MODE": "direct,eas,uat",
        "UAT_ISSUER": host_url,
        "UAT_TENANT_ID": str(uuid.uuid4()),  # the simulator knows tenants only through this config
        "UAT_SITE_ID": site_id,
        "UAT_KEY_FILE": str(key),
        "UAT_SCOPES": DEMO_SCOPES,
        "UAT_JWKS_URL": f"{host_url}/.well-known/jwks.json",
    }


def register_with_simulator(settings: Settings) -> None:
    """PUT the host's UAT configuration (issuer, tenant, site, username claim, scopes, JWKS URL)
    through the simulator's admin API, as the host's own code does after a lab reset."""
    from host.rotation.sandbox_admin import register_host_uat

    register_host_uat(settings)
