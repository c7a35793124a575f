"""Key rotation with the CLI under a running EAS: the new kid signs, the old stays until removed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jwt
import pytest
from joserfc.jwk import RSAKey

from sandbox.eas import KeyStoreError, create_app
from sandbox.eas import keys as keys_module
from sandbox.eas.__main__ import main
from sandbox.eas.keys import KEYS_FILE, KeyStore

from .helpers import ISSUER, Driver


def kids(driver: Driver) -> list[str]:
    return [k["kid"] for k in driver.client.get("/jwks.json").json["keys"]]


def test_rotation_new_kid_signs_old_verifies_until_removed(
    driver: Driver, key_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = driver.tokens()["access_token"]
    old_kid = jwt.get_unverified_header(before)["kid"]

    assert main(["rotate-keys", "--key-dir", str(key_dir)]) == 0
    new_kid = capsys.readouterr().out.split("kid ")[1].split()[0]
    assert new_kid != old_kid
    assert set(kids(driver)) == {old_kid, new_kid}  # the running EAS sees the new file

    after = driver.tokens()["access_token"]
    assert jwt.get_unverified_header(after)["kid"] == new_kid
    assert driver.verify(before)["sub"] == driver.verify(after)["sub"]  # old token still verifies

    assert main(["remove-key", "--kid", old_kid, "--key-dir", str(key_dir)]) == 0
    assert kids(driver) == [new_kid]
    with pytest.raises(KeyError):
        driver.verify(before)  # its kid is gone from the JWKS


def test_the_active_key_cannot_be_removed(key_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    active, _ = KeyStore(key_dir).kids()
    assert main(["remove-key", "--kid", active, "--key-dir", str(key_dir)]) == 2
    assert "active signing key" in capsys.readouterr().err
    assert KeyStore(key_dir).kids() == (active, [active])


def test_removing_an_unknown_kid_fails(key_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remove-key", "--kid", "no-such-kid", "--key-dir", str(key_dir)]) == 2
    assert "no key with kid 'no-such-kid'" in capsys.readouterr().err


def test_list_keys_marks_the_signing_key(key_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list-keys", "--key-dir", str(key_dir)]) == 0
    assert capsys.readouterr().out.strip().endswith("(signing)")


def test_first_start_generates_a_private_2048_bit_key(tmp_path: Path, users_file: Path) -> None:
    key_dir = tmp_path / "fresh"
    create_app(issuer=ISSUER, users_file=users_file, key_dir=key_dir)
    path = key_dir / KEYS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    data = json.loads(path.read_text())
    assert RSAKey.import_key(data["keys"][0]).raw_value.key_size >= 2048


@pytest.mark.filterwarnings("ignore:Key size should be")
def test_a_short_rsa_key_is_refused(tmp_path: Path, users_file: Path) -> None:
    weak = RSAKey.generate_key(1024, auto_kid=True)
    (tmp_path / KEYS_FILE).write_text(json.dumps({"active": weak.kid, "keys": [weak.as_dict(private=True)]}))
    with pytest.raises(KeyStoreError, match="under 2048 bits"):
        create_app(issuer=ISSUER, users_file=users_file, key_dir=tmp_path)


def test_a_broken_key_file_is_refused(tmp_path: Path, users_file: Path) -> None:
    (tmp_path / KEYS_FILE).write_text("{not json")
    with pytest.raises(KeyStoreError, match="cannot use"):
        create_app(issuer=ISSUER, users_file=users_file, key_dir=tmp_path)


def test_list_keys_without_a_key_file_says_how_to_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list-keys", "--key-dir", str(tmp_path)]) == 2
    assert "run rotate-keys" in capsys.readouterr().err


def test_new_kids_never_read_as_an_option(key_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kid starting with "-" would make `remove-key --kid <kid>` fail to parse: such keys are
    drawn again."""
    real = keys_module.RSAKey.generate_key
    drawn = []

    def generate(*args, **kwargs):
        key = real(*args, **kwargs)
        if not drawn:  # the first draw gets a kid that looks like an option
            key = keys_module.RSAKey.import_key({**key.as_dict(private=True), "kid": "-looks-like-an-option"})
        drawn.append(key.kid)
        return key

    monkeypatch.setattr(keys_module.RSAKey, "generate_key", generate)
    kid = KeyStore(key_dir).rotate()
    assert drawn[0] == "-looks-like-an-option" and kid == drawn[1] and not kid.startswith("-")
    assert main(["remove-key", "--kid", kid, "--key-dir", str(key_dir)]) == 2  # parsed: the active key
