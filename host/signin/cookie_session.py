"""Flask's signed session cookie, with each distinct cookie's signature checked once per process.

A signed-in browser sends the same cookie with every request (the cookie is not re-sent by the
server: SESSION_REFRESH_EACH_REQUEST is off), so verifying its HMAC and decoding its payload again
each time was a sixth of a token call. The check itself is unchanged: a cookie string is only
remembered after itsdangerous accepted it, remembered values are copied (a view changing its
session never changes the remembered one), and the cookie's age is checked against the session
lifetime on every request, as itsdangerous does. Signing out still works everywhere at once: the
cookie holds only the sign-in's id, and the sign-in itself is read from the shared store each time.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

from host.remembered import Remembered

# Distinct cookies remembered per process; past it, the oldest half is forgotten (they are then
# simply verified again on their next request).
REMEMBERED_COOKIES = 10_000
_FLAT = (str, int, float, bool)


class VerifiedOnceSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        # cookie -> (its data, when it was signed)
        self._verified: Remembered[tuple[dict[str, Any], float]] = Remembered(REMEMBERED_COOKIES)

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        now = time.time()
        remembered = self._verified.get(cookie)
        if remembered is not None and now - remembered[1] <= max_age:
            return self.session_class(remembered[0])  # a copy: SecureCookieSession is a dict
        try:
            data, signed_at = self.get_signing_serializer(app).loads(
                cookie, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(value, _FLAT) for value in data.values()):  # copying it is then enough
            self._verified.put(cookie, (dict(data), signed_at.timestamp()))
        return self.session_class(data)
