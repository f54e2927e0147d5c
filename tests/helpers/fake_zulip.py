"""A fake Zulip with real state: users, channels (streams), topics, messages and reactions.

It speaks the documented shapes: HTTP Basic with e-mail and API key, ``GET /messages`` with a
JSON ``narrow`` and an ``anchor`` (``newest``, ``oldest`` or an id) plus ``include_anchor``,
topic lists with ``max_id``, form-encoded writes, ``{"result": "error", "code": …}`` errors and
429 ``RATE_LIMIT_HIT`` with ``retry-after`` in the body. Renaming a topic moves its messages and
keeps their ids, as resolving a topic (``✔ ``) does on a real server.

Channel messages are checked as Zulip checks them: an empty topic or message is refused, a topic
name longer than ``max_topic_length`` (60) is cut to 57 characters and ``...``, a channel that
restricts who may post refuses the others, and a private channel refuses non-subscribers.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.helpers.loopback_app import LoopbackApp, json_response


def ok(**fields: Any) -> Response:
    return json_response({"result": "success", "msg": "", **fields})


def error(status: int, code: str, msg: str) -> Response:
    return json_response({"result": "error", "msg": msg, "code": code}, status)


class FakeZulip(LoopbackApp):
    """State you can seed and inspect."""

    def __init__(self) -> None:
        self.users: dict[int, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}
        self.streams: dict[int, dict[str, Any]] = {}
        self.subscribers: dict[int, set[int]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self._next_id = 100
        self.wall = time.time
        """The server's clock (a test may hand it its own)."""
        self.max_topic_length = 60
        self.posters: dict[int, set[int]] = {}
        """Channels that let only these users post (``can_send_message_group``)."""
        self.private: set[int] = set()
        """Invite-only channels: only subscribers may post."""
        self.on_send: Callable[[int], None] | None = None
        """Called with a new channel message's id once it is stored (to cut the connection)."""
        super().__init__()

    # --- seeding --------------------------------------------------------------------------------

    def add_user(self, email: str, full_name: str, *, bot: bool = False) -> tuple[int, str]:
        uid = len(self.users) + 8
        self.users[uid] = {"user_id": uid, "email": email, "full_name": full_name, "is_bot": bot}
        key = secrets.token_hex(16)
        self.keys[email] = key
        return uid, key

    def add_stream(self, name: str, subscribers: list[int]) -> int:
        sid = len(self.streams) + 1
        self.streams[sid] = {"stream_id": sid, "name": name, "description": f"About {name}"}
        self.subscribers[sid] = set(subscribers)
        return sid

    def add_message(
        self, stream_id: int, sender: int, topic: str, content: str, at: datetime | float
    ) -> int:
        with self.lock:
            self._next_id += 1 + secrets.randbelow(3)  # ids grow, with gaps, as on a server
            mid = self._next_id
            user = self.users[sender]
            self.messages[mid] = {
                "id": mid,
                "type": "stream",
                "stream_id": stream_id,
                "display_recipient": self.streams[stream_id]["name"],
                "subject": topic,
                "sender_id": sender,
                "sender_email": user["email"],
                "sender_full_name": user["full_name"],
                "timestamp": int(at.timestamp() if isinstance(at, datetime) else at),
                "content": content,
                "reactions": [],
                "flags": [],
            }
            return mid

    def rename_topic(self, stream_id: int, old: str, new: str) -> None:
        with self.lock:
            for m in self.messages.values():
                if m["stream_id"] == stream_id and m["subject"] == old:
                    m["subject"] = new

    def edit_message(self, mid: int, content: str, at: datetime) -> None:
        with self.lock:
            self.messages[mid].update(content=content, last_edit_timestamp=int(at.timestamp()))

    def delete_message(self, mid: int) -> None:
        with self.lock:
            del self.messages[mid]

    def react(self, mid: int, user_id: int, emoji: str) -> None:
        with self.lock:
            self.messages[mid]["reactions"].append(
                {
                    "emoji_name": emoji,
                    "emoji_code": "1f44d",
                    "reaction_type": "unicode_emoji",
                    "user_id": user_id,
                }
            )

    def topic_messages(self, stream_id: int, topic: str) -> list[dict[str, Any]]:
        return sorted(
            (
                m
                for m in self.messages.values()
                if m["stream_id"] == stream_id and m["subject"] == topic
            ),
            key=lambda m: m["id"],
        )

    # --- HTTP -----------------------------------------------------------------------------------

    def _user(self, request: Request) -> int | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            email, _, key = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
        if self.keys.get(email) != key:
            return None
        return next(u["user_id"] for u in self.users.values() if u["email"] == email)

    def handle(self, request: Request) -> Response:
        me = self._user(request)
        if me is None:
            return error(401, "UNAUTHORIZED", "Invalid API key")
        parts = [p for p in request.path.removeprefix("/api/v1").split("/") if p]
        method = request.method
        if method == "GET" and parts == ["users", "me"]:
            return ok(**self.users[me])
        if method == "GET" and parts == ["users"]:
            return ok(members=list(self.users.values()))
        if method == "GET" and parts == ["users", "me", "subscriptions"]:
            return ok(
                subscriptions=[s for sid, s in self.streams.items() if me in self.subscribers[sid]]
            )
        if (
            method == "GET"
            and len(parts) == 4
            and parts[:2] == ["users", "me"]
            and parts[3] == "topics"
        ):
            sid = int(parts[2])
            topics: dict[str, int] = {}
            for m in self.messages.values():
                if m["stream_id"] == sid:
                    topics[m["subject"]] = max(topics.get(m["subject"], 0), m["id"])
            return ok(
                topics=[
                    {"name": n, "max_id": i} for n, i in sorted(topics.items(), key=lambda t: -t[1])
                ]
            )
        if method == "GET" and parts == ["messages"]:
            return self._get_messages(request)
        if method == "GET" and len(parts) == 2 and parts[0] == "messages":
            message = self.messages.get(int(parts[1]))
            if message is None:
                return error(400, "BAD_REQUEST", "Invalid message(s)")
            return ok(message=message, raw_content=message["content"])
        if method == "POST" and parts == ["messages"]:
            return self._send(me, request.form)
        if (
            method == "POST"
            and len(parts) == 3
            and parts[0] == "messages"
            and parts[2] == "reactions"
        ):
            mid = int(parts[1])
            if mid not in self.messages:
                return error(400, "BAD_REQUEST", "Invalid message(s)")
            self.react(mid, me, request.form["emoji_name"])
            return ok()
        return error(404, "BAD_REQUEST", "Endpoint not found")

    def _get_messages(self, request: Request) -> Response:
        narrow = json.loads(request.args.get("narrow", "[]"))
        chosen = sorted(self.messages.values(), key=lambda m: m["id"])
        for term in narrow:
            op, operand = term["operator"], term["operand"]
            if op in ("channel", "stream"):
                chosen = [m for m in chosen if operand in (m["stream_id"], m["display_recipient"])]
            elif op == "topic":
                chosen = [m for m in chosen if m["subject"] == operand]
            elif op == "sender":
                chosen = [m for m in chosen if operand in (m["sender_id"], m["sender_email"])]
            elif op in ("dm", "pm-with"):
                chosen = [
                    m
                    for m in chosen
                    if m["type"] == "private" and set(operand) <= {*m.get("to", []), m["sender_id"]}
                ]
            else:
                return error(400, "BAD_NARROW", "Invalid narrow operator")
        ids = [m["id"] for m in chosen]
        anchor_text = request.args.get("anchor", "newest")
        before = int(request.args.get("num_before", 0))
        after = int(request.args.get("num_after", 0))
        include = request.args.get("include_anchor", "true") == "true"
        if anchor_text == "newest":
            anchor = ids[-1] if ids else 10**9
        elif anchor_text == "oldest":
            anchor = ids[0] if ids else 0
        else:
            anchor = int(anchor_text)
        older = [m for m in chosen if m["id"] < anchor][-before:] if before else []
        at = [m for m in chosen if m["id"] == anchor] if include else []
        newer = [m for m in chosen if m["id"] > anchor][:after] if after else []
        result = older + at + newer
        got = {m["id"] for m in result}
        return ok(
            messages=result,
            anchor=anchor,
            found_anchor=bool(at),
            found_oldest=not ids or ids[0] in got or (not older and anchor <= ids[0]),
            found_newest=not ids or ids[-1] in got or (not newer and anchor >= ids[-1]),
        )

    def _send(self, me: int, form: Any) -> Response:
        kind = form.get("type")
        if kind in ("stream", "channel"):
            to = form.get("to", "")
            sid = (
                int(to)
                if to.isdigit()
                else next((s for s, d in self.streams.items() if d["name"] == to), 0)
            )
            if sid not in self.streams:
                return error(400, "STREAM_DOES_NOT_EXIST", "Channel does not exist")
            if sid in self.private and me not in self.subscribers[sid]:
                name = self.streams[sid]["name"]
                return error(400, "BAD_REQUEST", f"Not authorized to send to channel '{name}'")
            if sid in self.posters and me not in self.posters[sid]:
                return error(
                    400, "BAD_REQUEST", "You do not have permission to post in this channel."
                )
            topic = str(form.get("topic") or "").strip()
            content = str(form.get("content") or "")
            if not topic:
                return error(400, "BAD_REQUEST", "Topic can't be empty!")
            if not content.strip():
                return error(400, "BAD_REQUEST", "Message must not be empty")
            if len(topic) > self.max_topic_length:
                topic = topic[: self.max_topic_length - 3] + "..."  # truncate_topic
            mid = self.add_message(sid, me, topic, content, self._now())
            if self.on_send is not None:
                self.on_send(mid)
            return ok(id=mid)
        if kind in ("direct", "private"):
            recipients = json.loads(form["to"])
            with self.lock:
                self._next_id += 1
                mid = self._next_id
                self.messages[mid] = {
                    "id": mid,
                    "type": "private",
                    "stream_id": None,
                    "display_recipient": "",
                    "subject": "",
                    "sender_id": me,
                    "sender_email": self.users[me]["email"],
                    "sender_full_name": self.users[me]["full_name"],
                    "timestamp": int(self._now()),
                    "content": form["content"],
                    "reactions": [],
                    "to": recipients,
                }
            return ok(id=mid)
        return error(400, "BAD_REQUEST", "Invalid message type")

    def _now(self) -> float:
        return self.wall()
