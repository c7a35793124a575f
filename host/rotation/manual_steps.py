"""The rotation steps for a person to carry out at a real site or IdP, with this host's values
filled in where they are known (docs/rotation.md explains each). Printed by `flask tableau rotate
--steps`, and whenever the helper is not beside the sandbox."""

from __future__ import annotations

from config import Settings

# After the switch, a token signed the old way lives at most TOKEN_LIFETIME_SECONDS; a few seconds
# more cover whole-second 'exp' values and a page that was mid-request.
DRAIN_MARGIN_SECONDS = 5

_NO_RESTART = ("With SIGNING_SETTINGS_FILE, edit that file: every worker signs as it says from its "
               "next token, no restart. Without it, change the setting and restart every instance "
               "(a rolling restart is fine: Tableau accepts both while they differ).")


def _drain(settings: Settings | None) -> str:
    if settings is None:
        how_long = "TOKEN_LIFETIME_SECONDS (at most 600 s) plus a few seconds"
    else:
        seconds = settings.token_lifetime_seconds
        how_long = (f"TOKEN_LIFETIME_SECONDS ({seconds} s) plus a few seconds "
                    f"({seconds + DRAIN_MARGIN_SECONDS} s here)")
    return f"Wait {how_long} after the last instance switched: every token signed the old way has expired."


def secret_steps(settings: Settings | None) -> list[str]:
    app = settings.direct.client_id if settings and settings.direct else "<your connected app>"
    return [
        f"In Tableau: Settings > Connected Apps > {app} > Generate New Secret (an app holds at most "
        "two; delete an unused one first). Copy the new secret's ID and value.",
        "Put them in TABLEAU_SECRET_2_ID and TABLEAU_SECRET_2_VALUE, keeping TABLEAU_SIGNING_SECRET=1. "
        + _NO_RESTART,
        "Set TABLEAU_SIGNING_SECRET=2: new tokens carry the new secret's ID as 'kid'.",
        _drain(settings),
        "In Tableau, delete the old secret. Then move the new one into TABLEAU_SECRET_ID / "
        "TABLEAU_SECRET_VALUE, clear TABLEAU_SECRET_2_*, set TABLEAU_SIGNING_SECRET=1 (one edit).",
    ]


def uat_key_steps(settings: Settings | None) -> list[str]:
    uat = settings.uat if settings else None
    url = (uat.jwks_url if uat and uat.jwks_url else None) or "https://<this host>/.well-known/jwks.json"
    max_age = uat.jwks_max_age if uat else 300
    return [
        "Make a new key: flask tableau uat-key --out instance/uat-key-2.pem (prints its kid). Set "
        "UAT_KEY_2_FILE to it, keeping UAT_SIGNING_KEY=1: the host publishes both keys. "
        + _NO_RESTART + " If your UAT configuration holds a public key instead of a JWKS URI, add "
        "the new public key there too.",
        f"Wait UAT_JWKS_MAX_AGE_SECONDS ({max_age} s) so no cached key set lacks the new key; "
        f"check that {url} lists both kids.",
        "Set UAT_SIGNING_KEY=2: new tokens carry the new kid.",
        _drain(settings),
        "Set UAT_KEY_FILE to the new key, clear UAT_KEY_2_FILE, set UAT_SIGNING_KEY=1: the key set "
        "holds the new key only. Remove the old public key from the UAT configuration if it is "
        "there, and destroy the old private key file.",
    ]


def eas_key_steps(settings: Settings | None) -> list[str]:
    eas = settings.eas if settings else None
    issuer = eas.issuer if eas else "<your EAS>"
    metadata = eas.metadata_url if eas else "<issuer>/.well-known/openid-configuration"
    demo = "python -m sandbox.eas {} --key-dir instance/eas-keys"
    return [
        f"At the EAS ({issuer}), which holds its keys (not this host), add a new signing key while "
        "the old one keeps signing, so that its JWKS publishes both. Okta (custom authorization "
        "server): leave Signing Key Rotation on Automatic; Okta then rotates on its own, making "
        "each new key weeks before it signs so that caches have it. Keycloak: Realm settings > Keys > "
        "Providers > Add provider, rsa-generated, with Active off (published, not signing). Auth0 "
        "and Entra ID only sign users in here (docs/idp-guide.md, fallback) and roll their keys "
        "over themselves; this host needs nothing for them. The demo EAS: " + demo.format("add-key"),
        f"Wait until no cache of the JWKS (the jwks_uri in {metadata}) lacks the new key: at "
        "least the max-age its answer carries (300 s at the demo EAS); how long Tableau caches it "
        "is not documented. This host needs no wait: it fetches the JWKS again when a token names "
        "a kid it does not hold.",
        "Make the new key sign. Keycloak: turn its provider Active with a higher priority than the "
        "old one (or make the old provider passive). The demo EAS: "
        + demo.format("use-key --kid <new kid>") + ". Nothing changes on this host.",
        "Wait the EAS's access-token lifetime plus a few seconds (the demo EAS: 300 s unless "
        "started with --token-lifetime): every token signed with the old key has expired.",
        "Remove the old key from the JWKS. Keycloak: disable, then delete, the old provider. The "
        "demo EAS: " + demo.format("remove-key --kid <old kid>") + " (list-keys shows them).",
    ]


STEPS = {"secret": secret_steps, "uat-key": uat_key_steps, "eas-key": eas_key_steps}
