"""Read models: what the queue, the thread pane and the command line show."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from cm_console.domain.model import PostKind, Reaction
from cm_console.domain.priority import Reason
from cm_console.domain.rules import State, TriageStatus


class View(enum.StrEnum):
    """The queue's views (DESIGN.md §6); ``QUEUE`` is the default triage queue."""

    QUEUE = "queue"
    UNANSWERED = "unanswered"
    STALLED = "stalled"
    AWAITING = "awaiting"
    MINE = "mine"
    SNOOZED = "snoozed"
    FLAGGED = "flagged"
    DONE = "done"
    ALL = "all"


class SortKey(enum.StrEnum):
    """Orders the queue can be sorted by (always in SQL)."""

    PRIORITY = "priority"
    WAITING = "waiting"
    ACTIVITY = "activity"
    CREATED = "created"
    TITLE = "title"
    CONTAINER = "container"
    AUTHOR = "author"
    REPLIES = "replies"
    PLATFORM = "platform"
    ASSIGNEE = "assignee"


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """What to list: a view plus filters, evaluated in SQL at ``now``."""

    view: View = View.QUEUE
    account: str | None = None
    container_id: int | None = None
    tag: str | None = None
    search: str | None = None
    sort: SortKey = SortKey.PRIORITY
    descending: bool = True
    user_id: int | None = None
    """The local user for ``mine``."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One row of the queue."""

    id: int
    key: str
    platform: str
    account: str
    account_id: int
    container: str
    container_id: str
    container_local_id: int
    remote_id: str
    title: str
    url: str | None
    author: str
    author_handle: str
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    state: State
    priority: int
    reasons: tuple[Reason, ...]
    tags: tuple[str, ...]
    assignee: str | None
    status: TriageStatus
    flagged: bool
    flag_note: str | None = None
    sla_due_at: datetime | None = None
    waiting_since: datetime | None = None
    snooze_until: datetime | None = None
    acknowledged: bool = False
    pending_ops: int = 0


@dataclass(frozen=True, slots=True)
class PostView:
    """One post as shown in the thread pane."""

    id: int
    remote_id: str
    author: str
    author_handle: str
    author_is_team: bool
    created_at: datetime
    text: str
    html: str | None
    is_root: bool
    kind: PostKind
    deleted: bool
    edited_at: datetime | None = None
    by_bot: bool = False
    reactions: tuple[Reaction, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """An autosaved reply draft."""

    thread_id: int
    user_id: int
    text: str
    base_reply_count: int
    """Replies the thread had when the draft was started (to warn when it moved on)."""
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SavedReply:
    """A reply template with variables (see ``domain.templates``)."""

    id: int
    name: str
    language: str
    body: str


@dataclass(frozen=True, slots=True)
class ViewCounts:
    """Live counts for the sidebar."""

    counts: dict[View, int] = field(default_factory=dict)

    def __getitem__(self, view: View) -> int:
        return self.counts.get(view, 0)
