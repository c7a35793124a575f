"""Error answers: JSON to API and fetch callers, a friendly page to browsers, a request id in each."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from host.rate_limits import RateLimited
from host.state import StateUnavailable
from tableau_rules.jwt_rules import BrokenRules

log = logging.getLogger(__name__)


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def answer(status: int, title: str, message: str) -> tuple[Any, int]:
    if wants_json():
        return jsonify(error=message, request_id=g.get("request_id")), status
    return render_template("error.html", status=status, title=title, message=message), status


def _assign_request_id() -> None:
    g.request_id = secrets.token_hex(6)


def _expose_request_id(response: Response) -> Response:
    if "request_id" in g:
        response.headers["X-Request-Id"] = g.request_id
    return response


def _csrf_error(exc: CSRFError) -> tuple[Any, int]:
    if wants_json():
        return answer(403, "Forbidden", f"CSRF check failed: {exc.description}")
    return answer(400, "Form expired", "The form expired or was sent from elsewhere. "
                   "Go back, reload the page and try again.")


def _state_down(exc: Exception) -> tuple[Any, int]:
    # The store's message names the file or server and the fix: for the log, not the visitor.
    log.error("state store unavailable: %s (request %s)", exc, g.get("request_id"))
    return answer(503, "Temporarily unavailable", "This site cannot reach its session store right "
                  "now. Try again in a moment.")


def _rate_limited(exc: RateLimited) -> Any:
    body, status = answer(429, "Too many requests", "Too many requests from here. Wait "
                          f"{exc.retry_after} seconds and try again.")
    response = make_response(body, status)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _token_breaks_rules(exc: BrokenRules) -> tuple[Any, int]:
    log.error("%s (request %s)", exc, g.get("request_id"))  # codes and rules, no token
    return answer(500, "Token refused before use", "This host would have handed Tableau a "
                   "token it refuses, so it stopped. The server log says which rule, "
                   "under this request id.")


def _too_large(exc: RequestEntityTooLarge) -> tuple[Any, int]:
    limit = request.max_content_length
    size = f" ({limit // 1024} KB)" if limit else ""
    return answer(413, "Request too large", f"The request is larger than this page accepts{size}, "
                  "so it was not read.")


def _http_error(exc: HTTPException) -> tuple[Any, int]:
    return answer(exc.code or 500, exc.name, exc.description or exc.name)


def _unexpected(exc: Exception) -> tuple[Any, int]:
    # The log gets the stack trace and the request id; the visitor gets only the id.
    log.exception("unhandled error (request %s)", g.get("request_id"))
    # An instance's name: on the class, `name` is a property object ("<property object at 0x…>").
    return answer(500, InternalServerError().name, "Something went wrong on our side.")


HANDLERS: tuple[tuple[type[Exception], Any], ...] = (
    (CSRFError, _csrf_error),
    (StateUnavailable, _state_down),
    (StorageError, _state_down),  # rate-limit counters live in the same store
    (RateLimited, _rate_limited),
    (BrokenRules, _token_breaks_rules),
    (RequestEntityTooLarge, _too_large),
    (HTTPException, _http_error),
    (Exception, _unexpected),
)


def install_error_handlers(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_expose_request_id)
    for kind, handler in HANDLERS:
        app.register_error_handler(kind, handler)
