"""Hands out the EAS's JWT as the viz token (TRUST_MODE eas): once each, renewed as needed.

Tableau takes each jti only once (Troubleshoot Connected Apps, 10091), so a token handed to one
page is never handed out again: the next page gets a renewed one (refresh-token grant). One user's
requests are serialised (sessions.locked) so two at once never get the same token nor both spend
the refresh token, which a rotating EAS answers by revoking the whole grant.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from host.eas.client import HTTP_TIMEOUT, eas_client
from host.eas.verify import EasTokenError, EasUnavailable
from host.embed.mint import VizToken
from host.signin import sessions
from tableau_rules.scopes import scopes_for

RENEW_MARGIN_SECONDS = 60  # renew a token this close to expiry rather than hand it out
RETRY_PAUSES_SECONDS = (0.3, 1.0)  # then 503, and the page's own backoff takes over
TRANSIENT_ERRORS = ("temporarily_unavailable", "server_error")  # RFC 6749 §5.2, §4.1.2.1
BUSY_STATUSES = (502, 503, 504)  # a gateway or the EAS said it could not take the request
pause = time.sleep  # replaceable in tests


class EasBusy(EasUnavailable):
    """The EAS is unavailable and has not used the refresh token: safe to try again."""


class SignInAgain(RuntimeError):
    """The EAS session cannot be renewed; the user must sign in again."""


def renewal_lock_seconds() -> float:
    """How long a renewal may hold the sign-in's lock, from its slowest path: the metadata, every
    refresh try and its pause, the JWKS fetched and refetched once for a new key, each call waiting
    HTTP_TIMEOUT to connect and again to read. The lock must outlive it: expired early, it would let
    another worker spend the same refresh token, and an EAS may revoke the grant for that."""
    calls = 1 + (len(RETRY_PAUSES_SECONDS) + 1) + 2
    return calls * 2 * HTTP_TIMEOUT + sum(RETRY_PAUSES_SECONDS) + 5


def eas_token_for(components: list[str]) -> VizToken:
    """A JWT from the EAS that Tableau has not seen yet, checked against Tableau's rules."""
    # Re-read under the lock: another request may have renewed meanwhile.
    with sessions.locked(renewal_lock_seconds()) as sign_in:
        if sign_in is None or sign_in.eas is None:
            raise SignInAgain("the EAS session has ended")
        tokens = sign_in.eas
        if tokens.handed_out or tokens.expires_at - time.time() < RENEW_MARGIN_SECONDS:
            tokens = _renew(tokens)
            # Saved at once: the old refresh token is spent, whatever the checks below say.
            sign_in.eas = tokens
            sessions.save(sign_in)
        claims = eas_client().verifier.verify(tokens.access_token)
        _check_scopes(claims, components)
        sign_in.eas = replace(tokens, handed_out=True)
        if not sessions.save(sign_in):
            raise SignInAgain("signed out meanwhile")
    return VizToken(token=tokens.access_token, expires_at=int(claims["exp"]))


def _renew(tokens: sessions.EasTokens) -> sessions.EasTokens:
    """A renewed token; a slow or restarting EAS gets a few tries before the user hears of it."""
    if not tokens.refresh_token:
        raise SignInAgain("the EAS gave no refresh token; sign in again for a new token")
    for wait in (*RETRY_PAUSES_SECONDS, None):
        try:
            answer = _refresh(tokens.refresh_token)
            break
        except EasBusy:
            if wait is None:
                raise
            pause(wait)
    claims = eas_client().verifier.verify(answer["access_token"])
    return sessions.EasTokens(access_token=answer["access_token"], expires_at=int(claims["exp"]),
                              refresh_token=answer.get("refresh_token", tokens.refresh_token))


def _refresh(refresh_token: str) -> dict[str, Any]:
    """One refresh-token grant. Retried only when the EAS cannot have used the refresh token:
    it was not reached, or it answered that it is (temporarily) unavailable."""
    eas = eas_client().settings
    endpoint = eas_client().metadata()["token_endpoint"]
    with OAuth2Session(eas.client_id, eas.client_secret, default_timeout=HTTP_TIMEOUT) as client:
        try:
            return client.refresh_token(endpoint, refresh_token=refresh_token)
        except OAuthError as exc:
            if exc.error in TRANSIENT_ERRORS:
                raise EasBusy(f"the EAS is unavailable ({exc.error})") from exc
            raise SignInAgain(f"the EAS refused to renew the token ({exc.error})") from exc
        except requests.ReadTimeout as exc:  # it may have spent the refresh token: never resend
            raise EasUnavailable("the EAS did not answer in time") from exc
        except requests.ConnectionError as exc:  # the request never reached it
            raise EasBusy(f"cannot reach the EAS: {exc.__class__.__name__}") from exc
        except requests.HTTPError as exc:  # Authlib raises it for a 5xx answer
            status = exc.response.status_code if exc.response is not None else 0
            if status in BUSY_STATUSES:
                raise EasBusy(f"the EAS answered HTTP {status}") from exc
            raise EasUnavailable(f"the EAS answered HTTP {status}") from exc
        except requests.RequestException as exc:
            raise EasUnavailable(f"cannot reach the EAS: {exc.__class__.__name__}") from exc


def _check_scopes(claims: dict[str, Any], components: list[str]) -> None:
    missing = [s for s in scopes_for(components) if s not in claims["scp"]]
    if missing:
        raise EasTokenError(f"the EAS token's scp lacks {', '.join(missing)}; add them to "
                            "EAS_SCOPES and to the scopes the EAS grants this client")
