"""Runs a fixture WSGI app on a real loopback socket, and scripted faults for fixture servers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@contextmanager
def serve(app: Callable[..., Any]) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (HTTP/1.1 keep-alive, threaded); yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Fault:
    """One scripted misbehaviour: the next ``times`` requests whose path starts with ``path``."""

    path: str
    kind: str
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


class Faults:
    """Faults a test arms on a fixture server; each fires on the next matching requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[Fault] = []

    def arm(self, path: str, kind: str, times: int = 1, **kw: Any) -> None:
        """Arm ``kind``: ``status`` (any status and body), ``malformed`` (cut JSON with a 200),
        ``html`` (a proxy's HTML page with a 200), or a platform hook handles its own kinds."""
        with self._lock:
            self._armed.append(Fault(path, kind, times, **kw))

    def take(self, request: Request) -> Fault | None:
        with self._lock:
            for fault in self._armed:
                if request.path.startswith(fault.path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._armed.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def generic_fault(fault: Fault, good: Callable[[], Response]) -> Response:
    """The response for the generic fault kinds."""
    if fault.kind == "malformed":
        text = good().get_data()
        return Response(text[: max(1, len(text) // 2)], content_type="application/json")
    if fault.kind == "html":
        return Response(
            "<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html"
        )
    return Response(
        json.dumps(fault.body) if fault.body is not None else "",
        status=fault.status,
        headers=fault.headers,
        content_type="application/json",
    )
