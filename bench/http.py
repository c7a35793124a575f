"""bench/http: the host under gunicorn vs a bare Flask app under the same gunicorn config.

Pairs, alternating within each round: POST /api/token vs a bare POST JSON endpoint; the signed-in
view page and the dashboard vs a bare page that mints with PyJWT and renders a template of the
same byte size. Prints req/s, p50, p99 and server CPU per request (gunicorn master + workers,
from /proc), then min/median ratios; the last line is the token API's.

Run: python -m bench.http [--quick] [--rounds N]
Environment: BENCH_WORKERS (two per core), BENCH_THREADS (4): gunicorn.conf.py's defaults;
BENCH_CONNECTIONS (workers x threads).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from bench import _servers
from bench._drive import SIGN_IN, TOKEN_API, TOKEN_BODY, Driver, Pace, Target, connections_for, describe
from bench._drive import per_request_ms as per_request
from bench._options import parser, rounds_of
from bench._project import REGISTRY
from bench._stats import median, ratio_line
from bench._wire import Browserish, Connection, WireError, sign_in

HOST_VIEW = Target("host view page", "GET", "/views/overview", signed_in=True)
HOST_DASHBOARD = Target("host dashboard", "GET", "/dashboards/sales", signed_in=True)
BARE_POST = Target("bare POST /api/token", "POST", "/api/token", body=TOKEN_BODY)
BARE_VIEW = Target("bare view page", "GET", "/page/view")
BARE_DASHBOARD = Target("bare dashboard", "GET", "/page/dashboard")
# (name, project, baseline); the last pair is the headline.
PAIRS = [("view page/bare page", HOST_VIEW, BARE_VIEW),
         ("dashboard/bare page", HOST_DASHBOARD, BARE_DASHBOARD),
         ("POST /api/token/bare POST", TOKEN_API, BARE_POST)]


def host_page_sizes(host: _servers.Server) -> tuple[dict[str, int], dict[str, Any]]:
    """Sign in once; the byte size of the view page and the dashboard, and that session."""
    browser = Browserish(Connection(host.url))
    try:
        csrf = sign_in(browser, SIGN_IN["login"], SIGN_IN["password"], SIGN_IN["csrf_page"])
    except WireError as exc:  # the host's log says why (e.g. which state store error made a 503)
        tail = host.log.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{exc}\nthe host's log ends:\n{tail}") from exc
    sizes = {}
    for kind, target in (("VIEW", HOST_VIEW), ("DASHBOARD", HOST_DASHBOARD)):
        page = browser.request("GET", target.path)
        if page.status != 200:
            raise SystemExit(f"{target.path} answered {page.status} signed in")
        sizes[kind] = len(page.body)
    browser.connection.close()
    return sizes, {"cookies": dict(browser.cookies), "csrf": csrf}


def start_baseline(sizes: dict[str, int], workers: int, threads: int) -> _servers.Server:
    app = json.loads(REGISTRY.read_text(encoding="utf-8"))["sites"][0]["connectedApps"][0]
    env = {"BASELINE_SECRET": secrets.token_hex(32), "BASELINE_SECRET_ID": app["secrets"][0]["id"],
           "BASELINE_CLIENT_ID": app["clientId"], "BASELINE_SERVER_URL": f"http://127.0.0.1:{_servers.free_port()}",
           **{f"BASELINE_{kind}_BYTES": str(size) for kind, size in sizes.items()}}
    return _servers.start_gunicorn("baseline", _servers.BASELINE_SPEC, env, workers, threads)


def summarize(results: dict[str, list[dict[str, Any]]]) -> None:
    medians = {label: median([r["rps"] for r in runs]) for label, runs in results.items()}
    fastest_label = max((p.label for _, p, _ in PAIRS), key=medians.get)
    client_ms = max(per_request(r, "client_cpu_s") for runs in results.values() for r in runs)
    print(f"load generator: drove {BARE_POST.label} at {medians[BARE_POST.label]:.0f} req/s (median), "
          f"the project's fastest endpoint ({fastest_label}) at {medians[fastest_label]:.0f} req/s; "
          f"client CPU at most {client_ms:.2f} ms/req")
    if medians[BARE_POST.label] <= medians[fastest_label]:
        print("WARNING: the generator did not drive the baseline faster than the project: it may be the "
              "bottleneck here")
    for name, project, baseline in PAIRS:
        pairs = list(zip(results[project.label], results[baseline.label], strict=True))
        p99 = median([p["p99_ms"] / b["p99_ms"] for p, b in pairs])
        cpu = median([per_request(p, "server_cpu_s") / per_request(b, "server_cpu_s") for p, b in pairs])
        print(f"{name}: p99 {p99:.2f}x the baseline's, server CPU per request {cpu:.2f}x (medians)")
    for name, project, baseline in PAIRS:
        ratios = [p["rps"] / b["rps"] for p, b in zip(results[project.label], results[baseline.label],
                                                        strict=True)]
        print(ratio_line(f"{name} (req/s)", ratios))


def main() -> None:
    args = parser(__doc__.splitlines()[0], rounds=3, quick_rounds=1).parse_args()
    rounds = rounds_of(args)
    workers, threads = _servers.gunicorn_shape()
    driver = Driver(Pace.of(args.quick), connections_for(workers, threads))
    host = _servers.start_host(workers, threads)
    baseline = None
    try:
        sizes, session = host_page_sizes(host)
        driver.sessions[host.url] = [session]
        baseline = start_baseline(sizes, workers, threads)
        print(f"gunicorn -w {workers} --threads {threads}; {driver.connections} connections; page bytes "
              f"view {sizes['VIEW']}, dashboard {sizes['DASHBOARD']} (the baseline's are padded to match)")
        results: dict[str, list[dict[str, Any]]] = {}
        for number in range(1, rounds + 1):
            for _, project, bare in PAIRS:
                order = [(host, project), (baseline, bare)]
                for server, target in order if number % 2 else reversed(order):
                    result = driver.measure(server, target)
                    results.setdefault(target.label, []).append(result)
                    print(describe(number, target.label, result), flush=True)
        summarize(results)
    finally:
        host.stop()
        if baseline is not None:
            baseline.stop()


if __name__ == "__main__":
    main()
