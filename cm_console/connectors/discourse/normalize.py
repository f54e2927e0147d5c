"""Discourse JSON (topic lists, topic views, posts, users) to normalized domain objects."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from cm_console.connectors.errors import MalformedResponse
from cm_console.connectors.text import html_to_text
from cm_console.domain.model import (
    PostKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
    attachment_names,
    utc,
)

LIKE = 2
"""``post_action_type_id`` of a like."""
POST_KINDS = {
    1: PostKind.REGULAR,
    2: PostKind.SMALL_ACTION,
    3: PostKind.SMALL_ACTION,
    4: PostKind.WHISPER,
}
"""Discourse ``post_type``: regular, moderator action, small action, whisper."""
UNKNOWN_LIKER = ""
"""Discourse reports how many people liked a post, not who (without a request per post).
A like can never be by the post's author, so an anonymous like still counts as acknowledgement."""


def when(value: Any, what: str) -> datetime:
    """An ISO 8601 time from Discourse as an aware UTC datetime."""
    if not isinstance(value, str):
        raise MalformedResponse(f"Discourse sent a {what} without a time")
    try:
        return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise MalformedResponse(f"Discourse sent an unreadable time for {what}") from None


def maybe_when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def tag_names(tags: Any) -> tuple[str, ...]:
    """Tags as names: old servers send strings, newer ones ``{"id", "name", "slug"}`` objects."""
    out: list[str] = []
    for tag in tags or ():
        if isinstance(tag, str):
            out.append(tag)
        elif isinstance(tag, Mapping) and isinstance(tag.get("name"), str):
            out.append(tag["name"])
    return tuple(out)


def person(user: Mapping[str, Any]) -> RemotePerson:
    """A user object (directory item, admin list, session, topic participant)."""
    uid = user.get("id")
    username = user.get("username")
    if uid is None or not isinstance(username, str):
        raise MalformedResponse("Discourse sent a user without id or username")
    return RemotePerson(
        remote_id=str(uid),
        handle=username,
        display_name=(user.get("name") or username),
        email=user.get("email") or None,
        title=user.get("title") or None,
        is_bot=_is_bot(uid, username),
    )


def _is_bot(uid: Any, username: str) -> bool:
    # Discourse's own automation has negative ids: system (-1) and discobot (-2).
    try:
        return int(uid) < 0
    except (TypeError, ValueError):
        return username.lower() in ("system", "discobot")


def container(category: Mapping[str, Any], site: str, parent: str | None = None) -> RemoteContainer:
    """A category (subcategories name their parent)."""
    cid = category.get("id")
    if cid is None:
        raise MalformedResponse("Discourse sent a category without id")
    slug = category.get("slug") or str(cid)
    return RemoteContainer(
        remote_id=str(cid),
        name=str(category.get("name") or slug),
        url=f"{site}c/{slug}/{cid}",
        kind="category",
        parent_name=parent,
        description=category.get("description_text") or None,
    )


def containers(categories: Iterable[Mapping[str, Any]], site: str) -> list[RemoteContainer]:
    """Every category and subcategory in a ``/categories.json`` answer, parents first."""
    out: list[RemoteContainer] = []
    by_id: dict[Any, str] = {}
    flat: list[Mapping[str, Any]] = []
    for cat in categories:
        flat.append(cat)
        flat.extend(cat.get("subcategory_list") or ())
    for cat in flat:
        by_id[cat.get("id")] = str(cat.get("name") or "")
    for cat in flat:
        parent = by_id.get(cat.get("parent_category_id"))
        out.append(container(cat, site, parent))
    return list({c.remote_id: c for c in out}.values())


def thread(
    topic: Mapping[str, Any], site: str, accepted_post_id: str | None = None
) -> RemoteThread:
    """A topic from a topic list or a topic view."""
    tid = topic.get("id")
    if tid is None:
        raise MalformedResponse("Discourse sent a topic without id")
    slug = topic.get("slug") or "-"
    accepted = topic.get("accepted_answer")
    resolved = bool(topic.get("has_accepted_answer")) or bool(accepted)
    return RemoteThread(
        remote_id=str(tid),
        container_remote_id=str(topic.get("category_id")),
        created_at=when(topic.get("created_at"), f"topic {tid}"),
        title=str(topic.get("title") or topic.get("fancy_title") or ""),
        url=f"{site}t/{slug}/{tid}",
        resolved=resolved,
        closed=bool(topic.get("closed")) or bool(topic.get("archived")),
        accepted_post_remote_id=accepted_post_id,
        remote_tags=tag_names(topic.get("tags")),
        raw=_topic_raw(topic),
    )


def _topic_raw(topic: Mapping[str, Any]) -> dict[str, Any]:
    # A topic view also carries the post stream and suggestions: those live in the posts' raws.
    return {k: v for k, v in topic.items() if k not in ("post_stream", "suggested_topics")}


def likes(post: Mapping[str, Any], me: str | None) -> tuple[Reaction, ...]:
    """Likes as reactions: the account's own like by id, the others anonymous."""
    count = 0
    mine = False
    for action in post.get("actions_summary") or ():
        if isinstance(action, Mapping) and action.get("id") == LIKE:
            count = int(action.get("count") or 0)
            mine = bool(action.get("acted"))
    if not count and isinstance(post.get("like_count"), int):
        count = post["like_count"]
    out: list[Reaction] = []
    if mine and me is not None:
        out.append(Reaction(me, "heart"))
        count -= 1
    out.extend(Reaction(UNKNOWN_LIKER, "heart") for _ in range(max(0, count)))
    return tuple(out)


def post(
    raw: Mapping[str, Any],
    site: str,
    *,
    me: str | None = None,
    numbers: Mapping[int, str] | None = None,
) -> RemotePost:
    """A post from ``/posts.json``, a topic view or a create answer.

    Args:
        raw: the post JSON.
        site: the site root URL (ends with ``/``).
        me: the account's own user id (its own like is named, the rest are anonymous).
        numbers: post number → post id in the topic, to resolve ``reply_to_post_number``.
    """
    pid = raw.get("id")
    topic_id = raw.get("topic_id")
    if pid is None or topic_id is None:
        raise MalformedResponse("Discourse sent a post without id or topic")
    number = raw.get("post_number")
    deleted = bool(raw.get("deleted_at")) or bool(raw.get("user_deleted"))
    cooked = raw.get("cooked") if isinstance(raw.get("cooked"), str) else ""
    created = when(raw.get("created_at"), f"post {pid}")
    updated = maybe_when(raw.get("updated_at"))
    # updated_at moves for likes and rebakes too; only a later revision is an edit.
    edited = updated if (raw.get("version") or 1) > 1 and updated and updated > created else None
    reply_to = None
    if numbers is not None and isinstance(raw.get("reply_to_post_number"), int):
        reply_to = numbers.get(raw["reply_to_post_number"])
    author = raw.get("user_id")
    username = str(raw.get("username") or "")
    slug = raw.get("topic_slug") or "-"
    return RemotePost(
        remote_id=str(pid),
        thread_remote_id=str(topic_id),
        author_remote_id=str(author) if author is not None else f"@{username}",
        created_at=created,
        # A deleted post's body is blanked: the store keeps what it had seen.
        text="" if deleted else html_to_text(cooked),
        html=None if deleted else (cooked or None),
        is_root=number == 1,
        kind=POST_KINDS.get(raw.get("post_type") or 1, PostKind.REGULAR),
        by_bot=_is_bot(author, username),
        edited_at=edited,
        deleted=deleted,
        reply_to_remote_id=reply_to,
        reactions=likes(raw, me),
        url=f"{site}t/{slug}/{topic_id}/{number}" if number else None,
        raw=dict(raw),
        attachments=() if deleted else uploads_of(cooked or ""),
    )


_ATTACHMENT_LINK = re.compile(
    r"<a\s[^>]*\bclass=\"[^\"]*\battachment\b[^\"]*\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")


def uploads_of(cooked: str) -> tuple[str, ...]:
    """The names of the files uploaded into a post: Discourse renders each as an
    ``<a class="attachment">`` link whose text is the file's name."""
    return attachment_names(
        html.unescape(_TAG.sub("", text)) for text in _ATTACHMENT_LINK.findall(cooked)
    )


def accepted_post(topic: Mapping[str, Any], numbers: Mapping[int, str]) -> str | None:
    """The accepted answer's post id (solved plugin) in a topic view."""
    accepted = topic.get("accepted_answer")
    if isinstance(accepted, Mapping) and isinstance(accepted.get("post_number"), int):
        return numbers.get(accepted["post_number"])
    for p in (topic.get("post_stream") or {}).get("posts") or ():
        if isinstance(p, Mapping) and p.get("accepted_answer"):
            return str(p.get("id"))
    return None
