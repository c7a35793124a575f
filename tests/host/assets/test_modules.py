"""The ES module graph read at start (host/assets/modules.py) and the preloads pages get from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from host.assets.modules import ModuleFormError, parse_module, parse_modules, static_graph

STATIC = Path(__file__).resolve().parents[3] / "static"


def graph_by_hand(entry: str) -> set[str]:
    """What `entry` imports, found the simplest way: every `from './x.js'` in every file reached."""
    found, queue = set(), [entry]
    while queue:
        text = (STATIC / queue.pop()).read_text(encoding="utf-8")
        for spec in re.findall(r"\bfrom\s*'\./([^']+)'", text):
            if f"js/{spec}" not in found:
                found.add(f"js/{spec}")
                queue.append(f"js/{spec}")
    return found


def preloads(html: str) -> list[str]:
    return re.findall(r'<link rel="modulepreload" href="/assets/[0-9a-f]+/([^"]+)">', html)


def test_a_view_page_preloads_every_module_embed_page_imports(client, auth):
    auth.login()
    html = client.get("/views/overview").get_data(as_text=True)
    assert set(preloads(html)) == graph_by_hand("js/embed-page.js")
    assert len(preloads(html)) == len(set(preloads(html)))
    # The preloads come before the module, and the module before the Tableau library.
    head = html[:html.index("</head>")]
    assert head.rindex("modulepreload") < head.index("js/embed-page.js\"></script>")
    assert head.index("js/embed-page.js\"></script>") < head.index("tableau.embedding.3")


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
