"""The EAS sign-in routes: start the code flow, and finish it at the callback."""

from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import Blueprint, abort, g, redirect, render_template, request, session
from joserfc.errors import JoseError

from config import EasSettings
from host.eas.client import EasClient, eas_client
from host.eas.oauth_errors import shown_error
from host.eas.verify import EasTokenError, EasUnavailable
from host.extension import current_host
from host.rate_limits import client_id
from host.security import is_safe_next
from host.signin import sessions
from host.signin.users import User

bp = Blueprint("eas", __name__, url_prefix="/auth/eas")
log = logging.getLogger(__name__)
STATE_PREFIX = "_state_eas_"  # Authlib's key for a pending flow in the cookie session


@bp.get("/login")
def login() -> Any:
    """Send the browser to the EAS with a fresh state, nonce and PKCE S256 challenge."""
    limits = current_host().settings.limits
    current_host().rate_limits.hit(limits.eas_starts_per_client, "eas-start", client_id())
    for key in [k for k in session if k.startswith(STATE_PREFIX)]:
        session.pop(key)  # one pending flow per browser: the cookie must not grow per attempt
    target = request.args.get("next", "")
    session["eas_next"] = target if is_safe_next(target) else ""
    eas = eas_client()
    eas.metadata()  # EAS down: a clear 503 page instead of a half-started flow
    # The configured redirect_uri exactly, never one derived from request headers (RFC 9700 §4.1).
    return eas.oauth_client.authorize_redirect(eas.settings.redirect_uri)


@bp.get("/callback")
def callback() -> Any:
    """Finish the code flow: check state and issuer, redeem the code, start a fresh session."""
    if request.args.get("error"):
        return _refused(request.args["error"], request.args.get("error_description", ""))
    if not request.args.get("code"):  # neither a code nor an error: nothing to redeem (RFC 6749)
        return _refused("missing_code", "")
    _check_issuer_parameter(eas_client())
    try:
        token = eas_client().oauth_client.authorize_access_token()
        user, tokens = _sign_in_from(token)
    except MismatchingStateError:
        return _refused("invalid_state", "")
    except OAuthError as exc:
        return _refused(exc.error or "", exc.description or "")
    except (JoseError, KeyError) as exc:  # ID token refused (nonce, signature, aud) or no token
        return _refused("invalid_token", exc.__class__.__name__)
    except requests.RequestException as exc:
        raise EasUnavailable(f"cannot reach the EAS token endpoint: {exc.__class__.__name__}") from exc
    target = session.get("eas_next", "")
    sessions.start(sessions.SignIn(user=user, eas=tokens, at_eas=True, id_token=token.get("id_token")))
    return redirect(target if is_safe_next(target) else "/views")


@bp.after_request
def _callback_url_never_a_referer(response: Any) -> Any:
    """The callback's URL holds the code and state: a page answered there (an error page loads
    /assets/… files) must not send it on as the Referer, even to this site and its access log.
    Origin only, not no-referrer: the sign-out form on that page needs a Referer from this host
    over HTTPS (host/csrf.py), and an Origin that is not null."""
    if request.endpoint == "eas.callback":
        response.headers["Referrer-Policy"] = "strict-origin"
    return response


def _check_issuer_parameter(eas: EasClient) -> None:
    """Mix-up defence (RFC 9207): the `iss` response parameter must name our EAS."""
    iss = request.args.get("iss")
    known = eas.metadata()
    expected = known.get("issuer", eas.settings.issuer)
    promised = known.get("authorization_response_iss_parameter_supported", False)
    if (iss is None and promised) or (iss is not None and iss != expected):
        abort(400, description="The sign-in response did not come from the configured EAS "
              "(issuer mismatch). Start again.")


def _sign_in_from(token: dict[str, Any]) -> tuple[User, sessions.EasTokens | None]:
    """Who signed in, and (with TRUST_MODE eas) the EAS's tokens to hand to Tableau."""
    eas: EasSettings = eas_client().settings
    verifier = eas_client().verifier
    if eas.tokens_from_eas:
        claims = verifier.verify(token["access_token"])
        username = claims["sub"]
    else:  # the host signs for this user: the verified ID token says who it is
        claims = token.get("userinfo") or verifier.verify(token["access_token"])
        username = claims.get(eas.username_claim)
        if not username:
            raise EasTokenError(f"the EAS's token has no {eas.username_claim!r} claim "
                                "(EAS_USERNAME_CLAIM) to use as the Tableau username")
    user = User(login=f"eas:{username}", display_name=claims.get("name") or username,
                tableau_username=username, password_hash="")
    if not eas.tokens_from_eas:
        return user, None
    return user, sessions.EasTokens(access_token=token["access_token"],
                                    refresh_token=token.get("refresh_token"),
                                    expires_at=int(claims["exp"]))


def _refused(error: str, description: str) -> tuple[str, int]:
    """The sign-in did not complete (e.g. access_denied): a friendly page with the fixed message for
    the code (oauth_errors.py). The description is only logged, quoted: anyone can craft a callback
    link, so no text of the request reaches the page."""
    log.info("EAS sign-in not completed: error %.40r, description %.200r (request %s)", error,
             description, g.get("request_id"))
    session.pop("eas_next", None)
    code, message = shown_error(error)
    return render_template("eas_error.html", error=code, message=message), 400
