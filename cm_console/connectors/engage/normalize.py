"""Yammer v1 message payloads as normalized posts, threads and people.

A Yammer response is ``{"messages": [...], "references": [...], "meta": {...}}``: users, threads
and topics a message points at are in ``references`` by ``type`` and ``id``. Ids are numbers;
they become strings here. The thread id is the id of its first message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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

LIKE = "👍"
_MENTION_TOKEN = re.compile(r"\[\[\s*user\s*:\s*(\d+)\s*\]\]")


def sid(value: Any) -> str | None:
    """A Yammer id (number or numeric string) as a string."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    return None


def parse_time(value: Any) -> datetime | None:
    """``2022/11/11 20:59:56 +0000`` (Yammer's format) or ISO 8601, as aware UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for fmt in ("%Y/%m/%d %H:%M:%S %z",):
        try:
            return datetime.strptime(text, fmt).astimezone(UTC)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def strip_mention_tokens(text: str) -> str:
    """Text without ``[[user:ID]]`` tokens: what reconciliation compares on both sides."""
    return _MENTION_TOKEN.sub(" ", text)


@dataclass
class References:
    """The ``references`` of a response, by type and id."""

    users: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    threads: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    topics: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def add(self, items: Any) -> None:
        for ref in items or ():
            if not isinstance(ref, Mapping):
                continue
            rid = sid(ref.get("id"))
            kind = ref.get("type")
            if rid is None:
                continue
            if kind == "user":
                self.users[rid] = ref
            elif kind == "thread":
                self.threads[rid] = ref
            elif kind == "topic":
                self.topics[rid] = ref


def messages_of(body: Any, what: str) -> list[Mapping[str, Any]]:
    """The ``messages`` list of a response, checked."""
    if not isinstance(body, Mapping) or not isinstance(body.get("messages"), list):
        raise MalformedResponse(f"{what}: the answer has no 'messages' list")
    out = []
    for message in body["messages"]:
        if not isinstance(message, Mapping) or sid(message.get("id")) is None:
            raise MalformedResponse(f"{what}: a message without an id")
        out.append(message)
    return out


def person_of(user_id: str, refs: References) -> RemotePerson:
    ref = refs.users.get(user_id, {})
    full = ref.get("full_name") or ref.get("name") or user_id
    handle = ref.get("name") or full
    return RemotePerson(
        remote_id=user_id,
        handle=str(handle),
        display_name=str(full),
        email=ref.get("email") if isinstance(ref.get("email"), str) else None,
        title=ref.get("job_title") if isinstance(ref.get("job_title"), str) else None,
        is_bot=ref.get("type") == "user" and ref.get("state") == "bot",
    )


def text_of(message: Mapping[str, Any]) -> tuple[str, str | None]:
    """(plain text, HTML or None): ``body.plain`` when given, else text from ``body.rich``."""
    body = message.get("body")
    body = body if isinstance(body, Mapping) else {}
    rich = body.get("rich") if isinstance(body.get("rich"), str) else None
    plain = body.get("plain")
    if isinstance(plain, str):
        text = plain.strip()
    elif rich is not None:
        text = html_to_text(rich)
    else:
        parsed = body.get("parsed")
        text = parsed.strip() if isinstance(parsed, str) else ""
    return text, rich


def likes_of(message: Mapping[str, Any]) -> tuple[Reaction, ...]:
    liked = message.get("liked_by")
    names = liked.get("names") if isinstance(liked, Mapping) else None
    users = [sid(name.get("user_id")) for name in names or () if isinstance(name, Mapping)]
    return tuple(Reaction(uid, LIKE) for uid in users if uid)


def is_best_answer(message: Mapping[str, Any], thread_ref: Mapping[str, Any]) -> bool:
    """Whether the message was marked the best answer of a question.

    The v1 documentation does not describe it; these are the field names seen in payloads of
    question threads (unverified), so a thread is only resolved when one is really present.
    """
    mid = sid(message.get("id"))
    best = sid(thread_ref.get("best_reply_id")) or sid(thread_ref.get("best_answer_id"))
    return bool(message.get("is_best_answer") is True or (best is not None and best == mid))


def post_of(
    message: Mapping[str, Any], refs: References, *, url_base: str | None = None
) -> tuple[RemotePost, RemotePerson]:
    mid = sid(message.get("id"))
    tid = sid(message.get("thread_id")) or mid
    sender = sid(message.get("sender_id"))
    created = parse_time(message.get("created_at"))
    if mid is None or tid is None or created is None:
        raise MalformedResponse("Viva Engage returned a message without an id or creation time")
    system = message.get("system_message") is True or message.get("message_type") == "system"
    if sender is None or message.get("sender_type") not in (None, "user"):
        author = RemotePerson(
            remote_id=f"{message.get('sender_type') or 'system'}:{sender or 'engage'}",
            handle="system",
            display_name="Viva Engage",
            is_bot=True,
        )
    else:
        author = person_of(sender, refs)
    text, rich = text_of(message)
    replied = sid(message.get("replied_to_id"))
    web_url = message.get("web_url")
    post = RemotePost(
        remote_id=mid,
        thread_remote_id=tid,
        author_remote_id=author.remote_id,
        created_at=created,
        text=text,
        html=rich,
        is_root=mid == tid,
        kind=PostKind.SMALL_ACTION if system else PostKind.REGULAR,
        by_bot=author.is_bot,
        reply_to_remote_id=None if mid == tid else replied or tid,
        reactions=likes_of(message),
        url=web_url if isinstance(web_url, str) else url_base,
        raw=dict(message),
        attachments=files_of(message),
    )
    return post, author


def files_of(message: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the files and images attached to a message (link previews, ``ymodule``
    attachments, are not files)."""
    return attachment_names(
        item.get("name") or item.get("original_name")
        for item in message.get("attachments") or ()
        if isinstance(item, Mapping) and item.get("type") in ("file", "image", "video")
    )


def thread_of(
    tid: str,
    container: str,
    created: datetime,
    refs: References,
    messages: Iterable[Mapping[str, Any]],
) -> RemoteThread:
    """Thread metadata: topics as remote tags, the best answer as resolved."""
    ref = refs.threads.get(tid, {})
    topics = []
    for topic in ref.get("topics") or ():
        topic_id = sid(topic.get("id")) if isinstance(topic, Mapping) else None
        name = refs.topics.get(topic_id or "", {}).get("name") if topic_id else None
        if isinstance(name, str) and name:
            topics.append(name)
    best = next((sid(m.get("id")) for m in messages if is_best_answer(m, ref)), None)
    web_url = ref.get("web_url")
    title = ref.get("title") if isinstance(ref.get("title"), str) else None
    return RemoteThread(
        remote_id=tid,
        container_remote_id=container,
        created_at=created,
        title=title or None,
        url=web_url if isinstance(web_url, str) else None,
        resolved=best is not None,
        closed=ref.get("closed") is True,
        accepted_post_remote_id=best,
        remote_tags=tuple(dict.fromkeys(topics)),
        raw=dict(ref) if ref else None,
    )


def community_of(group: Mapping[str, Any]) -> RemoteContainer:
    gid = sid(group.get("id"))
    if gid is None:
        raise MalformedResponse("Viva Engage returned a community without an id")
    description = group.get("description")
    return RemoteContainer(
        remote_id=gid,
        name=str(group.get("full_name") or group.get("name") or gid),
        url=group.get("web_url") if isinstance(group.get("web_url"), str) else None,
        kind="community",
        parent_name=group.get("network_name")
        if isinstance(group.get("network_name"), str)
        else None,
        description=description if isinstance(description, str) and description else None,
    )
