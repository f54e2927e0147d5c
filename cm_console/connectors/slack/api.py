"""Slack Web API calls: every answer is checked for ``ok``, and ``ok:false`` errors are mapped.

Slack answers most failures with HTTP 200 and ``{"ok": false, "error": "…"}``, so the HTTP
status alone says nothing; :class:`SlackApi` checks ``ok`` on every call and raises the error
class the outbox needs, with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from cm_console.connectors import http
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    ConnectorError,
    MalformedResponse,
    NotFound,
    PermanentError,
    RateLimited,
    ServerBusy,
)

AUTH_ERRORS = {
    "invalid_auth": "Slack refused the token",
    "not_authed": "no Slack token was sent",
    "token_revoked": "the Slack token was revoked; sign in again",
    "token_expired": "the Slack token expired; sign in again",
    "account_inactive": "the Slack account is deactivated",
    "missing_scope": "the Slack app lacks a permission (scope) this needs; reinstall it",
    "no_permission": "the Slack token may not do this",
}
NOT_FOUND = {
    "channel_not_found": "the Slack channel does not exist or is not visible to you",
    "thread_not_found": "the Slack thread no longer exists",
    "message_not_found": "the Slack message no longer exists",
    "user_not_found": "no such Slack user",
    "users_not_found": "no such Slack user",
}
REFUSED = {
    "not_in_channel": "you are not a member of that Slack channel; join it first",
    "is_archived": "the Slack channel is archived",
    "msg_too_long": "the message is too long for Slack",
    "no_text": "the message is empty",
    "restricted_action": "the Slack workspace does not allow you to post there",
    "restricted_action_read_only_channel": "the Slack channel is read-only for you",
    "restricted_action_thread_only_channel": (
        "the Slack channel takes replies in threads only, not new messages"
    ),
    "cant_reply": "replies are not allowed in this Slack thread",
    "invalid_arguments": "Slack rejected the request's arguments",
    "invalid_metadata_format": "Slack rejected the message metadata",
    "invalid_name": "Slack does not know that emoji",
    "too_many_reactions": "that message has too many reactions",
}
MAYBE_APPLIED = {
    # Slack's own words: "it's possible some aspect of the operation succeeded".
    "internal_error": "Slack had an internal error",
    "fatal_error": "Slack had a fatal error",
}
TRANSIENT = {
    "service_unavailable": "Slack is temporarily unavailable",
    "request_timeout": "Slack did not receive the whole request",
    "team_added_to_org": "the Slack workspace is being migrated",
}


def slack_error(error: str, *, write: bool, retry_after: timedelta | None = None) -> ConnectorError:
    """The connector error for a Slack ``error`` code."""
    if error == "ratelimited":
        return RateLimited("Slack asks to slow down", retry_after=retry_after, code="ratelimited")
    if error in AUTH_ERRORS:
        return AuthError(AUTH_ERRORS[error], code=error)
    if error in NOT_FOUND:
        return NotFound(NOT_FOUND[error], code=error)
    if error in REFUSED:
        return PermanentError(REFUSED[error], code=error)
    if error in MAYBE_APPLIED:
        cls = AmbiguousError if write else ServerBusy
        return cls(MAYBE_APPLIED[error], code=error)
    if error in TRANSIENT:
        return ServerBusy(TRANSIENT[error], code=error)
    return PermanentError(f"Slack refused the request ({error[:60]})", code=error[:60] or "slack")


def _error_hook(response: http.Response, body: Any) -> ConnectorError | None:
    """Non-2xx answers that still carry Slack's ``error`` code (429 ``ratelimited``…)."""
    if isinstance(body, Mapping) and isinstance(body.get("error"), str):
        if response.status == 429:
            delay = http.retry_after_header(response, body)
            return RateLimited("Slack asks to slow down", retry_after=delay, code="ratelimited")
        if response.status >= 500:
            return None  # the client's own classification (retry reads, ambiguous writes)
        return slack_error(body["error"], write=False)
    return None


class SlackApi:
    """Slack Web API methods over the shared client.

    Args:
        client: the account's HTTP client (base URL ends with ``/api/``).
    """

    def __init__(self, client: http.HttpClient) -> None:
        self.http = client

    def _check(self, body: Any, method: str, *, write: bool, response: http.Response) -> Any:
        if not isinstance(body, Mapping):
            raise MalformedResponse(f"Slack {method}: the answer is not a JSON object")
        if body.get("ok") is True:
            return body
        error = body.get("error")
        if not isinstance(error, str):
            raise MalformedResponse(f"Slack {method}: the answer has neither ok nor error")
        raise slack_error(error, write=write, retry_after=http.retry_after_header(response, body))

    def read(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """A read method (GET with query parameters); retried by the client."""
        response = self.http.get(method, params)
        return self._check(response.json(), method, write=False, response=response)

    def write(self, method: str, body: Mapping[str, Any]) -> Any:
        """A write method (JSON POST), sent once; an unreadable 2xx may have been applied."""
        response = self.http.write("POST", method, json_body=dict(body))
        try:
            parsed = response.json()
        except MalformedResponse as exc:
            raise AmbiguousError(str(exc), code="malformed") from None
        return self._check(parsed, method, write=True, response=response)

    def form(self, method: str, data: Mapping[str, Any]) -> Any:
        """A form POST without credentials in the body (OAuth token exchange)."""
        response = self.http.write("POST", method, data=dict(data))
        return self._check(response.json(), method, write=True, response=response)

    def paged(self, method: str, params: Mapping[str, Any], key: str, limit: int) -> list[Any]:
        """Every item of a cursor-paginated method (``response_metadata.next_cursor``)."""
        items: list[Any] = []
        cursor = None
        seen: set[str] = set()
        while True:
            query = {**params, "limit": limit}
            if cursor:
                query["cursor"] = cursor
            body = self.read(method, query)
            page = body.get(key)
            if not isinstance(page, list):
                raise MalformedResponse(f"Slack {method}: no {key} list in the answer")
            items.extend(page)
            meta = body.get("response_metadata")
            cursor = meta.get("next_cursor") if isinstance(meta, Mapping) else None
            if not cursor or cursor in seen:
                return items
            seen.add(cursor)


error_hook = _error_hook
