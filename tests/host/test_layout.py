"""The host's layout as a newcomer reads it: each package says in two lines what lives there, and
docs/architecture.md names every module of the host."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p.parent for p in (ROOT / "host").rglob("__init__.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_package_says_in_two_lines_what_lives_there(package: Path) -> None:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")), clean=False)
    assert doc, f"{package.relative_to(ROOT)}/__init__.py has no docstring"
    assert len(doc.strip().splitlines()) == 2, doc


def test_the_architecture_page_names_every_host_module_in_its_package() -> None:
    blocks = _package_blocks((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    modules = sorted(p for p in (ROOT / "host").rglob("*.py")
                     if p.name != "__init__.py" and "__pycache__" not in p.parts)
    missing = [str(p.relative_to(ROOT)) for p in modules
               if p.name not in blocks.get(p.parent.relative_to(ROOT).as_posix(), "")]
    assert missing == []


def _package_blocks(page: str) -> dict[str, str]:
    """The drawing's lines under each package ("host/", "  signin/", ...), by package path. A line
    belongs to the innermost package drawn less indented than itself above it."""
    blocks: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (indent, path) of the packages the line is inside
    for line in page.split("```", 2)[1].splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        name = line.split()[0]
        if name.endswith("/"):
            stack.append((indent, (stack[-1][1] + "/" if stack else "") + name.rstrip("/")))
        if stack:
            blocks[stack[-1][1]] = blocks.get(stack[-1][1], "") + line + "\n"
    return blocks
