"""Answers to the EAS's failures: down (503), a token Tableau would refuse (502), sign in again."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, jsonify, redirect, request, url_for

from host.eas.tokens import SignInAgain
from host.eas.verify import EasTokenError, EasUnavailable
from host.errors import answer, wants_json
from host.extension import current_host
from host.signin import sessions

log = logging.getLogger(__name__)


def _eas_down(exc: EasUnavailable) -> tuple[Any, int]:
    log.warning("EAS unavailable: %s (request %s)", exc, g.get("request_id"))
    return answer(503, "Sign-in service unavailable", "The External Authorization Server "
                  "cannot be reached right now. Try again in a moment.")


def _eas_token_refused(exc: EasTokenError) -> tuple[Any, int]:
    # The reason names claims and settings, never the token itself; visitors see it only in the
    # sandbox or in debug mode, else the log has it under the request id.
    log.warning("EAS token refused: %s (request %s)", exc, g.get("request_id"))
    shown = current_host().settings.sandbox or current_app.debug
    detail = f": {exc}" if shown else ""
    return answer(502, "The EAS's token would not work", "The External Authorization "
                  f"Server issued a token Tableau would refuse{detail}.")


def _sign_in_again(exc: SignInAgain) -> Any:
    sessions.end()
    if wants_json():
        return jsonify(error="sign in again", request_id=g.get("request_id")), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def install(app: Flask) -> None:
    app.register_error_handler(EasUnavailable, _eas_down)
    app.register_error_handler(EasTokenError, _eas_token_refused)
    app.register_error_handler(SignInAgain, _sign_in_again)
