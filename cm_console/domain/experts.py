"""Who could answer this? Ranking colleagues from what they answered before, and the nudge
ladder that follows a prompt up.

The store gathers evidence (qualifying replies by each colleague in the same community, on the
same tags and on similar threads, with their dates, accepted answers and reactions); these rules
weigh it. Recent answers count more; colleagues asked often lately count less, so the same few
people are not always the ones asked. Every suggestion says why.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

HALF_LIFE = timedelta(days=60)
SIMILAR_WEIGHT = 3.0
TAG_WEIGHT = 1.5
COMMUNITY_WEIGHT = 1.0
ACCEPTED_BONUS = 2.0
ACKNOWLEDGED_BONUS = 0.5
LOAD_PENALTY = 0.5
"""Each prompt in the last week divides the score by another (1 + this)."""
MAX_STEPS = 3


class Source(enum.StrEnum):
    """Why a reply counts as evidence for a thread."""

    SIMILAR = "similar"
    COMMUNITY = "community"
    TAG = "tag"


@dataclass(frozen=True, slots=True)
class Answer:
    """One qualifying reply by a colleague, as evidence."""

    identity: str
    """The colleague (a linked identity across accounts, or a single person)."""
    at: datetime
    sources: frozenset[Source]
    accepted: bool = False
    acknowledged: bool = False


@dataclass(frozen=True, slots=True)
class Load:
    """How often a colleague was prompted lately."""

    last_week: int = 0
    today: int = 0


class ReasonCode(enum.StrEnum):
    SIMILAR = "similar"
    COMMUNITY = "community"
    TAG = "tag"
    ACCEPTED = "accepted"
    LAST_ANSWER = "last_answer"
    BUSY = "busy"
    LIMIT = "limit"


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    count: int = 0
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A colleague who could answer, the score and the reasons behind it."""

    identity: str
    score: float
    reasons: tuple[Reason, ...] = ()
    limited: bool = False
    """Already prompted as often today as the limit allows."""
    answers: int = 0
    last_answer_at: datetime | None = None


def recency(at: datetime, now: datetime) -> float:
    """Weight of an answer given ``at``: 1 now, halving every :data:`HALF_LIFE`."""
    age = max(timedelta(0), now - at)
    return math.pow(0.5, age / HALF_LIFE)


@dataclass(slots=True)
class _Tally:
    score: float = 0.0
    counts: dict[Source, int] = field(default_factory=dict)
    accepted: int = 0
    answers: int = 0
    last: datetime | None = None


def rank(
    answers: Iterable[Answer],
    now: datetime,
    *,
    load: dict[str, Load] | None = None,
    limit_per_day: int = 3,
    exclude: Sequence[str] = (),
) -> list[Suggestion]:
    """Colleagues ordered by how likely they can answer, with reasons.

    Args:
        answers: the evidence (see :class:`Answer`).
        load: recent prompts per identity (for load balancing and the daily limit).
        limit_per_day: prompts per colleague per day; at the limit a colleague is listed last
            and marked ``limited``.
        exclude: identities never suggested (the thread's author, the team).
    """
    load = load or {}
    tallies: dict[str, _Tally] = {}
    skip = set(exclude)
    for answer in answers:
        if answer.identity in skip:
            continue
        tally = tallies.setdefault(answer.identity, _Tally())
        weight = recency(answer.at, now)
        factor = 0.0
        for source in answer.sources:
            tally.counts[source] = tally.counts.get(source, 0) + 1
            factor += {
                Source.SIMILAR: SIMILAR_WEIGHT,
                Source.TAG: TAG_WEIGHT,
                Source.COMMUNITY: COMMUNITY_WEIGHT,
            }[source]
        if answer.accepted:
            factor += ACCEPTED_BONUS
            tally.accepted += 1
        if answer.acknowledged:
            factor += ACKNOWLEDGED_BONUS
        tally.score += factor * weight
        tally.answers += 1
        if tally.last is None or answer.at > tally.last:
            tally.last = answer.at
    out: list[Suggestion] = []
    for identity, tally in tallies.items():
        recent = load.get(identity, Load())
        score = tally.score / (1 + LOAD_PENALTY * recent.last_week)
        reasons = [
            Reason(ReasonCode(source.value), count)
            for source, count in sorted(tally.counts.items(), key=lambda kv: -kv[1])
        ]
        if tally.accepted:
            reasons.append(Reason(ReasonCode.ACCEPTED, tally.accepted))
        if tally.last is not None:
            reasons.append(Reason(ReasonCode.LAST_ANSWER, at=tally.last))
        if recent.last_week:
            reasons.append(Reason(ReasonCode.BUSY, recent.last_week))
        limited = recent.today >= limit_per_day
        if limited:
            reasons.append(Reason(ReasonCode.LIMIT, recent.today))
        out.append(
            Suggestion(
                identity, round(score, 4), tuple(reasons), limited, tally.answers, tally.last
            )
        )
    out.sort(key=lambda s: (s.limited, -s.score, s.identity))
    return out


# --- the nudge ladder ---------------------------------------------------------------------------


class Via(enum.StrEnum):
    MENTION = "mention"
    DM = "dm"


class NextStep(enum.StrEnum):
    """What to do when a prompted colleague has not answered in time."""

    DM = "dm"
    """After a public mention: a direct message to the same colleague."""
    ESCALATE = "escalate"
    """After a direct message: another expert, or the community owner."""
    NONE = "none"


@dataclass(frozen=True, slots=True)
class PromptRecord:
    """A prompt as the ladder sees it."""

    person_id: int
    via: Via
    step: int
    prompted_at: datetime
    deadline_at: datetime
    answered_at: datetime | None = None
    closed: bool = False

    def overdue(self, now: datetime) -> bool:
        return self.answered_at is None and not self.closed and now >= self.deadline_at


def next_step(history: Sequence[PromptRecord], now: datetime) -> tuple[NextStep, int | None]:
    """The ladder's next rung for a thread, and whom it concerns (None: choose someone new).

    Nothing is due until the latest open prompt is overdue; an answer ends the ladder.
    """
    open_prompts = [p for p in history if not p.closed]
    if not open_prompts:
        return NextStep.NONE, None
    latest = max(open_prompts, key=lambda p: p.prompted_at)
    if latest.answered_at is not None or not latest.overdue(now):
        return NextStep.NONE, None
    if latest.via is Via.MENTION:
        return NextStep.DM, latest.person_id
    return NextStep.ESCALATE, None


def step_for(history: Sequence[PromptRecord]) -> int:
    """The rung a new prompt on this thread is on (1: first ask … 3: escalation)."""
    unanswered = sum(1 for p in history if p.answered_at is None)
    return min(MAX_STEPS, unanswered + 1)
