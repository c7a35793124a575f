"""The ES modules under static/js: what each imports, read once at start from its import
statements, so a page can ask for a module's whole graph at once (<link rel="modulepreload">)
instead of discovering it one level per round trip.

Only the forms the host's modules use are read: `import { a, b as c } from './x.js';` (static;
`import('./x.js')` loads later, on demand, and is not part of the graph) and
`export const|function|class name`. Anything else is refused at start, naming the file and line,
rather than silently missing from the graph.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

IMPORT = re.compile(
    r"^[ \t]*import\s*\{(?P<names>[^}]*)\}\s*from\s*(?P<q>['\"])(?P<spec>[^'\"]+)(?P=q)[ \t]*;?", re.M)
ANY_IMPORT = re.compile(r"^[ \t]*import\b(?!\s*\()", re.M)
EXPORT = re.compile(r"^export\s+(?:async\s+)?(?:const|function\*?|class)\s+(?P<name>[A-Za-z_$][\w$]*)", re.M)
ANY_EXPORT = re.compile(r"^[ \t]*export\b", re.M)
NAME = re.compile(r"[A-Za-z_$][\w$]*")


class ModuleFormError(ValueError):
    """A module under static/js uses an import or export form the host cannot read."""


@dataclass(frozen=True)
class Import:
    path: str  # the imported module, relative to static/ ("js/load-errors.js")
    names: tuple[tuple[str, str], ...]  # (exported name, local name)
    start: int  # the statement's span in the source
    end: int


@dataclass(frozen=True)
class Module:
    path: str
    source: str
    imports: tuple[Import, ...]
    exports: tuple[str, ...]


def _line(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _names(text: str, where: str) -> tuple[tuple[str, str], ...]:
    names = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        parts = item.split()
        if len(parts) == 1 and NAME.fullmatch(parts[0]):
            names.append((parts[0], parts[0]))
        elif len(parts) == 3 and parts[1] == "as" and all(NAME.fullmatch(p) for p in parts[::2]):
            names.append((parts[0], parts[2]))
        else:
            raise ModuleFormError(f"{where}: cannot read the imported name {item!r}")
    return tuple(names)


def _resolve(path: str, spec: str, where: str) -> str:
    if not spec.startswith(("./", "../")) or not spec.endswith(".js"):
        raise ModuleFormError(f"{where}: import {spec!r} must be a relative path to a .js file")
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))


def parse_module(path: str, source: str) -> Module:
    """Read one module's static imports and exports."""
    imports = []
    for match in IMPORT.finditer(source):
        where = f"static/{path} line {_line(source, match.start())}"
        imports.append(Import(_resolve(path, match["spec"], where), _names(match["names"], where),
                              match.start(), match.end()))
    starts = {i.start for i in imports}
    for match in ANY_IMPORT.finditer(source):
        if match.start() not in starts:
            raise ModuleFormError(f"static/{path} line {_line(source, match.start())}: only "
                                  "`import { name, other as local } from './module.js'` is supported")
    exports = tuple(m["name"] for m in EXPORT.finditer(source))
    if len(exports) != len(ANY_EXPORT.findall(source)):
        bad = next(m for m in ANY_EXPORT.finditer(source) if not EXPORT.match(source, m.start()))
        raise ModuleFormError(f"static/{path} line {_line(source, bad.start())}: only "
                              "`export const|function|class name` is supported")
    return Module(path, source, tuple(imports), exports)


def parse_modules(files: Mapping[str, bytes]) -> dict[str, Module]:
    """Every .js file under static/, parsed."""
    return {path: parse_module(path, body.decode("utf-8")) for path, body in files.items()
            if path.endswith(".js")}


def static_graph(modules: Mapping[str, Module], entry: str) -> tuple[str, ...]:
    """`entry` and every module it imports, directly or not: dependencies first, `entry` last."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(path: str, importer: str) -> None:
        if path in order:
            return
        if path in visiting:
            raise ModuleFormError(f"static/{path}: import cycle through static/{importer}")
        module = modules.get(path)
        if module is None:
            raise ModuleFormError(f"static/{importer} imports static/{path}, which does not exist")
        visiting.add(path)
        for dependency in module.imports:
            visit(dependency.path, path)
        visiting.discard(path)
        order.append(path)

    visit(entry, entry)
    return tuple(order)
