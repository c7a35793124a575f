"""Just enough HTTP/1.1 over a plain socket for the load client: build requests, read responses
(Content-Length bodies, as Flask and gunicorn send them), keep cookies. No library in the way, so
the client spends its time on the wire, not in a framework."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

HEADER_END = b"\r\n\r\n"
CONTENT_LENGTH = b"\r\ncontent-length:"
CONNECTION_CLOSE = b"\r\nconnection: close"


class WireError(RuntimeError):
    """The server answered something this client cannot read, or closed the connection."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def frame_length(buffer: bytes | bytearray) -> tuple[int, int, bool] | None:
    """(status, total bytes, server closes) of the first complete response in `buffer`, else None."""
    end = buffer.find(HEADER_END)
    if end < 0:
        return None
    head = bytes(buffer[:end]).lower()
    at = head.find(CONTENT_LENGTH)
    if at < 0:
        raise WireError("response without Content-Length: " + head[:200].decode("latin-1"))
    stop = head.find(b"\r\n", at + 2)
    length = int(head[at + len(CONTENT_LENGTH): stop if stop >= 0 else len(head)])
    total = end + len(HEADER_END) + length
    if len(buffer) < total:
        return None
    return int(buffer[9:12]), total, CONNECTION_CLOSE in head


def encode_request(method: str, host: str, path: str, headers: dict[str, str] | None = None,
                   body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def parse_response(raw: bytes) -> Response:
    head, _, body = raw.partition(HEADER_END)
    first, *lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines]
    return Response(status=int(first.split()[1]), headers=headers, body=body)


@dataclass
class Connection:
    """One keep-alive connection that reconnects when the server has closed it."""

    url: str
    sock: socket.socket | None = None
    buffer: bytearray = field(default_factory=bytearray)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def open(self) -> socket.socket:
        parts = urlsplit(self.url)
        self.close()
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer.clear()
        return self.sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def exchange(self, raw_request: bytes) -> Response:
        """Send one request and read its response (blocking); reconnects once if the server had
        closed an idle keep-alive connection."""
        for attempt in (1, 2):
            try:
                if self.sock is None:
                    self.open()
                self.sock.sendall(raw_request)
                return self._read()
            except ConnectionError:
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _read(self) -> Response:
        while True:
            framed = frame_length(self.buffer)
            if framed is not None:
                _, total, closes = framed
                response = parse_response(bytes(self.buffer[:total]))
                del self.buffer[:total]
                if closes:
                    self.close()
                return response
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionResetError("the server closed the connection")
            self.buffer += chunk


@dataclass
class Browserish:
    """A cookie jar over one connection: what a signed-in browser sends."""

    connection: Connection
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes = b"") -> Response:
        raw = encode_request(method, self.connection.host, path, {**self.cookie_header(), **(headers or {})},
                             body)
        response = self.connection.exchange(raw)
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, cookie = pair.partition("=")
                self.cookies[key.strip()] = cookie.strip()
        return response


FORM_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def sign_in(browser: Browserish, login: str, password: str, csrf_page: str) -> str:
    """Sign in through the host's real form; returns the CSRF token of `csrf_page` (signed in)."""
    page = browser.request("GET", "/login")
    match = FORM_CSRF.search(page.text)
    if page.status != 200 or not match:
        raise WireError(f"GET /login answered {page.status} without a csrf_token field")
    form = urlencode({"login": login, "password": password, "csrf_token": match.group(1) or match.group(2),
                      "next": ""}).encode()
    done = browser.request("POST", "/login", {"Content-Type": "application/x-www-form-urlencoded"}, form)
    if done.status != 302:
        raise WireError(f"POST /login answered {done.status}, not a redirect: wrong user or password?")
    page = browser.request("GET", csrf_page)
    match = META_CSRF.search(page.text)
    if page.status != 200 or not match:
        raise WireError(f"GET {csrf_page} answered {page.status} without a csrf-token meta tag")
    return match.group(1)
