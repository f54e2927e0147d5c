"""A fake Yammer REST API v1 (Viva Engage) on 127.0.0.1, with real state to seed and inspect.

It speaks the documented shapes (``messages`` + ``references`` + ``meta``, ``newer_than`` /
``older_than`` id paging, newest first, form-encoded posts with ``replied_to_id``,
``direct_to_user_ids`` and ``topic1..N``, likes) and enforces the documented message rate limit:
more than 10 message requests in 30 seconds answer 429 (without ``Retry-After``). Its clock can be
the test's fake clock, so pacing is checked without waiting.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.helpers.fake_graph import Tokens
from tests.helpers.fixture_server import ApiError, FakeApi, json_response

RATE_LIMIT = 10
RATE_WINDOW = 30.0


def ytime(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y/%m/%d %H:%M:%S +0000")


def error(status: int, message: str) -> ApiError:
    return ApiError(json_response({"error": message}, status))


class FakeYammer(FakeApi):
    """Users, communities, messages in threads, likes, topics and private messages."""

    def __init__(self, tokens: Tokens | None = None) -> None:
        super().__init__()
        self.tokens = tokens or Tokens()
        self.users: dict[int, dict[str, Any]] = {}
        self.groups: dict[int, dict[str, Any]] = {}
        self.members: dict[int, set[int]] = {}
        self.messages: list[dict[str, Any]] = []
        self.topics: dict[int, str] = {}
        self.thread_meta: dict[int, dict[str, Any]] = {}
        self.message_requests: list[float] = []
        self.enforce_rate_limit = True
        self.wall: Callable[[], datetime] = lambda: datetime.now(UTC)
        """The server's clock (a test may hand it its own)."""
        self._ids = itertools.count(2_000_337_346_863_105)

    # --- seeding --------------------------------------------------------------------------------

    def add_user(self, uid: int, name: str, full_name: str, token: str | None = None) -> None:
        self.users[uid] = {"type": "user", "id": uid, "name": name, "full_name": full_name}
        if token:
            self.tokens.grant(token, str(uid))

    def add_group(self, gid: int, full_name: str, members: list[int]) -> None:
        self.groups[gid] = {
            "type": "group",
            "id": gid,
            "full_name": full_name,
            "name": full_name.lower().replace(" ", ""),
            "web_url": f"https://engage.example/groups/{gid}",
        }
        self.members[gid] = set(members)

    def post(
        self,
        sender: int,
        body: str,
        at: datetime,
        *,
        group: int | None = None,
        replied_to: int | None = None,
        direct_to: list[int] | None = None,
        topics: Sequence[str] = (),
        rich: str | None = None,
        notified: Sequence[int] = (),
        system: bool = False,
    ) -> int:
        with self.lock:
            mid = next(self._ids)
            thread = mid
            if replied_to is not None:
                parent = self.message(replied_to)
                thread, group = parent["thread_id"], parent["group_id"]
            message = {
                "id": mid,
                "sender_id": sender,
                "sender_type": "user" if not system else "system",
                "replied_to_id": replied_to,
                "created_at": ytime(at),
                "group_id": group,
                "thread_id": thread,
                "message_type": "system" if system else "update",
                "system_message": system,
                "direct_message": bool(direct_to),
                "body": {"plain": body, "parsed": body, "rich": rich if rich is not None else body},
                "notified_user_ids": list(notified),
                "liked_by": {"count": 0, "names": []},
                "web_url": f"https://engage.example/threads/{thread}",
                "_direct_to": list(direct_to or ()),
            }
            if thread == mid:
                topic_ids = []
                for name in topics:
                    tid = next((k for k, v in self.topics.items() if v == name), None)
                    if tid is None:
                        tid = 900 + len(self.topics)
                        self.topics[tid] = name
                    topic_ids.append(tid)
                self.thread_meta[mid] = {"topics": topic_ids}
            self.messages.append(message)
            return mid

    def message(self, mid: int) -> dict[str, Any]:
        for message in self.messages:
            if message["id"] == mid:
                return message
        raise error(404, "message not found")

    def thread_messages(self, thread: int) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if m["thread_id"] == thread]

    def like(self, mid: int, uid: int) -> None:
        with self.lock:
            names = self.message(mid)["liked_by"]["names"]
            if all(n["user_id"] != uid for n in names):
                names.append({"user_id": uid, "full_name": self.users[uid]["full_name"]})
            self.message(mid)["liked_by"]["count"] = len(names)

    # --- serving --------------------------------------------------------------------------------

    def _public(self, m: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in m.items() if not k.startswith("_")}

    def _references(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        refs: dict[tuple[str, int], dict[str, Any]] = {}
        for m in messages:
            for uid in [m["sender_id"], *m["notified_user_ids"]]:
                if uid in self.users:
                    refs[("user", uid)] = self.users[uid]
            meta = self.thread_meta.get(m["thread_id"], {})
            thread = {
                "type": "thread",
                "id": m["thread_id"],
                "thread_starter_id": m["thread_id"],
                "web_url": f"https://engage.example/threads/{m['thread_id']}",
                "topics": [{"type": "topic", "id": t} for t in meta.get("topics", [])],
                "stats": {"updates": len(self.thread_messages(m["thread_id"]))},
            }
            thread.update({k: v for k, v in meta.items() if k != "topics"})
            refs[("thread", m["thread_id"])] = thread
            for t in meta.get("topics", []):
                refs[("topic", t)] = {"type": "topic", "id": t, "name": self.topics[t]}
        return list(refs.values())

    def _listing(self, request: Request, candidates: list[dict[str, Any]]) -> Response:
        newer = request.args.get("newer_than", type=int)
        older = request.args.get("older_than", type=int)
        limit = min(20, request.args.get("limit", 20, type=int))
        chosen = sorted(
            (
                m
                for m in candidates
                if (newer is None or m["id"] > newer) and (older is None or m["id"] < older)
            ),
            key=lambda m: m["id"],
            reverse=True,
        )
        page = chosen[:limit]
        return json_response(
            {
                "messages": [self._public(m) for m in page],
                "references": self._references(page),
                "meta": {"older_available": len(chosen) > limit},
            }
        )

    def _rate_limited(self, path: str) -> bool:
        if not path.startswith("/api/v1/messages") or not self.enforce_rate_limit:
            return False
        now = self.clock()
        recent = [t for t in self.message_requests if now - t < RATE_WINDOW]
        self.message_requests = [*recent, now]
        return len(recent) >= RATE_LIMIT

    def handle(self, request: Request) -> Response:
        user = self.tokens.user(request)
        if user is None:
            raise error(401, "Unauthorized")
        with self.lock:
            if self._rate_limited(request.path):
                return Response(
                    '{"error":"rate limited"}', status=429, content_type="application/json"
                )
            return self._route(request, request.path.removeprefix("/api/v1"), int(user))

    def _route(self, request: Request, path: str, me: int) -> Response:
        visible = [
            m
            for m in self.messages
            if not m["direct_message"] or me in m["_direct_to"] or m["sender_id"] == me
        ]
        if request.method == "GET":
            if path == "/users/current.json":
                return json_response({**self.users[me], "email": None})
            if path == f"/groups/for_user/{me}.json":
                return json_response(
                    [g for gid, g in self.groups.items() if me in self.members[gid]]
                )
            if path.startswith("/messages/in_group/"):
                gid = int(path.split("/")[3].removesuffix(".json"))
                if gid not in self.groups:
                    raise error(404, "group not found")
                return self._listing(
                    request,
                    [m for m in visible if m["group_id"] == gid and not m["direct_message"]],
                )
            if path.startswith("/messages/in_thread/"):
                tid = int(path.split("/")[3].removesuffix(".json"))
                return self._listing(request, [m for m in visible if m["thread_id"] == tid])
            if path == "/messages/private.json":
                return self._listing(request, [m for m in visible if m["direct_message"]])
        if request.method == "POST" and path == "/messages.json":
            return self._create(request, me)
        if request.method == "POST" and path == "/messages/liked_by/current.json":
            mid = request.args.get("message_id", type=int) or request.form.get(
                "message_id", type=int
            )
            if mid is None:
                raise error(400, "message_id is required")
            self.like(mid, me)
            return Response(status=201)
        raise error(404, f"no route {request.method} {path}")

    def _create(self, request: Request, me: int) -> Response:
        if request.mimetype != "application/x-www-form-urlencoded":
            raise error(400, "expected a form-encoded body")
        form = request.form
        body = form.get("body", "")
        if not body.strip():
            raise error(400, "body is required")
        topics = [form[f"topic{i}"] for i in range(1, 21) if form.get(f"topic{i}")]
        # Mentions are written [[user:ID]] and come back as notified_user_ids.
        notified = [int(x) for x in re.findall(r"\[\[user:(\d+)\]\]", body)]
        if form.get("replied_to_id"):
            mid = self.post(
                me,
                body,
                self.wall(),
                replied_to=int(form["replied_to_id"]),
                notified=notified,
            )
        elif form.get("direct_to_user_ids"):
            ids = [int(x) for x in form["direct_to_user_ids"].split(",")]
            mid = self.post(me, body, self.wall(), direct_to=ids)
        elif form.get("group_id"):
            mid = self.post(me, body, self.wall(), group=int(form["group_id"]), topics=topics)
        else:
            raise error(400, "replied_to_id, group_id or direct_to_user_ids is required")
        message = self.message(mid)
        return json_response(
            {"messages": [self._public(message)], "references": self._references([message])},
            201,
        )
