"""Each platform's throttle signal and error dialect, parsed from recorded responses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    NotFound,
    PermanentError,
    RateLimited,
)
from cm_console.connectors.http import Response
from cm_console.connectors.matrix import api as matrix
from cm_console.connectors.matrix.text import html_to_text, message_content, message_text
from cm_console.connectors.mattermost import connector as mattermost
from cm_console.connectors.zulip import connector as zulip
from cm_console.domain.model import RemotePerson, Secret


def response(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Response:
    return Response(status, headers or {}, body, "https://hs.example/_matrix/client/v3/x")


def test_matrix_prefers_retry_after_and_falls_back_to_retry_after_ms() -> None:
    body = {"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests", "retry_after_ms": 1875}
    assert matrix.throttle(response(429, {"Retry-After": "2"}), body) == timedelta(seconds=2)
    assert matrix.throttle(response(429), body) == timedelta(milliseconds=1875)
    assert matrix.throttle(response(429), {"retry_after_ms": "soon"}) is None
    assert matrix.throttle(response(429), {"retry_after_ms": 10**12}) == timedelta(hours=6)


def test_matrix_errcodes() -> None:
    assert isinstance(matrix.error_hook(response(401), {"errcode": "M_UNKNOWN_TOKEN"}), AuthError)
    assert isinstance(matrix.error_hook(response(404), {"errcode": "M_NOT_FOUND"}), NotFound)
    refused = matrix.error_hook(response(400), {"errcode": "M_TOO_LARGE"})
    assert isinstance(refused, PermanentError) and refused.code == "too_large"
    assert matrix.error_hook(response(429), {"errcode": "M_LIMIT_EXCEEDED"}) is None


def test_matrix_transaction_id_is_stable_per_operation() -> None:
    assert matrix.txn_id("op-1") == matrix.txn_id("op-1") != matrix.txn_id("op-2")


def test_matrix_session_round_trip_and_bare_tokens() -> None:
    session = matrix.MatrixSession("tok", user_id="@a:hs", device_id="DEV")
    assert matrix.MatrixSession.parse(session.to_secret()) == session
    assert matrix.MatrixSession.parse(Secret("syt_plain_token")) is None
    assert "tok" not in repr(session.to_secret())


def test_matrix_bodies_and_mentions() -> None:
    text, rich = message_text(
        {
            "body": "> <@a:hs> vraag\n\nantwoord",
            "format": "org.matrix.custom.html",
            "formatted_body": "<mx-reply><blockquote>vraag</blockquote></mx-reply>antwoord",
        }
    )
    assert text == "antwoord" and rich is not None
    assert (
        html_to_text("<p>Hallo &amp; <b>welkom</b></p><p>tweede</p>") == "Hallo & welkom\n\ntweede"
    )
    sven = RemotePerson("@sven:hs", "@sven:hs", "Sven <Expert>")
    content = message_content("Sven <Expert> weet het.", [sven], lambda p: p.display_name)
    assert content["m.mentions"] == {"user_ids": ["@sven:hs"]}
    assert content["formatted_body"].startswith(
        '<a href="https://matrix.to/#/@sven:hs">Sven &lt;Expert&gt;</a>'
    )
    plain = message_content("Geen vermelding.", [], lambda p: p.display_name)
    assert plain == {"msgtype": "m.text", "body": "Geen vermelding.", "m.mentions": {}}


def test_mattermost_reset_is_seconds_until_and_plain_text_429() -> None:
    headers = {"X-Ratelimit-Reset": "7", "Retry-After": "99", "X-Ratelimit-Remaining": "0"}
    assert mattermost.throttle(response(429, headers, b"limit exceeded\n"), None) == timedelta(
        seconds=7
    )
    assert mattermost.throttle(response(429, {"Retry-After": "3"}), None) == timedelta(seconds=3)
    assert mattermost.error_hook(response(429, body=b"limit exceeded"), None) is None
    pending = mattermost.error_hook(
        response(500), {"id": "api.post.deduplicate_create_post.pending"}
    )
    # The first copy exists, still being saved: ambiguous, asked again with the same id.
    assert isinstance(pending, AmbiguousError) and pending.retry_after is not None
    assert isinstance(
        mattermost.error_hook(response(401), {"id": "api.context.session_expired.app_error"}),
        AuthError,
    )


@pytest.mark.parametrize("msg", ["API usage exceeded rate limit", "API-gebruik boven de limiet"])
def test_zulip_reads_the_code_and_retry_after(msg: str) -> None:
    body = {"result": "error", "msg": msg, "code": "RATE_LIMIT_HIT", "retry-after": 2.5}
    assert zulip.throttle(response(429), body) == timedelta(seconds=2.5)
    assert zulip.error_hook(response(429), body) is None
    odd = zulip.error_hook(response(400), body)
    assert isinstance(odd, RateLimited) and odd.retry_after == timedelta(seconds=2.5)
    # The same words without the code are not throttling.
    assert not isinstance(
        zulip.error_hook(response(400), {"result": "error", "msg": msg, "code": "BAD_REQUEST"}),
        RateLimited,
    )
    assert isinstance(
        zulip.error_hook(response(401), {"result": "error", "msg": "x", "code": "UNAUTHORIZED"}),
        AuthError,
    )
