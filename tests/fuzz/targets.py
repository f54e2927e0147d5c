"""Fuzz targets: one function per parser that reads hostile input, taking raw bytes.

The same functions run under atheris (coverage-guided, ``tests/fuzz/run.py``, for long runs)
and under Hypothesis (``tests/fuzz/test_targets.py``, a short budget in CI). A target returns
normally or raises the error its contract allows (a connector error for bad platform JSON);
anything else is a crash. Inputs that crashed are kept in ``tests/data/hostile/regressions``
and replayed on every run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cm_console.connectors import http
from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.connectors.discourse import connector as discourse_connector
from cm_console.connectors.discourse import normalize as discourse
from cm_console.connectors.engage import normalize as engage
from cm_console.connectors.errors import ConnectorError
from cm_console.connectors.matrix import api as matrix_api
from cm_console.connectors.matrix import timeline as matrix
from cm_console.connectors.mattermost import connector as mattermost
from cm_console.connectors.slack import connector as slack
from cm_console.connectors.slack.text import mrkdwn_to_text
from cm_console.connectors.teams import normalize as teams
from cm_console.connectors.zulip import connector as zulip
from cm_console.domain.model import Secret
from cm_console.reports.html import link_host, post_body_html, safe_href, sanitize_html
from cm_console.store.search import fts5_query, terms
from cm_console.sync.pull import UNREADABLE

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
Target = Callable[[bytes], None]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _json(data: bytes) -> Any:
    """A JSON value from the bytes when they parse, else the text itself (still hostile)."""
    try:
        return json.loads(data.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return _text(data)


SHAPE_ERRORS: dict[str, int] = {}
"""Payload shapes a normalizer refused with a Python error, by target and type (a figure)."""


def _expected(work: Callable[[], Any], target: str = "") -> None:
    # The contract for bad platform data: a connector error, or one of the shape errors the
    # pull engine reports on the account as unreadable data (sync.pull.UNREADABLE). Anything
    # else (recursion, memory, an assertion, a hang) is a crash.
    try:
        work()
    except ConnectorError:
        pass
    except UNREADABLE as exc:
        key = f"{target}:{type(exc).__name__}"
        SHAPE_ERRORS[key] = SHAPE_ERRORS.get(key, 0) + 1


# --- rendering ---------------------------------------------------------------------------------


def sanitizer(data: bytes) -> None:
    raw = _text(data)
    out = sanitize_html(raw)
    assert "<script" not in out.lower() and "<img" not in out.lower()
    post_body_html(raw, None)
    mrkdwn_to_text(raw)
    safe_href(raw)
    link_host(raw)


# --- search ------------------------------------------------------------------------------------

_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")


def search_query(data: bytes) -> None:
    query = _text(data)
    for term in terms(query):
        # A term is one quoted operand: no whitespace, NUL or lone surrogate can split or break it.
        assert term and not any(
            ch.isspace() or ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF for ch in term
        )
    match = fts5_query(query)
    if match is not None:
        _FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


# --- throttle signals --------------------------------------------------------------------------


def _response(headers: dict[str, str], status: int = 429) -> http.Response:
    return http.Response(status, headers, b"", "https://platform.example/api")


def throttle(data: bytes) -> None:
    value = _text(data).replace("\r", " ").replace("\n", " ")
    body = _json(data)
    delay = http.parse_retry_after(value)
    assert delay is None or http.timedelta(0) <= delay <= http.RETRY_AFTER_MAX
    http.clamp_delay(body)
    response = _response({"Retry-After": value, "X-Ratelimit-Reset": value})
    wrapped = [{"extras": {"wait_seconds": body}}, {"retry_after_ms": body}, body]
    wrapped.append({"code": "RATE_LIMIT_HIT", "retry-after": body})
    parsers: list[Callable[[http.Response, Any], Any]] = [
        http.retry_after_header,
        discourse_connector._throttle,
        mattermost.throttle,
        zulip.throttle,
        matrix_api.throttle,
    ]
    for parser in parsers:
        for payload in wrapped:
            delay = parser(response, payload)
            assert delay is None or http.timedelta(0) <= delay <= http.RETRY_AFTER_MAX


# --- platform payloads -------------------------------------------------------------------------


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {"value": value}


def discourse_payload(data: bytes) -> None:
    value = _json(data)
    site = "https://forum.example/"
    _expected(lambda: discourse.post(_obj(value), site))
    _expected(lambda: discourse.thread(_obj(value), site))
    _expected(lambda: discourse.person(_obj(value)))
    _expected(lambda: discourse.containers(value if isinstance(value, list) else [value], site))


def teams_payload(data: bytes) -> None:
    value = _obj(_json(data))
    _expected(lambda: teams.post_of(value, channel="c", root="r", is_root=True))
    _expected(lambda: teams.thread_of(value, team="t", channel="c"))
    _expected(lambda: teams.author_of(value))
    _expected(lambda: teams.body_of(value))


def engage_payload(data: bytes) -> None:
    value = _json(data)
    refs = engage.References()
    _expected(lambda: refs.add(value))
    _expected(lambda: engage.post_of(_obj(value), refs))
    _expected(lambda: engage.community_of(_obj(value)))
    _expected(lambda: engage.messages_of(value, "messages"))


def _connector(cls: Any, url: str, **options: str) -> Any:
    account = AccountConfig(name="fuzz", url=url, username="me@example.test", options=options)
    return cls(account, ConnectorContext(secret=Secret("fuzz"), clock=lambda: NOW))


_SLACK = _connector(slack.SlackConnector, "https://slack.example/api/")
_MATTERMOST = _connector(mattermost.MattermostConnector, "https://chat.example/")
_ZULIP = _connector(zulip.ZulipConnector, "https://zulip.example/")


def slack_payload(data: bytes) -> None:
    value = _obj(_json(data))
    _expected(lambda: _SLACK._post("C1", value))
    _expected(lambda: _SLACK._thread("C1", value))
    _expected(lambda: slack._person(value))


def mattermost_payload(data: bytes) -> None:
    value = _obj(_json(data))
    _expected(lambda: _MATTERMOST._post_of(value))
    _expected(lambda: mattermost.MattermostConnector._person(value))


def zulip_payload(data: bytes) -> None:
    value = _obj(_json(data))
    _expected(lambda: _ZULIP._post_of(value, {}, {}))
    _expected(lambda: zulip.ZulipConnector._person(value))


def matrix_payload(data: bytes) -> None:
    value = _obj(_json(data))
    _expected(lambda: matrix.to_post(value, "!r:x", "$root", edit=None, reactions=()))
    _expected(lambda: matrix.to_thread("!r:x", value, ()))
    _expected(lambda: matrix_api.MatrixSession.from_json(json.dumps(value)))


TARGETS: dict[str, Target] = {
    "sanitizer": sanitizer,
    "search_query": search_query,
    "throttle": throttle,
    "discourse": discourse_payload,
    "teams": teams_payload,
    "engage": engage_payload,
    "slack": slack_payload,
    "mattermost": mattermost_payload,
    "zulip": zulip_payload,
    "matrix": matrix_payload,
}
