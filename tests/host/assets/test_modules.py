"""The ES module graph read at start (host/assets/modules.py) and the preloads pages get from it."""

from __future__ import annotations

import re

import pytest

from app import create_app
from host.assets.modules import ModuleFormError, parse_module, parse_modules, static_graph
from tests.conftest import Auth, base_env


def preloads(html: str) -> list[str]:
    return re.findall(r'<link rel="modulepreload" href="(/assets/[0-9a-f]+/[^"]+)">', html)


def static_imports(js: str) -> list[str]:
    """The modules a served (minified) file imports statically."""
    return re.findall(r"(?:^|;)\s*import\b[^'\"();]*?from\s*'\./([^']+)'", js, re.M)


def test_a_view_page_gets_its_javascript_in_one_round_trip(client, auth):
    auth.login()
    html = client.get("/views/overview").get_data(as_text=True)
    entry = re.search(r'<script type="module" src="(/assets/[0-9a-f]+/js/embed-page.js)">', html)[1]
    folder = entry.rsplit("/", 1)[0]
    served = client.get(entry).get_data(as_text=True)
    assert "function wireTokenPanel" not in served  # loaded on demand, only where there is a panel
    # Whatever the served module still imports is asked for with it, before it: no waterfall.
    assert {f"{folder}/{name}" for name in static_imports(served)} <= set(preloads(html))
    for url in preloads(html):
        assert static_imports(client.get(url).get_data(as_text=True)) == [], url
    head = html[:html.index("</head>")]
    assert all(head.index(url) < head.index(entry) for url in preloads(html))
    assert head.index(entry) < head.index("tableau.embedding.3")  # before the Tableau library


def test_the_token_panel_module_is_preloaded_only_on_pages_with_a_panel(auth, client):
    auth.login()
    with_panel = client.get("/views/overview").get_data(as_text=True)  # the sandbox shows it
    assert any(url.endswith("/js/token-panel.js") for url in preloads(with_panel))
    quiet = create_app({"ENV": base_env(TOKEN_PANEL="false"), "TESTING": True}).test_client()
    Auth(quiet).login()
    without = quiet.get("/views/overview").get_data(as_text=True)
    assert "data-token-panel" not in without
    assert not any("token-panel" in url for url in preloads(without))


def test_parse_reads_named_imports_and_exports():
    source = ("import { a, b as c } from './x.js';\nimport {\n  d,\n} from \"../lib/y.js\";\n"
              "export const A = 1;\nexport function f() { return import('./later.js'); }\n"
              "export class K {}\n")
    module = parse_module("js/m.js", source)
    assert [(i.path, i.names) for i in module.imports] == [
        ("js/x.js", (("a", "a"), ("b", "c"))), ("lib/y.js", (("d", "d"),))]
    assert module.exports == ("A", "f", "K")


@pytest.mark.parametrize(("source", "message"), [
    ("import x from './x.js';\n", "line 1: only `import { name"),
    ("import './x.js';\n", "line 1: only `import { name"),
    ("const a = 1;\nexport default a;\n", "line 2: only `export const|function|class"),
    ("const a = 1;\nexport { a };\n", "line 2: only `export const|function|class"),
    ("import { a } from 'https://cdn.example/x.js';\n", "must be a relative path"),
])
def test_forms_the_host_cannot_read_are_refused_naming_file_and_line(source, message):
    with pytest.raises(ModuleFormError, match=re.escape(message)) as caught:
        parse_module("js/m.js", source)
    assert "static/js/m.js" in str(caught.value)


def test_graph_puts_dependencies_first_and_refuses_cycles_and_missing_files():
    files = {"js/a.js": b"import { b } from './b.js';\nimport { c } from './c.js';\n",
             "js/b.js": b"import { c } from './c.js';\nexport const b = 1;\n",
             "js/c.js": b"export const c = 1;\n"}
    assert static_graph(parse_modules(files), "js/a.js") == ("js/c.js", "js/b.js", "js/a.js")
    cyclic = {**files, "js/c.js": b"import { a } from './a.js';\nexport const c = 1;\n"}
    with pytest.raises(ModuleFormError, match="import cycle"):
        static_graph(parse_modules(cyclic), "js/a.js")
    with pytest.raises(ModuleFormError, match="imports static/js/c.js, which does not exist"):
        static_graph(parse_modules({k: v for k, v in files.items() if k != "js/c.js"}), "js/a.js")
