"""What the sign-in page says for each OAuth error: a fixed text per code, never the request's own.

The callback URL is anyone's to craft: `error_description` is an attacker's sentence on this site's
page, so it is never shown (it is logged, quoted). Codes: RFC 6749 §4.1.2.1 (authorization
response), §5.2 (token response), and the host's own checks.
"""

from __future__ import annotations

GENERIC = "The authorization server did not complete the sign-in."
MESSAGES: dict[str, str] = {
    # RFC 6749 §4.1.2.1: the authorization endpoint's answers.
    "invalid_request": "The sign-in request was incomplete or malformed. Start again.",
    "unauthorized_client": "This application may not sign users in this way at the authorization "
                           "server (its client registration does not allow the code flow).",
    "access_denied": "You declined the sign-in at the authorization server, so you are not signed in.",
    "unsupported_response_type": "The authorization server does not offer this kind of sign-in.",
    "invalid_scope": "The authorization server refused the permissions this application asked for "
                     "(EAS_SCOPES).",
    "server_error": "The authorization server ran into an error. Try again later.",
    "temporarily_unavailable": "The authorization server is busy or down for maintenance. Try again "
                               "in a moment.",
    # RFC 6749 §5.2: the token endpoint's answers when the host redeems the code.
    "invalid_client": "The authorization server did not accept this application's credentials "
                      "(EAS_CLIENT_ID, EAS_CLIENT_SECRET).",
    "invalid_grant": "This sign-in code was already used or has expired. Start again.",
    "unsupported_grant_type": "The authorization server does not accept the authorization-code grant.",
    # The host's own checks at the callback.
    "missing_code": "The sign-in response carried no authorization code. Start again.",
    "invalid_state": "This sign-in link expired, was already used, or was started in another browser. "
                     "Start again.",
    "invalid_token": "The authorization server's answer could not be trusted. Start again.",
}


def shown_error(error: str) -> tuple[str | None, str]:
    """(the code to show, or None for one this host does not know, the fixed message)."""
    if error in MESSAGES:
        return error, MESSAGES[error]
    return None, GENERIC
