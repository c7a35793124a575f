"""js/error-catalogue.js: the error catalogue as a module, so it reaches the browser once and is
cached with the other files, instead of inlined into every embed page (about 15 KB each).

Generated at start from tableau_rules/catalogue.json (through for_browser(), the same validated
document a page may still inline), which stays the one source. The module hands it to
embed-page.js through the shared static/js/page-catalogue.js; the page runs it before
embed-page.js. Served only at the versioned URL: there is no such file under static/.
"""

from __future__ import annotations

import json

from tableau_rules.catalogue import for_browser

PATH = "js/error-catalogue.js"
SHARED_WITH = "js/page-catalogue.js"  # the module both this and embed-page.js import


def js_string(text: str) -> str:
    """`text` as a single-quoted JavaScript string literal (JSON text has no raw control characters;
    U+2028 and U+2029 are escaped for older engines)."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return "'" + escaped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "'"


def catalogue_module() -> bytes:
    # JSON.parse, not an object literal: exactly the JSON semantics of an inline catalogue.
    text = json.dumps(for_browser(), ensure_ascii=False, separators=(",", ":"))
    return (f"import {{ provideCatalogue }} from './{SHARED_WITH.rsplit('/', 1)[1]}';\n"
            f"provideCatalogue(JSON.parse({js_string(text)}));\n").encode()
