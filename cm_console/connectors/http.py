"""The one HTTP client every connector uses (DESIGN.md §3, reliability reference §2).

- One ``requests.Session`` per account, explicit (connect, read) timeouts plus an overall
  deadline per request (a server dripping one byte at a time cannot hold a worker forever).
- Reads (GET) are retried with exponential backoff and jitter, honouring the platform's own
  throttle signal up to a cap. Writes are never retried here: the outbox decides, so every write
  failure is classified as never-sent (retryable), may-have-been-applied (ambiguous) or refused.
- Client-side rate shaping per account, and a shared "not before" when the platform throttles.
- https is required except on loopback; redirects are followed by hand so credentials never go
  to another host and https never drops to http.
- Tokens travel in headers only, never in URLs, log lines or error messages.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from cm_console.connectors.attempts import attempts_are_single
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    ConfigurationError,
    ConnectorError,
    MalformedResponse,
    NetworkError,
    NotFound,
    OfflineError,
    PermanentError,
    RateLimited,
    ServerBusy,
)

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_AFTER_MAX = timedelta(hours=6)
"""Values beyond this are nonsense; they are clamped before anyone waits on them."""

ThrottleParser = Callable[["Response", Any], timedelta | None]
"""Reads the platform's throttle signal from a response (and its parsed JSON body, or None)."""
Authorize = Callable[[dict[str, str]], None]
"""Adds credentials to a request's headers (only ever for the account's own host)."""


def is_loopback_host(host: str | None) -> bool:
    import ipaddress  # noqa: PLC0415

    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """The account's base URL: https, or http for loopback only; no credentials inside."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigurationError("plain http is only allowed for loopback addresses; use https")
    if parts.username or parts.password:
        raise ConfigurationError("credentials do not belong in the URL")
    return url if url.endswith("/") else url + "/"


_SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "api-key", "api-username", "user-api-key"}
)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def check_request_url(url: str) -> None:
    """Refuse a URL the client must never request, whoever supplied it (a page's "next" link,
    a redirect): anything but https, plain http except on loopback, credentials in the URL.

    Raises:
        PermanentError: code ``insecure_url``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise PermanentError(
            f"refused a request to a non-web address ({scheme or 'no scheme'})",
            code="insecure_url",
        )
    if scheme == "http" and not is_loopback_host(parts.hostname):
        raise PermanentError(
            f"{parts.hostname}: refused a plain-http request (https is required)",
            code="insecure_url",
        )
    if parts.username or parts.password:
        raise PermanentError(
            f"{parts.hostname}: refused a URL with credentials in it", code="insecure_url"
        )


_DELAY_SECONDS = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def clamp_delay(seconds: Any) -> timedelta | None:
    """A delay a server gave as a number of seconds, within [0, :data:`RETRY_AFTER_MAX`].

    Anything but a finite number (a string, a boolean, NaN, infinity) is no signal (None);
    negative means now; a number too large for ``timedelta`` is clamped, never an error.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    try:
        value = float(seconds)
    except OverflowError:  # an int beyond float's range
        value = math.inf if seconds > 0 else 0.0
        if value == math.inf:
            return RETRY_AFTER_MAX
    if not math.isfinite(value):
        return None
    return timedelta(seconds=min(max(0.0, value), RETRY_AFTER_MAX.total_seconds()))


def parse_retry_after(value: str | None, now: datetime | None = None) -> timedelta | None:
    """A ``Retry-After`` value: delta-seconds (integer or decimal) or an HTTP-date.

    Negative values and dates in the past mean "now" (zero); garbage means "no signal" (None);
    values beyond :data:`RETRY_AFTER_MAX` are clamped.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if _DELAY_SECONDS.fullmatch(text):
        return clamp_delay(float(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    except OverflowError:
        return None
    return clamp_delay(seconds)


def server_time(response: Response) -> datetime | None:
    """The server's clock as its ``Date`` header tells it (None when absent or unreadable)."""
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def retry_after_header(response: Response, _body: Any) -> timedelta | None:
    """The default throttle parser: the ``Retry-After`` header.

    An HTTP-date is measured against the server's own ``Date``: with a client clock that is off
    by hours, "retry at 12:02" from a server whose clock says 12:00 still means two minutes.
    """
    return parse_retry_after(response.headers.get("Retry-After"), server_time(response))


@dataclass(frozen=True, slots=True)
class Policy:
    """Timeouts, retries and pacing for one platform."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 90.0
    """Overall limit for one request including reading the body."""
    read_attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    read_wait_cap: float = 60.0
    """A read waits for a throttle up to this long; beyond it the sync stops with RateLimited."""
    min_interval: float = 0.0
    """Client-side pacing: at least this many seconds between requests."""


class Pacer:
    """Spaces requests and remembers the platform's "not before" (thread-safe)."""

    def __init__(
        self,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0
        self._blocked_until = 0.0

    def blocked_for(self) -> float:
        """Seconds until the platform's throttle window ends (0 when not throttled)."""
        return max(0.0, self._blocked_until - self._clock())

    def block(self, seconds: float) -> None:
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def wait_turn(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next, self._blocked_until)
            self._next = start + self._min_interval
        delay = start - now
        if delay > 0:
            self._sleep(delay)


@dataclass(frozen=True, slots=True)
class Response:
    """A finished response: status, headers and the whole body (already read)."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def json(self) -> Any:
        """The body as JSON; :class:`MalformedResponse` when it is not.

        Lone surrogates (``"\\ud800"`` escapes, which any Matrix client can put in an event)
        become U+FFFD: no database or renderer downstream can encode them.
        """
        try:
            value = json.loads(self.body.decode("utf-8"))
            return _scrub(value) if _SURROGATE_ESCAPE.search(self.body) else value
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            kind = self.headers.get("Content-Type", "unknown type").split(";")[0]
            raise MalformedResponse(
                f"{_where(self.url)}: the server did not answer with JSON ({kind}, "
                f"{len(self.body)} bytes): {type(exc).__name__}"
            ) from None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}"


class _BodyTooLarge(Exception):
    pass


class _DeadlineExceeded(Exception):
    pass


class HttpClient:
    """HTTP for one account on one platform.

    Args:
        base_url: the platform's API root (validated: https or loopback http).
        authorize: adds the account's credentials to the headers of same-host requests.
        throttle: reads the platform's throttle signal from a 429/503 response.
        policy: timeouts, retries, pacing.
        error_hook: maps a platform's own error bodies to connector errors (None: the default).
        ca_bundle: a PEM file of extra trusted CAs (an intranet's own); TLS is always verified.
    """

    def __init__(
        self,
        base_url: str,
        *,
        authorize: Authorize | None = None,
        throttle: ThrottleParser = retry_after_header,
        policy: Policy | None = None,
        user_agent: str = "cm-console",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        error_hook: Callable[[Response, Any], ConnectorError | None] | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        # An organisation's own CA may be added; verification itself is never switched off.
        self._verify: str | bool = ca_bundle or True
        self._origin = _origin(self.base_url)
        self._authorize = authorize
        self._throttle = throttle
        self.policy = policy or Policy()
        self._sleep = sleep
        self._clock = clock
        self._error_hook = error_hook
        self.pacer = Pacer(self.policy.min_interval, clock, sleep)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept"] = "application/json"
        self.session.trust_env = False  # no ~/.netrc credentials, no proxy surprises in tests
        self.requests_made = 0

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url, path.lstrip("/"))

    def close(self) -> None:
        self.session.close()

    # --- reads -------------------------------------------------------------------------------

    def get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> Response:
        """GET with retries: connection failures, 5xx and throttling are retried with backoff."""
        url = self.url(path)
        last: ConnectorError | None = None
        single = attempts_are_single()
        attempts = 1 if single else self.policy.read_attempts
        for attempt in range(1, attempts + 1):
            final = attempt == attempts
            try:
                response = self._send("GET", url, params=params, headers=headers)
            except (NetworkError, AmbiguousError) as exc:
                last = exc
                if not final:
                    self._backoff(attempt)
                continue
            if response.status in ok:
                return response
            error = self._error(response)
            if isinstance(error, RateLimited | ServerBusy) or response.status >= 500:
                last = error
                wait = error.retry_after.total_seconds() if error.retry_after else None
                if wait is not None and (single or wait > self.policy.read_wait_cap):
                    raise error
                if wait is not None:
                    self.pacer.block(wait)
                elif not final:
                    self._backoff(attempt)
                continue
            raise error
        assert last is not None
        if isinstance(last, AmbiguousError):
            # For a read nothing can have been applied: report it as the network problem it is.
            raise NetworkError(str(last), code=last.code) from None
        raise last

    def get_json(self, path: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        return self.get(path, params, **kw).json()

    # --- writes ------------------------------------------------------------------------------

    def write(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> Response:
        """A write (POST/PUT/PATCH/DELETE), sent once. Failures are classified, never retried.

        Raises:
            NetworkError: the request never left (connect failed): safe to send again.
            RateLimited / ServerBusy: refused before processing, with the platform's delay.
            AmbiguousError: it may have been applied (timeout after sending, reset, 5xx).
            AuthError, NotFound, PermanentError: refused.
        """
        self._not_blocked()
        response = self._send(
            method, self.url(path), params=params, headers=headers, json_body=json_body, data=data
        )
        if response.status in ok:
            return response
        raise self._error(response, write=True)

    def post_json(self, path: str, body: Any, **kw: Any) -> Any:
        response = self.write("POST", path, json_body=body, **kw)
        if not response.body:
            return None
        try:
            return response.json()
        except MalformedResponse as exc:
            # The write went through (2xx) but the answer is unreadable: may have been applied.
            raise AmbiguousError(str(exc), code="malformed") from None

    # --- machinery ---------------------------------------------------------------------------

    def _not_blocked(self) -> None:
        """Raise instead of waiting while the platform's throttle window is open."""
        blocked = self.pacer.blocked_for()
        if blocked > 0:
            raise RateLimited(
                "the platform asked to wait before the next request",
                code="not_before",
                retry_after=timedelta(seconds=blocked),
            )

    def _backoff(self, attempt: int) -> None:
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        self._sleep(ceiling * (0.5 + random.random() / 2))  # noqa: S311 - jitter

    def _headers(self, url: str, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        # Credentials only for the account's own origin: same scheme, host and port. Another
        # host, or the same host over plain http, gets none, not even ones a caller passed in.
        if _origin(url) != self._origin:
            return {k: v for k, v in headers.items() if k.lower() not in _SENSITIVE_HEADERS}
        if self._authorize is not None:
            self._authorize(headers)
        return headers

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: Mapping[str, Any] | None = None,
    ) -> Response:
        if attempts_are_single():
            self._not_blocked()
        self.pacer.wait_turn()
        started = self._clock()
        for _ in range(MAX_REDIRECTS + 1):
            check_request_url(url)
            self.requests_made += 1
            response = self._once(method, url, params, headers, json_body, data, started)
            if response.status not in (301, 302, 303, 307, 308):
                log.debug(
                    "%s %s -> %d (%.0f ms)",
                    method,
                    _where(url),
                    response.status,
                    (self._clock() - started) * 1000,
                )
                return response
            target = response.headers.get("Location")
            if not target:
                return response
            new_url = urljoin(url, target)
            if urlsplit(url).scheme == "https" and urlsplit(new_url).scheme != "https":
                raise PermanentError(
                    f"{_where(url)} redirected from https to http: refused",
                    code="insecure_redirect",
                )
            url, params = new_url, None
            if response.status == 303:
                method, json_body, data = "GET", None, None
        raise PermanentError(f"{_where(url)}: too many redirects", code="redirect_loop")

    def _once(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        json_body: Any,
        data: Mapping[str, Any] | None,
        started: float,
    ) -> Response:
        policy = self.policy
        sent = False
        try:
            raw = self.session.request(
                method,
                url,
                params=params,
                headers=self._headers(url, headers),
                json=json_body,
                data=data,
                timeout=(policy.connect_timeout, policy.read_timeout),
                allow_redirects=False,
                stream=True,
                verify=self._verify,
            )
            sent = True
            try:
                body = self._read(raw, started)
            finally:
                raw.close()
        except requests.exceptions.ConnectTimeout:
            raise NetworkError(
                f"{_where(url)}: connection timed out", code="connect_timeout"
            ) from None
        except requests.exceptions.SSLError:
            raise NetworkError(f"{_where(url)}: TLS verification failed", code="tls") from None
        except requests.exceptions.ConnectionError as exc:
            if not sent and _never_sent(exc):
                if _name_resolution(exc):
                    raise OfflineError(
                        f"{_where(url)}: host not found (offline?)", code="offline"
                    ) from None
                raise NetworkError(f"{_where(url)}: could not connect", code="connect") from None
            raise AmbiguousError(
                f"{_where(url)}: connection lost during the request", code="connection_lost"
            ) from None
        except (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError):
            raise AmbiguousError(f"{_where(url)}: no answer in time", code="timeout") from None
        except (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
            urllib3.exceptions.ProtocolError,
            urllib3.exceptions.DecodeError,
            urllib3.exceptions.SSLError,
        ):
            raise AmbiguousError(
                f"{_where(url)}: the answer was cut off", code="truncated"
            ) from None
        except _DeadlineExceeded:
            raise AmbiguousError(
                f"{_where(url)}: the answer took too long", code="deadline"
            ) from None
        except _BodyTooLarge:
            raise MalformedResponse(
                f"{_where(url)}: the answer is too large", code="too_large"
            ) from None
        return Response(raw.status_code, raw.headers, body, url)

    def _read(self, raw: requests.Response, started: float) -> bytes:
        deadline = started + self.policy.deadline
        chunks: list[bytes] = []
        size = 0
        stream = raw.raw
        # read1 (urllib3 2) returns whatever arrived, where read waits for a whole chunk: a
        # server dripping a byte at a time then meets the deadline instead of holding a worker.
        read = stream.read1 if hasattr(stream, "read1") else stream.read
        while True:
            chunk = read(65536, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                raise _BodyTooLarge
            chunks.append(chunk)
            if self._clock() > deadline:
                raise _DeadlineExceeded
        return b"".join(chunks)

    def _error(self, response: Response, *, write: bool = False) -> ConnectorError:
        body: Any = None
        if response.body[:1] in (b"{", b"["):
            try:
                body = response.json()
            except MalformedResponse:
                body = None
        if self._error_hook is not None:
            custom = self._error_hook(response, body)
            if custom is not None:
                return custom
        where = _where(response.url)
        status = response.status
        if status == 429 or (status == 503 and "Retry-After" in response.headers):
            try:
                delay = self._throttle(response, body)
            except (ArithmeticError, ValueError, TypeError):
                # A platform parser tripped over a hostile value: no signal, back off instead.
                log.debug("%s: unreadable throttle signal", where)
                delay = None
            if delay is not None:
                self.pacer.block(delay.total_seconds())
            cls = RateLimited if status == 429 else ServerBusy
            return cls(f"{where}: the platform asks to slow down", retry_after=delay)
        if status == 401:
            return AuthError(
                f"{where}: the server refused the credentials (401)", code="unauthorized"
            )
        if status == 403:
            return PermanentError(f"{where}: not allowed (403)", code="forbidden")
        if status in (404, 410):
            return NotFound(f"{where}: not found ({status})", code=f"http_{status}")
        if status >= 500:
            if write:
                return AmbiguousError(f"{where}: server error {status}", code=f"http_{status}")
            return ServerBusy(f"{where}: server error {status}", code=f"http_{status}")
        return PermanentError(f"{where}: request refused ({status})", code=f"http_{status}")


def _never_sent(exc: BaseException) -> bool:
    """True when the connection failed before the request could reach the server."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
            return True
        if isinstance(cur, urllib3.exceptions.MaxRetryError) and isinstance(
            cur.reason,
            urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError,
        ):
            return True
        cur = (
            cur.__cause__
            or cur.__context__
            or (cur.args[0] if cur.args and isinstance(cur.args[0], BaseException) else None)
        )
    return False


def _name_resolution(exc: BaseException) -> bool:
    text = repr(exc)
    return (
        "NameResolutionError" in text
        or "Name or service not known" in text
        or ("nodename nor servname" in text)
    )
