"""A small werkzeug app served on 127.0.0.1 in a thread: the base of the fake platform servers.

Responses go out in one write with ``TCP_NODELAY`` set, so keep-alive is not slowed down by
Nagle's algorithm (performance reference §7). Faults can be queued per route: a status with a
body and headers (throttling in the platform's own dialect, 5xx, auth errors) or raw bytes that
are not JSON (a cut-off or malformed answer).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _Handler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Fault:
    """One canned answer for the next request that matches ``method`` and ``path_prefix``."""

    method: str
    path_prefix: str
    status: int
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    apply: bool = False
    """Carry out the request first, then answer with the fault (the write happened)."""
    truncate: bool = False
    """Promise more bytes than are sent, then close: the connection drops mid-answer."""


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers or {}, mimetype="application/json"
    )


class LoopbackApp:
    """Routes requests to ``handle`` (overridden by each fake platform) and serves faults."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.RLock()
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Handler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, method: str, path_prefix: str, status: int, body: Any = b"", **kw: Any) -> None:
        """Queue a fault for the next matching request."""
        self.faults.append(Fault(method, path_prefix, status, body, **kw))

    def count(self, method: str, path_prefix: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p.startswith(path_prefix))

    def _take_fault(self, request: Request) -> Fault | None:
        for fault in self.faults:
            if fault.method == request.method and request.path.startswith(fault.path_prefix):
                self.faults.remove(fault)
                return fault
        return None

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        with self.lock:
            self.requests.append((request.method, request.path))
            fault = self._take_fault(request)
            if fault is not None and fault.apply:
                self.handle(request)
            if fault is not None:
                body = fault.body
                if not isinstance(body, bytes | str):
                    body = json.dumps(body)
                response = Response(body, status=fault.status, headers=fault.headers)
                if fault.truncate:
                    size = len(response.get_data())
                    response.headers["Content-Length"] = str(size + 100)
                    response.headers["Connection"] = "close"
            else:
                response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:  # pragma: no cover - overridden
        raise NotImplementedError
