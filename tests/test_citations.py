"""Tableau's pages are cited by title: no internal document number or reference-folder path leaks
into what a reader of a clone sees (pages, static files, docs, code comments, settings, the sandbox
and the tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tableau_rules.references import PAGES

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("templates", "static", "docs", "host", "config", "tableau_rules", "sandbox", "tests",
           "bench", "scripts", ".ci", "README.md", ".env.example", "app.py", "gunicorn.conf.py",
           "compose.yaml", "Dockerfile", "pyproject.toml", "requirements.txt", "requirements-test.txt")
# Files that must hold the old forms: this test's own patterns and samples. No other test data
# needs them; add a file here only with a comment saying why.
EXEMPT = frozenset({"tests/test_citations.py"})
INTERNAL_REFERENCES = (
    re.compile(r"[Dd]ocuments?,? 00\d"),           # the word, then a number: see the samples below
    re.compile(r"\(00\d\b"),                         # a number opening parentheses
    re.compile(r"\b00\d(?:/00\d|:\s| and 00\d)"),    # "000/001", "003: ...", "001 and 002"
    re.compile(r'"00\d"'),                           # "sources": ["000"]
    re.compile(r"shared[/]reference|reference/README|reference digest"),
    re.compile(r"(?<![\d.,#])\b00[0-4]\b(?![\d.])"),  # any bare 000..004: "(000, codes 16)"
)
TEXT_SUFFIXES = {".py", ".md", ".html", ".js", ".mjs", ".css", ".json", ".txt", ".svg"}


def _scanned_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        # scripts/ and .ci/ hold shell scripts without a suffix: every file there is text
        found = [path] if path.is_file() else [
            p for p in path.rglob("*")
            if p.is_file() and (p.suffix in TEXT_SUFFIXES or name in ("scripts", ".ci"))
            and "__pycache__" not in p.parts]
        files += [p for p in found if p.relative_to(ROOT).as_posix() not in EXEMPT]
    return sorted(files)


def _internal_references(text: str) -> list[str]:
    return [m.group(0) for pattern in INTERNAL_REFERENCES for m in pattern.finditer(text)]


# Samples of each old form. Some are written in two pieces ("docu" "ment") so that a plain text
# search of the repository for such citations does not report this test itself.
@pytest.mark.parametrize("sample", [
    "as docu" "ment 003 advises", "(" "000)", "checked against docu" "ments 000 and 001",
    "(" "001, 002)", "# 004: Only HS256", "faithful to 000/001", '"sources": ["000", "001"]',
    "see ../sha" "red/reference/", "(reference/README.md)", "(reference digest, UAT)",
    "at most 10 minutes: 000, codes 16/10096",
])
def test_the_patterns_catch_each_old_form(sample):
    assert _internal_references(sample), sample


@pytest.mark.parametrize("sample", [
    "code 10091", "Troubleshoot Connected Apps (code 16)", "10:00:00", "port 8001", "TTL 300 s",
    "color: #000;", "nested 1,000 deep", "0.001 s", "10003",
])
def test_the_patterns_leave_codes_and_numbers_alone(sample):
    assert _internal_references(sample) == []


def test_no_internal_document_numbers_in_pages_static_docs_or_code():
    found = {}
    for path in _scanned_files():
        hits = _internal_references(path.read_text(encoding="utf-8", errors="replace"))
        if hits:
            found[path.relative_to(ROOT).as_posix()] = hits
    assert found == {}, "cite Tableau's pages by title (docs/references.md), not by number or path"


def test_the_scan_sees_the_files_it_should():
    names = {p.relative_to(ROOT).as_posix() for p in _scanned_files()}
    assert {"README.md", "templates/base.html", "tableau_rules/catalogue.json", "static/css/app.css",
            "docs/references.md", "host/errors.py", "config/__init__.py", "docs/simulator.md",
            "static/js/load-errors.js", "sandbox/registry.json", "sandbox/simulator/tokens.py",
            "sandbox/simulator/static/tableau-embedding.js", "tests/sandbox/helpers.py",
            "tests/js/load-errors.test.mjs"} <= names
    assert "tests/test_citations.py" not in names


def test_the_references_page_lists_every_page_with_its_url():
    text = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
    for title, url in PAGES.items():
        assert re.search(rf"^## {re.escape(title)}\b", text, flags=re.MULTILINE), title
        if url:
            assert url in text, title
