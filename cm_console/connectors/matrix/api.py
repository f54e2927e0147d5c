"""Matrix plumbing: the stored session, the throttle signal, error codes and transaction ids."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from cm_console.connectors.errors import (
    AuthError,
    ConnectorError,
    NotFound,
    PermanentError,
)
from cm_console.connectors.http import (
    Response,
    clamp_delay,
    retry_after_header,
)
from cm_console.domain.model import Secret

CLIENT_V3 = "_matrix/client/v3"
CLIENT_V1 = "_matrix/client/v1"
TXN_PREFIX = "cmc."


def q(value: str) -> str:
    """One path segment: room ids, event ids and user ids contain ``!``, ``$``, ``:`` and ``@``."""
    return quote(value, safe="")


def txn_id(op_id: str, purpose: str = "") -> str:
    """The transaction id of an outbox operation: the same op always gets the same id.

    The homeserver treats a request with a transaction id it saw before (same device, same
    path) as a retransmission and answers with the original event, so resending an operation
    whose first attempt may have landed never posts it twice.
    """
    return f"{TXN_PREFIX}{purpose}{op_id}"


@dataclass(frozen=True, slots=True)
class MatrixSession:
    """What the keyring holds for a Matrix account once signed in (serialized as JSON).

    A bare access token (``--login token``) is accepted as well; a password (``--option
    login=password``) is exchanged for a session on first use and never stored.
    """

    access_token: str
    user_id: str | None = None
    device_id: str | None = None
    refresh_token: str | None = None
    token_endpoint: str | None = None
    """Where an OAuth 2.0 refresh token is redeemed (OAuth sign-in only)."""
    client_id: str | None = None

    @classmethod
    def parse(cls, secret: Secret) -> MatrixSession | None:
        """The session in ``secret``; None when the secret is not a stored session."""
        text = secret.reveal().strip()
        if not text.startswith("{"):
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
            return None
        known = {
            k: str(v) for k, v in data.items() if k in cls.__dataclass_fields__ and v is not None
        }
        token = known.pop("access_token")
        return cls(token, **known)

    def to_secret(self) -> Secret:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        return Secret(json.dumps(data, sort_keys=True))

    def with_tokens(self, access_token: str, refresh_token: str | None) -> MatrixSession:
        return replace(self, access_token=access_token, refresh_token=refresh_token)


def session_from_login(answer: Any, **extra: str | None) -> MatrixSession:
    """The session from a ``/login`` (or OAuth token) answer."""
    if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
        raise AuthError("the homeserver did not hand out an access token", code="login_failed")
    return MatrixSession(
        access_token=answer["access_token"],
        user_id=answer.get("user_id"),
        device_id=answer.get("device_id"),
        refresh_token=answer.get("refresh_token"),
        **extra,
    )


def throttle(response: Response, body: Any) -> timedelta | None:
    """Matrix ``M_LIMIT_EXCEEDED``: the ``Retry-After`` header (spec v1.10+), else the
    deprecated ``retry_after_ms`` in the body, which older servers send alone."""
    header = retry_after_header(response, body)
    if header is not None:
        return header
    if isinstance(body, dict):
        ms = body.get("retry_after_ms")
        if isinstance(ms, int | float) and not isinstance(ms, bool):
            # Beyond 1e300 ms the division itself could overflow; the clamp gives the cap.
            return clamp_delay(ms / 1000 if abs(ms) < 1e300 else ms)
    return None


def error_hook(response: Response, body: Any) -> ConnectorError | None:
    """Matrix error codes (``errcode``) where the status alone says too little."""
    if response.status == 429 or not isinstance(body, dict):
        return None  # throttling (and non-Matrix answers) go through the shared handling
    errcode = body.get("errcode")
    if not isinstance(errcode, str):
        return None
    code = errcode.removeprefix("M_").lower()
    if errcode in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN"):
        soft = " (signed out; sign in again)" if body.get("soft_logout") else ""
        return AuthError(f"the homeserver refused the access token{soft}", code=code)
    if errcode == "M_FORBIDDEN" and response.status == 403:
        return PermanentError("the homeserver does not allow this (M_FORBIDDEN)", code=code)
    if errcode == "M_NOT_FOUND":
        return NotFound("not found on the homeserver (M_NOT_FOUND)", code=code)
    if response.status < 500 and response.status not in (401, 403):
        return PermanentError(f"the homeserver refused the request ({errcode})", code=code)
    return None


def new_state() -> str:
    return uuid.uuid4().hex
