"""Security headers, redirect-target checks and same-origin checks for the host."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Request, Response, request

from config import Limits


def content_security_policy(tableau_origin: str, sign_out_origin: str = "") -> str:
    """A strict CSP: scripts and frames only from here and Tableau, no inline code anywhere.
    `sign_out_origin`: the EAS's, where the sign-out form's answer redirects (browsers hold a
    redirect after a form POST to form-action too)."""
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {tableau_origin}",
        "style-src": "'self'",
        "img-src": f"'self' data: {tableau_origin}",
        "connect-src": f"'self' {tableau_origin}",
        "frame-src": tableau_origin,
        # iframe-auth posts the token into the viz frame with a form aimed at Tableau (Authentication and
        # Embedding).
        "form-action": f"'self' {tableau_origin} {sign_out_origin}".strip(),
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def install_security_headers(app: Flask, tableau_origin: str, sign_out_origin: str = "") -> None:
    policy = content_security_policy(tableau_origin, sign_out_origin)

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Origin only, never the path, to other sites. Not "same-origin": under it a cross-origin
        # form POST (iframe-auth posts the token into the viz frame) carries `Origin: null`,
        # which Tableau refuses with 10105 when a domain allowlist is set.
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def install_body_limits(app: Flask, limits: Limits) -> None:
    """413 for a body over the limit, before anything reads it (CSRF checks read the form, so
    this runs first). The troubleshooting page takes at most a pasted JWT."""
    app.config["MAX_CONTENT_LENGTH"] = limits.max_body_bytes
    smaller = {"troubleshoot.page": limits.troubleshoot_max_body_bytes}

    def limit_body() -> None:
        if request.endpoint in smaller:
            request.max_content_length = smaller[request.endpoint]

    app.before_request_funcs.setdefault(None, []).insert(0, limit_body)


def is_safe_next(target: str | None) -> bool:
    """True only for a path on this site: '/x', never '//evil', '/\\evil', 'https://evil'."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in ("\\", "\r", "\n", "\t")) or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def is_same_origin(request: Request) -> bool:
    """The request comes from a page of this site (Fetch Metadata, then the Origin header)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == f"{request.scheme}://{request.host}"  # host_url, without building a URL
    return site == "same-origin"
