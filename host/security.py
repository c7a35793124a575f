"""Security headers, redirect-target checks and same-origin checks for the host."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, request

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
    """The security headers on every answer, files and errors included. Call before wrapping
    app.wsgi_app in proxy middleware, so HSTS sees the scheme the proxies report."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, content_security_policy(tableau_origin, sign_out_origin))


class SecurityHeaders:
    """WSGI middleware adding the same headers to every response as plain tuples, checked once
    here rather than by Werkzeug's header validation on each response. A view may send its own
    Content-Security-Policy or Referrer-Policy (the EAS callback's); the others are always these."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], policy: str) -> None:
        self.wsgi_app = wsgi_app
        self.policy = ("Content-Security-Policy", policy)
        # Origin only, never the path, to other sites. Not "same-origin": under it a cross-origin
        # form POST (iframe-auth posts the token into the viz frame) carries `Origin: null`, which
        # Tableau refuses with 10105 when a domain allowlist is set.
        self.referrer_policy = ("Referrer-Policy", "strict-origin-when-cross-origin")
        self.always = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]
        self._replaced = {name.lower() for name, _ in self.always}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        secure = environ.get("wsgi.url_scheme") == "https"

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept, own_policy, own_referrer_policy = [], False, False
            for name, value in headers:
                lowered = name.lower()
                own_policy = own_policy or lowered == "content-security-policy"
                own_referrer_policy = own_referrer_policy or lowered == "referrer-policy"
                if lowered not in self._replaced:
                    kept.append((name, value))
            if not own_policy:
                kept.append(self.policy)
            if not own_referrer_policy:
                kept.append(self.referrer_policy)
            kept.extend(self.always)
            if secure:
                kept.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
            return start_response(status, kept, exc_info)

        return self.wsgi_app(environ, start)


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
