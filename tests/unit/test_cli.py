"""The command line's own parsing: instants, snooze times and malformed options (exit code 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cm_console import cli
from cm_console.services.accounts import UsageError

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-11-28T12:00:00Z", datetime(2026, 11, 28, 12, 0, tzinfo=UTC)),
        ("2026-11-28T12:00:00", datetime(2026, 11, 28, 12, 0, tzinfo=UTC)),  # no offset: UTC
        ("2026-11-28T13:00:00+01:00", datetime(2026, 11, 28, 12, 0, tzinfo=UTC)),
        (" 2026-11-28 ", datetime(2026, 11, 28, 0, 0, tzinfo=UTC)),
    ],
)
def test_now_is_iso_8601_and_utc_without_an_offset(text: str, instant: datetime) -> None:
    assert cli.parse_args(["--now", text, "queue"]).now == instant


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("2h", timedelta(hours=2)),
        ("+90m", timedelta(minutes=90)),
        ("45 min", timedelta(minutes=45)),
        ("1.5d", timedelta(days=1, hours=12)),
        ("1W", timedelta(weeks=1)),
    ],
)
def test_snooze_durations(text: str, delta: timedelta) -> None:
    assert cli.parse_until(text, NOW) == NOW + delta


def test_snooze_instants() -> None:
    assert cli.parse_until("2026-12-01T08:00:00+01:00", NOW) == datetime(
        2026, 12, 1, 7, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["soon", "2 hours", "-2h", "99999999w", "1e9d", ""])
def test_bad_snooze_times_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="--until"):
        cli.parse_until(text, NOW)


@pytest.mark.parametrize(
    "argv",
    [
        ["--now", "2026-13-01", "queue"],
        ["queue", "--limit", "-1"],
        ["queue", "--limit", "ten"],
        ["queue", "--view", "bogus"],
        ["account", "add", "demo", "--name", "x", "--option", "novalue"],
        ["snooze", "1"],
        ["snooze", "1", "--until", "2h", "--until-reply"],
        ["frobnicate"],
    ],
)
def test_malformed_command_lines(argv: list[str]) -> None:
    with pytest.raises(cli.CliUsageError, match="see 'cm-console"):
        cli.parse_args(argv)


def test_options_are_key_value_pairs() -> None:
    args = cli.parse_args(
        ["account", "add", "demo", "--name", "x", "--option", "team = a,b", "--option", "k=v=w"]
    )
    assert args.option == [("team", "a,b"), ("k", "v=w")]
