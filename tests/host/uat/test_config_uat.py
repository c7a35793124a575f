"""UAT and signing-file settings: each bad value stops the start with a message naming it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config import ConfigError, load_settings, reload_signing
from config.signing_file import update_settings_file
from tests.conftest import SECOND_SECRET_VALUE, SECRET_VALUE, base_env
from tests.uat_keys import ISSUER, TENANT_ID, ec_pem, encrypted_pem, uat_env, write_key


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return write_key(tmp_path / "uat-key.pem")


def problems(**overrides) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(base_env(**overrides))
    return caught.value.message


@pytest.mark.parametrize(("mode", "kept"), [
    ("uat", "uat"), ("direct,uat", "direct,uat"), ("UAT , eas", "eas,uat"), ("eas,direct", "direct,eas"),
])
def test_trust_mode_takes_uat_alone_or_beside_others_in_a_fixed_order(key_file, mode, kept):
    eas = {"EAS_ISSUER": "http://idp.example", "EAS_CLIENT_ID": "host", "EAS_CLIENT_SECRET": "c" * 40,
           "EAS_REDIRECT_URI": "http://localhost/auth/eas/callback"}
    settings = load_settings(base_env(**uat_env(key_file, TRUST_MODE=mode), **eas))
    assert settings.trust_mode == kept
    assert (settings.uat is not None) == ("uat" in kept)
    assert (settings.direct is not None) == ("direct" in kept)


@pytest.mark.parametrize(("mode", "expected"), [
    ("direct,magic", "TRUST_MODE='direct,magic' is unknown: 'magic' is not a trust mode; use direct, "
                     "eas, uat"),
    ("direct,direct", "TRUST_MODE='direct,direct' names a trust mode twice"),
    ("direct,", "TRUST_MODE='direct,' is unknown: '' is not a trust mode"),
])
def test_a_bad_trust_mode_says_what_is_wrong_and_what_to_write(mode, expected):
    assert expected in problems(TRUST_MODE=mode)


def test_uat_alone_signs_local_users_in_without_a_connected_app(key_file):
    settings = load_settings(base_env(**uat_env(key_file), TABLEAU_CLIENT_ID=None,
                                      TABLEAU_SECRET_ID=None, TABLEAU_SECRET_VALUE=None))
    uat = settings.uat
    assert settings.direct is None and settings.local_sign_in
    assert (uat.issuer, uat.tenant_id, uat.site_id, uat.username_claim) == (ISSUER, TENANT_ID, None, "email")
    assert uat.scopes == ("tableau:views:embed", "tableau:views:embed_authoring", "tableau:insights:embed")
    assert uat.signing_key == key_file and uat.spare_key is None and uat.jwks_max_age == 300


def test_uat_needs_its_issuer_and_tenant(key_file):
    message = problems(**uat_env(key_file, UAT_ISSUER=None, UAT_TENANT_ID=None))
    assert "UAT_ISSUER is not set" in message and "UAT_TENANT_ID is not set" in message


def test_a_missing_key_says_how_to_make_one(tmp_path):
    message = problems(**uat_env(tmp_path / "none.pem"))
    assert f"UAT_KEY_FILE: no key at {tmp_path / 'none.pem'}; make one with: flask tableau uat-key" in message


@pytest.mark.parametrize(("content", "expected"), [
    (b"not a key", "is not a PEM private key"),
    (ec_pem(), "is not an RSA key: unified access tokens are RS256"),
    (encrypted_pem(), "is encrypted: the host reads unencrypted PEM keys"),
])
def test_an_unusable_key_file_is_refused_with_its_reason(tmp_path, content, expected):
    path = tmp_path / "key.pem"
    path.write_bytes(content)
    assert expected in problems(**uat_env(path))


def test_a_key_under_2048_bits_is_refused(tmp_path):
    path = write_key(tmp_path / "small.pem", bits=1024)
    assert "is a 1024-bit key, under 2048" in problems(**uat_env(path))


def test_an_unreadable_key_says_the_host_must_read_it(key_file, monkeypatch):
    # The read is refused as the OS refuses it to a user without the right (root reads any file,
    # and CI runs as root: so the refusal is made here rather than by chmod).
    real_read = Path.read_bytes

    def refused(path: Path) -> bytes:
        if path == key_file:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", refused)
    message = problems(**uat_env(key_file))
    assert f"cannot read {key_file} (Permission denied)" in message
    assert "the host's user must be able to read it" in message


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"UAT_SIGNING_KEY": "2"}, "UAT_SIGNING_KEY=2 but UAT_KEY_2_FILE is not set"),
    ({"UAT_SIGNING_KEY": "3"}, "UAT_SIGNING_KEY='3' must be 1 or 2"),
    ({"UAT_USERNAME_CLAIM": "iss"}, "UAT_USERNAME_CLAIM='iss' is a claim with its own meaning"),
    ({"UAT_USERNAME_CLAIM": " "}, "UAT_USERNAME_CLAIM='' is a claim with its own meaning"),
    ({"UAT_SCOPES": "views:embed"}, "UAT_SCOPES='views:embed': list scopes such as"),
    ({"UAT_JWKS_URL": "host/jwks"}, "UAT_JWKS_URL='host/jwks' is not an absolute http(s) URL"),
    ({"UAT_JWKS_MAX_AGE_SECONDS": "-1"}, "UAT_JWKS_MAX_AGE_SECONDS=-1 is out of range"),
])
def test_each_bad_uat_setting_gives_its_clear_error(key_file, overrides, expected):
    assert expected in problems(**uat_env(key_file, **overrides))


def test_the_jwks_url_must_be_https_outside_the_sandbox(key_file):
    prod = {"APP_ENV": "production", "TABLEAU_SERVER_URL": "https://t.example",
            "USERS_FILE": "config/views.json"}
    message = problems(**prod, **uat_env(key_file, UAT_JWKS_URL="http://app.example/jwks"))
    assert "UAT_JWKS_URL='http://app.example/jwks' must use https outside the sandbox" in message


def test_a_second_key_can_sign(tmp_path, key_file):
    second = write_key(tmp_path / "second.pem", index=1)
    uat = load_settings(base_env(**uat_env(key_file, UAT_KEY_2_FILE=str(second),
                                           UAT_SIGNING_KEY="2"))).uat
    assert (uat.signing_key, uat.spare_key, uat.key_files) == (second, key_file, (second, key_file))


# --- SIGNING_SETTINGS_FILE ---------------------------------------------------------------------


def test_with_a_signing_file_the_secrets_come_from_it_not_the_environment(tmp_path):
    path = tmp_path / "signing.env"
    update_settings_file(path, {"TABLEAU_SECRET_ID": "from-file", "TABLEAU_SECRET_VALUE": SECOND_SECRET_VALUE,
                                "APP_ENV": "production"})
    settings = load_settings(base_env(SIGNING_SETTINGS_FILE=str(path)))
    assert settings.direct.signing_secret.id == "from-file"
    assert settings.direct.signing_secret.value == SECOND_SECRET_VALUE
    assert settings.app_env == "sandbox"  # only the signing settings are read from the file
    assert settings.signing_file == path and os.stat(path).st_mode & 0o777 == 0o600


def test_a_signing_file_that_cannot_be_read_stops_the_start(tmp_path):
    message = problems(SIGNING_SETTINGS_FILE=str(tmp_path / "missing.env"))
    assert "SIGNING_SETTINGS_FILE: cannot read" in message and "docs/rotation.md" in message


def test_reloading_takes_the_file_as_it_is_now_and_refuses_a_broken_one(tmp_path):
    path = tmp_path / "signing.env"
    update_settings_file(path, {"TABLEAU_SECRET_ID": "one", "TABLEAU_SECRET_VALUE": SECRET_VALUE})
    settings = load_settings(base_env(SIGNING_SETTINGS_FILE=str(path)))
    update_settings_file(path, {"TABLEAU_SECRET_2_ID": "two", "TABLEAU_SECRET_2_VALUE": SECOND_SECRET_VALUE,
                                "TABLEAU_SIGNING_SECRET": "2"})
    now = reload_signing(settings).direct
    assert (now.signing_secret.id, now.spare_secret.id, now.client_id) == ("two", "one", "client-123")
    update_settings_file(path, {"TABLEAU_SECRET_2_VALUE": None})
    with pytest.raises(ConfigError) as caught:
        reload_signing(settings)
    assert "TABLEAU_SECRET_2_VALUE is not set" in caught.value.message
    assert SECOND_SECRET_VALUE not in caught.value.message
