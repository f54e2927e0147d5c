"""Room events to normalized threads and posts: threads, rich replies, edits, reactions, redactions.

Every top-level ``m.room.message`` is a thread root; a message with an ``m.thread`` relation is a
reply in its root's thread, and a rich reply (``m.in_reply_to``) outside a thread joins the
thread of the message it answers. Edits (``m.replace``) change the post they target, reactions
(``m.annotation``) acknowledge it, redactions delete it. ``m.notice`` is a bot's message. A poll
start (MSC3381) counts as a message: its text is the poll's plain-text fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cm_console.connectors.matrix.text import MESSAGE_TYPES, message_text
from cm_console.domain.model import (
    PostKind,
    Reaction,
    RemotePerson,
    RemotePost,
    RemoteThread,
    attachment_names,
)

Event = dict[str, Any]
FetchEvent = Callable[[str, str], Event | None]
"""Fetches one event of a room by id (None when it is gone or not visible)."""
MAX_REPLY_DEPTH = 4


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (platform JSON is untrusted)."""
    return value if isinstance(value, dict) else {}


def ts(event: Event) -> datetime:
    value = event.get("origin_server_ts")
    millis = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return datetime.fromtimestamp(millis / 1000, UTC)


def relation(event: Event) -> dict[str, Any]:
    content = event.get("content")
    if not isinstance(content, dict):
        return {}
    rel = content.get("m.relates_to")
    return rel if isinstance(rel, dict) else {}


def is_redacted(event: Event) -> bool:
    unsigned = event.get("unsigned")
    return isinstance(unsigned, dict) and "redacted_because" in unsigned


def redaction_target(event: Event) -> str | None:
    """The event a redaction removes (top level before room v11, in ``content`` from v11)."""
    content = event.get("content")
    target = content.get("redacts") if isinstance(content, dict) else None
    target = target or event.get("redacts")
    return target if isinstance(target, str) else None


def thread_key(room_id: str, root_id: str) -> str:
    return f"{room_id}/{root_id}"


def split_thread_key(remote_id: str) -> tuple[str, str]:
    """``ROOM_ID/EVENT_ID`` → (room, event); room ids hold no ``/``, old event ids may."""
    room, sep, event = remote_id.partition("/")
    if not sep or not room or not event:
        raise ValueError(f"not a Matrix thread id: {remote_id!r}")
    return room, event


def event_url(room_id: str, event_id: str | None = None) -> str:
    return f"https://matrix.to/#/{room_id}" + (f"/{event_id}" if event_id else "")


def bundled_edit(event: Event) -> Event | None:
    unsigned = event.get("unsigned")
    relations = unsigned.get("m.relations") if isinstance(unsigned, dict) else None
    edit = relations.get("m.replace") if isinstance(relations, dict) else None
    return edit if isinstance(edit, dict) and "content" in edit else None


@dataclass
class RoomBatch:
    """A run of one room's events, turned into one page's worth of normalized objects."""

    room_id: str
    messages: dict[str, Event] = field(default_factory=dict)
    edits: dict[str, Event] = field(default_factory=dict)
    reactions: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    """target event → reaction event id → (sender, key)."""
    redacted: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)
    """Display names from membership events (user id → name)."""
    complete_reactions: set[str] = field(default_factory=set)
    """Posts whose reactions were all read (``/relations``), not just those in the batch."""

    def add(self, events: Iterable[Any]) -> None:
        for event in events:
            if isinstance(event, dict) and isinstance(event.get("event_id"), str):
                self._add(event)

    def _add(self, event: Event) -> None:
        kind = event.get("type")
        event_id: str = event["event_id"]
        content = obj(event.get("content"))
        if kind == "m.room.member":
            name = content.get("displayname")
            user = event.get("state_key")
            if isinstance(user, str) and isinstance(name, str) and name.strip():
                self.names[user] = name.strip()
            return
        if kind == "m.room.redaction":
            target = redaction_target(event)
            if target:
                self.redacted.add(target)
            return
        if is_redacted(event):
            self.redacted.add(event_id)
            return
        rel = relation(event)
        if kind == "m.reaction":
            target, key = rel.get("event_id"), rel.get("key")
            if rel.get("rel_type") == "m.annotation" and isinstance(target, str):
                sender = str(event.get("sender", ""))
                self.reactions.setdefault(target, {})[event_id] = (sender, str(key or ""))
            return
        if kind not in MESSAGE_TYPES:
            return  # state, encrypted events and call signalling carry no readable post
        if rel.get("rel_type") == "m.replace" and isinstance(rel.get("event_id"), str):
            target = rel["event_id"]
            known = self.edits.get(target)
            if known is None or ts(known) <= ts(event):
                self.edits[target] = event
            return
        self.messages[event_id] = event

    def set_reactions(self, target: str, events: Iterable[Any]) -> None:
        """Every reaction of ``target`` (read from ``/relations``), replacing the batch's view."""
        found: dict[str, tuple[str, str]] = {}
        for event in events:
            if not isinstance(event, dict) or is_redacted(event):
                continue
            rel = relation(event)
            if event.get("type") == "m.reaction" and rel.get("rel_type") == "m.annotation":
                found[str(event.get("event_id"))] = (
                    str(event.get("sender", "")),
                    str(rel.get("key") or ""),
                )
        self.reactions[target] = found
        self.complete_reactions.add(target)

    def live_reactions(self, target: str) -> tuple[Reaction, ...]:
        items = self.reactions.get(target, {})
        return tuple(
            Reaction(sender, key)
            for eid, (sender, key) in items.items()
            if eid not in self.redacted
        )


class ThreadResolver:
    """Finds the thread root of a message, fetching the events a batch does not hold."""

    def __init__(self, batch: RoomBatch, fetch: FetchEvent) -> None:
        self._batch = batch
        self._fetch = fetch
        self.fetched: dict[str, Event | None] = {}

    def event(self, event_id: str) -> Event | None:
        found = self._batch.messages.get(event_id)
        if found is not None:
            return found
        if event_id not in self.fetched:
            self.fetched[event_id] = self._fetch(self._batch.room_id, event_id)
        return self.fetched[event_id]

    def root_of(self, event: Event, depth: int = 0) -> str:
        rel = relation(event)
        if rel.get("rel_type") == "m.thread" and isinstance(rel.get("event_id"), str):
            return str(rel["event_id"])
        reply = rel.get("m.in_reply_to")
        target = reply.get("event_id") if isinstance(reply, dict) else None
        if isinstance(target, str) and depth < MAX_REPLY_DEPTH and target != event["event_id"]:
            parent = self.event(target)
            if parent is not None and parent.get("type") in MESSAGE_TYPES:
                return self.root_of(parent, depth + 1)
        return str(event["event_id"])


def to_post(
    event: Event,
    room_id: str,
    root_id: str,
    *,
    edit: Event | None,
    reactions: tuple[Reaction, ...],
    deleted: bool = False,
) -> RemotePost:
    """One message event as a post (``edit`` is its newest ``m.replace``, if any)."""
    content = obj(event.get("content"))
    edit = edit or bundled_edit(event)
    edited_at = None
    shown = content
    if edit is not None:
        new = edit.get("content", {}).get("m.new_content")
        if isinstance(new, dict):
            shown, edited_at = new, ts(edit)
    text, rich = message_text(shown)
    rel = relation(event)
    reply = rel.get("m.in_reply_to")
    reply_to = reply.get("event_id") if isinstance(reply, dict) else None
    if rel.get("rel_type") == "m.thread" and rel.get("is_falling_back"):
        reply_to = None  # the fallback only points old clients at the thread
    is_root = event["event_id"] == root_id
    return RemotePost(
        remote_id=event["event_id"],
        thread_remote_id=thread_key(room_id, root_id),
        author_remote_id=str(event.get("sender", "")),
        created_at=ts(event),
        text="" if deleted else text,
        html=None if deleted else rich,
        is_root=is_root,
        kind=PostKind.NOTICE if content.get("msgtype") == "m.notice" else PostKind.REGULAR,
        edited_at=edited_at,
        deleted=deleted,
        reply_to_remote_id=reply_to if isinstance(reply_to, str) and not is_root else None,
        reactions=reactions,
        url=event_url(room_id, event["event_id"]),
        raw={
            k: event[k]
            for k in ("event_id", "type", "sender", "origin_server_ts", "content")
            if k in event
        },
        attachments=() if deleted else files_of(shown),
    )


MEDIA_TYPES = frozenset({"m.file", "m.image", "m.video", "m.audio"})


def files_of(content: Mapping[str, Any]) -> tuple[str, ...]:
    """The file a media message carries: its ``filename``, or the body, which older clients use
    as the file name."""
    if content.get("msgtype") not in MEDIA_TYPES:
        return ()
    return attachment_names([content.get("filename") or content.get("body")])


def to_thread(room_id: str, root: Event, tags: tuple[str, ...]) -> RemoteThread:
    return RemoteThread(
        remote_id=thread_key(room_id, root["event_id"]),
        container_remote_id=room_id,
        created_at=ts(root),
        url=event_url(room_id, root["event_id"]),
        remote_tags=tags,
        raw={"room_id": room_id, "root": root["event_id"]},
    )


def person(user_id: str, name: str | None) -> RemotePerson:
    local = user_id.removeprefix("@").split(":", 1)[0]
    return RemotePerson(remote_id=user_id, handle=user_id, display_name=name or local)
