"""Drive a server with the load client (bench/_load.py, in its own process) and print each result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from bench._servers import ROOT, Server

SIGN_IN = {"login": "alice", "password": "alice-demo", "csrf_page": "/views/overview"}
TOKEN_BODY = '{"components": ["viz"]}'  # noqa: S105 (a request body, not a password)


@dataclass(frozen=True)
class Target:
    """One endpoint to load: what the client sends, and whether it signs in first."""

    label: str
    method: str
    path: str
    signed_in: bool = False
    same_origin: bool = False  # the token API's Origin, Sec-Fetch-Site and X-CSRFToken
    body: str = ""


TOKEN_API = Target("host POST /api/token", "POST", "/api/token", signed_in=True, same_origin=True,
                   body=TOKEN_BODY)


@dataclass(frozen=True)
class Pace:
    """How long each measurement runs: by time (full run) or by count (--quick)."""

    duration: float
    warmup: float
    max_requests: int | None = None

    @classmethod
    def of(cls, quick: bool) -> Pace:
        return cls(duration=10.0, warmup=0.1, max_requests=300) if quick else cls(duration=2.0, warmup=0.5)


@dataclass
class Driver:
    """Keeps each server's signed-in sessions between measurements, so each signs in once."""

    pace: Pace
    connections: int
    sessions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def measure(self, server: Server, target: Target) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"} if target.body else {}
        if target.same_origin:
            headers.update({"Origin": server.url, "Sec-Fetch-Site": "same-origin"})
        spec = {"url": server.url, "connections": self.connections, "expect": 200,
                "duration": self.pace.duration, "warmup": self.pace.warmup,
                "max_requests": self.pace.max_requests, "server_pid": server.pid,
                "request": {"method": target.method, "path": target.path, "headers": headers,
                            "body": target.body, "csrf_header": target.same_origin},
                "sign_in": SIGN_IN if target.signed_in else None,
                "credentials": self.sessions.get(server.url, [])}
        finished = subprocess.run([sys.executable, "-m", "bench._load"], input=json.dumps(spec),
                                  capture_output=True, text=True, cwd=ROOT, env=os.environ, check=False)
        if finished.returncode != 0:
            raise SystemExit(f"the load client failed on {target.label}:\n{finished.stderr[-3000:]}")
        result = json.loads(finished.stdout)
        self.sessions[server.url] = result.pop("credentials")
        unexpected = {code: n for code, n in result["statuses"].items() if code != "200"}
        if unexpected:
            raise SystemExit(f"{target.label}: unexpected answers {unexpected}")
        return result


def per_request_ms(result: dict[str, Any], key: str) -> float:
    return result[key] / max(1, result["requests"]) * 1000


def describe(round_number: int, label: str, result: dict[str, Any]) -> str:
    server_ms, client_ms = per_request_ms(result, "server_cpu_s"), per_request_ms(result, "client_cpu_s")
    return (f"round {round_number} {label:<36} {result['rps']:7.0f} req/s  p50 {result['p50_ms']:6.1f} ms"
            f"  p99 {result['p99_ms']:6.1f} ms  server CPU {server_ms:5.2f} ms/req (client {client_ms:4.2f})")


def connections_for(workers: int, threads: int) -> int:
    """BENCH_CONNECTIONS, else one per worker thread: every thread has a request to serve."""
    raw = os.environ.get("BENCH_CONNECTIONS", "")
    if raw and (not raw.isdigit() or int(raw) < 1):
        raise SystemExit(f"BENCH_CONNECTIONS={raw!r} must be a whole number of at least 1")
    return int(raw) if raw else workers * threads
