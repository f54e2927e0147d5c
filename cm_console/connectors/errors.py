"""Errors connectors raise, each with the class the outbox needs to decide what happens next.

Messages are written for the person at the console ("the server refused the token"); they never
contain a token, a password, an ``Authorization`` header or a full URL with a query string.
"""

from __future__ import annotations

from datetime import timedelta

from cm_console.domain.outbox import ErrorClass


class ConnectorError(Exception):
    """Base class: ``code`` is stable (for scripts and the UI), the message is for people."""

    error_class: ErrorClass = ErrorClass.PERMANENT
    default_code = "error"

    def __init__(
        self, message: str, *, code: str | None = None, retry_after: timedelta | None = None
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return str(self)


class NetworkError(ConnectorError):
    """The request never reached the server (DNS, refused, connect timeout, TLS handshake)."""

    error_class = ErrorClass.RETRYABLE
    default_code = "network"


class OfflineError(NetworkError):
    """There is no network at all."""

    default_code = "offline"


class RateLimited(ConnectorError):
    """Throttled by the platform; ``retry_after`` is the platform's own delay when it gave one."""

    error_class = ErrorClass.RETRYABLE
    default_code = "rate_limited"


class ServerBusy(ConnectorError):
    """The server answered that it cannot take the request now (a 503 before processing)."""

    error_class = ErrorClass.RETRYABLE
    default_code = "server_busy"


class AmbiguousError(ConnectorError):
    """The request may have been applied: read timeout, reset after sending, 5xx, bad body."""

    error_class = ErrorClass.AMBIGUOUS
    default_code = "ambiguous"


class PermanentError(ConnectorError):
    """The platform refused the request for a reason retrying will not fix."""

    error_class = ErrorClass.PERMANENT
    default_code = "refused"


class NotFound(PermanentError):
    default_code = "not_found"


class NotSupported(PermanentError):
    """The connector does not offer this action (it is not in its capabilities)."""

    default_code = "not_supported"


class AuthError(ConnectorError):
    """Credentials missing, refused, expired or revoked."""

    error_class = ErrorClass.AUTH
    default_code = "auth"


class MalformedResponse(ConnectorError):
    """The platform answered with something that is not the documented format.

    On a read this fails the account's sync with a clear message (nothing stored is lost); on a
    write the request may have been applied, so it is ambiguous.
    """

    error_class = ErrorClass.AMBIGUOUS
    default_code = "malformed"


class ConfigurationError(ConnectorError):
    """The account's settings cannot work (bad URL, http to a remote host, missing option)."""

    default_code = "configuration"
