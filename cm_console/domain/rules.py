"""The triage rules of DESIGN.md §2: facts per thread, deadlines, states and triage status.

Facts are derived from a thread's posts and the team; they are what the store keeps. Deadlines add
the thresholds (so a threshold change is a cheap recompute, never a re-fetch). The state follows
from facts, deadlines and ``now``; the store evaluates the very same rule in SQL, and a test keeps
the two in step.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cm_console.domain.calendar import BusinessHours
from cm_console.domain.model import PlatformKind, PostKind

FORUM_STALLED_AFTER = timedelta(hours=72)
CHAT_STALLED_AFTER = timedelta(hours=24)


class State(enum.StrEnum):
    """One state per thread; the first matching rule wins, in this order."""

    RESOLVED = "resolved"
    ABANDONED = "abandoned"
    BROADCAST = "broadcast"
    NEW = "new"
    UNANSWERED = "unanswered"
    AWAITING = "awaiting"
    STALLED = "stalled"
    ANSWERED = "answered"


QUEUE_STATES = frozenset({State.UNANSWERED, State.STALLED, State.AWAITING})
"""States that put an open thread in the triage queue."""


class TriageStatus(enum.StrEnum):
    """The local triage status of a thread (not a platform state)."""

    OPEN = "open"
    SNOOZED = "snoozed"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class PostFact:
    """What the rules need to know about one post."""

    author_id: int
    created_at: datetime
    is_root: bool = False
    kind: PostKind = PostKind.REGULAR
    deleted: bool = False
    human: bool = True
    """False for bots, automations and system messages."""
    asks_question: bool = False
    acked_by_other: bool = False
    """Has a reaction or like from someone other than its author."""
    arrived_at: datetime | None = None
    """When the console first stored the post (None: as it was created)."""

    @property
    def arrival(self) -> datetime:
        """When the post reached the console: never before it was written."""
        if self.arrived_at is None or self.arrived_at < self.created_at:
            return self.created_at
        return self.arrived_at


@dataclass(frozen=True, slots=True)
class ThreadFacts:
    """Per-thread facts maintained at ingest; states are computed from these."""

    root_at: datetime
    root_author_id: int | None = None
    root_by_team: bool = False
    root_deleted: bool = False
    root_asks_question: bool = False
    acknowledged: bool = False
    first_reply_at: datetime | None = None
    """Time of the first qualifying reply."""
    first_team_reply_at: datetime | None = None
    reply_count: int = 0
    """Visible, non-deleted replies (any author)."""
    qualifying_reply_count: int = 0
    participant_count: int = 0
    last_activity_at: datetime | None = None
    last_post_author_id: int | None = None
    open_end: bool = False
    """The discussion ended on an open end: a question, or a follow-up by the root author."""
    last_team_post_at: datetime | None = None
    last_nonteam_post_at: datetime | None = None
    last_nonteam_arrival_at: datetime | None = None
    """The latest arrival of a non-team post (see :attr:`PostFact.arrival`): a done thread
    re-opens when this is after the status was set, also for a reply written earlier that only
    arrived later (posted while the console was offline, or synced late)."""

    @property
    def activity_at(self) -> datetime:
        return self.last_activity_at or self.root_at


def is_qualifying_reply(post: PostFact, root_author_id: int | None, root_at: datetime) -> bool:
    """A reply that answers: visible, not deleted, human, by someone else, after the root."""
    return (
        not post.is_root
        and not post.deleted
        and post.human
        and post.kind is PostKind.REGULAR
        and post.author_id != root_author_id
        and post.created_at > root_at
    )


def compute_facts(
    posts: Iterable[PostFact], team: Collection[int], thread_created_at: datetime
) -> ThreadFacts:
    """Derive a thread's facts from its posts (in any order) and the team's person ids.

    Args:
        posts: every stored post of the thread, tombstones included.
        team: local person ids counted as "us" for this account.
        thread_created_at: the thread's creation time, used when the root is not stored yet.
    """
    ordered = sorted(posts, key=lambda p: (p.created_at, not p.is_root))
    root = next((p for p in ordered if p.is_root), None)
    root_at = root.created_at if root is not None else thread_created_at
    root_author = root.author_id if root is not None else None

    first_reply: datetime | None = None
    first_team_reply: datetime | None = None
    replies = qualifying = 0
    participants: set[int] = set()
    last_human: PostFact | None = None
    last_team: datetime | None = None
    last_nonteam: datetime | None = None
    last_arrival: datetime | None = None

    for post in ordered:
        if post.deleted or not post.kind.visible:
            continue
        if not post.is_root:
            replies += 1
        if not post.human:
            continue
        participants.add(post.author_id)
        last_human = post
        if post.author_id in team:
            last_team = post.created_at
        else:
            last_nonteam = post.created_at
            if last_arrival is None or post.arrival > last_arrival:
                last_arrival = post.arrival
        if is_qualifying_reply(post, root_author, root_at):
            qualifying += 1
            if first_reply is None:
                first_reply = post.created_at
            if first_team_reply is None and post.author_id in team:
                first_team_reply = post.created_at

    open_end = False
    if last_human is not None and not last_human.is_root:
        open_end = last_human.asks_question or last_human.author_id == root_author

    return ThreadFacts(
        root_at=root_at,
        root_author_id=root_author,
        root_by_team=root_author is not None and root_author in team,
        root_deleted=root is not None and root.deleted,
        root_asks_question=root is not None and root.asks_question,
        acknowledged=root is not None and root.acked_by_other,
        first_reply_at=first_reply,
        first_team_reply_at=first_team_reply,
        reply_count=replies,
        qualifying_reply_count=qualifying,
        participant_count=len(participants),
        last_activity_at=last_human.created_at if last_human is not None else root_at,
        last_post_author_id=last_human.author_id if last_human is not None else None,
        open_end=open_end,
        last_team_post_at=last_team,
        last_nonteam_post_at=last_nonteam,
        last_nonteam_arrival_at=last_arrival,
    )


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Effective thresholds for one container (account settings plus container overrides)."""

    unanswered_after: timedelta
    stalled_after: timedelta
    abandoned_after: timedelta
    sla_hours: float
    business_hours: BusinessHours

    @classmethod
    def build(
        cls,
        *,
        unanswered_after_hours: float,
        stalled_after_hours: float | None,
        abandoned_after_days: float,
        sla_hours: float,
        business_hours: str,
        tz: tzinfo,
        platform_kind: PlatformKind,
    ) -> Thresholds:
        """Thresholds from setting values (``stalled_after_hours=None``: the platform default)."""
        if stalled_after_hours is None:
            stalled = (
                FORUM_STALLED_AFTER if platform_kind is PlatformKind.FORUM else CHAT_STALLED_AFTER
            )
        else:
            stalled = timedelta(hours=stalled_after_hours)
        return cls(
            unanswered_after=timedelta(hours=unanswered_after_hours),
            stalled_after=stalled,
            abandoned_after=timedelta(days=abandoned_after_days),
            sla_hours=sla_hours,
            business_hours=BusinessHours.parse(business_hours, tz),
        )


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The instants at which a thread's state changes by itself as time passes."""

    unanswered_at: datetime
    """No qualifying reply by then: new → unanswered."""
    stalled_at: datetime
    """Quiet since then: an open-ended discussion becomes stalled."""
    abandoned_at: datetime
    """Quiet since then: out of the queue."""
    sla_due_at: datetime
    """First-response target (business hours after the root)."""


def compute_deadlines(facts: ThreadFacts, thresholds: Thresholds) -> Deadlines:
    """Turn facts and thresholds into the deadlines the state query compares with ``now``."""
    activity = facts.activity_at
    return Deadlines(
        unanswered_at=facts.root_at + thresholds.unanswered_after,
        stalled_at=activity + thresholds.stalled_after,
        abandoned_at=activity + thresholds.abandoned_after,
        sla_due_at=thresholds.business_hours.add(facts.root_at, thresholds.sla_hours),
    )


def thread_state(
    facts: ThreadFacts, deadlines: Deadlines, *, resolved: bool, now: datetime
) -> State:
    """The one state of a thread at ``now`` (first match wins, DESIGN.md §2).

    Args:
        resolved: accepted answer, ``✔`` topic, or closed/locked/archived on the platform.
    """
    if resolved or facts.root_deleted:
        return State.RESOLVED
    if deadlines.abandoned_at <= now:
        return State.ABANDONED
    if facts.first_reply_at is None:
        if facts.root_by_team:
            return State.BROADCAST
        if deadlines.unanswered_at > now:
            return State.NEW
        return State.UNANSWERED
    if (
        facts.last_team_post_at is not None
        and facts.last_nonteam_post_at is not None
        and facts.last_nonteam_post_at > facts.last_team_post_at
    ):
        return State.AWAITING
    if facts.open_end and deadlines.stalled_at <= now:
        return State.STALLED
    return State.ANSWERED


@dataclass(frozen=True, slots=True)
class Triage:
    """The stored triage status of a thread, as set by a community manager."""

    status: TriageStatus = TriageStatus.OPEN
    status_at: datetime | None = None
    snooze_until: datetime | None = None
    snooze_until_reply: bool = False


def effective_status(
    triage: Triage, last_nonteam_arrival_at: datetime | None, now: datetime
) -> TriageStatus:
    """The status in force at ``now``: done and snooze-until-reply re-open on a new non-team post,
    and a timed snooze wakes at its time.

    Args:
        last_nonteam_arrival_at: :attr:`ThreadFacts.last_nonteam_arrival_at`; a post is new when
            it arrived after the status was set.
    """
    newer_post = (
        last_nonteam_arrival_at is not None
        and triage.status_at is not None
        and last_nonteam_arrival_at > triage.status_at
    )
    if triage.status is TriageStatus.DONE:
        return TriageStatus.OPEN if newer_post else TriageStatus.DONE
    if triage.status is TriageStatus.SNOOZED:
        if triage.snooze_until is not None and now >= triage.snooze_until:
            return TriageStatus.OPEN
        if triage.snooze_until_reply and newer_post:
            return TriageStatus.OPEN
        return TriageStatus.SNOOZED
    return TriageStatus.OPEN
