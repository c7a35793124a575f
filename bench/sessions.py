"""bench/sessions: memory per signed-in user, and the token API's speed with 0 vs 50,000 sessions.

Two hosts under gunicorn (one worker each): one with an empty sign-in store, one filled with
49,999 sign-ins in-process (bench/_sessions_app.py) plus the bench's own, 50,000 in all, the
store's limit. Memory per user: the filled worker's resident memory before and after filling,
over the sessions added (and, as a check, the two workers' RSS side by side). Speed: POST
/api/token on each, alternating.

Run: python -m bench.sessions [--quick] [--rounds N]
Environment: BENCH_THREADS (8), BENCH_CONNECTIONS (threads).
"""

from __future__ import annotations

import re
from typing import Any

from bench import _servers
from bench._drive import TOKEN_API, Driver, Pace, connections_for, describe
from bench._options import parser, rounds_of
from bench._procstat import children, rss_bytes
from bench._stats import median, ratio_line

SESSIONS = 50_000
APP_SPEC = "bench._sessions_app:create_app()"
PREFILL_LOG = re.compile(r"bench-sessions: pid (\d+) prefilled (\d+) rss_before (\d+) rss_after (\d+)")


def start(prefill: int, threads: int) -> _servers.Server:
    return _servers.start_host(1, threads, app_spec=APP_SPEC,
                               extra_env={"BENCH_PREFILL_SESSIONS": str(prefill)})


def memory_report(empty: _servers.Server, full: _servers.Server) -> None:
    match = PREFILL_LOG.search(full.log.read_text(errors="replace"))
    if match is None:
        raise SystemExit("the filled host did not log its memory (bench/_sessions_app.py)")
    _, count, before, after = (int(x) for x in match.groups())
    print(f"memory: filling {count} sign-ins grew the worker by {(after - before) / 2**20:.1f} MiB: "
          f"{(after - before) / count:.0f} bytes per signed-in user")
    sizes = [rss_bytes(children(server.pid)[0]) for server in (empty, full)]
    print(f"workers now: {sizes[0] / 2**20:.1f} MiB with 1 session, {sizes[1] / 2**20:.1f} MiB with "
          f"{SESSIONS:,}: {(sizes[1] - sizes[0]) / (SESSIONS - 1):.0f} bytes per extra session")


def main() -> None:
    args = parser(__doc__.splitlines()[0], rounds=3, quick_rounds=1).parse_args()
    rounds = rounds_of(args)
    _, threads = _servers.gunicorn_shape()
    driver = Driver(Pace.of(args.quick), connections_for(1, threads))
    servers: list[tuple[str, _servers.Server]] = []
    try:
        servers.append(("empty store (1 session)", start(0, threads)))
        servers.append((f"{SESSIONS:,} sessions", start(SESSIONS - 1, threads)))
        print(f"gunicorn -w 1 --threads {threads}; {driver.connections} connections")
        results: dict[str, list[dict[str, Any]]] = {}
        for number in range(1, rounds + 1):
            for label, server in servers if number % 2 else reversed(servers):
                result = driver.measure(server, TOKEN_API)
                results.setdefault(label, []).append(result)
                print(describe(number, f"token API, {label}", result), flush=True)
        memory_report(servers[0][1], servers[1][1])
        empty_runs, full_runs = (results[label] for label, _ in servers)
        for label, runs in results.items():
            print(f"{label}: median {median([r['rps'] for r in runs]):.0f} req/s, "
                  f"p99 {median([r['p99_ms'] for r in runs]):.1f} ms")
        ratios = [f["rps"] / e["rps"] for f, e in zip(full_runs, empty_runs, strict=True)]
        print(ratio_line(f"token API {SESSIONS:,} sessions/empty store", ratios))
    finally:
        for _, server in servers:
            server.stop()


if __name__ == "__main__":
    main()
