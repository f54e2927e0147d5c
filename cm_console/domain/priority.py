"""Explainable priority: every queue item carries the reasons that raised it.

The priority is the sum of the reasons' weights, so "why is this here?" adds up to the number the
queue is sorted by. The store orders the queue by the same sum in SQL, built from the weights
below; a test checks that both agree.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cm_console.domain.rules import Deadlines, State, ThreadFacts


class ReasonCode(enum.StrEnum):
    """Stable reason codes (the CLI's JSON and the UI's "why is this here?" use them)."""

    UNANSWERED = "unanswered"
    AWAITING_US = "awaiting_us"
    STALLED = "stalled"
    PAST_SLA = "past_sla"
    QUESTION = "question"
    NEWCOMER = "newcomer"
    ACKNOWLEDGED_ONLY = "acknowledged_only"
    WAITING = "waiting"
    PROMPT_UNANSWERED = "prompt_unanswered"


BASE_WEIGHT: Mapping[State, int] = {
    State.UNANSWERED: 30,
    State.AWAITING: 25,
    State.STALLED: 15,
}
PAST_SLA_WEIGHT = 30
QUESTION_WEIGHT = 10
NEWCOMER_WEIGHT = 10
PROMPT_UNANSWERED_WEIGHT = 20
WAITING_STEP = timedelta(hours=4)
"""One point per step of waiting…"""
WAITING_CAP = 20
"""…up to this many points."""

_BASE_CODE = {
    State.UNANSWERED: ReasonCode.UNANSWERED,
    State.AWAITING: ReasonCode.AWAITING_US,
    State.STALLED: ReasonCode.STALLED,
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason an item is in the queue, with its weight and the facts behind it."""

    code: ReasonCode
    weight: int
    params: Mapping[str, object] = field(default_factory=dict)


def waiting_since(state: State, facts: ThreadFacts) -> datetime:
    """Since when the item has been waiting on the team, for its state."""
    if state is State.AWAITING and facts.last_nonteam_post_at is not None:
        return facts.last_nonteam_post_at
    if state is State.STALLED:
        return facts.activity_at
    return facts.root_at


def waiting_points(since: datetime, now: datetime) -> int:
    """Points for time spent waiting: one per :data:`WAITING_STEP`, capped."""
    if now <= since:
        return 0
    return min(WAITING_CAP, int((now - since) / WAITING_STEP))


def explain(
    state: State,
    facts: ThreadFacts,
    deadlines: Deadlines,
    now: datetime,
    *,
    by_newcomer: bool = False,
    prompt_unanswered: bool = False,
) -> tuple[Reason, ...]:
    """The reasons for an item in ``state``; empty for states outside the queue."""
    base = BASE_WEIGHT.get(state)
    if base is None:
        if prompt_unanswered and state not in (State.RESOLVED, State.ABANDONED):
            return (Reason(ReasonCode.PROMPT_UNANSWERED, PROMPT_UNANSWERED_WEIGHT),)
        return ()
    since = waiting_since(state, facts)
    reasons = [Reason(_BASE_CODE[state], base, {"since": since})]
    if state is State.UNANSWERED:
        if now >= deadlines.sla_due_at:
            reasons.append(
                Reason(ReasonCode.PAST_SLA, PAST_SLA_WEIGHT, {"due": deadlines.sla_due_at})
            )
        if facts.root_asks_question:
            reasons.append(Reason(ReasonCode.QUESTION, QUESTION_WEIGHT))
        if by_newcomer:
            reasons.append(Reason(ReasonCode.NEWCOMER, NEWCOMER_WEIGHT))
        if facts.acknowledged:
            reasons.append(Reason(ReasonCode.ACKNOWLEDGED_ONLY, 0))
    if prompt_unanswered:
        reasons.append(Reason(ReasonCode.PROMPT_UNANSWERED, PROMPT_UNANSWERED_WEIGHT))
    points = waiting_points(since, now)
    if points:
        reasons.append(Reason(ReasonCode.WAITING, points, {"since": since}))
    return tuple(reasons)


def priority(reasons: tuple[Reason, ...]) -> int:
    """The priority of an item: the sum of its reasons' weights (higher is more urgent)."""
    return sum(r.weight for r in reasons)
