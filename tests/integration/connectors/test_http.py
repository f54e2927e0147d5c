"""The shared HTTP client against a real socket server that misbehaves on purpose.

A scripted raw TCP server (not a mock of requests) answers each request with one behaviour:
a status, a Retry-After, a reset after reading the request, a truncated body, a slow drip.
Sleeps and clocks are injected, so backoff and throttling are measured without waiting.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import trustme

from cm_console.connectors import http
from cm_console.connectors.errors import (
    AmbiguousError,
    ConfigurationError,
    NetworkError,
    PermanentError,
    RateLimited,
)

Behaviour = Callable[[socket.socket, bytes], None]


def reply(status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> Behaviour:
    def send(conn: socket.socket, _request: bytes) -> None:
        head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    return send


def reset(conn: socket.socket, _request: bytes) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


def truncated(conn: socket.socket, _request: bytes) -> None:
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ok": tr')
    conn.close()


def drip(conn: socket.socket, _request: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n")
    for _ in range(40):
        try:
            conn.sendall(b" ")
        except OSError:
            return
        time.sleep(0.02)


class Scripted(socketserver.ThreadingTCPServer):
    """Answers request N with behaviour N (the last one repeats); records each request."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.script: list[Behaviour] = []
        self.seen: list[bytes] = []
        self.tls = tls
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if outer.tls is not None:
                    try:
                        conn = outer.tls.wrap_socket(conn, server_side=True)
                    except (ssl.SSLError, OSError):
                        return
                while True:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        data += chunk
                    head, _, body = data.partition(b"\r\n\r\n")
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            need = int(line.split(b":")[1])
                            while len(body) < need:
                                body += conn.recv(65536)
                    outer.seen.append(head)
                    index = min(len(outer.seen), len(outer.script)) - 1
                    outer.script[index](conn, head)
                    if outer.script[index] in (reset, truncated, drip):
                        return

        super().__init__((host, 0), Handler)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}/"


@pytest.fixture
def server() -> Iterator[Scripted]:
    srv = Scripted()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


class FakeTime:
    """A monotonic clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(url: str, t: FakeTime | None = None, **kw: Any) -> http.HttpClient:
    t = t or FakeTime()
    return http.HttpClient(
        url,
        authorize=lambda h: h.__setitem__("Authorization", "Bearer sekrit-token"),
        sleep=t.sleep,
        clock=t.clock,
        **kw,
    )


def test_get_retries_server_errors_with_growing_backoff(server: Scripted) -> None:
    server.script = [reply(503), reply(502), reply(500), reply(200, b'{"ok": true}')]
    t = FakeTime()
    assert client(server.url, t).get_json("x") == {"ok": True}
    assert len(server.seen) == 4
    assert len(t.sleeps) == 3
    # Exponential with jitter in [0.5, 1] × base·2^(n-1).
    assert 0.25 <= t.sleeps[0] <= 0.5 and 0.5 <= t.sleeps[1] <= 1.0 and 1.0 <= t.sleeps[2] <= 2.0


def test_get_gives_up_after_the_policy_attempts(server: Scripted) -> None:
    server.script = [reply(500)]
    c = client(server.url, policy=http.Policy(read_attempts=3))
    with pytest.raises(http.ServerBusy):
        c.get("x")
    assert len(server.seen) == 3


def test_retry_after_in_seconds_is_honoured(server: Scripted) -> None:
    server.script = [reply(429, headers={"Retry-After": "7"}), reply(200)]
    t = FakeTime()
    client(server.url, t).get("x")
    assert t.sleeps == [pytest.approx(7.0)]


def test_retry_after_as_an_http_date_is_honoured(server: Scripted) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    server.script = [reply(429, headers={"Retry-After": when}), reply(200)]
    t = FakeTime()
    client(server.url, t).get("x")
    assert len(t.sleeps) == 1 and 17 <= t.sleeps[0] <= 20


def test_garbage_retry_after_falls_back_to_backoff(server: Scripted) -> None:
    server.script = [reply(429, headers={"Retry-After": "soon-ish"}), reply(200)]
    t = FakeTime()
    client(server.url, t).get("x")
    assert len(t.sleeps) == 1 and t.sleeps[0] <= 0.5
    assert http.parse_retry_after("-5") == timedelta(0)
    assert http.parse_retry_after("99999999") == http.RETRY_AFTER_MAX
    assert http.parse_retry_after("nan") is None


def test_a_throttle_longer_than_the_read_cap_stops_the_sync(server: Scripted) -> None:
    server.script = [reply(429, headers={"Retry-After": "3600"})]
    with pytest.raises(RateLimited) as info:
        client(server.url).get("x")
    assert info.value.retry_after == timedelta(hours=1)
    assert len(server.seen) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_writes_are_never_retried(server: Scripted, status: int) -> None:
    server.script = [reply(status, headers={"Retry-After": "1"}), reply(200)]
    with pytest.raises((RateLimited, AmbiguousError, http.ServerBusy)):
        client(server.url).write("POST", "x", json_body={"a": 1})
    assert len(server.seen) == 1


@pytest.mark.parametrize(
    ("behaviour", "code"),
    [(reset, "connection_lost"), (reply(500), "http_500"), (truncated, "truncated")],
)
def test_a_write_that_may_have_arrived_is_ambiguous(
    server: Scripted, behaviour: Behaviour, code: str
) -> None:
    server.script = [behaviour]
    with pytest.raises(AmbiguousError) as info:
        client(server.url).write("POST", "x", json_body={"a": 1})
    assert info.value.code == code
    assert "sekrit" not in str(info.value)


def test_a_2xx_write_with_an_unreadable_body_is_ambiguous(server: Scripted) -> None:
    server.script = [reply(200, b"<html>ok</html>")]
    with pytest.raises(AmbiguousError):
        client(server.url).post_json("x", {"a": 1})


def test_a_write_to_a_closed_port_never_left(server: Scripted) -> None:
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    with pytest.raises(NetworkError) as info:
        client(f"http://127.0.0.1:{port}/").write("POST", "x", json_body={})
    assert info.value.code == "connect"


def test_slow_drip_hits_the_overall_deadline(server: Scripted) -> None:
    server.script = [drip]
    c = http.HttpClient(
        server.url, policy=http.Policy(read_timeout=2.0, deadline=0.2, read_attempts=1)
    )
    started = time.monotonic()
    with pytest.raises((AmbiguousError, NetworkError)) as info:
        c.get("x")
    assert info.value.code == "deadline"
    # The deadline, not the per-read timeout, ended it: a guard, not a timing target.
    assert time.monotonic() - started < 10


def test_a_read_that_resets_is_retried_and_reported_as_network(server: Scripted) -> None:
    server.script = [reset]
    with pytest.raises(NetworkError) as info:
        client(server.url, policy=http.Policy(read_attempts=2)).get("x")
    assert info.value.code == "connection_lost"
    assert len(server.seen) == 2


def test_cross_host_redirect_drops_credentials(server: Scripted) -> None:
    other = Scripted()
    threading.Thread(
        target=other.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        target = f"http://localhost:{other.server_address[1]}/landing"
        server.script = [reply(302, b"", {"Location": target})]
        other.script = [reply(200)]
        client(server.url).get("start")
        assert b"sekrit" in server.seen[0]
        assert len(other.seen) == 1
        assert b"sekrit" not in other.seen[0]
        assert b"authorization" not in other.seen[0].lower()
    finally:
        other.shutdown()
        other.server_close()


def test_https_to_http_redirect_is_refused(tmp_path: Any) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(tls)
    secure = Scripted(tls=tls)
    plain = Scripted()
    for srv in (secure, plain):
        threading.Thread(
            target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
    try:
        bundle = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        secure.script = [reply(301, b"", {"Location": plain.url + "down"})]
        plain.script = [reply(200)]
        c = client(secure.url, ca_bundle=str(bundle))
        with pytest.raises(PermanentError) as info:
            c.get("x")
        assert info.value.code == "insecure_redirect"
        assert plain.seen == []
        # Without the organisation's CA the certificate is not trusted: verification stays on.
        with pytest.raises(NetworkError) as tls_error:
            client(secure.url).get("x")
        assert tls_error.value.code == "tls"
    finally:
        for srv in (secure, plain):
            srv.shutdown()
            srv.server_close()


@pytest.mark.parametrize(
    "url", ["http://intranet.example.org/", "http://10.1.2.3/api/", "ftp://127.0.0.1/"]
)
def test_plain_http_is_refused_except_on_loopback(url: str) -> None:
    with pytest.raises(ConfigurationError):
        http.HttpClient(url)
    assert http.HttpClient("http://127.0.0.1:9/").base_url.startswith("http://127.0.0.1")
    assert http.HttpClient("http://[::1]:9/").base_url.startswith("http://[::1]")


def test_errors_and_urls_never_carry_the_token(server: Scripted) -> None:
    server.script = [reply(401, b'{"error": "bad"}')]
    with pytest.raises(Exception) as info:
        client(server.url).get("x", {"q": "1"})
    assert "sekrit" not in str(info.value) and "q=1" not in str(info.value)
    assert b"sekrit" not in server.seen[0].split(b"\r\n")[0]
