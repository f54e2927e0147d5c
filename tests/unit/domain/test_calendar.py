"""Business hours: the first-response target across weekends, time zones and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cm_console.domain.calendar import BusinessHours, CalendarError, zone

AMS = ZoneInfo("Europe/Amsterdam")
KTM = ZoneInfo("Asia/Kathmandu")  # UTC+05:45, no DST
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # a 30-minute DST shift
SANTIAGO = ZoneInfo("America/Santiago")  # DST changes at midnight
H = timedelta(hours=1)
MS = timedelta(milliseconds=1)


def local(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)  # type: ignore[misc]


def office(tz: ZoneInfo = AMS, spec: str = "mon-fri 09:00-17:00") -> BusinessHours:
    return BusinessHours.parse(spec, tz)


class TestParse:
    def test_the_default(self) -> None:
        bh = office()
        assert bh.days == frozenset(range(5))
        assert (bh.start_minute, bh.end_minute) == (9 * 60, 17 * 60)

    @pytest.mark.parametrize(
        ("spec", "days", "start", "end"),
        [
            ("mon,wed-fri 08:30-12:00", {0, 2, 3, 4}, 510, 720),
            ("sat-mon 10:00-14:00", {5, 6, 0}, 600, 840),  # wraps around the week end
            ("  MON - FRI   09:00 - 17:00 ", set(range(5)), 540, 1020),
            ("sun 00:00-24:00", {6}, 0, 1440),
            ("mon-sun 20:00-24:00", set(range(7)), 1200, 1440),
        ],
    )
    def test_forms(self, spec: str, days: set[int], start: int, end: int) -> None:
        bh = BusinessHours.parse(spec, UTC)
        assert (bh.days, bh.start_minute, bh.end_minute) == (days, start, end)

    @pytest.mark.parametrize(
        "spec",
        [
            "",
            "weekdays 09:00-17:00",
            "mon-fri 9:00-17:00",
            "mon-fri 09:00-25:00",
            "mon-fri 09:60-17:00",
            "mon-fri 24:00-24:00",
            "mon-fri 09:00-24:30",
            "mon-fri 17:00-09:00",
            "mon-fri 09:00-09:00",
            "mon-xyz 09:00-17:00",
            "mon-fri",
        ],
    )
    def test_bad_specs_raise_a_calendar_error(self, spec: str) -> None:
        with pytest.raises(CalendarError, match="business hours"):
            BusinessHours.parse(spec, UTC)

    def test_zones(self) -> None:
        assert zone("") is UTC
        assert zone("Asia/Kathmandu") == KTM
        for bad in ("Mars/Olympus_Mons", "../etc/passwd", "Europe/"):
            with pytest.raises(CalendarError, match="time zone"):
                zone(bad)


class TestAdd:
    def test_inside_business_hours(self) -> None:
        start = local(AMS, 2026, 11, 16, 10, 0)  # Monday
        assert office().add(start, 4) == local(AMS, 2026, 11, 16, 14, 0)

    def test_ending_exactly_at_closing_time(self) -> None:
        start = local(AMS, 2026, 11, 16, 13, 0)
        assert office().add(start, 4) == local(AMS, 2026, 11, 16, 17, 0)

    def test_carries_over_the_night(self) -> None:
        start = local(AMS, 2026, 11, 16, 16, 0)
        assert office().add(start, 4) == local(AMS, 2026, 11, 17, 12, 0)

    def test_carries_over_the_weekend(self) -> None:
        start = local(AMS, 2026, 11, 20, 15, 0)  # Friday
        assert office().add(start, 4) == local(AMS, 2026, 11, 23, 11, 0)

    @pytest.mark.parametrize(
        ("start", "due"),
        [
            ((2026, 11, 16, 6, 0), (2026, 11, 16, 13, 0)),  # before opening
            ((2026, 11, 16, 17, 0), (2026, 11, 17, 13, 0)),  # at closing time
            ((2026, 11, 16, 20, 0), (2026, 11, 17, 13, 0)),  # in the evening
            ((2026, 11, 21, 11, 0), (2026, 11, 23, 13, 0)),  # on Saturday
            ((2026, 11, 22, 23, 59), (2026, 11, 23, 13, 0)),  # late on Sunday
        ],
    )
    def test_a_target_starting_outside_business_hours(
        self, start: tuple[int, ...], due: tuple[int, ...]
    ) -> None:
        assert office().add(local(AMS, *start), 4) == local(AMS, *due)

    def test_zero_or_negative_hours(self) -> None:
        start = local(AMS, 2026, 11, 21, 11, 0)
        assert office().add(start, 0) == start
        assert office().add(start, -3) == start

    def test_fractions_of_an_hour(self) -> None:
        start = local(AMS, 2026, 11, 16, 16, 45)
        assert office().add(start, 0.5) == local(AMS, 2026, 11, 17, 9, 15)

    def test_the_result_is_utc_and_naive_input_means_utc(self) -> None:
        due = office().add(datetime(2026, 11, 16, 9, 0), 1)
        assert due.tzinfo is UTC
        assert due == datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # 09:00 UTC is 10:00 in Amsterdam

    def test_a_day_ending_at_24_00(self) -> None:
        evenings = office(spec="mon-fri 20:00-24:00")
        start = local(AMS, 2026, 11, 20, 23, 0)  # Friday 23:00
        assert evenings.add(start, 1) == local(AMS, 2026, 11, 21, 0, 0)
        assert evenings.add(start, 2) == local(AMS, 2026, 11, 23, 21, 0)

    def test_round_the_clock_is_plain_elapsed_time(self) -> None:
        always = office(spec="mon-sun 00:00-24:00")
        start = local(AMS, 2026, 3, 28, 22, 0)
        assert always.add(start, 30) == start.astimezone(UTC) + 30 * H

    def test_non_hour_offset(self) -> None:
        ktm = office(KTM)
        start = local(KTM, 2026, 11, 16, 8, 0)  # Monday, before opening
        due = ktm.add(start, 4)
        assert due == local(KTM, 2026, 11, 16, 13, 0)
        assert due == datetime(2026, 11, 16, 7, 15, tzinfo=UTC)
        late = local(KTM, 2026, 11, 20, 16, 30)  # Friday
        assert ktm.add(late, 1) == local(KTM, 2026, 11, 23, 9, 30)


class TestDaylightSaving:
    """Europe/Amsterdam: 2026-03-29 02:00 → 03:00 and 2026-10-25 03:00 → 02:00 (Sundays)."""

    def test_the_window_follows_the_clock_after_spring_forward(self) -> None:
        friday = local(AMS, 2026, 3, 27, 16, 0)  # CET, UTC+1
        due = office().add(friday, 4)
        assert due == local(AMS, 2026, 3, 30, 12, 0)  # CEST, UTC+2
        assert due == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)

    def test_the_window_follows_the_clock_after_fall_back(self) -> None:
        friday = local(AMS, 2026, 10, 23, 16, 0)  # CEST, UTC+2
        due = office().add(friday, 4)
        assert due == local(AMS, 2026, 10, 26, 12, 0)  # CET, UTC+1
        assert due == datetime(2026, 10, 26, 11, 0, tzinfo=UTC)

    def test_business_days_are_eight_real_hours_either_side(self) -> None:
        for day in (date(2026, 3, 27), date(2026, 3, 30), date(2026, 10, 23), date(2026, 10, 26)):
            span = office().window(day)
            assert span is not None
            assert span[1] - span[0] == 8 * H

    def test_the_short_and_the_long_sunday(self) -> None:
        always = office(spec="mon-sun 00:00-24:00")
        spring, autumn = always.window(date(2026, 3, 29)), always.window(date(2026, 10, 25))
        assert spring is not None and autumn is not None
        assert spring[1] - spring[0] == 23 * H
        assert autumn[1] - autumn[0] == 25 * H
        start = local(AMS, 2026, 3, 29, 0, 0)
        assert always.elapsed(start, local(AMS, 2026, 3, 30, 0, 0)) == 23 * H

    def test_a_window_through_the_transition_counts_real_time(self) -> None:
        night = office(spec="sun 01:00-04:00")
        assert night.elapsed(local(AMS, 2026, 3, 29, 0, 0), local(AMS, 2026, 3, 29, 6, 0)) == 2 * H
        assert night.elapsed(local(AMS, 2026, 10, 25, 0, 0), local(AMS, 2026, 10, 25, 6, 0)) == (
            4 * H
        )
        assert night.add(local(AMS, 2026, 3, 29, 0, 0), 1.5) == local(AMS, 2026, 3, 29, 3, 30)

    def test_a_window_edge_inside_the_spring_forward_gap_is_the_jump(self) -> None:
        # 02:30 never happens on 29 March: the clock jumps from 02:00 to 03:00. Business time that
        # starts "at 02:30" starts when the clock jumps past it, and one that ends then, ends.
        starts = office(spec="sun 02:30-05:00").window(date(2026, 3, 29))
        ends = office(spec="sun 00:00-02:30").window(date(2026, 3, 29))
        jump = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
        assert starts is not None and ends is not None
        assert starts[0] == jump
        assert ends[1] == jump

    def test_an_ambiguous_window_edge_is_its_first_occurrence(self) -> None:
        # 02:30 happens twice on 25 October; business time starts the first time the clock
        # shows it.
        span = office(spec="sun 02:30-05:00").window(date(2026, 10, 25))
        assert span is not None
        assert span[0] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)

    def test_midnight_changes_in_santiago(self) -> None:
        always = office(SANTIAGO, "mon-sun 00:00-24:00")
        # 2026-09-06: 00:00 → 01:00 (a 23-hour day); 2026-04-05: 00:00 → 23:00 the day before.
        spring = always.window(date(2026, 9, 6))
        assert spring is not None
        assert spring[1] - spring[0] == 23 * H
        start = local(SANTIAGO, 2026, 9, 5, 12, 0)
        assert always.add(start, 24) == start.astimezone(UTC) + 24 * H

    def test_lord_howe_half_hour_shift(self) -> None:
        # 2026-10-04 02:00 → 02:30 local: that Sunday is 23.5 hours long.
        span = office(LORD_HOWE, "mon-sun 00:00-24:00").window(date(2026, 10, 4))
        assert span is not None
        assert span[1] - span[0] == timedelta(hours=23, minutes=30)


class TestElapsed:
    def test_counts_only_business_time(self) -> None:
        start = local(AMS, 2026, 11, 20, 16, 0)  # Friday 16:00
        end = local(AMS, 2026, 11, 23, 10, 30)  # Monday 10:30
        assert office().elapsed(start, end) == timedelta(hours=2, minutes=30)

    def test_zero_when_end_is_not_later(self) -> None:
        start = local(AMS, 2026, 11, 16, 10, 0)
        assert office().elapsed(start, start) == timedelta(0)
        assert office().elapsed(start, start - H) == timedelta(0)

    def test_weekend_only(self) -> None:
        start = local(AMS, 2026, 11, 21, 0, 0)
        assert office().elapsed(start, local(AMS, 2026, 11, 23, 0, 0)) == timedelta(0)


ZONES = st.sampled_from([AMS, KTM, LORD_HOWE, SANTIAGO, ZoneInfo("America/New_York"), UTC])
SPECS = st.sampled_from(
    [
        "mon-fri 09:00-17:00",
        "mon-sun 00:00-24:00",
        "sun 01:00-04:00",
        "sat-mon 22:00-24:00",
        "mon,wed,fri 02:15-02:45",
        "tue 08:00-08:30",
    ]
)
INSTANTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@given(tz=ZONES, spec=SPECS, start=INSTANTS, minutes=st.integers(1, 60 * 80))
def test_elapsed_inverts_add(tz: ZoneInfo, spec: str, start: datetime, minutes: int) -> None:
    bh = BusinessHours.parse(spec, tz)
    hours = minutes / 60
    due = bh.add(start, hours)
    assert bh.elapsed(start, due) == timedelta(minutes=minutes)
    # The target is reached at ``due`` and not a moment earlier.
    assert bh.elapsed(start, due - MS) < timedelta(minutes=minutes)


@given(tz=ZONES, spec=SPECS, start=INSTANTS, end=INSTANTS)
def test_elapsed_is_at_most_wall_time(
    tz: ZoneInfo, spec: str, start: datetime, end: datetime
) -> None:
    bh = BusinessHours.parse(spec, tz)
    assert timedelta(0) <= bh.elapsed(start, end) <= max(timedelta(0), end - start)
