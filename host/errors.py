"""Error answers: JSON to API and fetch callers, a friendly page to browsers, a request id in each."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from host import sessions
from host.eas_tokens import SignInAgain
from host.eas_verify import EasTokenError, EasUnavailable
from host.store import StoreFull
from tableau_rules.jwt_rules import BrokenRules

log = logging.getLogger(__name__)


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def _answer(status: int, title: str, message: str) -> tuple[Any, int]:
    if wants_json():
        return jsonify(error=message, request_id=g.get("request_id")), status
    return render_template("error.html", status=status, title=title, message=message), status


def _assign_request_id() -> None:
    g.request_id = uuid.uuid4().hex[:12]


def _expose_request_id(response: Response) -> Response:
    if "request_id" in g:
        response.headers["X-Request-Id"] = g.request_id
    return response


def _csrf_error(exc: CSRFError) -> tuple[Any, int]:
    if wants_json():
        return _answer(403, "Forbidden", f"CSRF check failed: {exc.description}")
    return _answer(400, "Form expired", "The form expired or was sent from elsewhere. "
                   "Go back, reload the page and try again.")


def _eas_down(exc: EasUnavailable) -> tuple[Any, int]:
    log.warning("EAS unavailable: %s (request %s)", exc, g.get("request_id"))
    return _answer(503, "Sign-in service unavailable", "The External Authorization Server "
                   "cannot be reached right now. Try again in a moment.")


def _eas_token_refused(exc: EasTokenError) -> tuple[Any, int]:
    # The reason names claims and settings, never the token itself; visitors see it only in the
    # sandbox or in debug mode, else the log has it under the request id.
    log.warning("EAS token refused: %s (request %s)", exc, g.get("request_id"))
    shown = current_app.config["EMBED_SETTINGS"].sandbox or current_app.debug
    detail = f": {exc}" if shown else ""
    return _answer(502, "The EAS's token would not work", "The External Authorization "
                   f"Server issued a token Tableau would refuse{detail}.")


def _store_full(exc: StoreFull) -> tuple[Any, int]:
    log.warning("session store full (request %s)", g.get("request_id"))
    return _answer(503, "Too many sign-ins", "Too many sign-ins are in progress. "
                   "Try again in a minute.")


def _token_breaks_rules(exc: BrokenRules) -> tuple[Any, int]:
    log.error("%s (request %s)", exc, g.get("request_id"))  # codes and rules, no token
    return _answer(500, "Token refused before use", "This host would have handed Tableau a "
                   "token it refuses, so it stopped. The server log says which rule, "
                   "under this request id.")


def _sign_in_again(exc: SignInAgain) -> Any:
    sessions.end()
    if wants_json():
        return jsonify(error="sign in again", request_id=g.get("request_id")), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _http_error(exc: HTTPException) -> tuple[Any, int]:
    return _answer(exc.code or 500, exc.name, exc.description or exc.name)


def _unexpected(exc: Exception) -> tuple[Any, int]:
    # The log gets the stack trace and the request id; the visitor gets only the id.
    log.exception("unhandled error (request %s)", g.get("request_id"))
    return _answer(500, InternalServerError.name, "Something went wrong on our side.")


HANDLERS: tuple[tuple[type[Exception], Any], ...] = (
    (CSRFError, _csrf_error),
    (EasUnavailable, _eas_down),
    (EasTokenError, _eas_token_refused),
    (StoreFull, _store_full),
    (BrokenRules, _token_breaks_rules),
    (SignInAgain, _sign_in_again),
    (HTTPException, _http_error),
    (Exception, _unexpected),
)


def install_error_handlers(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_expose_request_id)
    for kind, handler in HANDLERS:
        app.register_error_handler(kind, handler)
