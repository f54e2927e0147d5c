"""Graph ``chatMessage`` payloads as normalized posts, threads and people.

Ids: a container is ``TEAM_ID/CHANNEL_ID``; a thread (and its root post) ``CHANNEL_ID/MESSAGE_ID``
(DESIGN.md §8); a reply ``CHANNEL_ID/ROOT_ID/REPLY_ID``, because Graph addresses replies under
their root and only promises a message id to be unique within its channel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cm_console.connectors.errors import MalformedResponse
from cm_console.connectors.microsoft.html import html_to_text
from cm_console.domain.model import (
    PostKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
    attachment_names,
)

SYSTEM_AUTHOR = RemotePerson(
    remote_id="teams:system", handle="system", display_name="Microsoft Teams", is_bot=True
)
REACTION_EMOJI = {
    "like": "👍",
    "heart": "❤️",
    "laugh": "😆",
    "surprised": "😮",
    "sad": "😢",
    "angry": "😡",
}
"""The classic reaction names; newer clients send the emoji itself."""

_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def container_id(team: str, channel: str) -> str:
    return f"{team}/{channel}"


def split_container(remote_id: str) -> tuple[str, str]:
    """``(team id, channel id)`` from a container id."""
    team, sep, channel = remote_id.partition("/")
    if not sep or not team or not channel:
        raise MalformedResponse(f"{remote_id!r} is not a Teams channel id (TEAM/CHANNEL)")
    return team, channel


def thread_id(channel: str, root: str) -> str:
    return f"{channel}/{root}"


def reply_id(channel: str, root: str, reply: str) -> str:
    return f"{channel}/{root}/{reply}"


def split_post(remote_id: str) -> tuple[str, str, str | None]:
    """``(channel, root id, reply id or None)`` from a thread or post id."""
    parts = remote_id.split("/")
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1], None
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    raise MalformedResponse(f"{remote_id!r} is not a Teams message id")


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time from Graph (up to 7 fractional digits, ``Z``) as aware UTC."""
    if not isinstance(value, str) or not value:
        return None
    text = _FRACTION.sub(r"\1", value.strip()).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def author_of(message: Mapping[str, Any]) -> RemotePerson:
    """The sender: a user, an app (bot or connector), or the system."""
    sender = _obj(message.get("from"))
    user = _obj(sender.get("user"))
    if user.get("id"):
        name = str(user.get("displayName") or user["id"])
        return RemotePerson(remote_id=str(user["id"]), handle=name, display_name=name)
    app = _obj(sender.get("application"))
    if app.get("id"):
        name = str(app.get("displayName") or app["id"])
        return RemotePerson(
            remote_id=f"app:{app['id']}", handle=name, display_name=name, is_bot=True
        )
    return SYSTEM_AUTHOR


def is_system(message: Mapping[str, Any]) -> bool:
    """System events (members added, channel renamed…) are not conversation."""
    return str(message.get("messageType") or "message") != "message"


def body_of(message: Mapping[str, Any]) -> tuple[str, str | None]:
    """(plain text, HTML or None) of a message body."""
    body = _obj(message.get("body"))
    content = body.get("content")
    content = content if isinstance(content, str) else ""
    if str(body.get("contentType") or "text").lower() == "html":
        return html_to_text(content), content
    return content.strip(), None


def reactions_of(message: Mapping[str, Any]) -> tuple[Reaction, ...]:
    out = []
    for item in message.get("reactions") or ():
        if not isinstance(item, Mapping):
            continue
        user = _obj(_obj(item.get("user")).get("user"))
        kind = str(item.get("reactionType") or "")
        if user.get("id") and kind:
            out.append(Reaction(str(user["id"]), REACTION_EMOJI.get(kind, kind)))
    return tuple(out)


def post_of(
    message: Mapping[str, Any], *, channel: str, root: str, is_root: bool
) -> tuple[RemotePost, RemotePerson]:
    """A root message or reply as a post, with its author."""
    message_id = message.get("id")
    created = parse_time(message.get("createdDateTime"))
    if not message_id or created is None:
        raise MalformedResponse("Graph returned a message without an id or creation time")
    author = author_of(message)
    deleted = message.get("deletedDateTime") is not None
    text, html = ("", None) if deleted else body_of(message)
    kind = PostKind.SMALL_ACTION if is_system(message) else PostKind.REGULAR
    post = RemotePost(
        remote_id=thread_id(channel, root) if is_root else reply_id(channel, root, message_id),
        thread_remote_id=thread_id(channel, root),
        author_remote_id=author.remote_id,
        created_at=created,
        text=text,
        html=html,
        is_root=is_root,
        kind=kind,
        by_bot=author.is_bot,
        edited_at=parse_time(message.get("lastEditedDateTime")),
        deleted=deleted,
        reply_to_remote_id=None if is_root else thread_id(channel, root),
        reactions=reactions_of(message),
        url=message.get("webUrl") if isinstance(message.get("webUrl"), str) else None,
        raw={k: v for k, v in message.items() if k != "replies"},
        attachments=() if deleted else files_of(message),
    )
    return post, author


def files_of(message: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the files shared in a message (``reference`` attachments; cards and quoted
    messages are attachments too, but not files)."""
    return attachment_names(
        item.get("name")
        for item in message.get("attachments") or ()
        if isinstance(item, Mapping) and item.get("contentType") == "reference"
    )


def thread_of(root: Mapping[str, Any], *, team: str, channel: str) -> RemoteThread:
    created = parse_time(root.get("createdDateTime"))
    if not root.get("id") or created is None:
        raise MalformedResponse("Graph returned a message without an id or creation time")
    subject = root.get("subject")
    return RemoteThread(
        remote_id=thread_id(channel, str(root["id"])),
        container_remote_id=container_id(team, channel),
        created_at=created,
        title=subject.strip() if isinstance(subject, str) and subject.strip() else None,
        url=root.get("webUrl") if isinstance(root.get("webUrl"), str) else None,
        raw={k: v for k, v in root.items() if k != "replies"},
    )


def channel_container(team: Mapping[str, Any], channel: Mapping[str, Any]) -> RemoteContainer:
    if not team.get("id") or not channel.get("id"):
        raise MalformedResponse("Graph returned a team or channel without an id")
    description = channel.get("description")
    return RemoteContainer(
        remote_id=container_id(str(team["id"]), str(channel["id"])),
        name=str(channel.get("displayName") or channel["id"]),
        url=channel.get("webUrl") if isinstance(channel.get("webUrl"), str) else None,
        kind="channel",
        parent_name=str(team.get("displayName") or team["id"]),
        description=description if isinstance(description, str) else None,
    )
