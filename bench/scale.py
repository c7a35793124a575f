"""bench/scale: the token API (POST /api/token) under gunicorn with 1 worker vs 2 workers.

Both servers run side by side and are loaded alternately with the same number of connections.
Sessions live in each worker's memory until a shared store lands, so the load client signs in
on each connection whose worker does not know a session yet (bench/_load.py). STATE_STORE_URL,
when set, is passed to both hosts for that store.

Run: python -m bench.scale [--quick] [--rounds N] [--workers 1 2]
Environment: BENCH_THREADS (4), BENCH_CONNECTIONS (the larger worker count x threads).
"""

from __future__ import annotations

import os
from typing import Any

from bench import _servers
from bench._drive import TOKEN_API, Driver, Pace, connections_for, describe, per_request_ms
from bench._options import parser, rounds_of
from bench._stats import median, ratio_line


def main() -> None:
    cli = parser(__doc__.splitlines()[0], rounds=3, quick_rounds=1)
    cli.add_argument("--workers", type=int, nargs=2, default=(1, 2), metavar=("BASE", "SCALED"),
                     help="the two gunicorn worker counts compared (default 1 2)")
    args = cli.parse_args()
    rounds = rounds_of(args)
    base_workers, scaled_workers = args.workers
    if min(args.workers) < 1 or base_workers == scaled_workers:
        raise SystemExit(f"--workers takes two different counts of at least 1, not {args.workers}")
    _, threads = _servers.gunicorn_shape()
    driver = Driver(Pace.of(args.quick), connections_for(max(args.workers), threads))
    store = os.environ.get("STATE_STORE_URL") and "STATE_STORE_URL passed to both hosts"
    print(f"gunicorn --threads {threads}, -w {base_workers} vs -w {scaled_workers}; "
          f"{driver.connections} connections each; {store or 'each host its own SQLite state file'}")
    servers = []
    try:
        for workers in (base_workers, scaled_workers):
            servers.append((f"{workers} worker(s)", _servers.start_host(workers, threads)))
        results: dict[str, list[dict[str, Any]]] = {}
        for number in range(1, rounds + 1):
            for label, server in servers if number % 2 else reversed(servers):
                result = driver.measure(server, TOKEN_API)
                results.setdefault(label, []).append(result)
                print(describe(number, f"token API, {label}", result), flush=True)
                print(f"         client used {result['client_cpu_s'] / result['seconds']:.0%} of a core; "
                      f"{result['server_processes']} server processes; connections used "
                      f"{result['sessions_in_use']} session(s)", flush=True)
        base_runs, scaled_runs = (results[label] for label, _ in servers)
        for label, runs in results.items():
            print(f"{label}: median {median([r['rps'] for r in runs]):.0f} req/s, server CPU "
                  f"{median([per_request_ms(r, 'server_cpu_s') for r in runs]):.2f} ms/req")
        ratios = [s["rps"] / b["rps"] for s, b in zip(scaled_runs, base_runs, strict=True)]
        print(ratio_line(f"token API {scaled_workers} workers/{base_workers} worker", ratios))
    finally:
        for _, server in servers:
            server.stop()


if __name__ == "__main__":
    main()
