"""Dialogue-health metrics on hand-built threads with known answers, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cm_console.domain.metrics import Granularity
from cm_console.domain.model import PostKind, RemoteContainer
from cm_console.services.insights import InsightsQuery, InsightsReport, InsightsService
from cm_console.store import Store
from tests.helpers.builders import ALICE, BOB, BOT, CAROL, ME, ThreadBuilder, add_account

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday
MONDAY = datetime(2026, 11, 16, tzinfo=UTC)
NEWS = RemoteContainer("c-news", "News")
H = timedelta(hours=1)


def _world(store: Store) -> int:
    """Ten threads whose every metric is worked out by hand in the tests below."""
    acc = add_account(store, options={"timezone": "UTC"}, now=NOW - timedelta(days=30))
    threads = [
        # t1: question, answer, follow-up, answer: 3 turns, 1 responder, 2 qualifying replies.
        ThreadBuilder("t1", ALICE, MONDAY + 9 * H, "How do I get a badge?")
        .reply(BOB, 2 * H, "At the front desk.")
        .reply(ALICE, 3 * H, "Even on Fridays?")
        .reply(BOB, 4 * H, "Yes."),
        # t2: answered by the team after one business hour.
        ThreadBuilder("t2", BOB, MONDAY + 10 * H, "Where is the new policy?").reply(
            ME, H, "On the intranet."
        ),
        # t3: unanswered: a bot notice and a whisper are not replies.
        ThreadBuilder("t3", CAROL, MONDAY + 11 * H, "Is the VPN down?")
        .reply(BOT, H, "Ticket created.", by_bot=True)
        .reply(BOB, 2 * H, "Staff only note.", kind=PostKind.WHISPER),
        # t4: Friday 16:00, answered Monday 10:00 = 2 business hours; resolved.
        ThreadBuilder("t4", ALICE, MONDAY - 3 * 24 * H + 16 * H, "Printer on 3 jams").reply(
            CAROL, 3 * 24 * H - 6 * H, "Fixed it."
        ),
        # t5, t6: the team's own posts in News; one got a reply.
        ThreadBuilder("t5", ME, MONDAY + 24 * H + 9 * H, "Town hall on Friday", container=NEWS),
        ThreadBuilder("t6", ME, MONDAY + 24 * H + 10 * H, "New canteen menu", container=NEWS).reply(
            ALICE, 30 * 60 * timedelta(seconds=1), "Finally vegetarian!"
        ),
        # Not eligible: a bot's root, a root too young to judge, a deleted root, one too old.
        ThreadBuilder("t7", BOT, MONDAY + 12 * H, "Deploy finished").reply(ALICE, H, "Nice"),
        ThreadBuilder("t8", ALICE, NOW - H, "Quick question?"),
        ThreadBuilder("t9", CAROL, MONDAY + 13 * H, "Oops"),
        ThreadBuilder("t10", CAROL, datetime(2026, 10, 1, 10, tzinfo=UTC), "Old").reply(BOB, H),
    ]
    threads[3].thread = replace(threads[3].thread, resolved=True)
    threads[8].posts[0] = replace(threads[8].posts[0], deleted=True)
    for b in threads:
        store.ingest.page(acc, b.page(), NOW)
    store.recompute_account(acc)
    return acc


def _report(store: Store, **kw: object) -> InsightsReport:
    service = InsightsService(store, lambda: NOW, lambda: "UTC")
    kw.setdefault("since", datetime(2026, 11, 9, tzinfo=UTC))
    query = InsightsQuery(**kw)  # type: ignore[arg-type]
    return service.report(query)


def test_a_long_period_counts_the_same_threads_as_a_short_one(store: Store) -> None:
    """Periods over 91 days read the threads in one pass instead of through the creation-time
    index: the same threads, t10 (1 October) included once the period reaches back to it."""
    _world(store)
    short = _report(store).overall.counts
    year = _report(store, since=NOW - timedelta(days=365)).overall.counts
    assert (year.roots, year.employee_roots, year.answered) == (
        short.roots + 1,
        short.employee_roots + 1,
        short.answered + 1,
    )
    assert year.turns == short.turns + 1


def test_thread_metrics_have_their_hand_computed_values(store: Store) -> None:
    _world(store)
    report = _report(store)
    c = report.overall.counts
    assert (c.roots, c.team_roots, c.employee_roots) == (6, 2, 4)
    assert (c.answered, c.team_answered, c.employee_answered) == (4, 1, 3)
    assert c.dialogue_ratio_employees == pytest.approx(3 / 4)
    assert c.dialogue_ratio_team == pytest.approx(1 / 2)
    assert c.unanswered_rate == pytest.approx(1 / 4)
    assert c.loop_closure_rate == pytest.approx(1 / 4)
    assert c.replies_per_root == pytest.approx(5 / 6)
    assert c.responders_per_thread == pytest.approx(1.0)
    assert c.turns == 6  # t1: 3, t2, t4, t6: 1 each
    assert c.depth == pytest.approx(1.5)


def test_first_response_times_in_business_hours(store: Store) -> None:
    _world(store)
    s = _report(store).overall
    # Employee roots answered: t1 after 2 h, t2 after 1 h, t4 Friday 16:00 → Monday 10:00 = 2 h.
    assert s.median_hours == pytest.approx(2.0)
    assert s.p90_hours == pytest.approx(2.0)
    assert s.team_median_hours == pytest.approx(1.0)  # only t2 was answered by the team
    assert s.within_sla_rate == pytest.approx(3 / 4)  # all three within 4 h, of 4 roots


def test_grouping_by_community_week_and_account(store: Store) -> None:
    acc = _world(store)
    report = _report(store)
    by_name = {c.name: c for c in report.communities}
    assert set(by_name) == {"Help desk", "News"}
    assert by_name["News"].summary.counts.roots == 2
    assert by_name["News"].broadcast_only is False  # two roots are too few to judge
    assert by_name["Help desk"].summary.counts.roots == 4
    assert [p.bucket.label.isoformat() for p in report.series] == ["2026-11-09", "2026-11-16"]
    assert [p.summary.counts.roots for p in report.series] == [1, 5]
    assert report.series[0].summary.median_hours == pytest.approx(2.0)  # t4 alone
    assert [a.name for a in report.accounts] == ["acme"]
    news_id = by_name["News"].id
    only_news = _report(store, container_id=news_id)
    assert only_news.overall.counts.roots == 2
    assert _report(store, account="acme").overall == report.overall
    monthly = _report(store, granularity=Granularity.MONTH)
    assert [p.bucket.label.isoformat() for p in monthly.series] == ["2026-11-01"]
    assert monthly.series[0].bucket.start == datetime(2026, 11, 9, tzinfo=UTC)
    assert acc


def test_heatmap_and_responder_load(store: Store) -> None:
    _world(store)
    report = _report(store)
    grid = report.heatmap
    # Human, visible, not deleted posts in the period: t1 4, t2 2, t3 1, t4 2, t5 1, t6 2, t7 1
    # (the bot's root is not counted, its human reply is), t8 1. Not the whisper, bot, deleted.
    assert sum(map(sum, grid)) == 14
    assert grid[0][9] == 1  # Monday 09:00: t1's question
    assert grid[0][10] == 2  # Monday 10:00: t2's question and t4's answer
    assert grid[4][16] == 1  # Friday 16:00: t4's question
    load = report.load
    assert (load.responders, load.replies) == (4, 6)  # Bob 2, Carol 1, me 1, Alice 2 (t6, t7)
    assert load.top_share == pytest.approx(2 / 6)  # top 20 % of 4 people = 1 person
    assert load.team_share == pytest.approx(1 / 6)
    assert [r.name for r in load.top[:2]] == ["Alice Jansen", "Bob de Vries"]


def test_heatmap_follows_the_users_time_zone(store: Store) -> None:
    _world(store)
    service = InsightsService(store, lambda: NOW, lambda: "Europe/Amsterdam")
    report = service.report(InsightsQuery(since=datetime(2026, 11, 9, tzinfo=UTC)))
    assert report.heatmap[0][10] == 1  # Monday 09:00 UTC is 10:00 in Amsterdam
    assert report.time_zone == "Europe/Amsterdam"
