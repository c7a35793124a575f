"""bench/profile: where the time goes in the hot path, for whoever optimises it (cProfile).

Profiles, in this process: minting (host.embed.viz_token.mint_for_user, 20,000 tokens), and the host's
WSGI app answering POST /api/token and GET /views/overview for a signed-in user (2,000 each,
called as gunicorn calls it, without the HTTP server). Prints the functions with the most
cumulative time, and the share of a few named steps.

Run: python -m bench.profile [--calls N] [--top N]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
from collections.abc import Callable
from typing import Any

from bench import _mint_subjects as subjects
from bench._project import create_app
from bench._servers import host_settings

# (label, file ending, function): steps whose cumulative share is worth reading first.
STEPS = [
    ("mint_for_user (all of minting)", "host/embed/viz_token.py", "mint_for_user"),
    ("  jwt.encode", "jwt/api_jwt.py", "encode"),
    ("    HMAC prepare_key (per call)", "jwt/algorithms.py", "prepare_key"),
    ("  preflight require_clean", "tableau_rules/jwt_rules.py", "require_clean"),
    ("    decode the token just built", "tableau_rules/jwt_rules.py", "_decode"),
    ("Flask full_dispatch_request", "flask/app.py", "full_dispatch_request"),
    ("  session open (cookie)", "flask/sessions.py", "open_session"),
    ("  session save (Set-Cookie)", "flask/sessions.py", "save_session"),
    ("  CSRF protect", "flask_wtf/csrf.py", "protect"),
    ("  render_template", "flask/templating.py", "render_template"),
    ("  error catalogue for the page", "tableau_rules/catalogue.py", "for_browser"),
    ("  tojson filter", "flask/json/provider.py", "dumps"),
    ("security headers (WSGI)", "host/security.py", "__call__"),
]
HOST = "127.0.0.1:5000"


def profiled(label: str, calls: int, work: Callable[[], Any], top: int) -> None:
    for _ in range(min(calls, 200)):  # warm up: imports, template compilation, caches
        work()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(calls):
        work()
    profile.disable()
    stats = pstats.Stats(profile)
    total = max(stats.total_tt, 1e-9)
    print(f"\n== {label}: {calls} calls, {total / calls * 1e6:.0f} µs per call under cProfile")
    for name, path, function in STEPS:
        cumulative = sum(ct for (file, _, func), (_, _, _, ct, _) in stats.stats.items()
                         if file.endswith(path) and func == function)
        if cumulative:
            print(f"  {cumulative / total:5.1%}  {name}")
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(top)
    listing = out.getvalue()
    print(listing[listing.find("   ncalls"):].rstrip())


def signed_in_environ(app: Any) -> dict[str, Any]:
    """Sign in through the real form with Flask's test client; the cookie and CSRF token."""
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    done = client.post("/login", data={"login": "alice", "password": "alice-demo", "csrf_token": token})
    if done.status_code != 302:
        raise SystemExit(f"sign-in failed ({done.status_code})")
    page = client.get("/views/overview").get_data(as_text=True)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    cookie = client.get_cookie("session")
    return {"cookie": f"session={cookie.value}", "csrf": csrf}


def wsgi_call(app: Any, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Callable:
    """A function that makes one WSGI call as a server would, with a fresh input stream each time."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "5000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.version": (1, 0), "wsgi.errors": io.StringIO(), "wsgi.multithread": True,
               "wsgi.multiprocess": False, "wsgi.run_once": False, "CONTENT_LENGTH": str(len(body)),
               "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": HOST}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()})
    if "HTTP_CONTENT_TYPE" in environ:
        environ["CONTENT_TYPE"] = environ.pop("HTTP_CONTENT_TYPE")

    def call() -> None:
        statuses = []
        chunks = app.wsgi_app({**environ, "wsgi.input": io.BytesIO(body)},
                              lambda status, _headers, *_: statuses.append(status))
        b"".join(chunks)
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{method} {path} answered {statuses[0]}")
    return call


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--calls", type=int, default=2000, help="requests per profile (tokens: 10x)")
    cli.add_argument("--top", type=int, default=25, help="functions listed per profile")
    args = cli.parse_args()
    settings = subjects.sandbox_settings()
    mint = subjects.project(settings, subjects.demo_user(settings))
    profiled("minting", args.calls * 10, mint, args.top)

    app = create_app({"ENV": host_settings(5000)})
    session = signed_in_environ(app)
    token_api = wsgi_call(app, "POST", "/api/token", {
        "Cookie": session["cookie"], "X-CSRFToken": session["csrf"], "Origin": f"http://{HOST}",
        "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}, b'{"components": ["viz"]}')
    profiled("POST /api/token (WSGI app)", args.calls, token_api, args.top)
    view = wsgi_call(app, "GET", "/views/overview", {"Cookie": session["cookie"]})
    profiled("GET /views/overview (WSGI app)", args.calls, view, args.top)


if __name__ == "__main__":
    main()
