"""A real HTTP(S) server on 127.0.0.1 for fake platform APIs, with scripted faults and a log.

Fakes subclass :class:`FakeApi` and implement ``handle``; every request is recorded, and a test can
queue faults (429 with or without ``Retry-After``, 5xx, malformed or truncated JSON) that answer
the next matching requests *before* the fake applies anything, or (``apply=True``) after it did:
a write that happened whose answer was lost.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _NoDelayHandler(WSGIRequestHandler):
    """Sets TCP_NODELAY (performance reference §7) and keeps the test output quiet."""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = 0.0
    """The fake's clock when the request arrived (a test's fake monotonic clock, if set)."""


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    times: int = 1
    truncate: bool = False
    apply: bool = False


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


class FakeApi:
    """Base of the fake platforms: threading, recording and faults; subclasses route."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[Recorded] = []
        self._faults: list[Fault] = []
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self.clock: Callable[[], float] = time.monotonic

    # --- faults ---------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | str | dict[str, Any] = b"",
        times: int = 1,
        truncate: bool = False,
        apply: bool = False,
    ) -> None:
        """Answer the next ``times`` requests matching ``method`` and the ``path`` regex;
        ``apply``: carry each out first (the fault is the answer to a write that happened)."""
        if isinstance(body, dict):
            raw = json.dumps(body).encode()
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = body
        with self.lock:
            self._faults.append(
                Fault(
                    method,
                    re.compile(path),
                    status,
                    dict(headers or {}),
                    raw,
                    times,
                    truncate,
                    apply,
                )
            )

    def _fault_for(self, request: Request) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.method == request.method and fault.path.search(request.path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def requests_to(self, method: str, pattern: str) -> list[Recorded]:
        rx = re.compile(pattern)
        with self.lock:
            return [r for r in self.requests if r.method == method and rx.search(r.path)]

    # --- serving --------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data()
        with self.lock:
            self.requests.append(
                Recorded(
                    request.method,
                    request.path,
                    dict(request.args.items()),
                    dict(request.headers.items()),
                    body,
                    self.clock(),
                )
            )
        fault = self._fault_for(request)
        if fault is not None and fault.apply:
            # A refusal is not seen either: the fault's answer is all the client gets.
            with contextlib.suppress(ApiError):
                self.handle(request)
        if fault is not None:
            headers = {"Content-Type": "application/json", **fault.headers}
            response = Response(fault.body, status=fault.status, headers=headers)
            if fault.truncate:
                # Promise more bytes than are sent, then close: the client sees a cut-off body.
                response.headers["Content-Length"] = str(len(fault.body) + 100)
                response.headers["Connection"] = "close"
        else:
            try:
                response = self.handle(request)
            except ApiError as exc:
                response = exc.response
        return response(environ, start_response)

    def start(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self._server = make_server(
            "127.0.0.1",
            0,
            self._app,
            threaded=True,
            request_handler=_NoDelayHandler,
            ssl_context=ssl_context,
        )
        scheme = "https" if ssl_context is not None else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class ApiError(Exception):
    """Raised inside a handler to answer with an error response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


@contextmanager
def serving(api: FakeApi, ssl_context: ssl.SSLContext | None = None) -> Iterator[FakeApi]:
    api.start(ssl_context)
    try:
        yield api
    finally:
        api.stop()


class FakeTime:
    """A monotonic clock whose ``sleep`` only moves it: pacing and backoff without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
