"""The triage rules of DESIGN.md §2: qualifying replies, facts, states, thresholds, status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cm_console.domain.model import PlatformKind, PostKind
from cm_console.domain.rules import (
    CHAT_STALLED_AFTER,
    FORUM_STALLED_AFTER,
    QUEUE_STATES,
    PostFact,
    State,
    ThreadFacts,
    Thresholds,
    Triage,
    TriageStatus,
    compute_deadlines,
    compute_facts,
    effective_status,
    is_qualifying_reply,
    thread_state,
)

T0 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a Monday
MS = timedelta(milliseconds=1)
ALICE, BOB, CAROL, ME, COLLEAGUE, BOT = 1, 2, 3, 10, 11, 99
TEAM = frozenset({ME, COLLEAGUE})


def thresholds(kind: PlatformKind = PlatformKind.FORUM, **overrides: object) -> Thresholds:
    values: dict[str, object] = {
        "unanswered_after_hours": 2.0,
        "stalled_after_hours": None,
        "abandoned_after_days": 30.0,
        "sla_hours": 4.0,
        "business_hours": "mon-fri 09:00-17:00",
        "tz": ZoneInfo("Europe/Amsterdam"),
        "platform_kind": kind,
    }
    values.update(overrides)
    return Thresholds.build(**values)  # type: ignore[arg-type]


def root(author: int = ALICE, at: datetime = T0, **kw: object) -> PostFact:
    return PostFact(author_id=author, created_at=at, is_root=True, **kw)  # type: ignore[arg-type]


def reply(author: int, after: timedelta, **kw: object) -> PostFact:
    return PostFact(author_id=author, created_at=T0 + after, **kw)  # type: ignore[arg-type]


def state_at(
    posts: Sequence[PostFact],
    now: datetime,
    *,
    team: frozenset[int] = TEAM,
    resolved: bool = False,
    limits: Thresholds | None = None,
) -> State:
    facts = compute_facts(posts, team, T0)
    deadlines = compute_deadlines(facts, limits or thresholds())
    return thread_state(facts, deadlines, resolved=resolved, now=now)


DAY = timedelta(days=1)
H = timedelta(hours=1)


# --- qualifying reply -----------------------------------------------------------------------


class TestQualifyingReply:
    def test_a_human_reply_by_someone_else_after_the_root_qualifies(self) -> None:
        assert is_qualifying_reply(reply(BOB, H), ALICE, T0)

    @pytest.mark.parametrize(
        ("post", "why"),
        [
            (reply(ALICE, H), "the root author's own follow-up"),
            (reply(BOT, H, human=False), "a bot or automation"),
            (reply(BOB, H, kind=PostKind.NOTICE), "a notice (Slack bot message, m.notice)"),
            (reply(BOB, H, kind=PostKind.WHISPER), "a whisper the participants cannot see"),
            (reply(BOB, H, kind=PostKind.SMALL_ACTION), "a moderator action line"),
            (reply(BOB, H, deleted=True), "a deleted or withdrawn reply"),
            (reply(BOB, timedelta(0)), "posted at the same instant as the root"),
            (reply(BOB, -MS), "posted before the root"),
            (root(BOB), "a root post"),
        ],
    )
    def test_what_does_not_qualify(self, post: PostFact, why: str) -> None:
        assert not is_qualifying_reply(post, ALICE, T0), why

    def test_one_millisecond_after_the_root_qualifies(self) -> None:
        assert is_qualifying_reply(reply(BOB, MS), ALICE, T0)

    def test_with_an_unknown_root_author_any_human_reply_qualifies(self) -> None:
        assert is_qualifying_reply(reply(ALICE, H), None, T0)


# --- facts ----------------------------------------------------------------------------------


class TestFacts:
    def test_facts_do_not_depend_on_post_order(self) -> None:
        posts = [
            root(),
            reply(BOB, H, asks_question=True),
            reply(ME, 2 * H),
            reply(ALICE, 3 * H),
            reply(BOT, 4 * H, human=False),
        ]
        assert compute_facts(posts, TEAM, T0) == compute_facts(posts[::-1], TEAM, T0)

    def test_counts_and_times(self) -> None:
        posts = [
            root(acked_by_other=True, asks_question=True),
            reply(ALICE, 30 * timedelta(minutes=1)),  # own follow-up: a reply, not qualifying
            reply(BOB, H),
            reply(ME, 2 * H),
            reply(CAROL, 3 * H, deleted=True),
            reply(CAROL, 4 * H, kind=PostKind.WHISPER),
            reply(BOT, 5 * H, human=False),
            reply(COLLEAGUE, 6 * H),
        ]
        f = compute_facts(posts, TEAM, T0)
        assert f.root_at == T0
        assert f.root_author_id == ALICE
        assert not f.root_by_team
        assert f.root_asks_question
        assert f.acknowledged
        assert f.first_reply_at == T0 + H
        assert f.first_team_reply_at == T0 + 2 * H
        assert f.reply_count == 5, "visible, non-deleted replies of any author (bots included)"
        assert f.qualifying_reply_count == 3
        assert f.participant_count == 4, "alice, bob, me, colleague: humans only"
        assert f.last_activity_at == T0 + 6 * H, "bot posts are not activity"
        assert f.last_post_author_id == COLLEAGUE
        assert f.last_team_post_at == T0 + 6 * H
        assert f.last_nonteam_post_at == T0 + H

    def test_the_last_non_team_arrival(self) -> None:
        posts = [
            root(arrived_at=T0 + 10 * H),  # synced late
            reply(BOB, H, arrived_at=T0 + 30 * H),  # written early, arrived last
            reply(CAROL, 2 * H, arrived_at=T0),  # "arrived" before it was written: clock skew
            reply(ME, 3 * H, arrived_at=T0 + 40 * H),  # the team's own posts never count
            reply(BOT, 4 * H, human=False, arrived_at=T0 + 50 * H),
            reply(ALICE, 5 * H, deleted=True, arrived_at=T0 + 60 * H),
        ]
        f = compute_facts(posts, TEAM, T0)
        assert f.last_nonteam_post_at == T0 + 2 * H
        assert f.last_nonteam_arrival_at == T0 + 30 * H
        assert compute_facts(posts[:1], TEAM, T0).last_nonteam_arrival_at == T0 + 10 * H
        assert compute_facts(posts[2:3], TEAM, T0).last_nonteam_arrival_at == T0 + 2 * H
        assert compute_facts([root(ME)], TEAM, T0).last_nonteam_arrival_at is None

    def test_a_reaction_only_acknowledges(self) -> None:
        f = compute_facts([root(acked_by_other=True)], TEAM, T0)
        assert f.acknowledged
        assert f.first_reply_at is None
        assert f.reply_count == 0

    def test_without_a_stored_root_the_thread_time_is_used(self) -> None:
        f = compute_facts([reply(BOB, H)], TEAM, T0 - H)
        assert f.root_at == T0 - H
        assert f.root_author_id is None
        assert not f.root_by_team
        assert f.first_reply_at == T0 + H

    def test_a_deleted_root_is_a_fact(self) -> None:
        f = compute_facts([root(deleted=True), reply(BOB, H)], TEAM, T0)
        assert f.root_deleted
        assert f.last_activity_at == T0 + H

    def test_last_activity_of_a_thread_without_replies_is_the_root(self) -> None:
        f = compute_facts([root()], TEAM, T0)
        assert f.last_activity_at == T0
        assert f.activity_at == T0
        assert ThreadFacts(root_at=T0).activity_at == T0

    @pytest.mark.parametrize(
        ("last", "open_end"),
        [
            (reply(CAROL, 2 * H, asks_question=True), True),
            (reply(ALICE, 2 * H), True),  # the root author came back
            (reply(ME, 2 * H, asks_question=True), True),  # the team asked something back
            (reply(CAROL, 2 * H), False),  # an answer: the discussion is closed
            (reply(BOT, 2 * H, human=False, asks_question=True), False),  # bots do not count
            (reply(CAROL, 2 * H, asks_question=True, deleted=True), False),  # gone
        ],
    )
    def test_open_end(self, last: PostFact, open_end: bool) -> None:
        f = compute_facts([root(asks_question=True), reply(BOB, H), last], TEAM, T0)
        assert f.open_end is open_end

    def test_a_question_in_the_root_alone_is_not_an_open_end(self) -> None:
        # Unanswered covers it; "open end" is about how a discussion ended.
        assert not compute_facts([root(asks_question=True)], TEAM, T0).open_end


# --- states ---------------------------------------------------------------------------------


class TestStates:
    def test_new_then_unanswered_at_exactly_the_threshold(self) -> None:
        posts = [root()]
        assert state_at(posts, T0 + 2 * H - MS) is State.NEW
        assert state_at(posts, T0 + 2 * H) is State.UNANSWERED
        assert state_at(posts, T0 + 2 * H + MS) is State.UNANSWERED

    def test_the_authors_own_follow_ups_leave_it_unanswered(self) -> None:
        posts = [root(), reply(ALICE, H), reply(ALICE, 3 * H, asks_question=True)]
        assert state_at(posts, T0 + 5 * H) is State.UNANSWERED

    @pytest.mark.parametrize(
        "noise",
        [
            reply(BOT, H, human=False),
            reply(BOB, H, kind=PostKind.NOTICE),
            reply(BOB, H, kind=PostKind.WHISPER),
            reply(BOB, H, kind=PostKind.SMALL_ACTION),
            reply(BOB, H, deleted=True),
        ],
    )
    def test_bot_whisper_and_deleted_replies_leave_it_unanswered(self, noise: PostFact) -> None:
        assert state_at([root(), noise], T0 + 5 * H) is State.UNANSWERED

    def test_reactions_only_leave_it_unanswered(self) -> None:
        assert state_at([root(acked_by_other=True)], T0 + 5 * H) is State.UNANSWERED

    def test_a_team_reply_answers(self) -> None:
        assert state_at([root(), reply(ME, H)], T0 + 5 * H) is State.ANSWERED

    def test_a_colleague_reply_answers(self) -> None:
        assert state_at([root(), reply(BOB, H)], T0 + 5 * H) is State.ANSWERED

    def test_a_team_root_without_replies_is_a_broadcast_at_any_age(self) -> None:
        posts = [root(ME), reply(ME, H), reply(BOT, 2 * H, human=False)]
        assert state_at(posts, T0 + MS) is State.BROADCAST
        assert state_at(posts, T0 + 10 * DAY) is State.BROADCAST

    def test_a_team_root_with_a_reply_is_a_dialogue(self) -> None:
        # The team took part (the root) and someone posted after it: the team is expected.
        assert state_at([root(ME), reply(BOB, H)], T0 + 2 * H) is State.AWAITING
        assert state_at([root(ME), reply(BOB, H), reply(ME, 2 * H)], T0 + 3 * H) is State.ANSWERED

    def test_awaiting_us_when_someone_posts_after_the_team(self) -> None:
        posts = [root(), reply(ME, H), reply(ALICE, 2 * H)]
        assert state_at(posts, T0 + 2 * H) is State.AWAITING
        assert state_at(posts, T0 + 20 * DAY) is State.AWAITING

    def test_awaiting_needs_the_team_to_have_taken_part(self) -> None:
        assert state_at([root(), reply(BOB, H), reply(ALICE, 2 * H)], T0 + 3 * H) is (
            State.ANSWERED
        )

    def test_a_bot_after_the_team_does_not_make_it_awaiting(self) -> None:
        posts = [root(), reply(ME, H), reply(BOT, 2 * H, human=False)]
        assert state_at(posts, T0 + 3 * H) is State.ANSWERED

    def test_awaiting_comes_before_stalled(self) -> None:
        posts = [root(), reply(ME, H), reply(ALICE, 2 * H, asks_question=True)]
        assert state_at(posts, T0 + 2 * H + FORUM_STALLED_AFTER) is State.AWAITING

    def test_stalled_at_exactly_the_threshold_on_a_forum(self) -> None:
        posts = [root(asks_question=True), reply(BOB, H, asks_question=True)]
        quiet_since = T0 + H
        assert state_at(posts, quiet_since + FORUM_STALLED_AFTER - MS) is State.ANSWERED
        assert state_at(posts, quiet_since + FORUM_STALLED_AFTER) is State.STALLED
        assert state_at(posts, quiet_since + FORUM_STALLED_AFTER + MS) is State.STALLED

    def test_chat_platforms_stall_after_a_day(self) -> None:
        posts = [root(), reply(BOB, H), reply(ALICE, 2 * H)]
        chat = thresholds(PlatformKind.CHAT)
        assert chat.stalled_after == CHAT_STALLED_AFTER == timedelta(hours=24)
        quiet_since = T0 + 2 * H
        assert state_at(posts, quiet_since + 24 * H - MS, limits=chat) is State.ANSWERED
        assert state_at(posts, quiet_since + 24 * H, limits=chat) is State.STALLED
        assert state_at(posts, quiet_since + 24 * H, limits=thresholds()) is State.ANSWERED

    def test_an_answered_question_that_went_quiet_is_answered_not_stalled(self) -> None:
        posts = [root(asks_question=True), reply(BOB, H, asks_question=False)]
        assert state_at(posts, T0 + 29 * DAY) is State.ANSWERED

    def test_abandoned_at_exactly_the_threshold(self) -> None:
        posts = [root()]
        assert state_at(posts, T0 + 30 * DAY - MS) is State.UNANSWERED
        assert state_at(posts, T0 + 30 * DAY) is State.ABANDONED
        stalled = [root(), reply(BOB, H), reply(ALICE, 2 * H)]
        assert state_at(stalled, T0 + 2 * H + 30 * DAY - MS) is State.STALLED
        assert state_at(stalled, T0 + 2 * H + 30 * DAY) is State.ABANDONED

    def test_abandoned_counts_from_the_last_activity(self) -> None:
        posts = [root(), reply(ALICE, 20 * DAY)]  # only the author came back, but it is activity
        assert state_at(posts, T0 + 40 * DAY) is State.UNANSWERED
        assert state_at(posts, T0 + 50 * DAY) is State.ABANDONED

    def test_abandoned_comes_before_broadcast_and_awaiting(self) -> None:
        assert state_at([root(ME)], T0 + 31 * DAY) is State.ABANDONED
        assert state_at([root(), reply(ME, H), reply(ALICE, 2 * H)], T0 + 31 * DAY) is (
            State.ABANDONED
        )

    def test_resolved_or_closed_wins_over_everything(self) -> None:
        for posts in ([root()], [root(ME)], [root(), reply(ME, H), reply(ALICE, 2 * H)]):
            for now in (T0 + MS, T0 + 5 * H, T0 + 100 * DAY):
                assert state_at(posts, now, resolved=True) is State.RESOLVED

    def test_a_deleted_root_takes_the_thread_out(self) -> None:
        assert state_at([root(deleted=True)], T0 + 5 * H) is State.RESOLVED

    def test_the_team_is_a_parameter_not_a_stored_fact(self) -> None:
        posts = [root(), reply(BOB, H), reply(ALICE, 2 * H)]
        assert state_at(posts, T0 + 3 * H) is State.ANSWERED
        assert state_at(posts, T0 + 3 * H, team=frozenset({BOB})) is State.AWAITING

    def test_queue_states(self) -> None:
        assert frozenset({State.UNANSWERED, State.STALLED, State.AWAITING}) == QUEUE_STATES


# --- thresholds and deadlines ---------------------------------------------------------------


class TestThresholds:
    def test_defaults_per_platform_kind(self) -> None:
        assert thresholds(PlatformKind.FORUM).stalled_after == timedelta(hours=72)
        assert thresholds(PlatformKind.CHAT).stalled_after == timedelta(hours=24)

    def test_an_explicit_stalled_threshold_overrides_the_platform_default(self) -> None:
        limits = thresholds(PlatformKind.CHAT, stalled_after_hours=6.5)
        assert limits.stalled_after == timedelta(hours=6, minutes=30)

    def test_deadlines(self) -> None:
        limits = thresholds(unanswered_after_hours=0.5, abandoned_after_days=7)
        facts = compute_facts([root(), reply(BOB, H), reply(ALICE, 5 * H)], TEAM, T0)
        d = compute_deadlines(facts, limits)
        assert d.unanswered_at == T0 + timedelta(minutes=30)
        assert d.stalled_at == T0 + 5 * H + FORUM_STALLED_AFTER
        assert d.abandoned_at == T0 + 5 * H + 7 * DAY
        # Monday 11:00 Amsterdam + 4 business hours
        assert d.sla_due_at == datetime(2026, 11, 16, 14, 0, tzinfo=UTC)

    def test_the_sla_counts_business_hours_in_the_accounts_zone_across_dst(self) -> None:
        # Friday 27 March 2026, 16:00 in Amsterdam (CET); the clocks go forward on Sunday.
        friday = datetime(2026, 3, 27, 15, 0, tzinfo=UTC)
        facts = compute_facts([root(at=friday)], TEAM, friday)
        amsterdam = compute_deadlines(facts, thresholds())
        kathmandu = compute_deadlines(facts, thresholds(tz=ZoneInfo("Asia/Kathmandu")))
        # 1 h on Friday, 3 h from Monday 09:00 CEST (07:00 UTC).
        assert amsterdam.sla_due_at == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
        # 20:45 in Kathmandu: closed; Monday 09:00 +05:45 is 03:15 UTC, plus 4 h.
        assert kathmandu.sla_due_at == datetime(2026, 3, 30, 7, 15, tzinfo=UTC)

    def test_a_zero_threshold_makes_a_thread_unanswered_at_once(self) -> None:
        limits = thresholds(unanswered_after_hours=0)
        assert state_at([root()], T0, limits=limits) is State.UNANSWERED


# --- triage status --------------------------------------------------------------------------


class TestTriageStatus:
    def test_open_stays_open(self) -> None:
        assert effective_status(Triage(), T0, T0) is TriageStatus.OPEN

    def test_done_until_a_newer_non_team_post(self) -> None:
        done = Triage(TriageStatus.DONE, status_at=T0)
        assert effective_status(done, None, T0 + DAY) is TriageStatus.DONE
        assert effective_status(done, T0 - H, T0 + DAY) is TriageStatus.DONE
        assert effective_status(done, T0, T0 + DAY) is TriageStatus.DONE, "not newer"
        assert effective_status(done, T0 + MS, T0 + DAY) is TriageStatus.OPEN

    def test_a_reply_written_before_done_that_arrives_after_it_reopens(self) -> None:
        posts = [root(), reply(ME, H), reply(ALICE, 2 * H, arrived_at=T0 + 5 * H)]
        facts = compute_facts(posts, TEAM, T0)
        done = Triage(TriageStatus.DONE, status_at=T0 + 3 * H)
        assert facts.last_nonteam_post_at is not None
        assert facts.last_nonteam_post_at < T0 + 3 * H
        assert effective_status(done, facts.last_nonteam_arrival_at, T0 + 6 * H) is (
            TriageStatus.OPEN
        )

    def test_done_without_a_time_stays_done(self) -> None:
        assert effective_status(Triage(TriageStatus.DONE), T0, T0) is TriageStatus.DONE

    def test_snoozed_until_a_time_wakes_exactly_then(self) -> None:
        snoozed = Triage(TriageStatus.SNOOZED, status_at=T0, snooze_until=T0 + DAY)
        assert effective_status(snoozed, T0 + H, T0 + DAY - MS) is TriageStatus.SNOOZED
        assert effective_status(snoozed, T0 + H, T0 + DAY) is TriageStatus.OPEN

    def test_a_timed_snooze_ignores_new_posts(self) -> None:
        snoozed = Triage(TriageStatus.SNOOZED, status_at=T0, snooze_until=T0 + DAY)
        assert effective_status(snoozed, T0 + H, T0 + 2 * H) is TriageStatus.SNOOZED

    def test_snoozed_until_a_reply(self) -> None:
        snoozed = Triage(TriageStatus.SNOOZED, status_at=T0, snooze_until_reply=True)
        assert effective_status(snoozed, None, T0 + 100 * DAY) is TriageStatus.SNOOZED
        assert effective_status(snoozed, T0, T0 + H) is TriageStatus.SNOOZED
        assert effective_status(snoozed, T0 + MS, T0 + H) is TriageStatus.OPEN

    def test_snoozed_until_a_time_or_a_reply_whichever_first(self) -> None:
        snoozed = Triage(
            TriageStatus.SNOOZED, status_at=T0, snooze_until=T0 + DAY, snooze_until_reply=True
        )
        assert effective_status(snoozed, None, T0 + H) is TriageStatus.SNOOZED
        assert effective_status(snoozed, T0 + H, T0 + 2 * H) is TriageStatus.OPEN
        assert effective_status(snoozed, None, T0 + DAY) is TriageStatus.OPEN

    def test_a_team_post_does_not_reopen(self) -> None:
        # The caller passes the last *non-team* post: team posts never reach this rule.
        facts = compute_facts([root(), reply(ME, 2 * H)], TEAM, T0)
        done = Triage(TriageStatus.DONE, status_at=T0 + H)
        assert effective_status(done, facts.last_nonteam_arrival_at, T0 + 3 * H) is (
            TriageStatus.DONE
        )
        facts = compute_facts([root(), reply(ME, 2 * H), reply(BOB, 3 * H)], TEAM, T0)
        assert effective_status(done, facts.last_nonteam_arrival_at, T0 + 3 * H) is (
            TriageStatus.OPEN
        )
