"""The redacting log filter: no token reaches a handler, whatever shape it comes in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from cm_console import logs
from cm_console.logs import REDACTED, RedactingFilter, redact

TOKEN = "s3cr3t-T0ken-c4n4ry-8f2e9d"


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Bearer {TOKEN}",
        f"authorization=Basic {TOKEN}",
        f"headers={{'Authorization': 'Bearer {TOKEN}'}}",
        f'{{"access_token": "{TOKEN}", "expires_in": 3600}}',
        f"GET /api?access_token={TOKEN}&page=2",
        f"Api-Key: {TOKEN}",
        f"user-api-key={TOKEN}",
        f"password={TOKEN}",
        f"set-cookie: session={TOKEN}; Path=/",
        f"refresh_token: {TOKEN}",
        f"sent with bearer {TOKEN}",
        f"slack token xoxp-{TOKEN}",
        f"xoxb-{TOKEN} in a message",
        f"jwt eyJhbGciOi{TOKEN}.eyJzdWIiOiIx{TOKEN}.sig{TOKEN}",
        f"matrix syt_{TOKEN.replace('-', '_')}",
    ],
)
def test_credentials_are_redacted(text: str) -> None:
    out = redact(text)
    assert TOKEN not in out
    assert REDACTED in out


@pytest.mark.parametrize(
    "text",
    [
        "synced 12 pages for account acme",
        "the token expired; sign in again",
        "reset your password through the portal",
        "outbox 3f2a attempt 2: rate_limited (retryable)",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.fixture
def captured() -> Iterator[list[str]]:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect()
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield records
    logger.removeHandler(handler)


def test_arguments_are_redacted_too(captured: list[str]) -> None:
    logging.getLogger("tests.logs").info("request headers %s", {"Authorization": f"Bearer {TOKEN}"})
    assert len(captured) == 1
    assert TOKEN not in captured[0]
    assert "request headers" in captured[0]


def test_tracebacks_are_redacted(captured: list[str]) -> None:
    try:
        raise RuntimeError(f"server said: token={TOKEN}")
    except RuntimeError:
        logging.getLogger("tests.logs").exception("sync failed")
    assert len(captured) == 1
    assert "RuntimeError" in captured[0]
    assert "sync failed" in captured[0]
    assert TOKEN not in captured[0]


def test_a_malformed_record_is_still_logged(captured: list[str]) -> None:
    logging.getLogger("tests.logs").info("two %s %s", f"password={TOKEN}")  # noqa: PLE1206
    assert len(captured) == 1
    assert TOKEN not in captured[0]


def test_configure_writes_a_redacted_log_file(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        logs.configure(tmp_path / "logs", verbose=False)
        logging.getLogger("cm_console.tests").warning("calling with api_key=%s", TOKEN)
        for handler in root.handlers:
            handler.flush()
        text = (tmp_path / "logs" / "cm-console.log").read_text(encoding="utf-8")
    finally:
        for handler in root.handlers:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
        root.setLevel(level)
    assert "calling with api_key=" + REDACTED in text
    assert TOKEN not in text
