"""One served file for an entry module and every module it imports (modules.py), so a page gets
its JavaScript in one request and one compressed stream (smaller than the sum of many).

Built at start from the readable sources, which stay separate files under static/js. Each
imported module becomes a function scope evaluated once, in the order the browser would evaluate
them (dependencies first), returning its exports; its imports become destructuring of those
values. The entry stays at the top level with its own `export`s, so the served file exports
exactly what the source module does. This is sound for the forms modules.py accepts: named
imports of `export const|function|class` (no `export let`, so no binding changes after a module
has run) and no cycles.

Shared modules (`shared`) are not copied in but imported as ES modules: they hold state that
another module on the page shares (one instance per URL).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping

from host.assets.modules import Import, Module, ModuleFormError, static_graph

# The `export ` of `export const|function|class name` (the only forms modules.py accepts).
EXPORT_KEYWORD = re.compile(r"^export\s+(?=(?:async\s+)?(?:const|function\*?|class)\s)", re.M)


def namespace(path: str) -> str:
    return "__module_" + re.sub(r"\W", "_", path)


def _bindings(item: Import) -> str:
    names = ", ".join(name if name == local else f"{name}: {local}" for name, local in item.names)
    return f"const {{ {names} }} = {namespace(item.path)};"


def _with_imports_bound(module: Module) -> str:
    text = module.source
    for item in sorted(module.imports, key=lambda i: i.start, reverse=True):
        text = text[:item.start] + _bindings(item) + text[item.end:]
    return text


def bundled_modules(modules: Mapping[str, Module], entry: str, shared: Collection[str]) -> list[str]:
    """The modules copied into `entry`'s file (dependencies first, `entry` last)."""
    folder = posixpath.dirname(entry)
    order = []
    for path in static_graph(modules, entry):
        if path in shared:
            if modules[path].imports:
                raise ModuleFormError(f"static/{path}: a shared module must not import others")
            continue
        if posixpath.dirname(path) != folder:
            raise ModuleFormError(f"static/{path}: modules bundled with static/{entry} must sit in "
                                  "its folder (relative URLs inside them must keep their meaning)")
        order.append(path)
    return order


def bundle(modules: Mapping[str, Module], entry: str, shared: Collection[str] = ()) -> str:
    order = bundled_modules(modules, entry, shared)
    parts = [f"import * as {namespace(path)} from './{posixpath.basename(path)}';"
             for path in bundle_imports(modules, entry, shared)]
    for path in order[:-1]:
        module = modules[path]
        body = EXPORT_KEYWORD.sub("", _with_imports_bound(module))
        exports = ", ".join(module.exports)
        parts.append(f"const {namespace(path)} = (() => {{\n{body}\nreturn {{ {exports} }};\n}})();")
    parts.append(_with_imports_bound(modules[entry]))
    return "\n".join(parts)


def bundle_imports(modules: Mapping[str, Module], entry: str, shared: Collection[str]) -> tuple[str, ...]:
    """What the bundled file still imports: the shared modules its modules use."""
    order = bundled_modules(modules, entry, shared)
    return tuple(sorted({i.path for path in order for i in modules[path].imports if i.path in shared}))
