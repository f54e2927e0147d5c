"""A fake Microsoft Graph (the Teams subset) on 127.0.0.1, with real state to seed and inspect.

It speaks the documented shapes: ``@odata.nextLink`` paging, channel-message delta with
``@odata.deltaLink`` (410 once a link is expired), ``$expand=replies`` with
``replies@odata.nextLink``, HTML bodies with ``<at>`` mentions, reactions, one-on-one chats,
``client-request-id`` echo, and bearer tokens that can be revoked or expire (401). New channel
messages (``POST …/messages``, with a ``subject``) start threads; the channel's message list
(``GET …/messages``, ``$top`` ≤ 50) comes newest change first, as Graph lists it by
``lastModifiedDateTime``; a moderated channel refuses new posts from others (403).
"""

from __future__ import annotations

import html
import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.helpers.fixture_server import ApiError, FakeApi, json_response


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def graph_error(status: int, code: str, message: str) -> ApiError:
    return ApiError(json_response({"error": {"code": code, "message": message}}, status))


@dataclass
class Tokens:
    """Access tokens the fake APIs accept: token → user id; revoked ones answer 401."""

    valid: dict[str, str] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def grant(self, token: str, user_id: str) -> None:
        with self.lock:
            self.valid[token] = user_id

    def revoke(self, token: str) -> None:
        with self.lock:
            self.revoked.add(token)

    def user(self, request: Request) -> str | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = header[7:]
        with self.lock:
            if token in self.revoked:
                return None
            return self.valid.get(token)


def plain(content: str) -> str:
    """The text of an HTML body, for assertions (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", content))


class FakeGraph(FakeApi):
    """Users, joined teams with channels, channel messages with replies, and chats."""

    def __init__(self, tokens: Tokens | None = None) -> None:
        super().__init__()
        self.tokens = tokens or Tokens()
        self.users: dict[str, str] = {}
        self.teams: dict[str, dict[str, Any]] = {}
        self.roots: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.chats: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.wall: Callable[[], datetime] = lambda: datetime.now(UTC)
        """The server's clock (a test may hand it its own)."""
        self.moderated: set[tuple[str, str]] = set()
        """Channels where only moderators (none here) may start a conversation."""
        self.delta_floor = 0
        """Delta links older than this change number answer 410 (expired)."""
        self.inline_replies = 1000
        self.teams_page_size = 100
        self.expand_replies_in_delta = True
        self._ids = itertools.count(1_764_000_000_000)

    # --- seeding --------------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, token: str | None = None) -> None:
        self.users[user_id] = name
        if token:
            self.tokens.grant(token, user_id)

    def add_channel(self, team: str, team_name: str, channel: str, name: str) -> None:
        with self.lock:
            entry = self.teams.setdefault(team, {"displayName": team_name, "channels": {}})
            entry["channels"][channel] = name
            self.roots.setdefault((team, channel), [])

    def _new_id(self) -> str:
        return str(next(self._ids))

    def _bump(self, root: dict[str, Any], at: datetime | None = None) -> None:
        """A change to the thread: the next delta returns it, and the message list puts it
        first (its ``lastModifiedDateTime`` moves to ``at``)."""
        self.seq += 1
        root["_seq"] = self.seq
        if at is not None:
            root["lastModifiedDateTime"] = max(root["lastModifiedDateTime"], iso(at))

    def _message(
        self,
        user_id: str | None,
        content: str,
        at: datetime,
        *,
        content_type: str = "html",
        message_type: str = "message",
        app: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        sender: Any = None
        if user_id is not None:
            sender = {
                "user": {
                    "id": user_id,
                    "displayName": self.users.get(user_id, user_id),
                    "userIdentityType": "aadUser",
                },
                "application": None,
            }
        elif app is not None:
            sender = {"user": None, "application": {"id": app[0], "displayName": app[1]}}
        return {
            "id": self._new_id(),
            "replyToId": None,
            "messageType": message_type,
            "createdDateTime": iso(at),
            "lastModifiedDateTime": iso(at),
            "lastEditedDateTime": None,
            "deletedDateTime": None,
            "subject": None,
            "from": sender,
            "body": {"contentType": content_type, "content": content},
            "mentions": [],
            "reactions": [],
            "webUrl": None,
        }

    def post_root(
        self,
        team: str,
        channel: str,
        user_id: str | None,
        content: str,
        at: datetime,
        *,
        subject: str | None = None,
        **kw: Any,
    ) -> str:
        with self.lock:
            msg = self._message(user_id, content, at, **kw)
            msg["subject"] = subject
            msg["channelIdentity"] = {"teamId": team, "channelId": channel}
            msg["webUrl"] = f"https://teams.example/l/message/{channel}/{msg['id']}"
            msg["_replies"] = []
            self._bump(msg)
            self.roots[(team, channel)].append(msg)
            return str(msg["id"])

    def post_reply(
        self, team: str, channel: str, root_id: str, user_id: str | None, content: str,
        at: datetime, **kw: Any,
    ) -> str:  # fmt: skip
        with self.lock:
            root = self.root(team, channel, root_id)
            msg = self._message(user_id, content, at, **kw)
            msg["replyToId"] = root_id
            root["_replies"].append(msg)
            self._bump(root, at)
            return str(msg["id"])

    def root(self, team: str, channel: str, root_id: str) -> dict[str, Any]:
        for msg in self.roots.get((team, channel), []):
            if msg["id"] == root_id:
                return msg
        raise graph_error(404, "NotFound", "message not found")

    def replies(self, team: str, channel: str, root_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.root(team, channel, root_id)["_replies"])

    def delete_root(self, team: str, channel: str, root_id: str, at: datetime) -> None:
        with self.lock:
            root = self.root(team, channel, root_id)
            root["deletedDateTime"] = iso(at)
            self._bump(root, at)

    def expire_delta_links(self) -> None:
        with self.lock:
            self.delta_floor = self.seq + 1

    # --- serving --------------------------------------------------------------------------------

    def _public(self, msg: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in msg.items() if not k.startswith("_")}

    def _with_replies(self, msg: dict[str, Any], team: str, channel: str) -> dict[str, Any]:
        out = self._public(msg)
        replies = msg["_replies"]
        out["replies"] = [self._public(r) for r in replies[: self.inline_replies]]
        if len(replies) > self.inline_replies:
            out["replies@odata.nextLink"] = (
                f"{self.base_url}/v1.0/teams/{team}/channels/{channel}/messages/{msg['id']}"
                f"/replies?$skiptoken={self.inline_replies}"
            )
        return out

    def handle(self, request: Request) -> Response:
        user = self.tokens.user(request)
        if user is None:
            raise graph_error(
                401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."
            )
        path = request.path.removeprefix("/v1.0")
        with self.lock:
            return self._route(request, path, user)

    def _route(self, request: Request, path: str, user: str) -> Response:
        m = request.method
        parts = [p for p in path.split("/") if p]
        if m == "GET" and parts == ["me"]:
            return json_response({"id": user, "displayName": self.users.get(user, user)})
        if m == "GET" and parts == ["me", "joinedTeams"]:
            return self._joined_teams(request)
        if parts[:1] == ["teams"] and len(parts) >= 3:
            return self._teams(request, parts, user)
        if parts[:1] == ["chats"]:
            return self._chats(request, parts, user)
        raise graph_error(404, "NotFound", f"no route {m} {path}")

    def _joined_teams(self, request: Request) -> Response:
        items = [{"id": t, "displayName": v["displayName"]} for t, v in self.teams.items()]
        offset = int(request.args.get("$skiptoken", "0"))
        page = items[offset : offset + self.teams_page_size]
        body: dict[str, Any] = {"value": page}
        if offset + self.teams_page_size < len(items):
            body["@odata.nextLink"] = (
                f"{self.base_url}/v1.0/me/joinedTeams?$skiptoken={offset + self.teams_page_size}"
            )
        return json_response(body)

    def _teams(self, request: Request, parts: list[str], user: str) -> Response:
        team = parts[1]
        if team not in self.teams:
            raise graph_error(404, "NotFound", "team not found")
        if parts[2:] == ["channels"] and request.method == "GET":
            chans = self.teams[team]["channels"]
            return json_response(
                {
                    "value": [
                        {"id": c, "displayName": n, "description": None} for c, n in chans.items()
                    ]
                }
            )
        if len(parts) < 5 or parts[2] != "channels" or parts[4] != "messages":
            raise graph_error(404, "NotFound", "no such resource")
        channel = parts[3]
        if (team, channel) not in self.roots:
            raise graph_error(404, "NotFound", "channel not found")
        rest = parts[5:]
        if request.method == "GET" and rest == ["delta"]:
            return self._delta(request, team, channel)
        if not rest and request.method == "GET":
            return self._message_page(request, team, channel)
        if not rest and request.method == "POST":
            return self._create_root(request, team, channel, user)
        if not rest:
            raise graph_error(405, "MethodNotAllowed", "not in this fake")
        root = self.root(team, channel, rest[0])
        if request.method == "GET" and len(rest) == 1:
            return json_response(self._public(root))
        if rest[1:] == ["replies"] and request.method == "GET":
            return self._reply_page(request, root, team, channel)
        if rest[1:] == ["replies"] and request.method == "POST":
            return self._create_reply(request, root, user)
        if rest[1:] == ["setReaction"] and request.method == "POST":
            return self._react(request, root, root, user)
        if len(rest) >= 3 and rest[1] == "replies":
            reply = next((r for r in root["_replies"] if r["id"] == rest[2]), None)
            if reply is None:
                raise graph_error(404, "NotFound", "reply not found")
            if rest[3:] == ["setReaction"] and request.method == "POST":
                return self._react(request, root, reply, user)
            if len(rest) == 3 and request.method == "GET":
                return json_response(self._public(reply))
        raise graph_error(404, "NotFound", "no such resource")

    def _delta(self, request: Request, team: str, channel: str) -> Response:
        base = f"{self.base_url}/v1.0/teams/{team}/channels/{channel}/messages/delta"
        skip = request.args.get("$skiptoken")
        token = request.args.get("$deltatoken")
        if skip:
            since, snapshot, offset, expand, top = (int(x) for x in skip.split("."))
        else:
            expand = int("replies" in request.args.get("$expand", ""))
            top = min(50, int(request.args.get("$top", "50")))
            if token:
                since, expand, top = (int(x) for x in token.split("."))
                if since < self.delta_floor:
                    raise graph_error(410, "SyncStateNotFound", "The delta token has expired.")
            else:
                since = 0
            snapshot, offset = self.seq, 0
        if since and since < self.delta_floor:
            raise graph_error(410, "SyncStateNotFound", "The sync state has expired.")
        changed = [r for r in self.roots[(team, channel)] if since < r["_seq"] <= snapshot]
        page = changed[offset : offset + top]
        value = [
            self._with_replies(r, team, channel)
            if expand and self.expand_replies_in_delta
            else self._public(r)
            for r in page
        ]
        body: dict[str, Any] = {"value": value}
        if offset + top < len(changed):
            body["@odata.nextLink"] = (
                f"{base}?$skiptoken={since}.{snapshot}.{offset + top}.{expand}.{top}"
            )
        else:
            body["@odata.deltaLink"] = f"{base}?$deltatoken={snapshot}.{expand}.{top}"
        return json_response(body)

    def _message_page(self, request: Request, team: str, channel: str) -> Response:
        """The channel's root messages without replies, newest change first."""
        offset = int(request.args.get("$skiptoken", "0"))
        top = min(50, int(request.args.get("$top", "20")))
        roots = sorted(
            self.roots[(team, channel)],
            key=lambda r: (r["lastModifiedDateTime"], int(r["id"])),
            reverse=True,
        )
        body: dict[str, Any] = {"value": [self._public(r) for r in roots[offset : offset + top]]}
        if offset + top < len(roots):
            body["@odata.nextLink"] = (
                f"{self.base_url}/v1.0/teams/{team}/channels/{channel}/messages"
                f"?$skiptoken={offset + top}&$top={top}"
            )
        return json_response(body)

    def _create_root(self, request: Request, team: str, channel: str, user: str) -> Response:
        if (team, channel) in self.moderated:
            raise graph_error(403, "Forbidden", "Only moderators can post in this channel.")
        data = request.get_json(force=True, silent=True) or {}
        body = data.get("body") or {}
        if not body.get("content"):
            raise graph_error(400, "BadRequest", "body is required")
        msg = self._message(
            user, body["content"], self.wall(), content_type=body.get("contentType", "text")
        )
        subject = data.get("subject")
        msg["subject"] = subject if isinstance(subject, str) and subject else None
        msg["mentions"] = data.get("mentions") or []
        msg["channelIdentity"] = {"teamId": team, "channelId": channel}
        msg["webUrl"] = f"https://teams.example/l/message/{channel}/{msg['id']}"
        msg["_replies"] = []
        msg["_client_request_id"] = request.headers.get("client-request-id")
        self._bump(msg)
        self.roots[(team, channel)].append(msg)
        return json_response(self._public(msg), 201)

    def _reply_page(
        self, request: Request, root: dict[str, Any], team: str, channel: str
    ) -> Response:
        offset = int(request.args.get("$skiptoken", "0"))
        top = int(request.args.get("$top", "50"))
        replies = root["_replies"]
        body: dict[str, Any] = {"value": [self._public(r) for r in replies[offset : offset + top]]}
        if offset + top < len(replies):
            body["@odata.nextLink"] = (
                f"{self.base_url}/v1.0/teams/{team}/channels/{channel}/messages/{root['id']}"
                f"/replies?$skiptoken={offset + top}&$top={top}"
            )
        return json_response(body)

    def _create_reply(self, request: Request, root: dict[str, Any], user: str) -> Response:
        data = request.get_json(force=True, silent=True) or {}
        body = data.get("body") or {}
        if not body.get("content"):
            raise graph_error(400, "BadRequest", "body is required")
        msg = self._message(
            user, body["content"], self.wall(), content_type=body.get("contentType", "text")
        )
        msg["replyToId"] = root["id"]
        msg["mentions"] = data.get("mentions") or []
        msg["_client_request_id"] = request.headers.get("client-request-id")
        root["_replies"].append(msg)
        self._bump(root, self.wall())
        return json_response(self._public(msg), 201)

    def _react(
        self, request: Request, root: dict[str, Any], target: dict[str, Any], user: str
    ) -> Response:
        data = request.get_json(force=True, silent=True) or {}
        kind = data.get("reactionType")
        if not kind:
            raise graph_error(400, "BadRequest", "reactionType is required")
        mine = [
            r
            for r in target["reactions"]
            if r["user"]["user"]["id"] == user and r["reactionType"] == kind
        ]
        if not mine:
            target["reactions"].append(
                {
                    "reactionType": kind,
                    "createdDateTime": iso(self.wall()),
                    "user": {"user": {"id": user, "displayName": self.users.get(user, user)}},
                }
            )
            self._bump(root, self.wall())
        return Response(status=204)

    def _chats(self, request: Request, parts: list[str], user: str) -> Response:
        if request.method == "POST" and parts == ["chats"]:
            data = request.get_json(force=True, silent=True) or {}
            members = []
            for member in data.get("members") or []:
                bind = member.get("user@odata.bind", "")
                found = re.search(r"users\('([^']+)'\)", bind)
                if found is None:
                    raise graph_error(400, "BadRequest", "member without user@odata.bind")
                members.append(found.group(1))
            if data.get("chatType") != "oneOnOne" or len(set(members)) != 2 or user not in members:
                raise graph_error(400, "BadRequest", "a oneOnOne chat has the caller and one other")
            key = "|".join(sorted(members))
            for chat_id, chat in self.chats.items():
                if chat["key"] == key:
                    return json_response({"id": chat_id, "chatType": "oneOnOne"}, 201)
            chat_id = f"19:{key.replace('|', '_')}@unq.gbl.spaces"
            self.chats[chat_id] = {"key": key, "members": members, "messages": []}
            return json_response({"id": chat_id, "chatType": "oneOnOne"}, 201)
        if len(parts) >= 3 and parts[2] == "messages":
            chat = self.chats.get(parts[1])
            if chat is None or user not in chat["members"]:
                raise graph_error(404, "NotFound", "chat not found")
            if request.method == "POST":
                data = request.get_json(force=True, silent=True) or {}
                content = (data.get("body") or {}).get("content")
                if not content:
                    raise graph_error(400, "BadRequest", "body is required")
                msg = self._message(
                    user,
                    content,
                    self.wall(),
                    content_type=data["body"].get("contentType", "text"),
                )
                chat["messages"].append(msg)
                return json_response(self._public(msg), 201)
            return json_response({"value": [self._public(m) for m in reversed(chat["messages"])]})
        raise graph_error(404, "NotFound", "no such chat resource")
