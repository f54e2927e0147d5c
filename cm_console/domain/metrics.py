"""Dialogue-health metrics: the definitions, on compact aggregates (``docs/insights.md``).

The store sums per-thread facts in SQL into a few thousand rows (per community and period
bucket); everything here is pure arithmetic on those sums, plus the few things SQL cannot do
portably: percentiles, business-hours durations, the user's time zone for the heatmap, and how
concentrated answering is on a few people.

Populations, in one place (the docs explain why):

- An **eligible root** is a thread start in the period whose root post is stored, not deleted,
  not by a bot, and old enough to judge (its ``unanswered_after`` has passed at ``now``).
- **Team roots** are posted by the communication team ("us"); **employee roots** by anyone else.
- Response times, the unanswered rate and loop closure are about **employee roots**: they measure
  how the organisation answers its people. The dialogue ratio is given for both.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from cm_console.domain.calendar import BusinessHours
from cm_console.domain.model import utc

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS

TOP_RESPONDER_FRACTION = 0.2
"""Responder load: the share of qualifying replies written by the top 20 % of responders."""

BROADCAST_MIN_ROOTS = 5
"""A broadcast-only community has at least this many eligible roots in the period…"""
BROADCAST_TEAM_SHARE = 0.8
"""…and at least this share of its roots posted by the team…"""
BROADCAST_MAX_DIALOGUE = 0.5
"""…and fewer than this share of the team's roots got a qualifying reply."""


class Granularity(enum.StrEnum):
    """The width of a bucket in a time series (in the user's time zone)."""

    WEEK = "week"
    """Monday 00:00 to Monday 00:00."""
    MONTH = "month"
    """The 1st 00:00 to the 1st of the next month."""


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bucket:
    """One step of a time series: ``[start, end)`` in UTC, labelled by its local first day."""

    start: datetime
    end: datetime
    label: date


def _next_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.WEEK:
        return day + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def buckets(since: datetime, until: datetime, granularity: Granularity, tz: tzinfo) -> list[Bucket]:
    """The buckets covering ``[since, until)``; the first and last are clipped to the period.

    Bucket edges are local midnights (Monday, or the 1st of the month) in ``tz``, so a DST change
    does not shift a week by an hour.
    """
    since, until = utc(since), utc(until)
    if until <= since:
        return []
    local = since.astimezone(tz).date()
    day = (
        local - timedelta(days=local.weekday())
        if granularity is Granularity.WEEK
        else local.replace(day=1)
    )
    out: list[Bucket] = []
    while True:
        start = _local_midnight(day, tz)
        following = _next_start(day, granularity)
        end = _local_midnight(following, tz)
        if start >= until:
            break
        out.append(Bucket(max(start, since), min(end, until), day))
        day = following
    return out


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """Local midnight of ``day`` in ``tz``, as a UTC instant (``report --since DATE``)."""
    return _local_midnight(day, tz)


# --- business time ---------------------------------------------------------------------------


class BusinessClock:
    """Business hours between many pairs of instants, fast: a cumulative table of the windows.

    ``BusinessHours.elapsed`` walks the calendar day by day, which is right but costs tens of
    microseconds per pair; a year of threads has ~100k pairs. This table holds every business
    window of ``[start, end]`` (from ``BusinessHours.window``) with the business time before it,
    so each duration is two binary searches. Outside the table it falls back to ``elapsed``; a
    property test keeps both in step.
    """

    def __init__(self, hours: BusinessHours, start: datetime, end: datetime) -> None:
        self.hours = hours
        self._always = not hours.days
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._before: list[int] = []
        if self._always:
            return
        day = utc(start).astimezone(hours.tz).date() - timedelta(days=1)
        last = utc(end).astimezone(hours.tz).date() + timedelta(days=1)
        total = 0
        while day <= last:
            span = hours.window(day)
            if span is not None:
                lo, hi = _ms(span[0]), _ms(span[1])
                self._starts.append(lo)
                self._ends.append(hi)
                self._before.append(total)
                total += hi - lo
            day += timedelta(days=1)
        self._lo = _ms(utc(start)) - DAY_MS
        self._hi = _ms(utc(end)) + DAY_MS

    def elapsed_ms(self, start_ms: int, end_ms: int) -> int:
        """Business milliseconds between two instants (zero when ``end`` is not later)."""
        if end_ms <= start_ms:
            return 0
        if self._always:
            return end_ms - start_ms
        if start_ms < self._lo or end_ms > self._hi:
            delta = self.hours.elapsed(_dt(start_ms), _dt(end_ms))
            return int(delta.total_seconds() * 1000)
        starts, ends, before = self._starts, self._ends, self._before
        # Business time from the table's start to each instant; the difference is the answer.
        i = bisect_right(starts, end_ms) - 1
        j = bisect_right(starts, start_ms) - 1
        at_end = before[i] + min(end_ms, ends[i]) - starts[i] if i >= 0 else 0
        at_start = before[j] + min(start_ms, ends[j]) - starts[j] if j >= 0 else 0
        return at_end - at_start

    def elapsed_hours(self, start_ms: int, end_ms: int) -> float:
        return self.elapsed_ms(start_ms, end_ms) / HOUR_MS

    def elapsed_hours_array(self, start_ms: Any, end_ms: Any) -> Any:
        """:meth:`elapsed_ms` for numpy arrays of instants, in hours (one pass, no Python loop
        except for pairs outside the table)."""
        import numpy as np  # noqa: PLC0415 - only the insights need numpy

        start = np.asarray(start_ms, dtype=np.int64)
        end = np.asarray(end_ms, dtype=np.int64)
        if self._always:
            return np.maximum(end - start, 0) / HOUR_MS
        out = np.zeros(len(start), dtype=np.float64)
        if self._starts:
            starts = np.asarray(self._starts, dtype=np.int64)
            ends = np.asarray(self._ends, dtype=np.int64)
            before = np.asarray(self._before, dtype=np.int64)

            def cumulative(at: Any) -> Any:
                i = np.searchsorted(starts, at, side="right") - 1
                j = np.clip(i, 0, None)
                return np.where(i >= 0, before[j] + np.minimum(at, ends[j]) - starts[j], 0)

            out = np.where(end > start, cumulative(end) - cumulative(start), 0) / HOUR_MS
        outside = (start < self._lo) | (end > self._hi)
        for k in np.nonzero(outside)[0]:
            out[k] = self.elapsed_hours(int(start[k]), int(end[k]))
        return out


def _ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def _dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


# --- statistics ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) with linear interpolation between closest ranks.

    The same rule as numpy's default (Hyndman & Fan type 7); ``values`` need not be sorted.
    None for an empty sample.
    """
    return _sorted_percentile(sorted(values), q)


def _sorted_percentile(ordered: Sequence[float], q: float) -> float | None:
    if not ordered:
        return None
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * min(max(q, 0.0), 100.0) / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def gini(values: Sequence[int]) -> float | None:
    """The Gini coefficient of non-negative ``values``: 0 when everyone answers equally often,
    towards 1 when one person answers everything. None without any reply."""
    total = sum(values)
    n = len(values)
    if n == 0 or total <= 0:
        return None
    ordered = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def top_share(values: Sequence[int], fraction: float = TOP_RESPONDER_FRACTION) -> float | None:
    """The share of the total held by the top ``fraction`` of people (at least one person)."""
    total = sum(values)
    if not values or total <= 0:
        return None
    top = max(1, math.ceil(len(values) * fraction))
    return sum(sorted(values, reverse=True)[:top]) / total


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- thread-level sums -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Additive sums over eligible roots: any grouping is the sum of its parts.

    Attributes:
        roots: eligible roots.
        team_roots: …of which posted by the team.
        answered: roots with at least one qualifying reply.
        team_answered: team roots with at least one qualifying reply.
        employee_unanswered: employee roots without a qualifying reply, and not resolved/closed.
        employee_closed: employee roots resolved (accepted answer, ✔) or closed on the platform.
        replies: qualifying replies on all roots.
        responders: distinct people who replied, summed over answered roots.
        turns: back-and-forth turns, summed over answered roots.
    """

    roots: int = 0
    team_roots: int = 0
    answered: int = 0
    team_answered: int = 0
    employee_unanswered: int = 0
    employee_closed: int = 0
    replies: int = 0
    responders: int = 0
    turns: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.roots + other.roots,
            self.team_roots + other.team_roots,
            self.answered + other.answered,
            self.team_answered + other.team_answered,
            self.employee_unanswered + other.employee_unanswered,
            self.employee_closed + other.employee_closed,
            self.replies + other.replies,
            self.responders + other.responders,
            self.turns + other.turns,
        )

    @property
    def employee_roots(self) -> int:
        return self.roots - self.team_roots

    @property
    def employee_answered(self) -> int:
        return self.answered - self.team_answered

    @property
    def dialogue_ratio(self) -> float | None:
        """Roots that got a qualifying reply, whoever posted them."""
        return _ratio(self.answered, self.roots)

    @property
    def dialogue_ratio_team(self) -> float | None:
        """Team roots (posts by the communication team) that got a qualifying reply."""
        return _ratio(self.team_answered, self.team_roots)

    @property
    def dialogue_ratio_employees(self) -> float | None:
        """Employee roots that got a qualifying reply."""
        return _ratio(self.employee_answered, self.employee_roots)

    @property
    def unanswered_rate(self) -> float | None:
        """Employee roots left without a qualifying reply (and not resolved or closed)."""
        return _ratio(self.employee_unanswered, self.employee_roots)

    @property
    def loop_closure_rate(self) -> float | None:
        """Employee roots that ended resolved (accepted answer, ✔) or closed."""
        return _ratio(self.employee_closed, self.employee_roots)

    @property
    def replies_per_root(self) -> float | None:
        return _ratio(self.replies, self.roots)

    @property
    def responders_per_thread(self) -> float | None:
        """Distinct responders per answered root."""
        return _ratio(self.responders, self.answered)

    @property
    def depth(self) -> float | None:
        """Back-and-forth turns per answered root."""
        return _ratio(self.turns, self.answered)

    @property
    def team_root_share(self) -> float | None:
        return _ratio(self.team_roots, self.roots)

    @property
    def broadcast_only(self) -> bool:
        """The community mostly hears from the team, and the team mostly hears nothing back."""
        share = self.team_root_share
        team_dialogue = self.dialogue_ratio_team
        return (
            self.roots >= BROADCAST_MIN_ROOTS
            and share is not None
            and share >= BROADCAST_TEAM_SHARE
            and team_dialogue is not None
            and team_dialogue < BROADCAST_MAX_DIALOGUE
        )


# --- response times --------------------------------------------------------------------------


@dataclass(slots=True)
class ResponseSample:
    """Business-hour response times of employee roots, collected for one grouping."""

    anyone: list[float] = field(default_factory=list)
    """Hours from the root to its first qualifying reply (answered roots)."""
    team: list[float] = field(default_factory=list)
    """Hours from the root to the team's first qualifying reply (roots the team answered)."""
    within_sla: int = 0
    """Roots whose first qualifying reply came within the first-response target."""

    def add(self, anyone: float, team: float | None, sla_hours: float) -> None:
        self.anyone.append(anyone)
        if team is not None:
            self.team.append(team)
        if anyone <= sla_hours:
            self.within_sla += 1

    def extend(self, other: ResponseSample) -> None:
        self.anyone.extend(other.anyone)
        self.team.extend(other.team)
        self.within_sla += other.within_sla


@dataclass(frozen=True, slots=True)
class Summary:
    """Every metric of one grouping (overall, an account, a community or a bucket)."""

    counts: Counts
    median_hours: float | None = None
    p90_hours: float | None = None
    team_median_hours: float | None = None
    team_p90_hours: float | None = None
    within_sla_rate: float | None = None
    """Employee roots answered within the first-response target, among all employee roots."""

    @classmethod
    def of(cls, counts: Counts, sample: ResponseSample | None) -> Summary:
        sample = sample or ResponseSample()
        anyone, team = sorted(sample.anyone), sorted(sample.team)
        return cls(
            counts=counts,
            median_hours=_sorted_percentile(anyone, 50),
            p90_hours=_sorted_percentile(anyone, 90),
            team_median_hours=_sorted_percentile(team, 50),
            team_p90_hours=_sorted_percentile(team, 90),
            within_sla_rate=_ratio(sample.within_sla, counts.employee_roots),
        )


class ResponseTimes:
    """Response times of answered employee roots in their community's business hours, as
    arrays, so any grouping (community, step, account, all) is a mask and a percentile."""

    def __init__(
        self,
        responses: Responses,
        calendars: Mapping[int, Calendar],
        since: datetime,
        now: datetime,
    ) -> None:
        import numpy as np  # noqa: PLC0415 - only the insights need numpy

        self._np = np
        self.container = np.asarray(responses.container_ids, dtype=np.int64)
        self.bucket = np.asarray(responses.buckets, dtype=np.int64)
        root = np.asarray(responses.root_at, dtype=np.int64)
        first = np.asarray(responses.first_reply_at, dtype=np.int64)
        team = np.asarray(responses.first_team_reply_at, dtype=np.int64)
        n = len(root)
        self.anyone = np.full(n, np.nan)
        self.team = np.full(n, np.nan)
        sla = np.full(n, np.nan)
        by_hours: dict[BusinessHours, list[int]] = {}
        for container_id, calendar in calendars.items():
            by_hours.setdefault(calendar.hours, []).append(container_id)
            sla[self.container == container_id] = calendar.sla_hours
        for hours, container_ids in by_hours.items():
            rows = np.isin(self.container, container_ids)
            if not rows.any():
                continue
            clock = BusinessClock(hours, since, now)
            self.anyone[rows] = clock.elapsed_hours_array(root[rows], first[rows])
            answered_by_team = rows & (team >= 0)
            self.team[answered_by_team] = clock.elapsed_hours_array(
                root[answered_by_team], team[answered_by_team]
            )
        self.within = self.anyone <= sla  # NaN compares False

    def rows_of_containers(self, container_ids: Iterable[int]) -> Any:
        ids = list(container_ids)
        if len(ids) == 1:
            return self.container == ids[0]
        return self._np.isin(self.container, ids)

    def rows_of_bucket(self, bucket: int) -> Any:
        return self.bucket == bucket

    def summary(self, counts: Counts, rows: Any = None) -> Summary:
        """The summary of ``counts`` with the response times of ``rows`` (a mask; all if None)."""
        np = self._np
        anyone = self.anyone if rows is None else self.anyone[rows]
        team = self.team if rows is None else self.team[rows]
        within = self.within if rows is None else self.within[rows]
        anyone = anyone[~np.isnan(anyone)]
        team = team[~np.isnan(team)]

        def pct(values: Any, q: float) -> float | None:
            # numpy's default "linear" method is the same rule as :func:`percentile`.
            return float(np.percentile(values, q)) if len(values) else None

        return Summary(
            counts=counts,
            median_hours=pct(anyone, 50),
            p90_hours=pct(anyone, 90),
            team_median_hours=pct(team, 50),
            team_p90_hours=pct(team, 90),
            within_sla_rate=_ratio(int(within.sum()), counts.employee_roots),
        )


# --- activity heatmap ------------------------------------------------------------------------

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Heatmap = tuple[tuple[int, ...], ...]
"""Seven rows (Monday first) of 24 hourly counts, in the user's time zone."""


def heatmap(hour_counts: Iterable[tuple[int, int]], tz: tzinfo) -> Heatmap:
    """Fold counts per UTC hour (hours since the epoch) into weekday × hour in ``tz``.

    Zones with a half-hour offset put each UTC hour in the local hour it starts in.
    """
    grid = [[0] * 24 for _ in range(7)]
    offsets: dict[int, int | None] = {}
    for hour, count in hour_counts:
        # One zone lookup per UTC day: the local hour is a shift of the UTC hour unless a DST
        # change falls inside that day (then each hour is converted on its own).
        day = hour // 24
        if day not in offsets:
            first = datetime.fromtimestamp(day * 86400, tz=tz).utcoffset()
            last = datetime.fromtimestamp(day * 86400 + 86399, tz=tz).utcoffset()
            offsets[day] = (
                int(first.total_seconds()) if first is not None and first == last else None
            )
        offset = offsets[day]
        if offset is not None and offset % 3600 == 0:
            shifted = hour + offset // 3600
            weekday, local_hour = (shifted // 24 + 3) % 7, shifted % 24  # 1970-01-01: Thursday
        else:
            local = datetime.fromtimestamp(hour * 3600, tz=tz)
            weekday, local_hour = local.weekday(), local.hour
        grid[weekday][local_hour] += count
    return tuple(tuple(row) for row in grid)


def busiest_slots(grid: Heatmap, count: int = 3) -> list[tuple[int, int, int]]:
    """The ``count`` busiest (weekday, hour, posts), busiest first; ties by weekday and hour."""
    cells = [(grid[d][h], d, h) for d in range(7) for h in range(24) if grid[d][h] > 0]
    cells.sort(key=lambda c: (-c[0], c[1], c[2]))
    return [(d, h, n) for n, d, h in cells[:count]]


def suggest_time(
    grid: Heatmap, now: datetime, tz: tzinfo, *, lead: timedelta = timedelta(hours=1)
) -> datetime | None:
    """When to post a conversation starter: the next start of the busiest hour of the week.

    People answer when they are around, so the suggestion is the upcoming occurrence (at least
    ``lead`` from ``now``) of the weekday and hour with the most activity. None without history.
    """
    best = busiest_slots(grid, 1)
    if not best:
        return None
    weekday, hour, _ = best[0]
    earliest = utc(now) + lead
    local = earliest.astimezone(tz)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    for _ in range(3):
        candidate = datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)
        if candidate >= earliest:
            return candidate
        day += timedelta(days=7)
    return None


# --- responder load --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Responder:
    """Someone who wrote qualifying replies in the period."""

    person_id: int
    name: str
    replies: int
    is_team: bool


@dataclass(frozen=True, slots=True)
class ResponderLoad:
    """How concentrated answering is on a few people.

    Attributes:
        responders: people who wrote at least one qualifying reply.
        replies: their qualifying replies.
        top_share: share of those replies written by the top 20 % of responders.
        gini: Gini coefficient of replies per responder (0 = evenly spread).
        team_share: share of the replies written by the team.
        top: the busiest responders, busiest first (for the chart).
    """

    responders: int = 0
    replies: int = 0
    top_share: float | None = None
    gini: float | None = None
    team_share: float | None = None
    top: tuple[Responder, ...] = ()


def responder_load(people: Sequence[Responder], keep: int = 20) -> ResponderLoad:
    """Summarise qualifying replies per responder."""
    counts = [p.replies for p in people if p.replies > 0]
    total = sum(counts)
    ranked = sorted(
        (p for p in people if p.replies > 0), key=lambda p: (-p.replies, p.name.lower())
    )
    return ResponderLoad(
        responders=len(counts),
        replies=total,
        top_share=top_share(counts),
        gini=gini(counts),
        team_share=_ratio(sum(p.replies for p in people if p.is_team), total),
        top=tuple(ranked[:keep]),
    )


def merge_counts(parts: Iterable[Counts]) -> Counts:
    """The sum of ``parts``."""
    columns = zip(
        *(
            (
                c.roots,
                c.team_roots,
                c.answered,
                c.team_answered,
                c.employee_unanswered,
                c.employee_closed,
                c.replies,
                c.responders,
                c.turns,
            )
            for c in parts
        ),
        strict=True,
    )
    return Counts(*(sum(column) for column in columns))


# --- what the store hands over ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetricsScope:
    """What to measure: thread starts in ``[since, until)``, judged at ``now``.

    Attributes:
        edges: UTC instants (ms) where bucket 1, 2, … start; bucket 0 starts at ``since``.
    """

    since: datetime
    until: datetime
    now: datetime
    account_id: int | None = None
    container_id: int | None = None
    edges: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Responses:
    """Answered employee roots, column by column (ms since the epoch; -1: the team never
    answered): where, when, and when the first replies came. The store hands over numpy
    arrays; any sequence of integers will do."""

    container_ids: Sequence[int] = ()
    buckets: Sequence[int] = ()
    root_at: Sequence[int] = ()
    first_reply_at: Sequence[int] = ()
    first_team_reply_at: Sequence[int] = ()

    def __len__(self) -> int:
        return len(self.root_at)


@dataclass(frozen=True, slots=True)
class Calendar:
    """A community's business hours and first-response target."""

    hours: BusinessHours
    sla_hours: float


@dataclass(frozen=True, slots=True)
class MetricsData:
    """Everything the store aggregated for one scope, in a single read transaction.

    Attributes:
        groups: sums per (account id, container id, bucket index).
        responses: answered employee roots, for percentiles in business hours.
        hours: human posts per UTC hour since the epoch (the heatmap before folding).
        responders: qualifying replies per person, by reply time in the period.
        calendars: business hours and target per container id.
        containers: (name, account id) per container id.
        accounts: (name, platform) per account id.
    """

    groups: Mapping[tuple[int, int, int], Counts] = field(default_factory=dict)
    responses: Responses = field(default_factory=Responses)
    hours: tuple[tuple[int, int], ...] = ()
    responders: tuple[Responder, ...] = ()
    calendars: Mapping[int, Calendar] = field(default_factory=dict)
    containers: Mapping[int, tuple[str, int]] = field(default_factory=dict)
    accounts: Mapping[int, tuple[str, str]] = field(default_factory=dict)
