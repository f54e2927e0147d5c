"""Metric definitions on small hand-made inputs with known answers (pure, no store)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cm_console.domain.calendar import BusinessHours
from cm_console.domain.metrics import (
    HOUR_MS,
    BusinessClock,
    Counts,
    Granularity,
    Responder,
    ResponseSample,
    Summary,
    buckets,
    busiest_slots,
    gini,
    heatmap,
    percentile,
    responder_load,
    suggest_time,
    top_share,
)

AMS = ZoneInfo("Europe/Amsterdam")
OFFICE = BusinessHours.parse("mon-fri 09:00-17:00", AMS)


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == pytest.approx(2.5)
    assert percentile([1.0, 2.0, 3.0, 4.0], 90) == pytest.approx(3.7)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 90) == pytest.approx(9.1)


def test_gini_and_top_share_measure_concentration() -> None:
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)  # one of four does everything: (n-1)/n
    assert gini([]) is None
    assert top_share([10, 1, 1, 1, 1, 1, 1, 1, 1, 2]) == pytest.approx(12 / 20)  # top 2 of 10
    assert top_share([3]) == 1.0
    assert top_share([0, 0]) is None


def test_responder_load_ranks_and_splits_team() -> None:
    people = [
        Responder(1, "Bob", 6, False),
        Responder(2, "anouk", 3, True),
        Responder(3, "Carol", 1, False),
        Responder(4, "Nobody", 0, False),
    ]
    load = responder_load(people, keep=2)
    assert (load.responders, load.replies) == (3, 10)
    assert load.team_share == pytest.approx(0.3)
    assert load.top_share == pytest.approx(0.6)
    assert [r.name for r in load.top] == ["Bob", "anouk"]


def test_counts_add_up_and_define_the_ratios() -> None:
    help_desk = Counts(roots=4, answered=3, employee_unanswered=1, employee_closed=2, replies=6)
    news = Counts(roots=6, team_roots=6, answered=1, team_answered=1, replies=1)
    total = help_desk + news
    assert total.roots == 10
    assert total.employee_roots == 4
    assert total.dialogue_ratio == pytest.approx(0.4)
    assert total.dialogue_ratio_employees == pytest.approx(0.75)
    assert total.dialogue_ratio_team == pytest.approx(1 / 6)
    assert total.unanswered_rate == pytest.approx(0.25)
    assert total.loop_closure_rate == pytest.approx(0.5)
    assert total.replies_per_root == pytest.approx(0.7)
    assert news.broadcast_only
    assert not help_desk.broadcast_only
    assert Counts().dialogue_ratio is None
    assert not Counts(roots=4, team_roots=4).broadcast_only, "too few roots to judge"


def test_summary_takes_percentiles_and_the_sla_share() -> None:
    sample = ResponseSample()
    for hours, team in ((0.5, 0.5), (2.0, None), (6.0, 7.0)):
        sample.add(hours, team, sla_hours=4)
    summary = Summary.of(Counts(roots=4, answered=3), sample)
    assert summary.median_hours == pytest.approx(2.0)
    assert summary.team_median_hours == pytest.approx(3.75)
    assert summary.within_sla_rate == pytest.approx(2 / 4)  # of all employee roots


def test_week_buckets_start_on_local_mondays_across_dst() -> None:
    # Summer time ends on Sunday 25 October 2026 in Amsterdam.
    since = datetime(2026, 10, 14, 12, tzinfo=UTC)
    until = datetime(2026, 11, 3, tzinfo=UTC)
    weeks = buckets(since, until, Granularity.WEEK, AMS)
    assert [b.label for b in weeks] == [
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    assert weeks[0].start == since, "the first bucket is clipped to the period"
    assert weeks[1].start == datetime(2026, 10, 18, 22, tzinfo=UTC)  # CEST midnight
    assert weeks[2].start == datetime(2026, 10, 25, 23, tzinfo=UTC)  # CET midnight
    assert weeks[-1].end == until
    months = buckets(since, until, Granularity.MONTH, AMS)
    assert [b.label for b in months] == [date(2026, 10, 1), date(2026, 11, 1)]
    assert months[1].start == datetime(2026, 10, 31, 23, tzinfo=UTC)
    december = buckets(
        datetime(2026, 12, 5, tzinfo=UTC), datetime(2027, 1, 5, tzinfo=UTC), Granularity.MONTH, UTC
    )
    assert [b.label for b in december] == [date(2026, 12, 1), date(2027, 1, 1)]


def test_business_clock_examples() -> None:
    clock = BusinessClock(
        OFFICE, datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    )
    friday_4pm = datetime(2026, 11, 13, 15, tzinfo=UTC)  # 16:00 in Amsterdam
    monday_10am = datetime(2026, 11, 16, 9, tzinfo=UTC)
    ms = lambda dt: int(dt.timestamp() * 1000)  # noqa: E731
    assert clock.elapsed_hours(ms(friday_4pm), ms(monday_10am)) == pytest.approx(2.0)
    assert clock.elapsed_hours(ms(monday_10am), ms(friday_4pm)) == 0.0
    saturday = datetime(2026, 11, 14, 10, tzinfo=UTC)
    assert clock.elapsed_hours(ms(saturday), ms(saturday + timedelta(hours=5))) == 0.0
    always = BusinessClock(BusinessHours(frozenset(), 0, 60, UTC), friday_4pm, monday_10am)
    assert always.elapsed_hours(ms(friday_4pm), ms(monday_10am)) == pytest.approx(66.0)


_RANGE_START = datetime(2026, 1, 1, tzinfo=UTC)
_instants = st.integers(min_value=-40 * 24, max_value=400 * 24 * 4).map(
    lambda quarter_hours: _RANGE_START + timedelta(minutes=15 * quarter_hours + 7)
)
_CLOCK = BusinessClock(OFFICE, _RANGE_START, _RANGE_START + timedelta(days=365))
_ODD = BusinessHours.parse("sat,sun,wed 22:00-24:00", ZoneInfo("America/New_York"))
_ODD_CLOCK = BusinessClock(_ODD, _RANGE_START, _RANGE_START + timedelta(days=365))


@settings(max_examples=300, deadline=None)
@given(_instants, _instants)
def test_business_clock_agrees_with_business_hours_elapsed(a: datetime, b: datetime) -> None:
    ms = lambda dt: int(dt.timestamp() * 1000)  # noqa: E731
    for hours, clock in ((OFFICE, _CLOCK), (_ODD, _ODD_CLOCK)):
        expected = hours.elapsed(a, b).total_seconds() * 1000
        assert clock.elapsed_ms(ms(a), ms(b)) == pytest.approx(expected)


def test_heatmap_folds_utc_hours_into_local_weekdays() -> None:
    monday_8_utc = int(datetime(2026, 11, 16, 8, tzinfo=UTC).timestamp() * 1000) // HOUR_MS
    sunday_23_utc = int(datetime(2026, 11, 15, 23, tzinfo=UTC).timestamp() * 1000) // HOUR_MS
    july_8_utc = int(datetime(2026, 7, 6, 8, tzinfo=UTC).timestamp() * 1000) // HOUR_MS
    grid = heatmap([(monday_8_utc, 3), (sunday_23_utc, 2), (july_8_utc, 1)], AMS)
    assert grid[0][9] == 3  # CET: 08:00 UTC is 09:00
    assert grid[0][0] == 2  # Sunday 23:00 UTC is Monday midnight in Amsterdam
    assert grid[0][10] == 1  # CEST in July
    assert sum(map(sum, grid)) == 6
    assert busiest_slots(grid, 2) == [(0, 9, 3), (0, 0, 2)]


def test_suggested_time_is_the_next_busiest_hour() -> None:
    grid = tuple(tuple(0 for _ in range(24)) for _ in range(7))
    assert suggest_time(grid, datetime(2026, 11, 16, tzinfo=UTC), AMS) is None
    rows = [list(r) for r in grid]
    rows[1][10] = 40  # Tuesday 10:00
    rows[3][14] = 12
    busy = tuple(tuple(r) for r in rows)
    monday = datetime(2026, 11, 16, 12, tzinfo=UTC)
    assert suggest_time(busy, monday, AMS) == datetime(2026, 11, 17, 9, tzinfo=UTC)
    # Tuesday 09:30 local: too close to 10:00 for the one-hour lead, so the week after.
    tuesday = datetime(2026, 11, 17, 8, 30, tzinfo=UTC)
    assert suggest_time(busy, tuesday, AMS) == datetime(2026, 11, 24, 9, tzinfo=UTC)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(min_value=490_000, max_value=500_000), min_size=1, max_size=60),
    st.sampled_from(["Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "UTC"]),
)
def test_heatmap_folding_matches_converting_each_hour(hours: list[int], name: str) -> None:
    tz = ZoneInfo(name)
    expected = [[0] * 24 for _ in range(7)]
    for hour in hours:
        local = datetime.fromtimestamp(hour * 3600, tz=UTC).astimezone(tz)
        expected[local.weekday()][local.hour] += 1
    assert heatmap([(h, 1) for h in hours], tz) == tuple(tuple(r) for r in expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_instants, _instants), min_size=1, max_size=40))
def test_business_clock_arrays_agree_with_business_hours_elapsed(
    pairs: list[tuple[datetime, datetime]],
) -> None:
    ms = lambda dt: int(dt.timestamp() * 1000)  # noqa: E731
    starts = [ms(a) for a, _ in pairs]
    ends = [ms(b) for _, b in pairs]
    for hours, clock in ((OFFICE, _CLOCK), (_ODD, _ODD_CLOCK)):
        got = clock.elapsed_hours_array(starts, ends)
        expected = [hours.elapsed(a, b).total_seconds() / 3600 for a, b in pairs]
        assert list(got) == pytest.approx(expected)
