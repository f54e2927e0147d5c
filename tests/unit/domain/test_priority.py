"""Explainable priority: the reasons, their weights, and the sum the queue is sorted by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cm_console.domain.priority import (
    BASE_WEIGHT,
    NEWCOMER_WEIGHT,
    PAST_SLA_WEIGHT,
    PROMPT_UNANSWERED_WEIGHT,
    QUESTION_WEIGHT,
    WAITING_CAP,
    WAITING_STEP,
    ReasonCode,
    explain,
    priority,
    waiting_points,
    waiting_since,
)
from cm_console.domain.rules import QUEUE_STATES, Deadlines, State, ThreadFacts

T0 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
H = timedelta(hours=1)
MS = timedelta(milliseconds=1)
FAR = datetime(2100, 1, 1, tzinfo=UTC)


def deadlines(sla_due_at: datetime = FAR) -> Deadlines:
    return Deadlines(unanswered_at=T0, stalled_at=FAR, abandoned_at=FAR, sla_due_at=sla_due_at)


def codes(reasons: tuple[object, ...]) -> list[ReasonCode]:
    return [r.code for r in reasons]  # type: ignore[attr-defined]


class TestWeights:
    def test_the_documented_weights(self) -> None:
        assert dict(BASE_WEIGHT) == {State.UNANSWERED: 30, State.AWAITING: 25, State.STALLED: 15}
        assert (PAST_SLA_WEIGHT, QUESTION_WEIGHT, NEWCOMER_WEIGHT) == (30, 10, 10)
        assert PROMPT_UNANSWERED_WEIGHT == 20
        assert timedelta(hours=4) == WAITING_STEP
        assert WAITING_CAP == 20

    @pytest.mark.parametrize(
        "state",
        [State.NEW, State.ANSWERED, State.BROADCAST, State.RESOLVED, State.ABANDONED],
    )
    def test_states_outside_the_queue_have_no_reasons(self, state: State) -> None:
        facts = ThreadFacts(root_at=T0, root_asks_question=True, acknowledged=True)
        assert explain(state, facts, deadlines(T0), T0 + 100 * H, by_newcomer=True) == ()


class TestUnanswered:
    def test_a_plain_unanswered_thread(self) -> None:
        reasons = explain(State.UNANSWERED, ThreadFacts(root_at=T0), deadlines(), T0 + H)
        assert codes(reasons) == [ReasonCode.UNANSWERED]
        assert priority(reasons) == 30
        assert reasons[0].params == {"since": T0}

    def test_every_reason_at_once(self) -> None:
        facts = ThreadFacts(root_at=T0, root_asks_question=True, acknowledged=True)
        now = T0 + 10 * H
        reasons = explain(
            State.UNANSWERED,
            facts,
            deadlines(T0 + 4 * H),
            now,
            by_newcomer=True,
            prompt_unanswered=True,
        )
        assert codes(reasons) == [
            ReasonCode.UNANSWERED,
            ReasonCode.PAST_SLA,
            ReasonCode.QUESTION,
            ReasonCode.NEWCOMER,
            ReasonCode.ACKNOWLEDGED_ONLY,
            ReasonCode.PROMPT_UNANSWERED,
            ReasonCode.WAITING,
        ]
        assert priority(reasons) == 30 + 30 + 10 + 10 + 0 + 20 + 2
        assert reasons[1].params == {"due": T0 + 4 * H}

    def test_past_the_sla_exactly_at_the_due_time(self) -> None:
        due = T0 + 4 * H
        facts = ThreadFacts(root_at=T0)
        before = explain(State.UNANSWERED, facts, deadlines(due), due - MS)
        at = explain(State.UNANSWERED, facts, deadlines(due), due)
        assert ReasonCode.PAST_SLA not in codes(before)
        assert ReasonCode.PAST_SLA in codes(at)

    def test_acknowledged_only_is_shown_but_weighs_nothing(self) -> None:
        plain = explain(State.UNANSWERED, ThreadFacts(root_at=T0), deadlines(), T0 + H)
        acked = explain(
            State.UNANSWERED, ThreadFacts(root_at=T0, acknowledged=True), deadlines(), T0 + H
        )
        assert ReasonCode.ACKNOWLEDGED_ONLY in codes(acked)
        assert priority(acked) == priority(plain)


class TestOtherQueueStates:
    def test_awaiting_waits_since_the_last_non_team_post(self) -> None:
        facts = ThreadFacts(
            root_at=T0,
            first_reply_at=T0 + H,
            last_team_post_at=T0 + H,
            last_nonteam_post_at=T0 + 2 * H,
            root_asks_question=True,
        )
        reasons = explain(
            State.AWAITING, facts, deadlines(T0), T0 + 2 * H + 8 * H, by_newcomer=True
        )
        assert codes(reasons) == [ReasonCode.AWAITING_US, ReasonCode.WAITING]
        assert priority(reasons) == 25 + 2, "question, newcomer and SLA only raise unanswered"
        assert waiting_since(State.AWAITING, facts) == T0 + 2 * H

    def test_stalled_waits_since_the_last_activity(self) -> None:
        facts = ThreadFacts(root_at=T0, first_reply_at=T0 + H, last_activity_at=T0 + 3 * H)
        reasons = explain(State.STALLED, facts, deadlines(), T0 + 3 * H + 4 * H)
        assert codes(reasons) == [ReasonCode.STALLED, ReasonCode.WAITING]
        assert priority(reasons) == 15 + 1
        assert waiting_since(State.STALLED, facts) == T0 + 3 * H

    def test_a_prompt_nobody_answered_raises_any_queue_state(self) -> None:
        facts = ThreadFacts(root_at=T0, last_activity_at=T0)
        for state in QUEUE_STATES:
            without = priority(explain(state, facts, deadlines(), T0))
            with_prompt = priority(explain(state, facts, deadlines(), T0, prompt_unanswered=True))
            assert with_prompt == without + PROMPT_UNANSWERED_WEIGHT


class TestWaiting:
    @pytest.mark.parametrize(
        ("waited", "points"),
        [
            (-H, 0),
            (timedelta(0), 0),
            (WAITING_STEP - MS, 0),
            (WAITING_STEP, 1),
            (2 * WAITING_STEP - MS, 1),
            (2 * WAITING_STEP, 2),
            (WAITING_CAP * WAITING_STEP - MS, WAITING_CAP - 1),
            (WAITING_CAP * WAITING_STEP, WAITING_CAP),
            (1000 * WAITING_STEP, WAITING_CAP),
        ],
    )
    def test_one_point_per_step_capped(self, waited: timedelta, points: int) -> None:
        assert waiting_points(T0, T0 + waited) == points

    def test_no_waiting_reason_without_points(self) -> None:
        reasons = explain(State.UNANSWERED, ThreadFacts(root_at=T0), deadlines(), T0 + MS)
        assert ReasonCode.WAITING not in codes(reasons)


@given(
    state=st.sampled_from(sorted(QUEUE_STATES)),
    waited=st.integers(0, 200 * 3600 * 1000),
    question=st.booleans(),
    newcomer=st.booleans(),
    prompt=st.booleans(),
    past_sla=st.booleans(),
)
def test_priority_is_the_sum_of_the_reasons(
    state: State, waited: int, question: bool, newcomer: bool, prompt: bool, past_sla: bool
) -> None:
    now = T0 + timedelta(milliseconds=waited)
    facts = ThreadFacts(
        root_at=T0, last_activity_at=T0, last_nonteam_post_at=T0, root_asks_question=question
    )
    due = now if past_sla else now + MS
    reasons = explain(
        state, facts, deadlines(due), now, by_newcomer=newcomer, prompt_unanswered=prompt
    )
    assert priority(reasons) == sum(r.weight for r in reasons)
    assert len({r.code for r in reasons}) == len(reasons), "each reason once"
    expected = BASE_WEIGHT[state] + waiting_points(T0, now) + (20 if prompt else 0)
    if state is State.UNANSWERED:
        expected += (30 if past_sla else 0) + (10 if question else 0) + (10 if newcomer else 0)
    assert priority(reasons) == expected
