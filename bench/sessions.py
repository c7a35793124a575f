"""bench/sessions: memory per signed-in user, and the token API's speed with 0 vs 50,000 sessions.

Two hosts under gunicorn (one worker each): one with an empty sign-in store, one filled with
49,999 sign-ins in-process (bench/_sessions_app.py) plus the bench's own, 50,000 in all, the
store's limit. Memory per user: the filled worker's resident memory before and after filling,
over the sessions added (and, as a check, the two workers' RSS side by side). Speed: POST
/api/token on each, alternating.

Run: python -m bench.sessions [--quick] [--rounds N]
Environment: BENCH_THREADS (4), BENCH_CONNECTIONS (threads).
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
QUICK_SESSIONS = 2_000
# Filling the SQLite store takes ~0.5 ms a sign-in, inside the worker's start: give it room.
FILL_SECONDS = 600
APP_SPEC = "bench._sessions_app:create_app()"
PREFILL_LOG = re.compile(r"bench-sessions: pid (\d+) prefilled (\d+) rss_before (\d+) rss_after (\d+) "
                         r"store_before (\d+) store_after (\d+)")


def start(prefill: int, threads: int) -> _servers.Server:
    return _servers.start_host(1, threads, app_spec=APP_SPEC, ready_timeout=FILL_SECONDS,
                               extra_env={"BENCH_PREFILL_SESSIONS": str(prefill),
                                          "GUNICORN_CMD_ARGS": f"--timeout {FILL_SECONDS}"})


def memory_report(empty: _servers.Server, full: _servers.Server, sessions: int) -> None:
    match = PREFILL_LOG.search(full.log.read_text(errors="replace"))
    if match is None:
        raise SystemExit("the filled host did not log its memory (bench/_sessions_app.py)")
    _, count, before, after, store_before, store_after = (int(x) for x in match.groups())
    print(f"memory: filling {count} sign-ins grew the worker by {(after - before) / 2**20:.1f} MiB: "
          f"{(after - before) / count:.0f} bytes per signed-in user in the process")
    print(f"state store: {(store_after - store_before) / count:.0f} bytes per signed-in user on disk "
          "(SQLite file and WAL; sessions live there, not in the workers)")
    sizes = [rss_bytes(children(server.pid)[0]) for server in (empty, full)]
    print(f"workers now: {sizes[0] / 2**20:.1f} MiB with 1 session, {sizes[1] / 2**20:.1f} MiB with "
          f"{sessions:,}: {(sizes[1] - sizes[0]) / (sessions - 1):.0f} bytes per extra session")


def main() -> None:
    args = parser(__doc__.splitlines()[0], rounds=3, quick_rounds=1).parse_args()
    rounds = rounds_of(args)
    count = QUICK_SESSIONS if args.quick else SESSIONS
    _, threads = _servers.gunicorn_shape()
    driver = Driver(Pace.of(args.quick), connections_for(1, threads))
    servers: list[tuple[str, _servers.Server]] = []
    try:
        servers.append(("empty store (1 session)", start(0, threads)))
        servers.append((f"{count:,} sessions", start(count - 1, threads)))
        print(f"gunicorn -w 1 --threads {threads}; {driver.connections} connections")
        results: dict[str, list[dict[str, Any]]] = {}
        for number in range(1, rounds + 1):
            for label, server in servers if number % 2 else reversed(servers):
                result = driver.measure(server, TOKEN_API)
                results.setdefault(label, []).append(result)
                print(describe(number, f"token API, {label}", result), flush=True)
        memory_report(servers[0][1], servers[1][1], count)
        empty_runs, full_runs = (results[label] for label, _ in servers)
        for label, runs in results.items():
            print(f"{label}: median {median([r['rps'] for r in runs]):.0f} req/s, "
                  f"p99 {median([r['p99_ms'] for r in runs]):.1f} ms")
        ratios = [f["rps"] / e["rps"] for f, e in zip(full_runs, empty_runs, strict=True)]
        print(ratio_line(f"token API {count:,} sessions/empty store", ratios))
    finally:
        for _, server in servers:
            server.stop()


if __name__ == "__main__":
    main()
