"""js/error-catalogue.js (host/assets/catalogue_module.py): the catalogue a page gets as a cached
module is exactly what for_browser() gives, one source: tableau_rules/catalogue.json."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from host.assets.build import build
from host.assets.catalogue_module import js_string
from host.assets.modules import ModuleFormError
from tableau_rules.catalogue import for_browser
from tests.host.assets.node import node

ROOT = Path(__file__).resolve().parents[3]
# Run the served catalogue module, then read what it handed over, as embed-page.js does.
READ_BACK = """
await import('./js/error-catalogue.js');
const { providedCatalogue } = await import('./js/page-catalogue.js');
process.stdout.write(JSON.stringify(providedCatalogue()));
"""


def test_the_served_module_provides_exactly_the_catalogue(tmp_path):
    served = build(ROOT / "static").files
    for path in ("js/error-catalogue.js", "js/page-catalogue.js"):
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_bytes(served[path].body)
    (tmp_path / "read.mjs").write_text(READ_BACK)
    run = subprocess.run([node(), "read.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == for_browser()


def test_js_string_round_trips_quotes_backslashes_and_line_separators(tmp_path):
    text = json.dumps({"a": "Tableau's \"sign-in\" \\ path\u2028next\u2029end…"}, ensure_ascii=False)
    (tmp_path / "s.mjs").write_text(f"process.stdout.write(JSON.stringify(JSON.parse({js_string(text)})));")
    run = subprocess.run([node(), "s.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert json.loads(run.stdout) == json.loads(text)


def test_a_static_file_in_the_generated_modules_place_is_refused(tmp_path):
    shutil.copytree(ROOT / "static", tmp_path / "static")
    (tmp_path / "static/js/error-catalogue.js").write_text("export const x = 1;\n")
    with pytest.raises(ModuleFormError, match="generates this file from tableau_rules/catalogue.json"):
        build(tmp_path / "static")
