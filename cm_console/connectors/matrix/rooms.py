"""Matrix rooms as the account sees them: names, spaces, DMs, room tags and the sync filters."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from cm_console.connectors.matrix.timeline import Event

PAGE = 100
SNAPSHOT_FILTER = {
    "room": {
        "timeline": {"limit": 1},
        "state": {
            "types": [
                "m.room.name",
                "m.room.create",
                "m.room.topic",
                "m.room.canonical_alias",
                "m.space.child",
            ],
            "lazy_load_members": True,
        },
        "ephemeral": {"types": []},
        "account_data": {"types": ["m.tag"]},
    },
    "presence": {"types": []},
    "account_data": {"types": ["m.direct"]},
}
SYNC_FILTER = {
    "room": {
        "timeline": {"limit": PAGE},
        "state": {"types": ["m.room.member"], "lazy_load_members": True},
        "ephemeral": {"types": []},
        "account_data": {"types": []},
    },
    "presence": {"types": []},
    "account_data": {"types": []},
}
MESSAGES_FILTER = json.dumps({"lazy_load_members": True})


def sync_filter(template: dict[str, Any], base_limit: int) -> str:
    """The filter for one ``/sync`` call, with a timeline limit that differs between calls.

    Synapse answers a repeated ``/sync`` with the same parameters from a response cache for two
    minutes (meant for retries after a dropped long-poll). A sync from the same ``since`` token
    (nothing changed since the last one) would then miss what happened in between; varying
    the timeline limit, which only sizes the first page before gaps are filled from
    ``/messages``, makes each call a request of its own.
    """
    limit = base_limit + secrets.randbelow(base_limit)
    room = {**template["room"], "timeline": {"limit": limit}}
    return json.dumps({**template, "room": room})


@dataclass
class Room:
    """What the state-only sync says about one joined room."""

    room_id: str
    name: str | None = None
    topic: str | None = None
    alias: str | None = None
    is_space: bool = False
    children: list[str] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    dm_with: str | None = None


@dataclass
class Snapshot:
    """The account's rooms right now, and the sync token they are current at."""

    rooms: dict[str, Room]
    direct: dict[str, list[str]]
    next_batch: str


def tag_label(tag: str) -> str:
    """How a room tag is shown: user tags (``u.needs-reply``) without their namespace."""
    return tag[2:] if tag.startswith("u.") else tag


def tag_name(label: str) -> str:
    """The room tag for a label: plain labels become user tags (``u.…``)."""
    return label if label.startswith(("u.", "m.")) else f"u.{label}"


def apply_state(room: Room, event: Event) -> None:
    """Update ``room`` from one of its state events."""
    kind, content = event.get("type"), event.get("content")
    if not isinstance(content, dict):
        return
    if kind == "m.room.name" and isinstance(content.get("name"), str):
        room.name = content["name"].strip() or None
    elif kind == "m.room.topic" and isinstance(content.get("topic"), str):
        room.topic = content["topic"]
    elif kind == "m.room.canonical_alias" and isinstance(content.get("alias"), str):
        room.alias = content["alias"]
    elif kind == "m.room.create":
        room.is_space = content.get("type") == "m.space"
    elif kind == "m.space.child" and content.get("via"):
        child = event.get("state_key")
        if isinstance(child, str):
            room.children.append(child)
