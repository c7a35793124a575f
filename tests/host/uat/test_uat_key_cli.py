"""`flask tableau uat-key`: a new key in a 0600 file, its kid and public key on stdout, never the
private key; an existing key is never overwritten."""

from __future__ import annotations

import os

import pytest
from flask import Flask

from config.uat import key_file_problem
from host.embed.mint_uat import load_signer


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["tableau", "uat-key", *args])


def test_makes_a_private_file_and_prints_only_public_parts(app: Flask, tmp_path):
    path = tmp_path / "keys" / "uat.pem"
    result = run(app, "--out", str(path), "--bits", "2048")
    assert result.exit_code == 0, result.output
    assert os.stat(path).st_mode & 0o777 == 0o600 and os.stat(path.parent).st_mode & 0o777 == 0o700
    assert key_file_problem(path) == ""
    assert f"kid: {load_signer(path).key_id}" in result.output
    assert "BEGIN PUBLIC KEY" in result.output and "PRIVATE" not in result.output
    assert path.read_bytes().decode() not in result.output


def test_never_overwrites_a_key(app: Flask, tmp_path):
    path = tmp_path / "uat.pem"
    path.write_text("the key Tableau trusts today")
    result = run(app, "--out", str(path), "--bits", "2048")
    assert result.exit_code == 1 and "is never overwritten" in result.output
    assert path.read_text() == "the key Tableau trusts today"


@pytest.mark.parametrize("bits", ["1024", "1536"])
def test_refuses_keys_under_2048_bits(app: Flask, tmp_path, bits):
    result = run(app, "--out", str(tmp_path / "k.pem"), "--bits", bits)
    assert result.exit_code == 2 and not (tmp_path / "k.pem").exists()
