"""The JSON body of a POST from the page's own scripts: an object, or a clear 400.

Werkzeug's `get_json` catches only ValueError, so a small body nested deeper than Python's parser
goes (2 KB of `[[[[…`) raised RecursionError and answered 500. Here every unreadable body is a 400
that says why.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

OBJECT_EXPECTED = "the body must be a JSON object"


class UnreadableBody(BadRequest):
    """The body is not a JSON object this host reads; the description says what is wrong."""


def json_object_body() -> dict[str, Any]:
    """The request body as a JSON object; {} when there is none; UnreadableBody (400) otherwise."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise UnreadableBody(f"{OBJECT_EXPECTED}; this one is nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, or bytes that are not UTF-8/16/32
        raise UnreadableBody(f"{OBJECT_EXPECTED}; this one is not JSON") from exc
    if not isinstance(value, dict):
        raise UnreadableBody(f"{OBJECT_EXPECTED}, not {type(value).__name__}")
    return value
