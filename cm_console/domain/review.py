"""Review of flagged threads: reasons, decisions, annotations and the read models of the Review
page, the exports and the review packet.

Annotations and decisions carry a ``uid`` (a UUID made where they were written), so the
manager's console and a reviewer's can exchange them in review packets and merge them by that
id, in either direction and any number of times.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from cm_console.domain.model import (
    Account,
    Person,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)
from cm_console.domain.views import PostView


class FlagReason(enum.StrEnum):
    """Why a thread was flagged for review (the category; the note says more)."""

    CONDUCT = "conduct"
    """Harassment, insults, discrimination: behaviour against the house rules."""
    PRIVACY = "privacy"
    """Personal data shared where it should not be."""
    CONFIDENTIAL = "confidential"
    """Business information that should not be in this community."""
    LEGAL = "legal"
    """Possible legal consequences (claims, liability, intellectual property)."""
    HR = "hr"
    """An employment matter for HR or the works council."""
    OTHER = "other"


class Decision(enum.StrEnum):
    """What a reviewer decided about a flagged thread."""

    KEEP = "keep"
    """Nothing to act on: the conversation stays as it is."""
    ESCALATE = "escalate"
    """Needs someone else (legal, HR, a manager) to act."""
    RESOLVE = "resolve"
    """Acted on and closed."""


class CopyState(enum.StrEnum):
    """How complete the local copy of a flagged thread is."""

    PENDING = "pending"
    """The complete thread is still to be fetched from the platform (offline when flagged)."""
    COMPLETE = "complete"
    """Every post was fetched after the flag and is kept locally."""
    GONE = "gone"
    """The platform no longer has the thread; the local copy is what is left of it."""
    IMPORTED = "imported"
    """Came in a review packet: there is no platform to fetch it from."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A reviewer's note on one post, or on the whole thread (``post_remote_id`` None)."""

    uid: str
    thread_id: int
    post_remote_id: str | None
    author: str
    text: str
    created_at: datetime
    updated_at: datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One decision in a thread's history; the latest one is in force."""

    uid: str
    thread_id: int
    decision: Decision
    reviewer: str
    decided_at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class PostVersion:
    """An earlier text of a post, as it was before an edit replaced it."""

    text: str
    html: str | None
    edited_at: datetime | None
    """When this version itself was written (the post's creation, or an earlier edit)."""
    replaced_at: datetime
    """When the console saw it replaced."""


@dataclass(frozen=True, slots=True)
class ReviewPost:
    """A post as the review shows it: the post, its attachments' names and earlier versions."""

    post: PostView
    author_remote_id: str
    attachments: tuple[str, ...] = ()
    versions: tuple[PostVersion, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One flagged thread in the review list."""

    thread_id: int
    key: str
    platform: str
    account: str
    container: str
    title: str
    url: str | None
    author: str
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    flag_note: str | None
    flag_reason: FlagReason | None
    flagged_at: datetime | None
    copy_state: CopyState
    copied_at: datetime | None = None
    copy_error: str | None = None
    upstream_deleted_at: datetime | None = None
    decision: DecisionRecord | None = None
    annotation_count: int = 0
    imported: bool = False


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    """A flagged thread with everything the reading pane and the exports show."""

    item: ReviewItem
    posts: tuple[ReviewPost, ...]
    annotations: tuple[Annotation, ...] = ()
    """Every annotation, oldest first, removed ones included (packets carry the removal)."""
    decisions: tuple[DecisionRecord, ...] = ()
    """The decision history, oldest first."""
    people: tuple[Person, ...] = ()
    """The people of the thread: authors and everyone who reacted."""

    @property
    def live_annotations(self) -> list[Annotation]:
        return [a for a in self.annotations if not a.deleted]

    def annotations_for(self, post_remote_id: str | None) -> list[Annotation]:
        """Live annotations on one post (None: on the thread as a whole)."""
        return [a for a in self.live_annotations if a.post_remote_id == post_remote_id]


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """What the review list shows: flagged threads, narrowed by reason, decision and words."""

    reason: FlagReason | None = None
    decision: Decision | None = None
    undecided: bool = False
    """Only threads without a decision (``decision`` is then ignored)."""
    search: str | None = None


def current_decision(decisions: Iterable[DecisionRecord]) -> DecisionRecord | None:
    """The decision in force: the latest by time (the uid breaks ties, the same everywhere)."""
    return max(decisions, key=lambda d: (d.decided_at, d.uid), default=None)


def newer_annotation(local: Annotation | None, incoming: Annotation) -> bool:
    """Whether ``incoming`` should replace ``local`` when merging (last writer wins).

    Ties on the time go to the deleted copy, then to the larger text, so both consoles reach the
    same result whatever the order of imports.
    """
    if local is None:
        return True
    mine = (local.updated_at, local.deleted, local.text)
    theirs = (incoming.updated_at, incoming.deleted, incoming.text)
    return theirs > mine


def decisions_in_order(decisions: Sequence[DecisionRecord]) -> list[DecisionRecord]:
    return sorted(decisions, key=lambda d: (d.decided_at, d.uid))


# --- review packets ------------------------------------------------------------------------------

PACKET_PLATFORM = "packet"
"""The platform of an account made by importing a review packet: read-only, never synced."""
IMPORTED_WORKSPACE = "imported_workspace"
IMPORTED_ACCOUNT = "imported_account"
SOURCE_PLATFORM = "source_platform"


def is_imported(account: Account) -> bool:
    """Whether ``account`` holds threads from a review packet (no platform behind it)."""
    return account.platform == PACKET_PLATFORM


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a thread lives on the console that flagged it: stable across consoles."""

    workspace: str
    account: str
    remote_id: str


@dataclass(frozen=True, slots=True)
class PacketThread:
    """One thread of a review packet, ready to be stored (annotations' ``thread_id`` is 0)."""

    origin: Origin
    platform: str
    container: RemoteContainer
    people: tuple[RemotePerson, ...]
    team: tuple[str, ...]
    """Remote ids of the people who were the community team on the flagging console."""
    thread: RemoteThread
    posts: tuple[RemotePost, ...]
    versions: dict[str, tuple[PostVersion, ...]]
    """Earlier versions by post remote id."""
    flag_note: str | None
    flag_reason: FlagReason | None
    flagged_at: datetime | None
    upstream_deleted_at: datetime | None
    annotations: tuple[Annotation, ...]
    decisions: tuple[DecisionRecord, ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing a review packet changed."""

    threads: int = 0
    new_threads: int = 0
    own_threads: int = 0
    """Threads that are this console's own (only annotations and decisions were merged)."""
    annotations_added: int = 0
    annotations_updated: int = 0
    decisions_added: int = 0
    accounts: tuple[str, ...] = ()
    """The read-only accounts that hold imported threads."""
    thread_ids: frozenset[int] = frozenset()
