"""A fake Mattermost (API v4) with real state: teams, channels, users, posts, reactions.

It speaks the documented shapes: ``{order, posts}`` post lists paged with ``page``/``per_page``
or filtered with ``since`` (posts *modified* after it, deletions included), ``pending_post_id``
de-duplication for 30 seconds, 401 JSON errors, and 429 with a plain-text ``limit exceeded``
body and ``X-Ratelimit-*`` headers (seconds until reset). ``POST /posts`` without ``root_id``
starts a thread; only channel members may post (403 ``api.context.permissions.app_error``), a
``root_id`` must name a post of the channel, and a message is at most 16383 characters.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.helpers.loopback_app import LoopbackApp, json_response

PENDING_TTL_MS = 30_000
MAX_MESSAGE = 16_383


def new_id() -> str:
    return secrets.token_hex(13)  # 26 characters, like Mattermost ids


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class FakeMattermost(LoopbackApp):
    """State you can seed and inspect; every route checks the bearer token."""

    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}
        self.teams: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.members: dict[str, set[str]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, tuple[int, str]] = {}
        self._clock = 0
        self.wall = time.time
        """The server's clock (a test may hand it its own)."""
        super().__init__()

    # --- seeding --------------------------------------------------------------------------------

    def tick(self) -> int:
        """The server's modification clock (``update_at``): real time, strictly increasing."""
        self._clock = max(self._clock + 1, int(self.wall() * 1000))
        return self._clock

    def add_user(self, username: str, first: str, last: str = "", *, bot: bool = False) -> str:
        uid = new_id()
        self.users[uid] = {
            "id": uid,
            "username": username,
            "first_name": first,
            "last_name": last,
            "nickname": "",
            "email": f"{username}@example.test",
            "is_bot": bot,
            "position": "",
        }
        return uid

    def token_for(self, user_id: str) -> str:
        token = secrets.token_hex(13)
        self.tokens[token] = user_id
        return token

    def add_team(self, name: str, display: str) -> str:
        tid = new_id()
        self.teams[tid] = {"id": tid, "name": name, "display_name": display}
        return tid

    def add_channel(
        self, team_id: str, name: str, display: str, members: list[str], kind: str = "O"
    ) -> str:
        cid = new_id()
        self.channels[cid] = {
            "id": cid,
            "team_id": team_id,
            "name": name,
            "display_name": display,
            "type": kind,
            "purpose": "",
        }
        self.members[cid] = set(members)
        return cid

    def add_post(
        self,
        channel_id: str,
        user_id: str,
        message: str,
        at: datetime,
        root_id: str = "",
        **extra: Any,
    ) -> str:
        with self.lock:
            return self._store_post(channel_id, user_id, message, ms(at), root_id, **extra)["id"]

    def _store_post(
        self,
        channel_id: str,
        user_id: str,
        message: str,
        create_at: int,
        root_id: str = "",
        **extra: Any,
    ) -> dict[str, Any]:
        pid = new_id()
        post = {
            "id": pid,
            "create_at": create_at,
            "update_at": self.tick(),
            "edit_at": 0,
            "delete_at": 0,
            "user_id": user_id,
            "channel_id": channel_id,
            "root_id": root_id,
            "message": message,
            "type": "",
            "props": {},
            "reply_count": 0,
            "metadata": {},
            **extra,
        }
        self.posts[pid] = post
        if root_id:
            root = self.posts[root_id]
            replies = [p for p in self.posts.values() if p["root_id"] == root_id]
            root.update(reply_count=len(replies), last_reply_at=create_at, update_at=self.tick())
        return post

    def edit_post(self, post_id: str, message: str) -> None:
        with self.lock:
            now = self.tick()
            self.posts[post_id].update(message=message, edit_at=now, update_at=now)

    def delete_post(self, post_id: str) -> None:
        with self.lock:
            now = self.tick()
            self.posts[post_id].update(delete_at=now, update_at=now, message="")

    def react(self, post_id: str, user_id: str, emoji: str) -> None:
        with self.lock:
            post = self.posts[post_id]
            reactions = post["metadata"].setdefault("reactions", [])
            reactions.append(
                {
                    "user_id": user_id,
                    "post_id": post_id,
                    "emoji_name": emoji,
                    "create_at": self.tick(),
                }
            )
            post["update_at"] = self.tick()

    def thread(self, root_id: str) -> list[dict[str, Any]]:
        return sorted(
            (p for p in self.posts.values() if p["id"] == root_id or p["root_id"] == root_id),
            key=lambda p: p["create_at"],
        )

    # --- HTTP -----------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        path = request.path.removeprefix("/api/v4")
        auth = request.headers.get("Authorization", "")
        user = self.tokens.get(auth.removeprefix("Bearer ").strip())
        if user is None:
            return json_response(
                {
                    "id": "api.context.session_expired.app_error",
                    "message": "Invalid or expired session, please login again.",
                    "status_code": 401,
                },
                401,
            )
        parts = [p for p in path.split("/") if p]
        method = request.method
        if method == "GET" and parts == ["users", "me"]:
            return json_response(self.users[user])
        if method == "GET" and parts == ["users"]:
            page = int(request.args.get("page", 0))
            per = int(request.args.get("per_page", 60))
            users = sorted(self.users.values(), key=lambda u: u["username"])
            return json_response(users[page * per : (page + 1) * per])
        if method == "POST" and parts == ["users", "ids"]:
            ids = json.loads(request.get_data() or b"[]")
            return json_response([self.users[i] for i in ids if i in self.users])
        if method == "GET" and parts == ["users", "me", "teams"]:
            return json_response(list(self.teams.values()))
        if method == "GET" and len(parts) == 5 and parts[:3] == ["users", "me", "teams"]:
            return json_response(
                [
                    c
                    for c in self.channels.values()
                    if user in self.members[c["id"]] and c["team_id"] in (parts[3], "")
                ]
            )
        if method == "GET" and len(parts) == 3 and parts[0] == "channels" and parts[2] == "posts":
            return self._channel_posts(parts[1], request)
        if method == "GET" and len(parts) == 2 and parts[0] == "posts":
            post = self.posts.get(parts[1])
            if post is None or post["delete_at"]:
                return json_response({"id": "app.post.get.app_error", "status_code": 404}, 404)
            return json_response(post)
        if method == "GET" and len(parts) == 3 and parts[0] == "posts" and parts[2] == "thread":
            if parts[1] not in self.posts:
                return json_response({"id": "app.post.get.app_error", "status_code": 404}, 404)
            posts = self.thread(parts[1])
            return json_response(
                {"order": [p["id"] for p in reversed(posts)], "posts": {p["id"]: p for p in posts}}
            )
        if method == "POST" and parts[:1] in (["posts"], ["channels"], ["reactions"]):
            try:
                body = json.loads(request.get_data())
            except ValueError:
                # A body cut short (its sender killed mid-request): refused, as Mattermost does.
                return json_response(
                    {"id": "api.context.invalid_body_param.app_error", "status_code": 400}, 400
                )
        if method == "POST" and parts == ["posts"]:
            return self._create_post(user, body)
        if method == "POST" and parts == ["channels", "direct"]:
            return self._direct(body)
        if method == "POST" and parts == ["reactions"]:
            self.react(body["post_id"], body["user_id"], body["emoji_name"])
            return json_response(body, 201)
        return json_response({"id": "api.context.404.app_error", "status_code": 404}, 404)

    def _channel_posts(self, channel_id: str, request: Request) -> Response:
        posts = [p for p in self.posts.values() if p["channel_id"] == channel_id]
        since = int(request.args.get("since", 0))
        if since:
            chosen = [p for p in posts if p["update_at"] > since][:1000]
        else:
            live = sorted(
                (p for p in posts if not p["delete_at"]), key=lambda p: p["create_at"], reverse=True
            )
            page = int(request.args.get("page", 0))
            per = int(request.args.get("per_page", 60))
            chosen = live[page * per : (page + 1) * per]
        chosen.sort(key=lambda p: p["create_at"], reverse=True)
        return json_response(
            {
                "order": [p["id"] for p in chosen],
                "posts": {p["id"]: p for p in chosen},
                "next_post_id": "",
                "prev_post_id": "",
            }
        )

    def _create_post(self, user: str, body: dict[str, Any]) -> Response:
        pending = body.get("pending_post_id") or ""
        now = self.tick()
        if pending in self.pending:
            seen_at, post_id = self.pending[pending]
            if now - seen_at < PENDING_TTL_MS:
                return json_response(self.posts[post_id], 201)
        if body["channel_id"] not in self.channels:
            return json_response(
                {"id": "api.context.invalid_url_param.app_error", "status_code": 400}, 400
            )
        if user not in self.members[body["channel_id"]]:
            return json_response(
                {
                    "id": "api.context.permissions.app_error",
                    "message": "You do not have the appropriate permissions.",
                    "status_code": 403,
                },
                403,
            )
        root_id = body.get("root_id") or ""
        root = self.posts.get(root_id)
        if root_id and (root is None or root["channel_id"] != body["channel_id"]):
            return json_response(
                {"id": "api.post.create_post.root_id.app_error", "status_code": 400}, 400
            )
        if len(body.get("message") or "") > MAX_MESSAGE:
            return json_response(
                {"id": "model.post.is_valid.msg.app_error", "status_code": 400}, 400
            )
        post = self._store_post(
            body["channel_id"],
            user,
            body["message"],
            now,
            body.get("root_id") or "",
            props=body.get("props") or {},
            pending_post_id=pending,
        )
        if pending:
            self.pending[pending] = (now, post["id"])
        return json_response(post, 201)

    def _direct(self, pair: list[str]) -> Response:
        name = "__".join(sorted(pair))
        for channel in self.channels.values():
            if channel["name"] == name:
                return json_response(channel)
        cid = self.add_channel("", name, "", list(pair), kind="D")
        return json_response(self.channels[cid], 201)
