"""The connected-app error-code catalogue (catalogue.json): loaded and validated once.

catalogue.json is the single source of truth for what each load error means and what the page
does about it. The host serves it to the browser (``for_browser()``), the browser module
(static/js/load-errors.js) maps a ``vizloaderror`` to an action with it, and the simulator can
take names and summaries from it. Codes come from "Troubleshoot Connected Apps" (direct trust)
and "Register EAS to Enable SSO for Embedded Content" (EAS); the actions follow "Authentication and
Embedding" (VizLoadError handling, iframe-auth fallback, removing the token to show Tableau's
sign-in). Each entry's `sources` names the pages that list its code, by title.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tableau_rules.references import CODE_PAGES

CATALOGUE_PATH = Path(__file__).with_name("catalogue.json")

RETRY = "RETRY"
IFRAME_AUTH = "IFRAME_AUTH"
LOGIN = "LOGIN"
FAIL = "FAIL"
ACTIONS = (RETRY, IFRAME_AUTH, LOGIN, FAIL)
# Only a load errorCode may defer to the connected-app code carried in its body ("auth-failed").
BY_CODE = "BY_CODE"

TOP_LEVEL_KEYS = frozenset(
    {"schemaVersion", "documents", "actions", "retry", "timeouts", "fallback", "defaults",
     "loadErrors", "codes"}
)
CODE_KEYS = frozenset({"name", "summary", "resolution", "sources", "action", "why"})
LOAD_ERROR_KEYS = frozenset({"summary", "action", "resolution", "why"})
# unknownCode: a code not in `codes`; noCode: auth-failed without a code; serverError: auth-failed
# without a code and with a 5xx statusCode (an outage, not a sign-in problem); unknownErrorCode: a
# load errorCode not in `loadErrors` (static/js/load-errors.js applies them).
DEFAULT_KEYS = frozenset({"unknownCode", "noCode", "serverError", "unknownErrorCode"})
RETRY_KEYS = frozenset({"maxAttempts", "baseDelayMs", "maxDelayMs"})
# firstInteractiveMs: how long the page waits for a rendered component's firstinteractive before
# its final message (static/js/first-interactive-watchdog.js); within a minute, or users leave.
TIMEOUT_KEYS = frozenset({"firstInteractiveMs"})
MAX_FIRST_INTERACTIVE_MS = 60_000
# Both code pages spell names in upper snake case (e.g. JTI_ALREADY_USED).
_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class CatalogueError(ValueError):
    """catalogue.json is malformed; the message names the offending entry."""


class UnknownCode(KeyError):
    """A connected-app code the catalogue does not hold."""


@dataclass(frozen=True)
class CodeEntry:
    """One connected-app error code (from Tableau's code pages) and the page's action for it."""

    code: int
    name: str
    summary: str
    resolution: str
    sources: tuple[str, ...]
    action: str
    why: str


@dataclass(frozen=True)
class LoadErrorEntry:
    """One Embedding API ``vizloaderror`` errorCode string (e.g. ``unknown-auth-error``)."""

    error_code: str
    summary: str
    action: str  # one of ACTIONS, or BY_CODE for "auth-failed"
    resolution: str
    why: str


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_delay_ms: int
    max_delay_ms: int


@dataclass(frozen=True)
class Catalogue:
    codes: Mapping[int, CodeEntry]
    load_errors: Mapping[str, LoadErrorEntry]
    messages: Mapping[str, str]  # action -> plain user-facing message
    retry: RetryPolicy
    first_interactive_ms: int  # no firstinteractive this long after rendering: the final message
    fallback: Mapping[str, str]  # action -> action to use once its budget is spent
    defaults: Mapping[str, str]
    raw: Mapping[str, Any]  # the validated JSON document (read-only view; copy before changing)

    def codes_named(self, name: str) -> tuple[CodeEntry, ...]:
        """Entries with this name (not unique: 126 and 10089 are both CONNECTED_APP_NOT_FOUND)."""
        return tuple(e for e in self.codes.values() if e.name == name)


def _fail(where: str, problem: str) -> CatalogueError:
    return CatalogueError(f"catalogue.json {where}: {problem}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "must be a non-empty string")
    return value


def _keys(obj: Any, expected: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise _fail(where, "must be an object")
    missing = sorted(expected - obj.keys())
    extra = sorted(obj.keys() - expected)
    if missing:
        raise _fail(where, f"missing keys {missing}")
    if extra:
        raise _fail(where, f"unexpected keys {extra}")
    return obj


def _action(value: Any, where: str, allowed: tuple[str, ...] = ACTIONS) -> str:
    if value not in allowed:
        raise _fail(where, f"action {value!r} is not one of {', '.join(allowed)}")
    return value


def _positive_int(value: Any, where: str) -> int:
    # bool is an int subclass; `true` is not a delay.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(where, f"must be a positive integer, got {value!r}")
    return value


def _validate_code(key: str, raw: Any, documents: Mapping[str, Any]) -> CodeEntry:
    where = f"codes[{key!r}]"
    if not key.isdigit() or key != str(int(key)):
        raise _fail(where, "code keys must be decimal numbers without leading zeros")
    obj = _keys(raw, CODE_KEYS, where)
    name = _text(obj["name"], f"{where}.name")
    if not _NAME.match(name):
        raise _fail(f"{where}.name", f"{name!r} is not an UPPER_SNAKE_CASE name")
    sources = obj["sources"]
    if not isinstance(sources, list) or not sources or len(set(sources)) != len(sources):
        raise _fail(f"{where}.sources", "must be a non-empty list without repeats")
    for src in sources:
        if src not in CODE_PAGES:
            pages = " or ".join(CODE_PAGES)
            raise _fail(f"{where}.sources", f"{src!r} is not a page with a code table ({pages})")
        if src not in documents:
            raise _fail(f"{where}.sources", f"{src!r} is not listed in documents")
    return CodeEntry(
        code=int(key),
        name=name,
        summary=_text(obj["summary"], f"{where}.summary"),
        resolution=_text(obj["resolution"], f"{where}.resolution"),
        sources=tuple(sources),
        action=_action(obj["action"], f"{where}.action"),
        why=_text(obj["why"], f"{where}.why"),
    )


def _validate_load_error(key: str, raw: Any) -> LoadErrorEntry:
    where = f"loadErrors[{key!r}]"
    obj = _keys(raw, LOAD_ERROR_KEYS, where)
    allowed = (*ACTIONS, BY_CODE) if key == "auth-failed" else ACTIONS
    return LoadErrorEntry(
        error_code=key,
        summary=_text(obj["summary"], f"{where}.summary"),
        action=_action(obj["action"], f"{where}.action", allowed),
        resolution=_text(obj["resolution"], f"{where}.resolution"),
        why=_text(obj["why"], f"{where}.why"),
    )


def _validate_fallback(fallback: Any) -> dict[str, str]:
    if not isinstance(fallback, dict):
        raise _fail("fallback", "must be an object")
    for src, dst in fallback.items():
        _action(src, f"fallback[{src!r}] (key)")
        _action(dst, f"fallback[{src!r}]")
    if FAIL in fallback:
        raise _fail("fallback['FAIL']", "FAIL is terminal and has no fallback")
    # Every chain must end in FAIL without a cycle, so the page always stops somewhere.
    for start in ACTIONS:
        seen, current = [start], start
        while current != FAIL:
            if current not in fallback:
                raise _fail(
                    f"fallback[{current!r}]", f"missing (chain from {start} must reach FAIL)"
                )
            current = fallback[current]
            if current in seen:
                raise _fail(f"fallback[{start!r}]", f"cycle {' -> '.join([*seen, current])}")
            seen.append(current)
    return dict(fallback)


def validate(data: Any) -> Catalogue:
    """Check a parsed catalogue document and build the typed view; raise CatalogueError."""
    doc = _keys(data, TOP_LEVEL_KEYS, "top level")
    if doc["schemaVersion"] != 1:
        raise _fail("schemaVersion", f"unsupported version {doc['schemaVersion']!r}")
    documents = doc["documents"]
    if not isinstance(documents, dict) or not set(CODE_PAGES) <= documents.keys():
        raise _fail("documents", f"must name at least the code pages {' and '.join(CODE_PAGES)}")

    actions = _keys(doc["actions"], frozenset(ACTIONS), "actions")
    messages = {}
    for name in ACTIONS:
        spec = _keys(actions[name], frozenset({"meaning", "message"}), f"actions[{name!r}]")
        _text(spec["meaning"], f"actions[{name!r}].meaning")
        messages[name] = _text(spec["message"], f"actions[{name!r}].message")

    retry_raw = _keys(doc["retry"], RETRY_KEYS, "retry")
    retry = RetryPolicy(
        max_attempts=_positive_int(retry_raw["maxAttempts"], "retry.maxAttempts"),
        base_delay_ms=_positive_int(retry_raw["baseDelayMs"], "retry.baseDelayMs"),
        max_delay_ms=_positive_int(retry_raw["maxDelayMs"], "retry.maxDelayMs"),
    )
    if retry.base_delay_ms > retry.max_delay_ms:
        raise _fail("retry", "baseDelayMs exceeds maxDelayMs")

    timeouts = _keys(doc["timeouts"], TIMEOUT_KEYS, "timeouts")
    first_interactive_ms = _positive_int(timeouts["firstInteractiveMs"], "timeouts.firstInteractiveMs")
    if first_interactive_ms > MAX_FIRST_INTERACTIVE_MS:
        raise _fail("timeouts.firstInteractiveMs", f"at most {MAX_FIRST_INTERACTIVE_MS} ms, got "
                    f"{first_interactive_ms}: users give up long before")

    fallback = _validate_fallback(doc["fallback"])
    defaults_raw = _keys(doc["defaults"], DEFAULT_KEYS, "defaults")
    defaults = {k: _action(v, f"defaults[{k!r}]") for k, v in defaults_raw.items()}

    load_errors_raw = doc["loadErrors"]
    if not isinstance(load_errors_raw, dict) or "auth-failed" not in load_errors_raw:
        raise _fail("loadErrors", "must be an object holding at least 'auth-failed'")
    load_errors = {k: _validate_load_error(k, v) for k, v in load_errors_raw.items()}

    codes_raw = doc["codes"]
    if not isinstance(codes_raw, dict) or not codes_raw:
        raise _fail("codes", "must be a non-empty object keyed by code")
    codes = {}
    for key, raw in codes_raw.items():
        entry = _validate_code(key, raw, documents)
        codes[entry.code] = entry

    return Catalogue(
        codes=MappingProxyType(dict(sorted(codes.items()))),
        load_errors=MappingProxyType(load_errors),
        messages=MappingProxyType(messages),
        retry=retry,
        first_interactive_ms=first_interactive_ms,
        fallback=MappingProxyType(fallback),
        defaults=MappingProxyType(defaults),
        raw=MappingProxyType(data),
    )


def load(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate a catalogue file (uncached; ``catalogue()`` is the cached default)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CatalogueError(f"{path.name}: not valid JSON ({exc})") from exc
    return validate(data)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The validated catalogue shipped with the package, loaded once per process."""
    return load()


def entry(code: int | str) -> CodeEntry:
    """The entry for a connected-app code (e.g. 10091 or "10091"); raises UnknownCode for anything
    else, a JSON number such as 1e400, 10091.5 or true included."""
    if isinstance(code, bool) or not isinstance(code, int | str):
        raise UnknownCode(code)
    try:
        key = int(code)
    except ValueError:
        raise UnknownCode(code) from None
    try:
        return catalogue().codes[key]
    except KeyError:
        raise UnknownCode(code) from None


def load_error(error_code: str) -> LoadErrorEntry:
    """The entry for an Embedding API load errorCode (e.g. "unknown-auth-error"); KeyError."""
    return catalogue().load_errors[error_code]


@lru_cache(maxsize=1)
def _browser_json() -> str:
    return json.dumps(dict(catalogue().raw), ensure_ascii=False, sort_keys=True)


def for_browser() -> dict[str, Any]:
    """The JSON-ready catalogue the page embeds as <script type="application/json"
    id="tableau-error-catalogue"> (render with Jinja's ``|tojson``, which escapes <, > and &).

    The whole validated document: it holds only public documentation text, no secrets. Parsed
    afresh each call from the cached text, so a caller changing it cannot corrupt the catalogue.
    """
    return json.loads(_browser_json())
