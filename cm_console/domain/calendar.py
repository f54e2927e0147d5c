"""Business hours: adding and measuring time that counts for the first-response target.

Windows are computed on local wall-clock dates in the account's IANA zone and only then turned
into UTC, so a DST change moves the window with the clock instead of shifting it by an hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cm_console.domain.model import utc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(r"^(?P<days>[a-z,\-\s]+?)\s+(?P<start>\d\d:\d\d)\s*-\s*(?P<end>\d\d:\d\d)$")
_MAX_DAYS = 3700  # ten years of calendar; beyond that a target is meaningless


class CalendarError(ValueError):
    """A business-hours specification or time zone that cannot be used."""


def zone(name: str) -> tzinfo:
    """The IANA zone ``name``; raises :class:`CalendarError` when it is unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"unknown time zone {name!r}") from exc


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            first, last = (p.strip() for p in part.split("-", 1))
            a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
            span = range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)]
            days.update(span)
        else:
            days.add(WEEKDAYS.index(part))
    return frozenset(days)


def _minutes(text: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(text)
    return hours * 60 + minutes


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Weekly business hours in one time zone, e.g. Monday to Friday 09:00–17:00."""

    days: frozenset[int]
    start_minute: int
    end_minute: int
    tz: tzinfo

    @classmethod
    def parse(cls, spec: str, tz: tzinfo) -> BusinessHours:
        """Parse ``"mon-fri 09:00-17:00"`` (day lists like ``"mon,wed-fri"`` work too)."""
        match = _SPEC.match(" ".join(spec.lower().split()))
        if match is None:
            raise CalendarError(f"business hours {spec!r}: expected e.g. 'mon-fri 09:00-17:00'")
        try:
            days = _parse_days(match["days"])
            start, end = _minutes(match["start"]), _minutes(match["end"])
        except ValueError as exc:
            raise CalendarError(f"business hours {spec!r}: {exc}") from exc
        if start >= end:
            raise CalendarError(f"business hours {spec!r}: the day must end after it starts")
        return cls(days, start, end, tz)

    def _wall(self, day: date, minute: int) -> datetime:
        if minute >= 24 * 60:
            day, minute = day + timedelta(days=1), minute - 24 * 60
        wall = datetime.combine(day, time(minute // 60, minute % 60))
        instant = wall.replace(tzinfo=self.tz).astimezone(UTC)
        if instant.astimezone(self.tz).replace(tzinfo=None) == wall:
            return instant
        # A spring-forward gap: this wall time never shows on the clock. Business time starts
        # (or ends) at the jump, the first second the clock reads ``wall`` or later. Mapped with
        # the offset after the jump (fold=1) the wall time lies before it, with the offset before
        # (fold=0) after it; the jump is found between the two.
        lo = int(wall.replace(tzinfo=self.tz, fold=1).timestamp())
        hi = int(instant.timestamp())
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if datetime.fromtimestamp(mid, self.tz).replace(tzinfo=None) >= wall:
                hi = mid
            else:
                lo = mid
        return datetime.fromtimestamp(hi, UTC)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC start and end of business time on local date ``day``, or None if closed."""
        if day.weekday() not in self.days:
            return None
        return self._wall(day, self.start_minute), self._wall(day, self.end_minute)

    def add(self, start: datetime, hours: float) -> datetime:
        """The instant ``hours`` business hours after ``start`` (UTC)."""
        start = utc(start)
        remaining = timedelta(hours=hours)
        if remaining <= timedelta(0):
            return start
        if not self.days:
            return start + remaining
        cursor = start
        day = start.astimezone(self.tz).date()
        for _ in range(_MAX_DAYS):
            span = self.window(day)
            if span is not None and span[1] > cursor:
                begin = max(cursor, span[0])
                available = span[1] - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
                cursor = span[1]
            day += timedelta(days=1)
        return cursor + remaining

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between ``start`` and ``end`` (zero when ``end`` is not later)."""
        start, end = utc(start), utc(end)
        if end <= start:
            return timedelta(0)
        if not self.days:
            return end - start
        total = timedelta(0)
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            span = self.window(day)
            if span is not None:
                lo, hi = max(start, span[0]), min(end, span[1])
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total
