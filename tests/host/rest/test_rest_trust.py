"""Which JWT the REST sign-in carries: signed as the page's tokens are, so a secret rotation (the
signing file) and TRUST_MODE uat (a unified access token, sent with isUat) reach it too."""

from __future__ import annotations

from config.signing_file import update_settings_file
from host.extension import current_host_of
from tests.host.conftest import signed_in
from tests.host.live_simulator import CLIENT_ID, SECRET_ID, SITE_ID
from tests.uat_keys import ISSUER, TENANT_ID, uat_env, write_key

from .test_my_content import stored_sign_in, workbooks

APP_PATH = f"/api/3.27/sites/{SITE_ID}/connected-applications/{CLIENT_ID}"


def expire_rest_session(auth) -> None:
    """As if TABLEAU_REST_SESSION_MINUTES had passed: the next visit signs in again."""
    stored = stored_sign_in(auth)
    stored.rest.expires_at = 0
    with auth.client.session_transaction() as cookie_session:
        key = f"signin:{cookie_session['sid']}"
    current_host_of(auth.client.application).state.replace(key, stored.to_json())


def test_after_a_secret_rotation_rest_signs_with_the_new_secret(make_host, simulator, tmp_path):
    created = simulator.admin("POST", f"{APP_PATH}/secrets").json()["connectedApplicationSecret"]
    signing = tmp_path / "signing.env"
    update_settings_file(signing, {"TABLEAU_SECRET_ID": SECRET_ID, "TABLEAU_SECRET_VALUE": simulator.secret})
    auth = signed_in(make_host(SIGNING_SETTINGS_FILE=str(signing)), "bob")
    assert auth.client.get("/my-content").status_code == 200
    # Rotate: the new secret signs, the old one is deleted in Tableau.
    update_settings_file(signing, {"TABLEAU_SECRET_2_ID": created["id"],
                                   "TABLEAU_SECRET_2_VALUE": created["value"], "TABLEAU_SIGNING_SECRET": "2"})
    assert simulator.admin("DELETE", f"{APP_PATH}/secrets/{SECRET_ID}").status_code == 204
    expire_rest_session(auth)
    page = auth.client.get("/my-content")
    assert page.status_code == 200 and workbooks(page) == {"Superstore", "Forecast", "Budget"}


def uat_host(make_host, simulator, tmp_path, scopes: str):
    """A host in TRUST_MODE uat (no connected app at all) whose key set the simulator trusts."""
    app = make_host(**uat_env(write_key(tmp_path / "uat.pem"), UAT_SCOPES=scopes, UAT_SITE_ID=SITE_ID))
    jwks = app.test_client().get("/.well-known/jwks.json").get_json()
    config = {"issuer": ISSUER, "tenantId": TENANT_ID, "jwks": jwks, "scopes": scopes.split()}
    answer = simulator.admin("PUT", f"/api/3.27/sites/{SITE_ID}/settings/unified-access-token",
                             json={"unifiedAccessToken": config})
    assert answer.status_code == 200, answer.text
    return app


def test_with_trust_mode_uat_rest_signs_in_with_a_unified_access_token(make_host, simulator, tmp_path):
    app = uat_host(make_host, simulator, tmp_path, "tableau:views:embed tableau:content:read")
    assert current_host_of(app).settings.direct is None  # a UAT is the only JWT this host can sign
    page = signed_in(app, "bob").client.get("/my-content")
    assert page.status_code == 200 and workbooks(page) == {"Superstore", "Forecast", "Budget"}


def test_a_uat_configuration_without_content_read_gets_a_clear_page(make_host, simulator, tmp_path):
    app = uat_host(make_host, simulator, tmp_path, "tableau:views:embed")
    page = signed_in(app, "alice").client.get("/my-content")
    text = page.get_data(as_text=True)
    assert page.status_code == 502 and 'data-rest-code="10097"' in text
    assert "this host did not send the JWT" in text and "tableau:content:read" in text
