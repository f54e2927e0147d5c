"""Conversation starters: planned posts and polls with a response plan (DESIGN.md §6).

A starter is sent through the outbox like every other write: an ``OpKind.POST`` operation whose
``next_attempt_at`` is the scheduled time, so whoever drains the outbox first after that time
(the window or ``cm-console sync``) sends it, once. Its status is the operation's state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from cm_console.domain.outbox import OpState

MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 10
MAX_TITLE = 200


class StarterKind(enum.StrEnum):
    POST = "post"
    POLL = "poll"


class StarterStatus(enum.StrEnum):
    """Where a starter is, following its outbox operation."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    PROBLEM = "problem"
    """Failed or needs attention: see the outbox."""
    CANCELLED = "cancelled"


def status_of(state: OpState) -> StarterStatus:
    """The starter's status for its operation's state."""
    if state is OpState.QUEUED:
        return StarterStatus.SCHEDULED
    if state in (OpState.SENDING, OpState.UNKNOWN):
        return StarterStatus.SENDING
    if state is OpState.SENT:
        return StarterStatus.SENT
    if state is OpState.CANCELLED:
        return StarterStatus.CANCELLED
    return StarterStatus.PROBLEM


@dataclass(frozen=True, slots=True)
class DutyMember:
    """Someone on duty to answer: a console user or a colleague on the platform."""

    name: str
    user_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class StarterPlan:
    """What the planner asks for: the post or poll, when, and the response plan."""

    account_id: int
    container_id: int
    kind: StarterKind
    title: str
    text: str
    scheduled_at: datetime
    poll_options: tuple[str, ...] = ()
    on_duty: tuple[DutyMember, ...] = ()
    saved_reply_ids: tuple[int, ...] = ()
    notes: str = ""
    """Expected questions and anything the people on duty should know."""


class PlanProblem(enum.StrEnum):
    """Why a plan cannot be scheduled (the UI and CLI word it)."""

    EMPTY_TEXT = "empty_text"
    TITLE_TOO_LONG = "title_too_long"
    TOO_FEW_OPTIONS = "too_few_options"
    TOO_MANY_OPTIONS = "too_many_options"
    DUPLICATE_OPTIONS = "duplicate_options"


def check_plan(plan: StarterPlan) -> list[PlanProblem]:
    """What is wrong with ``plan`` (empty when it can be scheduled)."""
    problems = []
    if not plan.text.strip():
        problems.append(PlanProblem.EMPTY_TEXT)
    if len(plan.title) > MAX_TITLE:
        problems.append(PlanProblem.TITLE_TOO_LONG)
    if plan.kind is StarterKind.POLL:
        options = [o.strip() for o in plan.poll_options if o.strip()]
        if len(options) < MIN_POLL_OPTIONS:
            problems.append(PlanProblem.TOO_FEW_OPTIONS)
        if len(options) > MAX_POLL_OPTIONS:
            problems.append(PlanProblem.TOO_MANY_OPTIONS)
        if len({o.casefold() for o in options}) != len(options):
            problems.append(PlanProblem.DUPLICATE_OPTIONS)
    return problems


@dataclass(frozen=True, slots=True)
class StarterOutcome:
    """How a sent starter did: its thread, measured by replies, not views.

    Attributes:
        first_reply_hours: business hours from the post to the first qualifying reply.
    """

    thread_id: int
    thread_key: str
    url: str | None
    replies: int
    responders: int
    started_at: datetime | None = None
    first_reply_at: datetime | None = None
    first_reply_hours: float | None = None


@dataclass(frozen=True, slots=True)
class Starter:
    """A planned conversation starter as stored, with its status and (once sent) outcome."""

    id: int
    op_id: str
    account_id: int
    account: str
    platform: str
    container_id: int
    container: str
    kind: StarterKind
    title: str
    text: str
    scheduled_at: datetime
    status: StarterStatus
    poll_options: tuple[str, ...] = ()
    on_duty: tuple[DutyMember, ...] = ()
    saved_reply_ids: tuple[int, ...] = ()
    notes: str = ""
    created_at: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = None
    outcome: StarterOutcome | None = None
