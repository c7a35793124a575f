"""Smaller JavaScript for the browser: every module is served minified (rjsmin: comments and
blank space out, names kept), built at start from the readable sources, which stay as they are
under static/js (what integrators copy and what /static/ serves)."""

from __future__ import annotations

import re

import rjsmin

from host.assets.modules import ModuleFormError

# rjsmin keeps template literals only when unnested: inside `${...}` it would treat an inner
# template as code and drop its spaces. Refused rather than silently changed.
NESTED_TEMPLATE = re.compile(r"\$\{[^}`]*`")


def minify_js(path: str, source: str) -> bytes:
    nested = NESTED_TEMPLATE.search(source)
    if nested:
        line = source.count("\n", 0, nested.start()) + 1
        raise ModuleFormError(f"static/{path} line {line}: a template literal inside another one's "
                              "${...}; the minifier keeps only unnested ones: build the inner string "
                              "with + instead")
    return rjsmin.jsmin(source).encode("utf-8")
