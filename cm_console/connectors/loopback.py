"""A one-shot loopback listener for desktop sign-ins that redirect back to the app (RFC 8252).

It binds 127.0.0.1 only (never a public interface), accepts exactly one request on its path,
checks the ``state`` value when one is expected, answers with a short page asking the person to
return to the console, and closes.
"""

from __future__ import annotations

import http.server
import secrets
import threading
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from cm_console.connectors.errors import AuthError, ConnectorError

_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>cm-console</title>"
    b"<p>Signed in. You can close this window and return to cm-console.</p>"
)


class LoopbackRedirect:
    """Waits for the browser to come back to ``http://127.0.0.1:PORT/PATH``.

    Args:
        path: the callback path (e.g. ``/discourse-auth``).
        port: a fixed port the platform has registered, or 0 for any free port.
        state: the value the redirect must carry as ``state`` (None: not checked).
    """

    def __init__(self, path: str, port: int = 0, state: str | None = None) -> None:
        self.path = path if path.startswith("/") else "/" + path
        self.state = state
        self._params: dict[str, str] | None = None
        self._done = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != outer.path or outer._done.is_set():
                    self.send_error(404)
                    return
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if outer.state is not None and not secrets.compare_digest(
                    params.get("state", ""), outer.state
                ):
                    self.send_error(400, "state mismatch")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(_PAGE)))
                self.end_headers()
                self.wfile.write(_PAGE)
                outer._params = params
                outer._done.set()

            def log_message(self, format: str, *args: object) -> None:
                return  # the query carries the code or payload: never log it

        self._server = http.server.HTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        """The redirect URL to hand to the platform."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def _serve(self) -> None:
        while not self._done.is_set():
            self._server.handle_request()

    def __enter__(self) -> LoopbackRedirect:
        self._server.timeout = 0.2
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=2)
        self._server.server_close()

    def wait(self, timeout: float) -> Mapping[str, str]:
        """The redirect's query parameters.

        Raises:
            AuthError: the browser did not come back within ``timeout`` seconds.
        """
        if not self._done.wait(timeout) or self._params is None:
            raise AuthError("the sign-in was not completed in the browser in time", code="timeout")
        if "error" in self._params:
            raise AuthError(f"the sign-in was refused ({self._params['error'][:60]})")
        return self._params


def require(params: Mapping[str, str], key: str) -> str:
    """A parameter of the redirect, or a clear error when the platform left it out."""
    value = params.get(key)
    if not value:
        raise ConnectorError(f"the sign-in came back without {key!r}", code="login_failed")
    return value
