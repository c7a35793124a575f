"""Registry loading: `${NAME}` expansion, validation, and the committed demo seed."""

import json
from pathlib import Path

import pytest

from sandbox.simulator import create_app, registry
from sandbox.simulator.__main__ import main
from sandbox.simulator.registry import RegistryError

from .helpers import build_registry

SEED = Path(__file__).resolve().parents[2] / "sandbox" / "registry.json"


def test_an_unset_variable_is_named():
    data = build_registry(app__secrets=[{"id": "s1", "value": "${SIM_TEST_UNSET_SECRET}"}])
    with pytest.raises(RegistryError, match="SIM_TEST_UNSET_SECRET"):
        registry.load(data, env={})


def test_variables_are_expanded_from_the_environment():
    data = build_registry(app__secrets=[{"id": "s1", "value": "${SIM_TEST_SECRET}"}])
    loaded = registry.load(data, env={"SIM_TEST_SECRET": "expanded-value"})
    assert loaded.sites[0].connected_apps[0].secrets[0].value == "expanded-value"


def test_the_seed_loads_with_the_secret_from_the_environment():
    loaded = registry.load(SEED, env={"SANDBOX_SECRET_VALUE": "x" * 40})
    site = loaded.site("demo")
    assert [u.name for u in site.users] == ["alice@example.com", "bob@example.com", "carol@example.com"]
    assert site.view("Superstore", "Overview") and site.view("Budget", "Summary") and site.pulse_metrics


def test_the_command_line_refuses_to_start_naming_the_variable(monkeypatch, capsys):
    monkeypatch.delenv("SANDBOX_SECRET_VALUE", raising=False)
    assert main(["--registry", str(SEED), "--port", "0"]) != 0
    assert "SANDBOX_SECRET_VALUE" in capsys.readouterr().err


def test_an_invalid_file_is_refused(tmp_path):
    path = tmp_path / "registry.json"
    path.write_text("{not json")
    with pytest.raises(RegistryError, match="cannot read registry"):
        create_app(path)


def test_a_third_secret_in_the_file_is_refused():
    secrets = [{"id": f"s{i}", "value": "v" * 40} for i in range(3)]
    with pytest.raises(RegistryError, match="at most 2"):
        registry.load(build_registry(app__secrets=secrets))


def test_an_invalid_allowlist_is_refused():
    with pytest.raises(RegistryError, match="invalid characters"):
        registry.load(build_registry(app__domainAllowlist="https://ok.example; script-src *"))


def test_the_seed_is_valid_json_with_the_secret_as_a_variable():
    app = json.loads(SEED.read_text())["sites"][0]["connectedApps"][0]
    assert app["secrets"][0]["value"] == "${SANDBOX_SECRET_VALUE}"
