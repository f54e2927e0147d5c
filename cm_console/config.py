"""Typed settings, declared once (key, type, default, help), and the paths a profile uses.

Every setting that matters to triage is declared here and stored in the database (per account,
overridable per container), so SQL and team mode see the same values. Window state and language
live in the UI's own settings file inside the profile.
"""

from __future__ import annotations

import enum
import math
import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs

APP_NAME = "cm-console"
ENV_DB = "CM_CONSOLE_DB"
ENV_PROFILE = "CM_CONSOLE_PROFILE"

T = TypeVar("T")


class Scope(enum.Enum):
    """Where a setting may be set."""

    APP = "app"
    ACCOUNT = "account"
    CONTAINER = "container"


class SettingError(ValueError):
    """A setting value that does not parse; the message names the key and the expected form."""


MAX_HOURS = 24 * 3650.0
"""Ten years: longer thresholds mean nothing, and deadlines must stay within the calendar."""
MAX_DAYS = 3650.0


def _parse_float(raw: str, maximum: float = MAX_HOURS) -> float:
    value = float(raw)
    if not math.isfinite(value) or not 0 <= value <= maximum:
        raise ValueError(raw)
    return value


def _parse_days(raw: str) -> float:
    return _parse_float(raw, MAX_DAYS)


def _parse_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError(raw)
    return value


def _parse_optional_float(raw: str) -> float | None:
    if raw.strip().lower() in {"", "auto"}:
        return None
    return _parse_float(raw)


def _parse_handles(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.strip().lstrip("@") for h in raw.split(",") if h.strip()))


_BUSINESS_HOURS = re.compile(
    r"^\s*(mon|tue|wed|thu|fri|sat|sun)(\s*-\s*(mon|tue|wed|thu|fri|sat|sun))?"
    r"(\s*,\s*(mon|tue|wed|thu|fri|sat|sun)(\s*-\s*(mon|tue|wed|thu|fri|sat|sun))?)*"
    r"\s+(?P<start>([01]\d|2[0-3]):[0-5]\d)"
    r"\s*-\s*(?P<end>([01]\d|2[0-3]):[0-5]\d|24:00)\s*$",
    re.IGNORECASE,
)


def _parse_business_hours(raw: str) -> str:
    match = _BUSINESS_HOURS.match(raw)
    # "HH:MM" strings compare in time order; a day must end after it starts.
    if not match or match["start"] >= match["end"]:
        raise ValueError(raw)
    return " ".join(raw.lower().split())


def _parse_timezone(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        return raw
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", raw):
        raise ValueError(raw)
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(raw) from exc
    return raw


def _format_handles(value: tuple[str, ...]) -> str:
    return ",".join(value)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One declared setting: its key, parser, default and help text."""

    key: str
    parse_raw: Callable[[str], T]
    default: T
    help: str
    scopes: frozenset[Scope]
    form: str
    format_value: Callable[[T], str] = field(default=str)

    def parse(self, raw: str) -> T:
        """Parse a textual value (from the command line or the database)."""
        try:
            return self.parse_raw(raw)
        except (ValueError, TypeError) as exc:
            raise SettingError(f"{self.key}: expected {self.form}, got {raw!r}") from exc

    def format(self, value: T) -> str:
        """Render a value in the textual form :meth:`parse` accepts."""
        if value is None:
            return "auto"
        return self.format_value(value)


_THRESHOLD = frozenset({Scope.ACCOUNT, Scope.CONTAINER})
_ACCOUNT = frozenset({Scope.ACCOUNT})
_APP = frozenset({Scope.APP})

UNANSWERED_AFTER_HOURS: Setting[float] = Setting(
    "unanswered_after_hours",
    _parse_float,
    2.0,
    "A root post without a qualifying reply enters the queue after this many hours.",
    _THRESHOLD,
    "a number of hours (at most 87600)",
)
STALLED_AFTER_HOURS: Setting[float | None] = Setting(
    "stalled_after_hours",
    _parse_optional_float,
    None,
    "A discussion that ended on an open question is stalled after this many quiet hours "
    "(auto: 72 on forum-like platforms, 24 on chat).",
    _THRESHOLD,
    "a number of hours (at most 87600) or 'auto'",
)
ABANDONED_AFTER_DAYS: Setting[float] = Setting(
    "abandoned_after_days",
    _parse_days,
    30.0,
    "Threads quiet for this many days leave the queue and count as abandoned.",
    _THRESHOLD,
    "a number of days (at most 3650)",
)
SLA_HOURS: Setting[float] = Setting(
    "sla_hours",
    _parse_float,
    4.0,
    "First-response target in business hours; it drives priority and colour.",
    _THRESHOLD,
    "a number of business hours (at most 87600)",
)
BUSINESS_HOURS: Setting[str] = Setting(
    "business_hours",
    _parse_business_hours,
    "mon-fri 09:00-17:00",
    "Days and hours that count for the first-response target.",
    _THRESHOLD,
    "days and hours like 'mon-fri 09:00-17:00'",
)
TIMEZONE: Setting[str] = Setting(
    "timezone",
    _parse_timezone,
    "",
    "IANA time zone for business hours and charts (empty: the computer's zone).",
    _THRESHOLD,
    "an IANA time zone such as 'Europe/Amsterdam'",
)
TEAM: Setting[tuple[str, ...]] = Setting(
    "team",
    _parse_handles,
    (),
    "Handles counted as the community team ('us') besides the account's own user.",
    _ACCOUNT,
    "comma-separated handles",
    _format_handles,
)
PROMPT_FOLLOW_UP_HOURS: Setting[float] = Setting(
    "prompt_follow_up_hours",
    _parse_float,
    24.0,
    "A prompted colleague who has not answered after this many hours brings the item back "
    "with the next step (a direct message, then another expert or the community owner).",
    _THRESHOLD,
    "a number of hours",
)
PROMPT_LIMIT_PER_DAY: Setting[int] = Setting(
    "prompt_limit_per_day",
    _parse_int,
    3,
    "At most this many prompts to the same colleague per day, so the console never spams.",
    _ACCOUNT,
    "a whole number",
)
OWNER: Setting[str] = Setting(
    "owner",
    lambda raw: raw.strip().lstrip("@"),
    "",
    "The community owner's handle: the last step of the nudge ladder.",
    frozenset({Scope.CONTAINER}),
    "a handle",
)
SYNC_INTERVAL_MINUTES: Setting[int] = Setting(
    "sync_interval_minutes",
    _parse_int,
    5,
    "How often the window pulls new activity in the background (0: only on demand).",
    _APP,
    "a whole number of minutes",
)
OUTBOX_MAX_ATTEMPTS: Setting[int] = Setting(
    "outbox_max_attempts",
    _parse_int,
    8,
    "Send attempts before an operation needs attention.",
    _APP,
    "a whole number",
)

ACCOUNT_SETTINGS: tuple[Setting[Any], ...] = (
    UNANSWERED_AFTER_HOURS,
    STALLED_AFTER_HOURS,
    ABANDONED_AFTER_DAYS,
    SLA_HOURS,
    BUSINESS_HOURS,
    TIMEZONE,
    TEAM,
    PROMPT_FOLLOW_UP_HOURS,
    PROMPT_LIMIT_PER_DAY,
    OWNER,
)
APP_SETTINGS: tuple[Setting[Any], ...] = (SYNC_INTERVAL_MINUTES, OUTBOX_MAX_ATTEMPTS)
ALL_SETTINGS: Mapping[str, Setting[Any]] = {s.key: s for s in (*ACCOUNT_SETTINGS, *APP_SETTINGS)}


def parse_options(raw: Mapping[str, str], scope: Scope) -> dict[str, Any]:
    """Parse ``KEY=VALUE`` options for ``scope`` into typed values.

    Unknown keys are returned untouched so connectors can take their own options
    (``auth=user_api_key``, ``tenant=…``); the caller decides whether those are allowed.
    """
    out: dict[str, Any] = {}
    for key, value in raw.items():
        setting = ALL_SETTINGS.get(key)
        if setting is None:
            out[key] = value
            continue
        if scope not in setting.scopes:
            raise SettingError(f"{key} cannot be set per {scope.value}")
        out[key] = setting.parse(value)
    return out


def effective(values: Mapping[str, Any], setting: Setting[T]) -> T:
    """The value of ``setting`` in ``values``, or its default."""
    if setting.key in values:
        return values[setting.key]  # type: ignore[no-any-return]
    return setting.default


@dataclass(frozen=True)
class Paths:
    """Where a profile keeps its database, logs, caches and UI settings."""

    profile: Path

    @property
    def database(self) -> Path:
        return self.profile / "cm-console.sqlite3"

    @property
    def demo_database(self) -> Path:
        return self.profile / "demo" / "demo.sqlite3"

    @property
    def backups(self) -> Path:
        return self.profile / "backups"

    @property
    def logs(self) -> Path:
        return self.profile / "logs"

    @property
    def cache(self) -> Path:
        return self.profile / "cache"

    @property
    def ui_settings(self) -> Path:
        return self.profile / "ui-settings.ini"


def system_timezone_name(environ: Mapping[str, str] | None = None) -> str:
    """The computer's IANA zone name, or ``""`` (taken as UTC) when it cannot be told."""
    env = os.environ if environ is None else environ
    tz = env.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    try:
        parts = Path("/etc/localtime").resolve().parts
    except OSError:
        return ""
    if "zoneinfo" in parts:
        return "/".join(parts[parts.index("zoneinfo") + 1 :])
    return ""


def default_profile_dir() -> Path:
    """The per-user data directory (``~/.local/share/cm-console`` on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resolve_paths(profile: str | None, environ: Mapping[str, str] | None = None) -> Paths:
    """Paths from ``--profile``, else ``CM_CONSOLE_PROFILE``, else the user data directory."""
    env = os.environ if environ is None else environ
    chosen = profile or env.get(ENV_PROFILE) or None
    return Paths(Path(chosen).expanduser() if chosen else default_profile_dir())


def resolve_database_url(db: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The database URL from ``--db`` or ``CM_CONSOLE_DB``; None means the profile's SQLite file.

    A bare filesystem path is accepted and turned into a SQLite URL.
    """
    env = os.environ if environ is None else environ
    chosen = db or env.get(ENV_DB) or None
    if chosen is None:
        return None
    if "://" not in chosen:
        return "sqlite:///" + str(Path(chosen).expanduser().resolve())
    return chosen
