"""Insights use cases: dialogue-health metrics for the dashboard and ``cm-console report``.

The store aggregates in SQL (:mod:`cm_console.store.metrics`); this service turns those sums into
summaries per account, community and period bucket, with response times in business hours of
each community's calendar, the activity heatmap in the user's time zone, and responder load.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from cm_console import config
from cm_console.domain.calendar import zone
from cm_console.domain.metrics import (
    WEEKDAY_NAMES,
    Bucket,
    Counts,
    Granularity,
    Heatmap,
    MetricsData,
    MetricsScope,
    ResponderLoad,
    ResponseTimes,
    Summary,
    buckets,
    busiest_slots,
    heatmap,
    merge_counts,
    responder_load,
)
from cm_console.domain.model import Account, Container, utc
from cm_console.services.accounts import ServiceError, UsageError
from cm_console.store import Store

DEFAULT_PERIOD = timedelta(weeks=12)
MAX_PERIOD = timedelta(days=3 * 366)


@dataclass(frozen=True, slots=True)
class InsightsQuery:
    """What the dashboard or the command line asks for.

    Attributes:
        since: start of the period (default: twelve weeks before ``until``).
        until: end of the period (default: now).
        account: an account name, or None for every account.
        container_id: one community, or None for all (of the account).
    """

    since: datetime | None = None
    until: datetime | None = None
    account: str | None = None
    container_id: int | None = None
    granularity: Granularity = Granularity.WEEK


@dataclass(frozen=True, slots=True)
class AccountSummary:
    id: int
    name: str
    platform: str
    summary: Summary


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    id: int
    name: str
    account: str
    summary: Summary

    @property
    def broadcast_only(self) -> bool:
        return self.summary.counts.broadcast_only


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    bucket: Bucket
    summary: Summary


@dataclass(frozen=True, slots=True)
class InsightsReport:
    """The metrics of one period, ready to show (every value may be None: too little data)."""

    since: datetime
    until: datetime
    now: datetime
    time_zone: str
    granularity: Granularity
    overall: Summary
    accounts: tuple[AccountSummary, ...] = ()
    communities: tuple[CommunitySummary, ...] = ()
    series: tuple[SeriesPoint, ...] = ()
    heatmap: Heatmap = ()
    load: ResponderLoad = field(default_factory=ResponderLoad)

    @property
    def broadcast_only(self) -> tuple[CommunitySummary, ...]:
        return tuple(c for c in self.communities if c.broadcast_only)

    @property
    def busiest(self) -> list[tuple[int, int, int]]:
        return busiest_slots(self.heatmap) if self.heatmap else []


Table = tuple[list[str], list[list[object]]]
"""Headers and rows, for CSV export."""


class InsightsService:
    """Dialogue-health metrics over the local store (no network)."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        time_zone: Callable[[], str] = config.system_timezone_name,
    ) -> None:
        self._store = store
        self._clock = clock
        self._zone_name = time_zone

    def now(self) -> datetime:
        """The clock's current instant (UTC): periods end here."""
        return utc(self._clock())

    def time_zone(self) -> tuple[str, tzinfo]:
        """The user's zone (the computer's, unless the composition root says otherwise)."""
        name = self._zone_name() or "UTC"
        return name, zone(name)

    def scopes(self) -> list[tuple[Account, list[Container]]]:
        """Accounts with their communities (the dashboard's filters)."""
        return [(a, self._store.accounts.containers(a.id)) for a in self._store.accounts.all()]

    def _account_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        account = self._store.accounts.get(name)
        if account is None:
            raise ServiceError(f"no account named {name!r}")
        return account.id

    def report(self, query: InsightsQuery | None = None) -> InsightsReport:
        """Every metric for the query's period, accounts and communities."""
        query = query or InsightsQuery()
        now = utc(self._clock())
        until = utc(query.until) if query.until is not None else now
        since = utc(query.since) if query.since is not None else until - DEFAULT_PERIOD
        if since >= until:
            raise UsageError("the period must start before it ends")
        if until - since > MAX_PERIOD:
            raise UsageError("the period can be at most three years")
        zone_name, tz = self.time_zone()
        steps = buckets(since, until, query.granularity, tz)
        scope = MetricsScope(
            since=since,
            until=until,
            now=now,
            account_id=self._account_id(query.account),
            container_id=query.container_id,
            edges=tuple(int(b.start.timestamp() * 1000) for b in steps[1:]),
        )
        data = self._store.metrics.collect(scope)
        return build_report(data, steps, since, until, now, zone_name, tz, query.granularity)

    def heatmap(
        self, account: str | None, container_id: int | None, weeks: int = 8
    ) -> tuple[Heatmap, tzinfo]:
        """Activity per weekday and hour over the last ``weeks`` (the planner's suggestions)."""
        now = utc(self._clock())
        _, tz = self.time_zone()
        scope = MetricsScope(
            since=now - timedelta(weeks=weeks),
            until=now,
            now=now,
            account_id=self._account_id(account),
            container_id=container_id,
        )
        return heatmap(self._store.metrics.hour_counts(scope), tz), tz


def build_report(
    data: MetricsData,
    steps: Sequence[Bucket],
    since: datetime,
    until: datetime,
    now: datetime,
    zone_name: str,
    tz: tzinfo,
    granularity: Granularity,
) -> InsightsReport:
    """Group the store's sums into the report's summaries."""
    times = ResponseTimes(data.responses, data.calendars, since, now)
    by_account: dict[int, list[Counts]] = defaultdict(list)
    by_container: dict[int, list[Counts]] = defaultdict(list)
    by_bucket: dict[int, list[Counts]] = defaultdict(list)
    for (account_id, container_id, bucket), counts in data.groups.items():
        by_account[account_id].append(counts)
        by_container[container_id].append(counts)
        by_bucket[bucket].append(counts)
    containers_of: dict[int, list[int]] = defaultdict(list)
    for cid, (_, aid) in data.containers.items():
        containers_of[aid].append(cid)

    overall = times.summary(merge_counts(data.groups.values()))

    def account_summary(aid: int) -> Summary:
        if len(by_account) == 1 and aid in by_account:
            return overall  # one account with data: its summary is the whole report's
        return times.summary(
            merge_counts(by_account.get(aid, ())), times.rows_of_containers(containers_of[aid])
        )

    accounts = tuple(
        sorted(
            (
                AccountSummary(aid, name, platform, account_summary(aid))
                for aid, (name, platform) in data.accounts.items()
            ),
            key=lambda a: a.name.lower(),
        )
    )
    communities = tuple(
        sorted(
            (
                CommunitySummary(
                    cid,
                    name,
                    data.accounts.get(aid, ("?", ""))[0],
                    times.summary(merge_counts(by_container[cid]), times.rows_of_containers([cid])),
                )
                for cid, (name, aid) in data.containers.items()
                if cid in by_container
            ),
            key=lambda c: (-c.summary.counts.roots, c.name.lower()),
        )
    )
    series = tuple(
        SeriesPoint(
            step, times.summary(merge_counts(by_bucket.get(i, ())), times.rows_of_bucket(i))
        )
        for i, step in enumerate(steps)
    )
    return InsightsReport(
        since=since,
        until=until,
        now=now,
        time_zone=zone_name,
        granularity=granularity,
        overall=overall,
        accounts=accounts,
        communities=communities,
        series=series,
        heatmap=heatmap(data.hours, tz),
        load=responder_load(data.responders),
    )


# --- tables for CSV export ----------------------------------------------------------------------

SUMMARY_HEADERS = [
    "roots",
    "team_roots",
    "employee_roots",
    "median_first_response_hours",
    "p90_first_response_hours",
    "team_median_first_response_hours",
    "team_p90_first_response_hours",
    "within_sla_rate",
    "unanswered_rate",
    "dialogue_ratio",
    "dialogue_ratio_team",
    "dialogue_ratio_employees",
    "replies_per_root",
    "responders_per_thread",
    "depth",
    "loop_closure_rate",
]


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def summary_values(summary: Summary) -> list[object]:
    """The values of :data:`SUMMARY_HEADERS` for one summary."""
    c = summary.counts
    return [
        c.roots,
        c.team_roots,
        c.employee_roots,
        _round(summary.median_hours, 2),
        _round(summary.p90_hours, 2),
        _round(summary.team_median_hours, 2),
        _round(summary.team_p90_hours, 2),
        _round(summary.within_sla_rate),
        _round(c.unanswered_rate),
        _round(c.dialogue_ratio),
        _round(c.dialogue_ratio_team),
        _round(c.dialogue_ratio_employees),
        _round(c.replies_per_root, 2),
        _round(c.responders_per_thread, 2),
        _round(c.depth, 2),
        _round(c.loop_closure_rate),
    ]


def series_table(report: InsightsReport) -> Table:
    rows = [[p.bucket.label.isoformat(), *summary_values(p.summary)] for p in report.series]
    return ["period_start", *SUMMARY_HEADERS], rows


def communities_table(report: InsightsReport) -> Table:
    rows = [
        [c.account, c.name, *summary_values(c.summary), c.broadcast_only]
        for c in report.communities
    ]
    return ["account", "community", *SUMMARY_HEADERS, "broadcast_only"], rows


def heatmap_table(report: InsightsReport) -> Table:
    rows = [[WEEKDAY_NAMES[d], *report.heatmap[d]] for d in range(len(report.heatmap))]
    return ["weekday", *(f"{h:02d}:00" for h in range(24))], rows


def responders_table(report: InsightsReport) -> Table:
    rows = [[r.name, r.replies, r.is_team] for r in report.load.top]
    return ["responder", "qualifying_replies", "team"], rows


def write_csv(path: str | Path, table: Table) -> None:
    """Write a table as UTF-8 CSV (empty cells for missing values)."""
    headers, rows = table
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
