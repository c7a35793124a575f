"""bench/browser: headless Chromium, time until every viz on a page fires `firstinteractive`, on
the host's view page and dashboard vs a minimal hand-written page (bench/_minimal_page.py) that
loads the same library from the simulator and the same vizzes with an inlined token.

Host and simulator run as the browser tests run them (sandbox/servers.py). Each page is visited
once to warm the browser's cache, then timed on repeat visits, alternating host and minimal page;
the time is the last `firstinteractive` after navigation start (performance.now()). Also printed:
requests per visit (first and repeat; the browser's count includes files it takes from its cache,
"host served" counts what reached the host's server), and the bytes of the host's JS and CSS, raw
and gzip -6 (the error catalogue, a JS module of data, on a line of its own).

Run: python -m bench.browser [--quick] [--rounds N]
Chromium: CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's own.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from bench import _minimal_page
from bench._options import parser, rounds_of
from bench._project import Sandbox, current_host_of, start_sandbox
from bench._stats import median, ratio_line

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # Chromium 156 builds its omnibox popup (a WebUI page of some 300 files) for every
                 # new tab, headless too: CPU taken from the pages measured, at random moments.
                 "--disable-features=WebUIOmniboxFullPopup,WebUIOmniboxPopup,AimEnabled"]
# Counts each firstinteractive (it bubbles from the viz element) in ms after navigation start.
RECORD = """window.__benchInteractive = [];
document.addEventListener("firstinteractive",
  () => window.__benchInteractive.push(performance.now()), true);"""
TIMEOUT_MS = 20_000
CATALOGUE_MODULE = "/js/error-catalogue.js"  # data, not code: the error catalogue (host/assets)


class ServerHits:
    """Counts the requests that reach the host's server (a file from the browser's cache does not)."""

    def __init__(self, app: Any) -> None:
        self.count = 0
        inner = app.wsgi_app

        def counting(environ: dict[str, Any], start_response: Any) -> Any:
            self.count += 1
            return inner(environ, start_response)

        app.wsgi_app = counting


@dataclass(frozen=True)
class Visit:
    """One page to time: where it is, how many vizzes it shows, which browser context loads it."""

    label: str
    url: str
    vizzes: int
    context: BrowserContext
    hits: ServerHits | None = None  # the host's server, for the host's pages


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    return path if path and os.path.exists(path) else None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def visit(target: Visit, names: dict[str, str], keep_bodies: bool = False) -> dict[str, Any]:
    """Load the page in a new tab; ms until the last viz is interactive, and the requests made."""
    served_before = target.hits.count if target.hits else 0
    page = target.context.new_page()
    requests: Counter[str] = Counter()
    responses = []
    page.on("request", lambda request: requests.update([names.get(origin(request.url), "other")]))
    if keep_bodies:
        page.on("response", lambda response: responses.append(response))
    page.goto(target.url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function("n => window.__benchInteractive.length >= n", arg=target.vizzes,
                           timeout=TIMEOUT_MS)
    last = page.evaluate("Math.max(...window.__benchInteractive)")
    bodies = {}
    if keep_bodies:
        page.wait_for_load_state("load")
        bodies = {r.url: (r.request.resource_type, r.body()) for r in responses
                  if r.status == 200 and names.get(origin(r.url)) == "host"}
    page.close()
    if target.hits:
        requests["host served"] = target.hits.count - served_before
    return {"ms": last, "requests": dict(requests), "bodies": bodies}


def host_context(browser: Browser, sandbox: Sandbox) -> BrowserContext:
    """A browser context signed in at the host through its login form."""
    context = browser.new_context()
    context.add_init_script(RECORD)
    page = context.new_page()
    page.goto(f"{sandbox.host_url}/login")
    page.fill("#login", "alice")
    page.fill("#password", "alice-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/views")
    page.close()
    return context


def print_bytes(bodies: dict[str, tuple[str, bytes]]) -> None:
    catalogue = {url: kept for url, kept in bodies.items() if url.endswith(CATALOGUE_MODULE)}
    code = {url: kept for url, kept in bodies.items() if url not in catalogue}
    for kind, label, found in (("script", "JS", code), ("script", "catalogue", catalogue),
                               ("stylesheet", "CSS", code), ("document", "HTML", code)):
        files = [body for resource, body in found.values() if resource == kind]
        if label == "catalogue" and not files:
            continue
        raw = sum(len(b) for b in files)
        packed = sum(len(gzip.compress(b, compresslevel=6)) for b in files)
        print(f"host {label}: {len(files)} file(s), {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzip")


def main() -> None:
    args = parser(__doc__.splitlines()[0], rounds=15, quick_rounds=1).parse_args()
    rounds = rounds_of(args)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    sandbox = start_sandbox()
    direct = current_host_of(sandbox.host).settings.direct
    signer = _minimal_page.Signer(direct.signing_secret.value, direct.signing_secret.id, direct.client_id)
    minimal, minimal_url = _minimal_page.serve(sandbox.simulator_url, signer, minimal_pages(sandbox))
    names = {sandbox.host_url: "host", sandbox.simulator_url: "simulator", minimal_url: "minimal page"}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                                 args=CHROMIUM_ARGS)
            bare = browser.new_context()
            bare.add_init_script(RECORD)
            host = host_context(browser, sandbox)
            pairs = visits(sandbox.host_url, host, minimal_url, bare, ServerHits(sandbox.host))
            measure(pairs, names, rounds)
            browser.close()
    finally:
        minimal.shutdown()
        sandbox.stop()


def minimal_pages(sandbox: Sandbox) -> dict[str, list[_minimal_page.Viz]]:
    """The host's view page and dashboard as the minimal page shows them: the same vizzes (src and
    options from the host's views file), nothing else."""
    views = current_host_of(sandbox.host).views
    return {"/view": _vizzes([views.views["overview"]]),
            "/dashboard": _vizzes(views.dashboards["sales"].views)}


def _vizzes(views: Any) -> list[_minimal_page.Viz]:
    return [_minimal_page.Viz(view.src, view.attributes()) for view in views]


def visits(host_url: str, host: BrowserContext, minimal_url: str, bare: BrowserContext,
           hits: ServerHits) -> list[tuple[str, Visit, Visit]]:
    """(ratio name, host page, minimal page) for the view page and the dashboard (the headline)."""
    return [("view page/minimal page",
             Visit("host view page", f"{host_url}/views/overview", 1, host, hits),
             Visit("minimal view page", f"{minimal_url}/view", 1, bare)),
            ("dashboard/minimal page",
             Visit("host dashboard", f"{host_url}/dashboards/sales", 3, host, hits),
             Visit("minimal dashboard", f"{minimal_url}/dashboard", 3, bare))]


def measure(pairs: list[tuple[str, Visit, Visit]], names: dict[str, str], rounds: int) -> None:
    for _, project, baseline in pairs:  # first visits: warm the cache, count, weigh the host's files
        for target in (project, baseline):
            first = visit(target, names, keep_bodies=target is project)
            print(f"first visit {target.label:<20} {first['ms']:6.0f} ms  requests {first['requests']}")
            if target is project:
                print_bytes(first["bodies"])
    times: dict[str, list[float]] = {}
    for number in range(1, rounds + 1):
        for _, project, baseline in pairs:
            for target in (project, baseline) if number % 2 else (baseline, project):
                result = visit(target, names)
                times.setdefault(target.label, []).append(result["ms"])
                print(f"round {number} {target.label:<20} {result['ms']:6.0f} ms to every firstinteractive"
                      f"  requests {result['requests']}", flush=True)
    for label, values in times.items():
        print(f"{label}: median {median(values):.0f} ms")
    for name, project, baseline in pairs:
        ratios = [p / b for p, b in zip(times[project.label], times[baseline.label], strict=True)]
        print(ratio_line(f"{name} (time to every firstinteractive)", ratios))


if __name__ == "__main__":
    main()
