"""The JavaScript the host serves (minified, embed-page.js bundled: host/assets) behaves as the
readable sources do: the browser module's own tests (tests/js) pass against the served files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from host.assets.build import build
from host.assets.bundle import bundle
from host.assets.minify import minify_js
from host.assets.modules import ModuleFormError, parse_modules
from tests.host.assets.node import node

ROOT = Path(__file__).resolve().parents[3]


def test_the_browser_module_tests_pass_against_the_served_files(tmp_path):
    for path, served in build(ROOT / "static").files.items():
        target = tmp_path / "static" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(served.body)
    shutil.copytree(ROOT / "tests" / "js", tmp_path / "tests" / "js")
    shutil.copytree(ROOT / "tableau_rules", tmp_path / "tableau_rules")
    assert b"import " not in (tmp_path / "static/js/embed-page.js").read_bytes().split(b"export", 1)[0]
    run = subprocess.run(  # noqa: S603 (our own test files)
        [node(), "--test", "tests/js/"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "EMBED_PAGE_BUNDLED": "1"})
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout


def test_a_nested_template_literal_is_refused_naming_the_line():
    source = "const a = 1;\nexport const s = `${a ? `${a} ` : ''}x`;\n"
    with pytest.raises(ModuleFormError, match=r"static/js/m.js line 2: a template literal inside"):
        minify_js("js/m.js", source)
    assert minify_js("js/m.js", "export const s = (a ? `${a} ` : '') + 'x';\n").count(b"`${a} `") == 1


def test_bundled_modules_must_sit_beside_the_entry():
    files = {"js/a.js": b"import { b } from '../lib/b.js';\nexport const a = b;\n",
             "lib/b.js": b"export const b = 1;\n"}
    with pytest.raises(ModuleFormError, match="must sit in its folder"):
        bundle(parse_modules(files), "js/a.js")


def test_a_bundle_keeps_shared_modules_as_imports():
    files = {"js/a.js": b"import { b } from './b.js';\nimport { s } from './s.js';\n"
                        b"export const a = b + s;\n",
             "js/b.js": b"import { s as t } from './s.js';\nexport const b = t;\n",
             "js/s.js": b"export const s = 1;\n"}
    text = bundle(parse_modules(files), "js/a.js", shared={"js/s.js"})
    assert text.count("import * as __module_js_s_js from './s.js';") == 1
    assert "const { s: t } = __module_js_s_js;" in text
    assert "export const a = b + s;" in text and "\nexport const b" not in text
