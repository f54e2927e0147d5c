"""The shared HTTP client with an Entra bearer token that is renewed once when an API says 401."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    ConnectorError,
    MalformedResponse,
)
from cm_console.connectors.http import (
    HttpClient,
    Policy,
    Response,
    ThrottleParser,
    retry_after_header,
)
from cm_console.connectors.microsoft.auth import TokenSource

log = logging.getLogger(__name__)


class ApiSession:
    """One account's API client: bearer token in a header, silent refresh on a 401.

    A 401 means the request was refused before anything happened, so repeating it once with a
    fresh token is safe for writes too.
    """

    def __init__(
        self,
        base_url: str,
        tokens: TokenSource,
        *,
        policy: Policy,
        throttle: ThrottleParser = retry_after_header,
        user_agent: str = "cm-console",
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        error_hook: Callable[[Response, Any], ConnectorError | None] | None = None,
    ) -> None:
        self._tokens = tokens
        self.http = HttpClient(
            base_url,
            authorize=self._authorize,
            throttle=throttle,
            policy=policy,
            user_agent=user_agent,
            sleep=sleep,
            clock=monotonic,
            error_hook=error_hook,
        )

    def _authorize(self, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self._tokens.token()}"

    def _with_refresh(self, call: Callable[[], Response]) -> Response:
        try:
            return call()
        except AuthError as exc:
            if exc.code != "unauthorized":
                raise
            if not self._tokens.refresh():
                raise AuthError(
                    "the server refused the access token (expired or revoked); add the account "
                    "again with a fresh token, or sign in with --login browser or device",
                    code="unauthorized",
                ) from None
            log.info("access token refused; retrying once with a renewed token")
            return call()

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Response:
        return self._with_refresh(lambda: self.http.get(path, params))

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.get(path, params).json()

    def get_object(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A JSON object, or :class:`MalformedResponse` when the answer is anything else."""
        data = self.get_json(path, params)
        if not isinstance(data, dict):
            raise MalformedResponse(f"{urlsplit(path).path}: expected a JSON object")
        return data

    def write(self, method: str, path: str, **kw: Any) -> Response:
        return self._with_refresh(lambda: self.http.write(method, path, **kw))

    def write_json(self, method: str, path: str, **kw: Any) -> Any:
        """A write whose answer is JSON; an unreadable 2xx answer is ambiguous (it may exist)."""
        response = self.write(method, path, **kw)
        if not response.body:
            return None
        try:
            return response.json()
        except MalformedResponse as exc:
            raise AmbiguousError(str(exc), code="malformed") from None

    def close(self) -> None:
        self.http.close()
