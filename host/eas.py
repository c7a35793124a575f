"""Sign-in through an External Authorization Server: OAuth 2.0 authorization code with PKCE.

The EAS's tokens stay on the server (a ServerStore entry named by a random id in the cookie
session), never in the cookie itself. With TRUST_MODE eas the EAS's JWT is the viz token: it is
checked before use and renewed with the refresh token, since Tableau takes each jti only once
(000, 10091). With TRUST_MODE direct the EAS only proves who the user is, and the host signs its
own token for them (docs/idp-guide.md, "fallback").
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.integrations.requests_client import OAuth2Session
from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request, session

from config import EasSettings
from host.eas_verify import EasTokenError, EasTokenVerifier, EasUnavailable
from host.security import is_safe_next
from host.store import ServerStore
from host.tokens import MintedToken
from host.users import User
from tableau_rules.scopes import scopes_for

bp = Blueprint("eas", __name__, url_prefix="/auth/eas")
HTTP_TIMEOUT = 10
RENEW_MARGIN_SECONDS = 60  # renew a token this close to expiry rather than hand it out
SESSION_SECONDS = 8 * 3600
# Striped locks: bounded memory however many sessions, and one user's requests never interleave.
_SESSION_LOCKS = tuple(threading.Lock() for _ in range(64))


class SignInAgain(RuntimeError):
    """The EAS session cannot be renewed; the user must sign in again."""


@dataclass
class EasSession:
    """What the host keeps, server-side, for a user signed in at the EAS."""

    user: User
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: int
    handed_out: bool = False  # Tableau refuses a jti it has seen (10091): hand each token out once


def install(app: Flask, eas: EasSettings) -> None:
    store = ServerStore()
    oauth = OAuth(app, cache=store)
    oauth.register(
        "eas",
        client_id=eas.client_id,
        client_secret=eas.client_secret,
        server_metadata_url=eas.metadata_url,
        client_kwargs={"scope": eas.scopes, "code_challenge_method": "S256", "timeout": HTTP_TIMEOUT},
    )
    client = oauth.create_client("eas")
    verifier = EasTokenVerifier(eas, jwks_uri=lambda: _metadata(client)["jwks_uri"], fetch_json=_get_json)
    app.extensions["embed_eas"] = {"settings": eas, "client": client, "store": store,
                                   "verifier": verifier}
    app.register_blueprint(bp)


def _ext() -> dict[str, Any]:
    return current_app.extensions["embed_eas"]


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise EasUnavailable(f"cannot fetch {url}: {exc.__class__.__name__}") from exc


def _metadata(client: Any) -> dict[str, Any]:
    try:
        return client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise EasUnavailable(f"cannot read the EAS metadata: {exc.__class__.__name__}") from exc


@bp.before_app_request
def load_eas_user() -> None:
    # Runs after auth.load_signed_in_user (registered later), which handles local sign-ins.
    sid = session.get("eas_sid")
    if sid and "embed_eas" in current_app.extensions:
        state = _ext()["store"].get(f"eas-session:{sid}")
        g.eas_session = state
        g.user = state.user if state else None


@bp.get("/login")
def login() -> Any:
    """Send the browser to the EAS with a fresh state, nonce and PKCE S256 challenge."""
    target = request.args.get("next", "")
    session["eas_next"] = target if is_safe_next(target) else ""
    client = _ext()["client"]
    _metadata(client)  # EAS down: a clear 503 page instead of a half-started flow
    # The configured redirect_uri exactly, never one derived from request headers (RFC 9700 §4.1).
    return client.authorize_redirect(_ext()["settings"].redirect_uri)


@bp.get("/callback")
def callback() -> Any:
    """Finish the code flow: check state and issuer, redeem the code, start a fresh session."""
    ext = _ext()
    if request.args.get("error"):
        return _refused(request.args["error"], request.args.get("error_description", ""))
    _check_issuer_parameter(ext["client"], ext["settings"])
    try:
        token = ext["client"].authorize_access_token()
    except MismatchingStateError:
        return _refused("invalid_state", "This sign-in link expired, was already used, or was "
                        "started in another browser. Start again.")
    except OAuthError as exc:
        return _refused(exc.error or "oauth_error", exc.description or "")
    except requests.RequestException as exc:
        raise EasUnavailable(f"cannot reach the EAS token endpoint: {exc.__class__.__name__}") from exc
    state = _session_from_token(token, ext)
    target = session.get("eas_next", "")
    session.clear()  # rotate: nothing from before sign-in survives it
    sid = secrets.token_urlsafe(32)
    ext["store"].set(f"eas-session:{sid}", state, SESSION_SECONDS)
    session["eas_sid"] = sid
    session.permanent = True
    return redirect(target if is_safe_next(target) else "/views")


def _check_issuer_parameter(client: Any, eas: EasSettings) -> None:
    """Mix-up defence (RFC 9207): the `iss` response parameter must name our EAS."""
    iss = request.args.get("iss")
    expected = _metadata(client).get("issuer", eas.issuer)
    promised = _metadata(client).get("authorization_response_iss_parameter_supported", False)
    if (iss is None and promised) or (iss is not None and iss != expected):
        abort(400, description="The sign-in response did not come from the configured EAS "
              "(issuer mismatch). Start again.")


def _session_from_token(token: dict[str, Any], ext: dict[str, Any]) -> EasSession:
    eas: EasSettings = ext["settings"]
    if eas.tokens_from_eas:
        claims = ext["verifier"].verify(token["access_token"])
        username = claims["sub"]
    else:
        claims = token.get("userinfo") or ext["verifier"].verify(token["access_token"])
        username = claims.get(eas.username_claim)
        if not username:
            raise EasTokenError(f"the EAS's token has no {eas.username_claim!r} claim "
                                "(EAS_USERNAME_CLAIM) to use as the Tableau username")
    user = User(login=f"eas:{username}", display_name=claims.get("name") or username,
                tableau_username=username, password_hash="")
    return EasSession(user=user, access_token=token["access_token"],
                      refresh_token=token.get("refresh_token"), expires_at=int(claims["exp"]))


def _refused(error: str, description: str) -> tuple[str, int]:
    """The EAS said no (e.g. access_denied): a friendly page, the text escaped by Jinja."""
    session.pop("eas_next", None)
    return render_template("eas_error.html", error=error, description=description), 400


def eas_token_for(components: list[str]) -> MintedToken:
    """A JWT from the EAS that Tableau has not seen yet, checked against Tableau's rules.

    One user's requests are serialised here: two at once (a page and the token API) must not hand
    out the same token (10091) or both spend the refresh token, which a rotating EAS answers by
    revoking the whole grant."""
    ext = _ext()
    key = f"eas-session:{session['eas_sid']}"
    with _SESSION_LOCKS[hash(key) % len(_SESSION_LOCKS)]:
        state = ext["store"].get(key)  # re-read under the lock: another request may have renewed
        if state is None:
            raise SignInAgain("the EAS session has ended")
        if state.handed_out or state.expires_at - time.time() < RENEW_MARGIN_SECONDS:
            state = _renew(state, ext)
        claims = ext["verifier"].verify(state.access_token)
        _check_scopes(claims, components)
        ext["store"].set(key, replace(state, handed_out=True), SESSION_SECONDS)
    return MintedToken(token=state.access_token, expires_at=int(claims["exp"]))


def _renew(state: EasSession, ext: dict[str, Any]) -> EasSession:
    if not state.refresh_token:
        raise EasTokenError("the EAS gave no refresh token; ask for offline access or sign in again")
    eas: EasSettings = ext["settings"]
    endpoint = _metadata(ext["client"])["token_endpoint"]
    with OAuth2Session(eas.client_id, eas.client_secret, default_timeout=HTTP_TIMEOUT) as client:
        try:
            token = client.refresh_token(endpoint, refresh_token=state.refresh_token)
        except OAuthError as exc:
            raise SignInAgain(f"the EAS refused to renew the token ({exc.error})") from exc
        except requests.RequestException as exc:
            raise EasUnavailable(f"cannot reach the EAS: {exc.__class__.__name__}") from exc
    claims = ext["verifier"].verify(token["access_token"])
    return replace(state, access_token=token["access_token"], expires_at=int(claims["exp"]),
                   refresh_token=token.get("refresh_token", state.refresh_token), handed_out=False)


def _check_scopes(claims: dict[str, Any], components: list[str]) -> None:
    missing = [s for s in scopes_for(components) if s not in claims["scp"]]
    if missing:
        raise EasTokenError(f"the EAS token's scp lacks {', '.join(missing)}; add them to "
                            "EAS_SCOPES and to the scopes the EAS grants this client")


def forget_session() -> None:
    """At logout: drop the server-side EAS session, so the cookie is worthless even if kept."""
    sid = session.get("eas_sid")
    if sid and "embed_eas" in current_app.extensions:
        _ext()["store"].delete(f"eas-session:{sid}")
