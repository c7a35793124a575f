"""The EAS's HTTP endpoints: authorize (sign-in page), token, JWKS, metadata, logout."""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749 import OAuth2Error
from flask import Blueprint, Response, jsonify, redirect, render_template, request

from . import metadata as md
from .end_session import logout_target
from .signin import csrf_ok, csrf_token, sign_in, sign_out, signed_in_user
from .state import current

bp = Blueprint("eas", __name__)


@bp.get(md.AUTHORIZE_PATH)
def authorize() -> Any:
    """Validate the request; a signed-in user gets a code at once (consent auto-granted, as Register EAS
    to Enable SSO for Embedded Content recommends), anyone else the sign-in page."""
    server = current().server
    user = signed_in_user()
    try:
        grant = server.get_consent_grant(end_user=user)
    except OAuth2Error as error:
        return _authorization_error(error)
    if user is not None and grant.prompt != "login":  # OIDC prompt=login asks for a fresh sign-in
        return server.create_authorization_response(grant_user=user, grant=grant)
    return _signin_page(grant.client.client_id)


@bp.post(md.AUTHORIZE_PATH)
def authorize_submit() -> Any:
    """The sign-in form posts back to the same URL, so the OAuth parameters come along unchanged;
    no `next` or return URL is ever taken from the form."""
    if not csrf_ok():
        return _message("The sign-in form expired. Go back and start again.", 400)
    server = current().server
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        return _authorization_error(error)
    if request.form.get("decision") == "deny":
        # RFC 6749 §4.1.2.1: the resource owner refused -> error=access_denied.
        return server.create_authorization_response(grant_user=None, grant=grant)
    user = current().users.authenticate(request.form.get("login", ""), request.form.get("password", ""))
    if user is None:
        return _signin_page(grant.client.client_id, error="Unknown login or wrong password.")
    sign_in(user)
    return server.create_authorization_response(grant_user=user, grant=grant)


@bp.post(md.TOKEN_PATH)
def token() -> Response:
    return current().server.create_token_response()


@bp.get(md.JWKS_PATH)
def jwks() -> Response:
    response = jsonify(current().keys.public_jwks())
    # Short cache: relying parties refetch on an unknown kid anyway (after a rotation).
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/.well-known/openid-configuration")
@bp.get("/.well-known/oauth-authorization-server")
def server_metadata() -> Response:
    return jsonify(md.metadata(current().settings))


@bp.route(md.LOGOUT_PATH, methods=["GET", "POST"])
def logout() -> Any:
    """The end_session_endpoint: sign out here, then back to the client only at one of its
    registered post-logout URIs (end_session.py)."""
    sign_out()
    target = logout_target(request.values)
    if target is not None:
        return redirect(target)
    return _message("You are signed out of the demo authorization server.", 200)


@bp.get("/")
def index() -> Any:
    user = signed_in_user()
    who = f"Signed in as {user.display_name} ({user.tableau_username})." if user else "Not signed in."
    return _message(f"Demo authorization server {current().settings.issuer}. {who}", 200)


@bp.errorhandler(OAuth2Error)
def oauth_error(error: OAuth2Error) -> Response:
    # E.g. Authlib's insecure_transport for an http URL that is not loopback.
    return current().server.handle_error_response(None, error)


def _authorization_error(error: OAuth2Error) -> Any:
    # RFC 6749 §4.1.2.1: redirect the error only to a redirect URI already checked against the
    # client's registration; otherwise tell the user and never redirect.
    if error.redirect_uri:
        return current().server.handle_error_response(None, error)
    description = error.description or error.error
    return _message(f"This sign-in request is not valid: {description}", error.status_code or 400)


def _signin_page(client_id: str, error: str | None = None) -> tuple[str, int]:
    page = render_template("eas/signin.html", client_id=client_id, error=error, csrf_token=csrf_token(),
                           action=request.full_path, issuer=current().settings.issuer)
    return page, 400 if error else 200


def _message(text: str, status: int) -> tuple[str, int]:
    return render_template("eas/message.html", text=text), status
