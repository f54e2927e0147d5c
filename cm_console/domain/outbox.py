"""Outbox operations: kinds, states, the allowed transitions and the retry schedule.

An operation is committed locally with a fresh ``op_id`` before any network call. From then on
the state machine below is the only way it moves; the store enforces each step with a
conditional update, so two processes never both send one operation.
"""

from __future__ import annotations

import enum
import hashlib
import random
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


class OpKind(enum.StrEnum):
    """What an operation does on the platform."""

    REPLY = "reply"
    DM = "dm"
    SET_TAGS = "set_tags"
    REACTION = "reaction"
    POST = "post"
    """A new thread (scheduled conversation starters and polls)."""


class OpState(enum.StrEnum):
    """Where an operation is in its life."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    UNKNOWN = "unknown"
    """The request may have reached the server; reconcile before any resend."""
    FAILED = "failed"
    """Refused for good by the platform; shown, never retried automatically."""
    NEEDS_ATTENTION = "needs_attention"
    """Gave up after repeated failures, or reconciliation was inconclusive."""
    CANCELLED = "cancelled"


PENDING_STATES = frozenset({OpState.QUEUED, OpState.SENDING, OpState.UNKNOWN})
"""Operations that will still reach the platform without the user doing anything."""

TRANSITIONS: Mapping[OpState, frozenset[OpState]] = {
    OpState.QUEUED: frozenset({OpState.SENDING, OpState.CANCELLED, OpState.NEEDS_ATTENTION}),
    OpState.SENDING: frozenset(
        {OpState.SENT, OpState.QUEUED, OpState.UNKNOWN, OpState.FAILED, OpState.NEEDS_ATTENTION}
    ),
    OpState.UNKNOWN: frozenset(
        {OpState.SENT, OpState.QUEUED, OpState.SENDING, OpState.NEEDS_ATTENTION}
    ),
    OpState.FAILED: frozenset({OpState.QUEUED, OpState.CANCELLED}),
    OpState.NEEDS_ATTENTION: frozenset({OpState.QUEUED, OpState.CANCELLED}),
    OpState.SENT: frozenset(),
    OpState.CANCELLED: frozenset(),
}
"""Allowed moves. ``unknown → sending`` is the idempotent resend (Matrix transaction id);
``unknown → queued`` only after a conclusive read-back found no copy; ``queued →
needs_attention`` holds a reply back, unsent, when its thread moved on since it was written."""

RETRYABLE_BY_USER = frozenset({OpState.FAILED, OpState.NEEDS_ATTENTION})
CANCELLABLE = frozenset({OpState.QUEUED, OpState.FAILED, OpState.NEEDS_ATTENTION})


def can_move(src: OpState, dst: OpState) -> bool:
    """True when ``src → dst`` is an allowed transition."""
    return dst in TRANSITIONS[src]


class ErrorClass(enum.StrEnum):
    """How a failed attempt is treated (reliability reference §1.4)."""

    RETRYABLE = "retryable"
    """Provably never reached the server, or throttled: queue again after a delay."""
    AMBIGUOUS = "ambiguous"
    """May have reached the server: the operation becomes unknown and is reconciled."""
    PERMANENT = "permanent"
    """Refused: the operation fails and is shown to the user."""
    AUTH = "auth"
    """Credentials refused: needs the user's attention."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One outbox operation as stored."""

    id: int
    op_id: str
    account_id: int
    kind: OpKind
    state: OpState
    payload: Mapping[str, Any]
    thread_id: int | None = None
    attempts: int = 0
    created_at: datetime | None = None
    first_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    next_attempt_at: datetime | None = None
    last_error_code: str | None = None
    last_error: str | None = None
    remote_id: str | None = None
    sent_at: datetime | None = None
    created_by: int | None = None
    base_reply_count: int | None = None
    """Replies the thread had when the draft was written (to warn when it moved on)."""
    extra: Mapping[str, Any] = field(default_factory=dict)


BACKOFF_BASE = timedelta(seconds=15)
BACKOFF_CAP = timedelta(minutes=30)
RETRY_AFTER_CAP = timedelta(hours=1)


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Delay before the next attempt after ``attempts`` failures: exponential with full jitter."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))
    rand = rng.random() if rng is not None else random.random()  # noqa: S311 - jitter, not crypto
    delay: timedelta = ceiling * (0.5 + rand / 2)
    return max(timedelta(seconds=1), delay)


def retry_delay(retry_after: timedelta | None, attempts: int) -> timedelta:
    """The delay to store: the server's own signal when it gave one (capped), else backoff."""
    if retry_after is not None:
        return min(max(retry_after, timedelta(0)), RETRY_AFTER_CAP)
    return backoff(attempts)


def normalize_text(text: str) -> str:
    """Text as compared in reconciliation: NFC, whitespace collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_hash(text: str) -> str:
    """The reconciliation key for a message body (author + this hash identify a copy)."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
