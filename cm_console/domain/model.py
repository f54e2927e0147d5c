"""Normalized platform objects and the read models the services hand to the UI and the CLI.

Connectors produce ``Remote*`` objects (identified by the platform's ids); the store turns them
into rows with local integer ids. Everything here is frozen, so it can cross threads safely.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = Any
"""A JSON-compatible value (dicts, lists, strings, numbers, booleans, None)."""


def utc(dt: datetime) -> datetime:
    """Return ``dt`` as an aware UTC datetime; naive values are taken to be UTC already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


class PlatformKind(enum.StrEnum):
    """How conversations flow on a platform; it sets the default stalled threshold."""

    FORUM = "forum"
    CHAT = "chat"


class PostKind(enum.StrEnum):
    """What a post is, as far as dialogue goes."""

    REGULAR = "regular"
    """A normal, visible post by a person."""
    WHISPER = "whisper"
    """Visible to staff only (Discourse whispers): never a reply to the participants."""
    SMALL_ACTION = "small_action"
    """A moderator action or other system line inside the thread (closed, moved, pinned…)."""
    NOTICE = "notice"
    """An automated message (Slack bot message, Matrix ``m.notice``)."""

    @property
    def visible(self) -> bool:
        return self in (PostKind.REGULAR, PostKind.NOTICE)


@dataclass(frozen=True, slots=True)
class Reaction:
    """A reaction or like on a post, by one person."""

    person_remote_id: str
    emoji: str


@dataclass(frozen=True, slots=True)
class RemotePerson:
    """Someone on a platform account, as the connector knows them."""

    remote_id: str
    handle: str
    display_name: str
    email: str | None = None
    title: str | None = None
    department: str | None = None
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class RemoteContainer:
    """A place threads live in: a community, category, channel or room."""

    remote_id: str
    name: str
    url: str | None = None
    kind: str = "channel"
    parent_name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteThread:
    """Thread-level metadata: the root's container, title and platform flags."""

    remote_id: str
    container_remote_id: str
    created_at: datetime
    title: str | None = None
    url: str | None = None
    resolved: bool = False
    """An accepted/best answer, or a Zulip ``✔`` topic."""
    closed: bool = False
    """Closed, locked or archived on the platform."""
    accepted_post_remote_id: str | None = None
    remote_tags: tuple[str, ...] = ()
    raw: JSON = None


@dataclass(frozen=True, slots=True)
class RemotePost:
    """One post (the root or a reply) in a thread."""

    remote_id: str
    thread_remote_id: str
    author_remote_id: str
    created_at: datetime
    text: str
    """Plain text: what search, question detection and every plain-text label use."""
    html: str | None = None
    """The platform's rich body, sanitized only when it is rendered."""
    is_root: bool = False
    kind: PostKind = PostKind.REGULAR
    by_bot: bool = False
    edited_at: datetime | None = None
    deleted: bool = False
    reply_to_remote_id: str | None = None
    reactions: tuple[Reaction, ...] = ()
    url: str | None = None
    raw: JSON = None


@dataclass(frozen=True, slots=True)
class Page:
    """One unit of incremental fetch: committed together with the cursor that follows it.

    ``scope`` names the cursor (a container id, or ``"*"`` for account-wide cursors); ``cursor``
    is what the connector needs to resume *after* this page. Every post's thread is either in
    ``threads`` or already known from an earlier page.
    """

    scope: str
    cursor: JSON
    containers: tuple[RemoteContainer, ...] = ()
    people: tuple[RemotePerson, ...] = ()
    threads: tuple[RemoteThread, ...] = ()
    posts: tuple[RemotePost, ...] = ()
    deleted_post_ids: tuple[str, ...] = ()
    """Remote ids of posts the platform says were deleted (kept locally as tombstones)."""


@dataclass(frozen=True, slots=True)
class FullThread:
    """A whole thread as fetched on demand (for review, reconciliation and flagging)."""

    thread: RemoteThread
    posts: tuple[RemotePost, ...]
    people: tuple[RemotePerson, ...] = ()


# --- local read models ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Account:
    """A configured platform account (no secret: that lives in the keyring)."""

    id: int
    name: str
    platform: str
    url: str | None
    username: str | None
    options: Mapping[str, Any] = field(default_factory=dict)
    own_person_remote_id: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Container:
    """A container as stored locally."""

    id: int
    account_id: int
    remote_id: str
    name: str
    url: str | None = None
    kind: str = "channel"
    parent_name: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Person:
    """A person as stored locally, with the team mark."""

    id: int
    account_id: int
    remote_id: str
    handle: str
    display_name: str
    email: str | None = None
    title: str | None = None
    department: str | None = None
    is_bot: bool = False
    is_team: bool = False
    identity: str | None = None
    """Links this person to their accounts on other platforms (their e-mail, or set by hand)."""

    @property
    def identity_key(self) -> str:
        return self.identity or f"person:{self.id}"


@dataclass(frozen=True, slots=True)
class LocalUser:
    """A person using this console (one per machine, several in team mode)."""

    id: int
    name: str


class Secret:
    """A token, key or password. Its text never shows in ``repr``, ``str``, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: only for the header or form field that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)
