"""A fault-injecting HTTP proxy on 127.0.0.1 in front of a fake platform (reliability ref §7.1).

The connector under test talks to :class:`FaultProxy`; the proxy forwards to the platform's
fixture server (or a real Synapse) and misbehaves on command, byte by byte where it matters:

- ``accept-then-reset`` / ``-500`` / ``-504`` / ``-truncated`` / ``-html`` / ``-drip`` /
  ``-hang``: the platform applies the request, then the answer is lost, cut off or garbled (the
  duplicate-producing window of §1.2);
- ``reset`` / ``reject-500`` / ``portal-html`` / ``hang``: the request never reaches the platform
  but the client cannot tell;
- ``throttle``: a 429 in the platform's own dialect (see :mod:`tests.helpers.faultserver_platforms`)
  with good and bad delay values;
- ``pending``: Mattermost's "the first copy is still being saved" 500, after the first copy was
  saved.

Every request is recorded with its arrival time on the shared :class:`FakeClock` (the clock the
client, the outbox and the fixture servers read), so tests can assert that nothing was sent before
its allowed time or while offline. Responses go out in one write with ``TCP_NODELAY`` set
(performance reference §7). Nothing here sleeps except a hang, which holds a socket until the
client's (shortened) read timeout fires for real.

The proxy serves each connection in its own thread, so on a loaded machine it may get to a
request after the client already gave up on it (its read timeout is short). :meth:`FaultProxy.
settle` waits until every request that reached the port is handled; the test model calls it
before a step returns, so a late request lands inside the step that made it, never in a later
one (after a read-back found nothing, or after the clock moved on). The clock only moves while
the client waits for that request's answer: a hang advances it before holding the socket, a drip
that outlasts the client's deadline advances it before the body.
"""

from __future__ import annotations

import contextlib
import enum
import http.client
import itertools
import re
import select
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, Protocol

HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "server"}
)


class FakeClock:
    """One clock for the client, the outbox, the proxy and the fixture servers.

    ``sleep`` only moves it (pacing and backoff without waiting); ``advance`` is time passing.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._start = (start or datetime.now(UTC)).replace(microsecond=0)
        self._now = self._start
        self._lock = threading.Lock()
        self.slept: list[float] = []
        self.listeners: list[Callable[[], None]] = []
        """Run after the clock moves (servers whose "now" is a plain value follow it)."""

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return 1000.0 + (self._now - self._start).total_seconds()

    def time(self) -> float:
        """Seconds since the epoch (what a server's ``time.time()`` would say)."""
        return self.now().timestamp()

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += timedelta(seconds=seconds)
            for listener in self.listeners:
                listener()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


class WallClock(FakeClock):
    """The real clock, for a proxy in front of another process (the kill -9 harness)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        pass


class Fault(enum.StrEnum):
    """What the proxy does with one request."""

    OK = "ok"
    RESET = "reset"
    """Drop the connection (RST) before forwarding: never applied, looks ambiguous."""
    REJECT_500 = "reject-500"
    PORTAL_HTML = "portal-html"
    """A captive portal's HTML page with 200, never forwarded."""
    HANG = "hang"
    """Never forwarded; no answer until the client's read timeout."""
    ACCEPT_RESET = "accept-then-reset"
    ACCEPT_500 = "accept-then-500"
    ACCEPT_504 = "accept-then-504"
    ACCEPT_TRUNCATED = "accept-then-truncated"
    ACCEPT_HTML = "accept-then-html"
    ACCEPT_DRIP = "accept-then-drip"
    """Headers, then a byte every 10 s (of the shared clock): the overall deadline fires."""
    ACCEPT_HANG = "accept-then-hang"
    DRIP_OK = "slow-drip-ok"
    """Applied and answered, slowly but within the deadline (a byte per second)."""
    BAD_JSON = "accept-then-bad-json"
    """Applied, then a 200 whose (complete) body is JSON cut in half: a malformed page."""
    THROTTLE = "throttle"
    PENDING = "pending"
    """Mattermost only: applied, then ``api.post.deduplicate_create_post.pending`` (500)."""


APPLIED = frozenset(
    {
        Fault.OK,
        Fault.ACCEPT_RESET,
        Fault.ACCEPT_500,
        Fault.ACCEPT_504,
        Fault.ACCEPT_TRUNCATED,
        Fault.ACCEPT_HTML,
        Fault.ACCEPT_DRIP,
        Fault.ACCEPT_HANG,
        Fault.DRIP_OK,
        Fault.PENDING,
        Fault.BAD_JSON,
    }
)
"""Faults after which the platform holds the write."""

RETRY_AFTER_VALUES = (
    "0",
    "1",
    "-5",
    "1.5",
    "garbage",
    "",
    "date-past",
    "date-future",
    "120",
    "huge",
)
"""Delay values a throttle may carry (§7.3), rendered in each platform's own dialect."""


def delay_meant(spec: str) -> float | None:
    """The delay, in seconds, a server sending ``spec`` asks for (None: it asks for none)."""
    if spec in ("garbage", ""):
        return None
    if spec == "date-past":
        return 0.0
    if spec == "date-future":
        return 120.0
    if spec == "huge":
        return 10.0 * 365 * 86400
    return max(0.0, float(spec))


def header_value(spec: str, now: datetime) -> str:
    """``spec`` as a ``Retry-After`` header value (HTTP-dates relative to the server's clock)."""
    if spec == "date-past":
        return format_datetime(now - timedelta(hours=1), usegmt=True)
    if spec == "date-future":
        return format_datetime(now + timedelta(seconds=120), usegmt=True)
    if spec == "huge":
        return str(10 * 365 * 86400)
    return spec


@dataclass
class Throttle:
    """A 429 as one platform sends it."""

    status: int
    headers: dict[str, str]
    body: bytes


class Dialect(Protocol):
    """How one platform says "slow down" and which requests are its writes and read-backs."""

    def throttle(self, spec: str, now: datetime) -> Throttle: ...
    def is_create(self, method: str, path: str) -> bool: ...
    def is_readback(self, method: str, path: str) -> bool: ...


@dataclass
class Armed:
    fault: Fault
    target: str
    """``create`` (the platform's create-message endpoint), ``readback`` or ``any``."""
    spec: str = "1"
    match: re.Pattern[str] | None = None
    """Only a request whose path matches (a sync's page, say)."""


@dataclass
class Seen:
    """One request as the proxy saw it."""

    method: str
    path: str
    kind: str
    """``create``, ``readback`` or ``other``."""
    at: datetime
    phase: str
    fault: Fault
    offline: bool
    throttle_until: datetime | None = None
    """For a throttle: when the server allows the next request (None: it named no delay)."""


@dataclass
class Stats:
    faults: dict[str, int] = field(default_factory=dict)
    throttles: int = 0


class FaultProxy:
    """A threaded HTTP/1.1 proxy that injects faults; see the module docstring.

    Args:
        upstream: the fixture server's base URL (``http://127.0.0.1:PORT``).
        dialect: the platform's write/read-back routes and throttle format.
        clock: the shared clock.
        hang_s: how long (real time) a hang holds the socket; the client's read timeout must
            be shorter.
    """

    def __init__(
        self,
        upstream: str,
        dialect: Dialect,
        clock: FakeClock,
        *,
        hang_s: float = 0.6,
        rewrite: Callable[[bytes], bytes] | None = None,
    ) -> None:
        host_port = upstream.split("://", 1)[1].split("/", 1)[0]
        host, _, port = host_port.partition(":")
        self._up = (host, int(port or 80))
        self._prefix = "/" + upstream.split("://", 1)[1].partition("/")[2]
        self._prefix = self._prefix.rstrip("/")
        self.dialect = dialect
        self.clock = clock
        self.hang_s = hang_s
        self.rewrite = rewrite
        """Applied to every forwarded body (a fake that writes its own address into links)."""
        self.lock = threading.RLock()
        self.armed: deque[Armed] = deque()
        self.seen: list[Seen] = []
        self.stats = Stats()
        self.phase = "setup"
        self.skew = timedelta(0)
        """The server's clock minus the shared one (its ``Date`` and HTTP-dates use it)."""
        self._offline = False
        self._closing = False
        self._clients: set[socket.socket] = set()
        self._busy: set[socket.socket] = set()
        """Connections accepted and not yet waiting for their next request."""
        self._accepted: deque[int] = deque(maxlen=256)
        """The client ports of the latest connections accepted (for :meth:`settle`)."""
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._port = 0
        self._release = threading.Event()
        self._listen()
        self.url = f"http://127.0.0.1:{self._port}"

    # --- control --------------------------------------------------------------------------------

    def arm(
        self, fault: Fault, target: str = "create", spec: str = "1", *, match: str | None = None
    ) -> None:
        """Misbehave on the next request of ``target`` kind (whose path matches ``match``)."""
        with self.lock:
            self.armed.append(Armed(fault, target, spec, re.compile(match) if match else None))

    def disarm(self) -> None:
        with self.lock:
            self.armed.clear()

    @property
    def offline(self) -> bool:
        return self._offline

    def set_offline(self, offline: bool) -> None:
        """Offline: nothing listens on the port (connections are refused) and open
        connections are dropped; online: the same port listens again."""
        with self.lock:
            if offline == self._offline:
                return
            self._offline = offline
            if offline:
                self._stop_listening()
                for client in list(self._clients):
                    _abort(client)
            else:
                self._listen(self._port)

    def stop(self) -> None:
        self._closing = True
        self._release.set()
        with self.lock:
            self._stop_listening()
            for client in list(self._clients):
                _abort(client)
        for thread in list(self._threads):
            thread.join(timeout=5)

    def settle(self, timeout: float = 120.0) -> None:
        """Return once every request sent to the proxy so far has been handled.

        A probe connection goes through the listener's queue after every earlier one, so once it
        is accepted, all earlier connections are known; then wait until none is being served
        and no idle one has unread bytes."""
        deadline = time.monotonic() + timeout
        if not self._offline and self._listener is not None:
            with contextlib.suppress(OSError):
                probe = socket.create_connection(("127.0.0.1", self._port), timeout=5)
                try:
                    mine = probe.getsockname()[1]
                    while time.monotonic() < deadline and not self._offline:
                        with self.lock:
                            if mine in self._accepted:
                                break
                        time.sleep(0.001)
                finally:
                    probe.close()
        while time.monotonic() < deadline:
            with self.lock:
                busy = bool(self._busy)
                idle = [c for c in self._clients if c not in self._busy]
            if not busy:
                try:
                    pending, _, _ = select.select(idle, [], [], 0) if idle else ([], [], [])
                except (OSError, ValueError):
                    pending = [None]  # a socket closed meanwhile: look again
                if not pending:
                    return
            time.sleep(0.001)

    def requests(self, kind: str | None = None) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if kind is None or s.kind == kind]

    # --- serving --------------------------------------------------------------------------------

    def _listen(self, port: int = 0) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        self._port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                with contextlib.suppress(OSError):
                    self._accepted.append(client.getpeername()[1])
                if self._offline or self._closing:
                    _abort(client)
                    continue
                self._clients.add(client)
                self._busy.add(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        upstream: http.client.HTTPConnection | None = None
        reader = client.makefile("rb")
        try:
            while True:
                request = _read_request(reader)
                with self.lock:
                    self._busy.add(client)
                if request is None:
                    return
                if upstream is None:
                    upstream = http.client.HTTPConnection(*self._up, timeout=60)
                if not self._one(client, upstream, *request):
                    return
                with self.lock:
                    self._busy.discard(client)
        except OSError:
            return
        finally:
            reader.close()
            _abort(client)
            if upstream is not None:
                upstream.close()
            with self.lock:
                self._clients.discard(client)
                self._busy.discard(client)

    def _take(self, kind: str, path: str) -> Armed:
        with self.lock:
            for armed in self.armed:
                if armed.match is not None and not armed.match.search(
                    path.split("?", maxsplit=1)[0]
                ):
                    continue
                if armed.target in (kind, "any"):
                    self.armed.remove(armed)
                    return armed
        return Armed(Fault.OK, kind)

    def _one(
        self,
        client: socket.socket,
        upstream: http.client.HTTPConnection,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
    ) -> bool:
        """Handle one request; False when the connection must close."""
        d = self.dialect
        kind = (
            "create"
            if d.is_create(method, path)
            else "readback"
            if d.is_readback(method, path)
            else "other"
        )
        armed = self._take(kind, path)
        fault = armed.fault
        now = self.clock.now()
        seen = Seen(method, path, kind, now, self.phase, fault, self._offline)
        with self.lock:
            self.seen.append(seen)
            if fault is not Fault.OK:
                self.stats.faults[fault.value] = self.stats.faults.get(fault.value, 0) + 1
        if fault is Fault.THROTTLE:
            throttle = d.throttle(armed.spec, now + self.skew)
            meant = delay_meant(armed.spec)
            if meant is not None:
                seen.throttle_until = now + timedelta(seconds=meant)
            with self.lock:
                self.stats.throttles += 1
            _send(client, throttle.status, throttle.headers, throttle.body, now + self.skew)
            return True
        if fault is Fault.RESET:
            return False
        if fault is Fault.REJECT_500:
            _send(client, 500, {"Content-Type": "text/html"}, b"<h1>500</h1>", now + self.skew)
            return True
        if fault is Fault.PORTAL_HTML:
            _send(client, 200, {"Content-Type": "text/html"}, PORTAL, now + self.skew)
            return True
        if fault is Fault.HANG:
            self._hang(client)
            return False
        status, up_headers, up_body = self._forward(upstream, method, path, headers, body)
        now = self.clock.now()
        if fault is Fault.OK:
            _send(client, status, up_headers, up_body, now + self.skew)
            return True
        if fault is Fault.ACCEPT_RESET:
            return False
        if fault is Fault.ACCEPT_500:
            _send(
                client,
                500,
                {"Content-Type": "text/plain"},
                b"Internal Server Error",
                now + self.skew,
            )
            return True
        if fault is Fault.ACCEPT_504:
            _send(client, 504, {"Content-Type": "text/html"}, GATEWAY_TIMEOUT, now + self.skew)
            return True
        if fault is Fault.PENDING:
            _send(client, 500, {"Content-Type": "application/json"}, PENDING_BODY, now + self.skew)
            return True
        if fault is Fault.BAD_JSON:
            cut = up_body[: max(1, len(up_body) // 2)]
            _send(client, 200, {"Content-Type": "application/json"}, cut, now + self.skew)
            return True
        if fault is Fault.ACCEPT_HTML:
            _send(client, 200, {"Content-Type": "text/html"}, PORTAL, now + self.skew)
            return True
        if fault is Fault.ACCEPT_TRUNCATED:
            cut = up_body[: max(1, len(up_body) // 2)]
            _send(client, status, up_headers, cut, now + self.skew, length=len(up_body) + 100)
            return False
        if fault is Fault.ACCEPT_HANG:
            self._hang(client)
            return False
        if fault in (Fault.ACCEPT_DRIP, Fault.DRIP_OK):
            step, steps = (10.0, 12) if fault is Fault.ACCEPT_DRIP else (1.0, 5)
            head = _head(status, up_headers, len(up_body), now + self.skew)
            client.sendall(head)
            if fault is Fault.ACCEPT_DRIP:
                # The client gives up part way (its deadline): the whole drip's time passes
                # before it can see a byte, so the clock does not depend on when it gave up.
                self.clock.advance(step * steps)
                step = 0.0
            for i, byte in enumerate(up_body):
                if i < steps:
                    self.clock.advance(step)
                    client.sendall(bytes([byte]))
                else:
                    client.sendall(up_body[i:])
                    break
            return fault is Fault.DRIP_OK
        raise AssertionError(fault)

    def _hang(self, client: socket.socket) -> None:
        # The hang's time passes while the client waits (so it meets its timeout afterwards).
        self.clock.advance(30)
        # The one real wait: until the client's read timeout closes its end (or hang_s).
        if not self._release.is_set():
            with contextlib.suppress(OSError, ValueError):
                select.select([client], [], [], self.hang_s)

    def _forward(
        self,
        upstream: http.client.HTTPConnection,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        out = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS | {"host"}}
        out["Host"] = f"{self._up[0]}:{self._up[1]}"
        if body:
            out["Content-Length"] = str(len(body))
        try:
            upstream.request(method, self._prefix + path, body=body or None, headers=out)
            response = upstream.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            upstream.close()
            upstream.request(method, self._prefix + path, body=body or None, headers=out)
            response = upstream.getresponse()
            data = response.read()
        if self.rewrite is not None:
            data = self.rewrite(data)
        kept = {k: v for k, v in response.getheaders() if k.lower() not in HOP_HEADERS}
        return response.status, kept, data


PORTAL = b"<!doctype html><html><body><h1>Sign in to the guest network</h1></body></html>"
GATEWAY_TIMEOUT = b"<html><body><h1>504 Gateway Time-out</h1></body></html>"
PENDING_BODY = (
    b'{"id":"api.post.deduplicate_create_post.pending","message":"Post rejected by '
    b'server: a post with the same pending_post_id is being created","status_code":500}'
)


def _abort(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a crashed server or a middlebox would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


def _read_request(reader: Any) -> tuple[str, str, dict[str, str], bytes] | None:
    line = reader.readline(65537)
    if not line:
        return None
    parts = line.decode("latin-1").strip().split(" ")
    if len(parts) != 3:
        return None
    method, path, _ = parts
    headers: dict[str, str] = {}
    while True:
        raw = reader.readline(65537)
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip()] = value.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    body = reader.read(length) if length else b""
    return method, path, headers, body


def _head(status: int, headers: dict[str, str], length: int, now: datetime) -> bytes:
    reason = http.client.responses.get(status, "Status")
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in HOP_HEADERS]
    lines += [
        f"Date: {format_datetime(now, usegmt=True)}",
        f"Content-Length: {length}",
        "Connection: keep-alive",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send(
    client: socket.socket,
    status: int,
    headers: dict[str, str],
    body: bytes,
    now: datetime,
    *,
    length: int | None = None,
) -> None:
    client.sendall(_head(status, headers, len(body) if length is None else length, now) + body)


_ids = itertools.count(1)


def nonce() -> str:
    """A short token unique in this process, to find one operation's copies on a server."""
    return f"n{next(_ids):06d}x"
