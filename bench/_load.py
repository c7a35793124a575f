"""The load client: keep-alive connections on raw sockets, each with one request in flight
(closed loop), run in a process of its own so its CPU is not the server's.

Input (stdin, JSON): url, connections, duration, warmup, max_requests, request {method, path,
headers, body}, expect (status), sign_in {login, password, csrf_page} or null, credentials (known
sessions to try first), server_pid. Output (stdout, JSON): requests, seconds, rps, p50_ms, p99_ms,
statuses, server_cpu_s, client_cpu_s, reconnects, credentials, sessions_in_use (the
distinct sessions the connections used: one per worker they reached, with per-worker sessions).

Signed-in requests: each connection uses a session that works on it. With several gunicorn
workers a session lives in one worker (until a shared store lands), and a keep-alive connection
stays with one worker, so a connection whose known sessions all answer 401 signs in on itself.
"""

from __future__ import annotations

import json
import selectors
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from bench import _procstat
from bench._stats import percentile
from bench._wire import Browserish, Connection, encode_request, frame_length, sign_in


@dataclass
class Client:
    """One connection, its session (if any) and the request it repeats."""

    browser: Browserish
    raw: bytes = b""
    session: int = -1  # which of the known credentials this connection uses (-1: none)
    sent_at: float = 0.0
    latencies: list[float] = field(default_factory=list)


def _request_bytes(spec: dict[str, Any], client: Client, credential: dict[str, Any] | None) -> bytes:
    request = spec["request"]
    headers = dict(request.get("headers", {}))
    if credential is not None:
        client.browser.cookies = dict(credential["cookies"])
        headers.update(client.browser.cookie_header())
        if request.get("csrf_header"):
            headers["X-CSRFToken"] = credential["csrf"]
    return encode_request(request["method"], client.browser.connection.host, request["path"], headers,
                          request.get("body", "").encode())


def make_ready(spec: dict[str, Any], client: Client, credentials: list[dict[str, Any]]) -> None:
    """Give `client` a request that the server answers with the expected status on its connection:
    a known session if one works there, else one signed in on this connection."""
    exchange = client.browser.connection.exchange
    if spec.get("sign_in"):
        for number, credential in enumerate(credentials):
            client.raw = _request_bytes(spec, client, credential)
            if exchange(client.raw).status == spec["expect"]:
                client.session = number
                return
        how = spec["sign_in"]
        client.browser.cookies = {}
        csrf = sign_in(client.browser, how["login"], how["password"], how["csrf_page"])
        credentials.append({"cookies": dict(client.browser.cookies), "csrf": csrf})
        client.session = len(credentials) - 1
        client.raw = _request_bytes(spec, client, credentials[-1])
    else:
        client.raw = _request_bytes(spec, client, None)
    status = exchange(client.raw).status
    if status != spec["expect"]:
        raise SystemExit(f"{spec['request']['path']} answered {status}, not {spec['expect']}")


def run(clients: list[Client], seconds: float, max_requests: int | None) -> tuple[int, dict[int, int], int]:
    """Keep one request in flight per connection until time or count runs out.
    Returns (responses, statuses, reconnects)."""
    selector = selectors.DefaultSelector()
    statuses: dict[int, int] = {}
    reconnects = sent = done = 0
    deadline = time.perf_counter() + seconds
    budget = max_requests if max_requests is not None else float("inf")

    def send(client: Client) -> None:
        nonlocal sent
        client.sent_at = time.perf_counter()
        client.browser.connection.sock.sendall(client.raw)
        sent += 1

    for client in clients:
        if client.browser.connection.sock is None:
            client.browser.connection.open()
        client.browser.connection.sock.setblocking(False)
        selector.register(client.browser.connection.sock, selectors.EVENT_READ, client)
        if sent < budget:
            send(client)
    in_flight = sent
    while in_flight:
        for key, _ in selector.select(timeout=30):
            client: Client = key.data
            connection = client.browser.connection
            try:
                chunk = connection.sock.recv(262144)
            except ConnectionError:
                chunk = b""
            if not chunk:  # closed by the server: reconnect and send the request again
                selector.unregister(connection.sock)
                connection.open().setblocking(False)
                selector.register(connection.sock, selectors.EVENT_READ, client)
                reconnects += 1
                client.sent_at = time.perf_counter()
                connection.sock.sendall(client.raw)
                continue
            connection.buffer += chunk
            framed = frame_length(connection.buffer)
            if framed is None:
                continue
            status, total, closes = framed
            now = time.perf_counter()
            del connection.buffer[:total]
            client.latencies.append(now - client.sent_at)
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
            in_flight -= 1
            if closes:
                selector.unregister(connection.sock)
                connection.open().setblocking(False)
                selector.register(connection.sock, selectors.EVENT_READ, client)
                reconnects += 1
            if now < deadline and sent < budget:
                send(client)
                in_flight += 1
    selector.close()
    for client in clients:
        client.browser.connection.sock.setblocking(True)
    return done, statuses, reconnects


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    credentials: list[dict[str, Any]] = list(spec.get("credentials") or [])
    clients = [Client(Browserish(Connection(spec["url"]))) for _ in range(spec["connections"])]
    for _ in range(2):  # the second pass re-checks connections idle while others signed in
        for client in clients:
            make_ready(spec, client, credentials)
    if spec.get("warmup"):
        run(clients, spec["warmup"], spec.get("max_requests"))
    for client in clients:
        client.latencies.clear()
    pids = _procstat.tree(spec["server_pid"]) if spec.get("server_pid") else []
    server0, client0, wall0 = _procstat.cpu_seconds(pids), time.process_time(), time.perf_counter()
    done, statuses, reconnects = run(clients, spec["duration"], spec.get("max_requests"))
    wall = time.perf_counter() - wall0
    client_cpu, server_cpu = time.process_time() - client0, _procstat.cpu_seconds(pids) - server0
    latencies = sorted(x for client in clients for x in client.latencies)
    for client in clients:
        client.browser.connection.close()
    return {"requests": done, "seconds": wall, "rps": done / wall, "statuses": statuses,
            "p50_ms": percentile(latencies, 0.50) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
            "server_cpu_s": server_cpu, "client_cpu_s": client_cpu, "reconnects": reconnects,
            "server_processes": len(pids), "credentials": credentials,
            "sessions_in_use": len({client.session for client in clients if client.session >= 0})}


if __name__ == "__main__":
    json.dump(measure(json.load(sys.stdin)), sys.stdout)
