"""Response headers for the EAS's own pages and answers."""

from __future__ import annotations

from flask import Flask, Response

# No scripts at all, and the sign-in page may not be framed (clickjacking). No form-action:
# browsers apply it to the redirect after the sign-in POST, which goes to the client's origin.
_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"


def install(app: Flask) -> None:
    app.after_request(_headers)


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Authorization URLs carry state and PKCE challenges, redirects carry codes: never leak them.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = _CSP
        response.headers.setdefault("Cache-Control", "no-store")
    return response
