"""A Slack Web API fixture server: real HTTP, real state, Slack's own way of failing.

Every method answers HTTP 200 with ``{"ok": false, "error": …}`` on refusal, except throttling
(429 + ``Retry-After`` + ``ratelimited``). It models cursor pagination
(``response_metadata.next_cursor``), thread parents with ``reply_count``/``latest_reply``,
``thread_broadcast`` replies shown in the history, message ``metadata`` (returned only with
``include_all_metadata``), edits, deletions (a parent with replies becomes a ``tombstone``),
reactions, DMs, and the OAuth v2 PKCE exchange. ``chat.postMessage`` without ``thread_ts``
starts a thread (a channel message, shown in the history); a read-only channel refuses every
post with ``restricted_action_read_only_channel``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from tests.helpers.wsgi import Faults, generic_fault, json_response

MAX_TEXT = 40_000


@dataclass
class Channel:
    id: str
    name: str
    members: set[str]
    is_im: bool = False
    read_only: bool = False
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)


class FakeSlack:
    """The fixture workspace (a WSGI app; run it with :func:`tests.helpers.wsgi.serve`)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self.tokens: dict[str, str] = {}
        self.requests: list[str] = []
        self.faults = Faults()
        self.codes: dict[str, tuple[str, str, str]] = {}
        """Authorization code → (user, code_challenge, redirect_uri)."""
        self.refresh_tokens: dict[str, str] = {}
        self.rotate = False
        self._seq = itertools.count(1)
        self._used: set[str] = set()
        self.on_post: Callable[[dict[str, Any]], None] | None = None
        self.wall: Callable[[], datetime] = lambda: datetime.now(UTC)
        """The server's clock (a test may hand it its own)."""

    # --- seeding -------------------------------------------------------------------------------

    def add_user(self, uid: str, name: str, real: str = "", bot: bool = False) -> None:
        self.users[uid] = {
            "id": uid,
            "name": name,
            "real_name": real or name.title(),
            "is_bot": bot,
            "deleted": False,
            "profile": {"display_name": real or name.title(), "email": f"{name}@example.org"},
        }

    def token(self, uid: str) -> str:
        token = f"xoxp-{uid}-{len(self.tokens)}-secret"
        self.tokens[token] = uid
        return token

    def add_channel(self, cid: str, name: str, members: set[str]) -> Channel:
        self.channels[cid] = Channel(cid, name, set(members))
        return self.channels[cid]

    def _ts(self, at: datetime | None) -> str:
        base = at.timestamp() if at is not None else self.wall().timestamp()
        with self.lock:
            # A ts is unique per channel; seeded messages may be created out of time order.
            ts = f"{base:.6f}"
            while ts in self._used:
                base += 0.000001
                ts = f"{base:.6f}"
            self._used.add(ts)
            return ts

    def post(
        self,
        cid: str,
        user: str | None,
        text: str,
        at: datetime | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        broadcast: bool = False,
        metadata: dict[str, Any] | None = None,
        bot_id: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            channel = self.channels[cid]
            ts = self._ts(at)
            m: dict[str, Any] = {"type": "message", "ts": ts, "text": text}
            if user:
                m["user"] = user
            if bot_id:
                m["bot_id"] = bot_id
            if subtype:
                m["subtype"] = subtype
            if broadcast:
                m["subtype"] = "thread_broadcast"
            if metadata:
                m["metadata"] = metadata
            if files:
                m["files"] = files
            if thread_ts:
                m["thread_ts"] = thread_ts
                parent = channel.messages[thread_ts]
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                parent["latest_reply"] = ts
                users = parent.setdefault("reply_users", [])
                if user and user not in users:
                    users.append(user)
            channel.messages[ts] = m
            return m

    def edit(self, cid: str, ts: str, text: str, at: datetime) -> None:
        m = self.channels[cid].messages[ts]
        m["text"] = text
        m["edited"] = {"user": m.get("user"), "ts": self._ts(at)}

    def delete(self, cid: str, ts: str) -> None:
        with self.lock:
            channel = self.channels[cid]
            m = channel.messages[ts]
            if m.get("thread_ts") and m["thread_ts"] != ts:
                del channel.messages[ts]
                parent = channel.messages[m["thread_ts"]]
                parent["reply_count"] -= 1
                rest = self._replies(channel, m["thread_ts"])
                parent["latest_reply"] = rest[-1]["ts"] if rest else m["thread_ts"]
            elif m.get("reply_count"):
                m.update(subtype="tombstone", text="This message was deleted.")
                m.pop("user", None)
            else:
                del channel.messages[ts]

    def react(self, cid: str, ts: str, user: str, name: str) -> None:
        m = self.channels[cid].messages[ts]
        for r in m.setdefault("reactions", []):
            if r["name"] == name:
                if user not in r["users"]:
                    r["users"].append(user)
                    r["count"] += 1
                return
        m["reactions"].append({"name": name, "users": [user], "count": 1})

    def replies_of(self, cid: str, ts: str) -> list[dict[str, Any]]:
        return self._replies(self.channels[cid], ts)

    def calls(self, method: str) -> int:
        return sum(1 for m in self.requests if m == method)

    @staticmethod
    def _replies(channel: Channel, ts: str) -> list[dict[str, Any]]:
        return sorted(
            (m for m in channel.messages.values() if m.get("thread_ts") == ts and m["ts"] != ts),
            key=lambda m: float(m["ts"]),
        )

    # --- the WSGI app --------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        method = request.path.rsplit("/", 1)[-1]
        with self.lock:
            self.requests.append(method)
        fault = self.faults.take(request)
        if fault is not None:
            if fault.kind == "ratelimited":
                response = json_response(
                    {"ok": False, "error": "ratelimited"},
                    429,
                    {"Retry-After": str(fault.body or 1)},
                )
            elif fault.kind == "ok_false":
                response = json_response({"ok": False, "error": fault.body})
            elif fault.kind == "after":
                self._route(request, method)
                response = generic_fault(fault, lambda: json_response({}))
            elif fault.kind == "dropped":
                # Applied, then the connection drops before the whole answer is out.
                answer = self._route(request, method)
                size = len(answer.get_data())
                answer.set_data(answer.get_data()[: size // 2])
                answer.headers["Content-Length"] = str(size)
                answer.headers["Connection"] = "close"
                response = answer
            else:
                response = generic_fault(fault, lambda: self._route(request, method))
        else:
            response = self._route(request, method)
        return response(environ, start_response)

    def _args(self, request: Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.args.items())
        if request.method == "POST":
            body = request.get_json(silent=True)
            args.update(body if isinstance(body, dict) else request.form.to_dict())
        return args

    def _route(self, request: Request, method: str) -> Response:
        args = self._args(request)
        if request.path == "/oauth/v2/authorize":
            return self._authorize(args)
        if method == "oauth.v2.access":
            return self._access(args)
        auth = request.headers.get("Authorization", "")
        user = self.tokens.get(auth.removeprefix("Bearer ").strip())
        if user is None:
            return json_response({"ok": False, "error": "invalid_auth" if auth else "not_authed"})
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        if handler is None:
            return json_response({"ok": False, "error": "unknown_method"})
        with self.lock:
            return json_response(handler(user, args))

    @staticmethod
    def _page(items: list[Any], args: dict[str, Any], key: str, **extra: Any) -> dict[str, Any]:
        limit = min(int(args.get("limit") or 100), 999)
        start = int(base64.b64decode(args["cursor"]).decode()) if args.get("cursor") else 0
        chunk = items[start : start + limit]
        nxt = start + limit
        cursor = base64.b64encode(str(nxt).encode()).decode() if nxt < len(items) else ""
        return {
            "ok": True,
            key: chunk,
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
            **extra,
        }

    def _channel(self, user: str, args: dict[str, Any]) -> Channel | dict[str, Any]:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if user not in channel.members:
            return {"ok": False, "error": "not_in_channel"}
        return channel

    @staticmethod
    def _view(m: dict[str, Any], metadata: bool) -> dict[str, Any]:
        return m if metadata else {k: v for k, v in m.items() if k != "metadata"}

    # --- methods --------------------------------------------------------------------------------

    def m_auth_test(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://acme.slack.example/",
            "team": "Acme",
            "user": self.users[user]["name"],
            "team_id": "T1",
            "user_id": user,
        }

    def m_users_list(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        return self._page(list(self.users.values()), args, "members")

    def m_users_conversations(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        mine = [
            {"id": c.id, "name": c.name, "is_channel": True, "purpose": {"value": c.name}}
            for c in self.channels.values()
            if user in c.members and not c.is_im
        ]
        return self._page(mine, args, "channels")

    def m_conversations_history(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(user, args)
        if not isinstance(channel, Channel):
            return channel
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or 1e12)
        meta = args.get("include_all_metadata") in ("true", "1", True)
        messages = [
            self._view(m, meta)
            for m in channel.messages.values()
            if oldest <= float(m["ts"]) <= latest
            and (m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast")
        ]
        messages.sort(key=lambda m: -float(m["ts"]))
        return self._page(messages, args, "messages")

    def m_conversations_replies(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(user, args)
        if not isinstance(channel, Channel):
            return channel
        parent = channel.messages.get(str(args.get("ts")))
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        oldest = float(args.get("oldest") or 0)
        meta = args.get("include_all_metadata") in ("true", "1", True)
        replies = [
            self._view(m, meta)
            for m in self._replies(channel, parent["ts"])
            if float(m["ts"]) >= oldest
        ]
        return self._page([self._view(parent, meta), *replies], args, "messages")

    def m_chat_postMessage(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(user, args)
        if not isinstance(channel, Channel):
            return channel
        if channel.read_only:
            return {"ok": False, "error": "restricted_action_read_only_channel"}
        text = str(args.get("text") or "")
        if not text.strip():
            return {"ok": False, "error": "no_text"}
        if len(text) > MAX_TEXT:
            return {"ok": False, "error": "msg_too_long"}
        thread_ts = args.get("thread_ts")
        if thread_ts and thread_ts not in channel.messages:
            return {"ok": False, "error": "thread_not_found"}
        metadata = args.get("metadata")
        m = self.post(channel.id, user, text, thread_ts=thread_ts, metadata=metadata or None)
        if self.on_post is not None:
            self.on_post(m)
        return {"ok": True, "channel": channel.id, "ts": m["ts"], "message": self._view(m, False)}

    def m_conversations_open(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        others = [u for u in str(args.get("users") or "").split(",") if u]
        if not others or any(u not in self.users for u in others):
            return {"ok": False, "error": "user_not_found"}
        members = {user, *others}
        for c in self.channels.values():
            if c.is_im and c.members == members:
                return {"ok": True, "channel": {"id": c.id}}
        cid = f"D{next(self._seq):06d}"
        self.channels[cid] = Channel(cid, cid, members, is_im=True)
        return {"ok": True, "channel": {"id": cid}}

    def m_reactions_add(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(user, args)
        if not isinstance(channel, Channel):
            return channel
        m = channel.messages.get(str(args.get("timestamp")))
        if m is None:
            return {"ok": False, "error": "message_not_found"}
        name = str(args.get("name"))
        if any(r["name"] == name and user in r["users"] for r in m.get("reactions", [])):
            return {"ok": False, "error": "already_reacted"}
        self.react(channel.id, m["ts"], user, name)
        return {"ok": True}

    # --- OAuth v2 + PKCE -------------------------------------------------------------------------

    def _authorize(self, args: dict[str, Any]) -> Response:
        """Approves at once for the first user, as if they clicked "Allow"."""
        code = f"code-{next(self._seq)}"
        self.codes[code] = (next(iter(self.users)), args["code_challenge"], args["redirect_uri"])
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def _access(self, args: dict[str, Any]) -> Response:
        if args.get("grant_type") == "refresh_token":
            user = self.refresh_tokens.pop(str(args.get("refresh_token")), None)
            if user is None:
                return json_response({"ok": False, "error": "invalid_refresh_token"})
        else:
            entry = self.codes.pop(str(args.get("code")), None)
            if entry is None:
                return json_response({"ok": False, "error": "invalid_code"})
            user, challenge, redirect = entry
            verifier = str(args.get("code_verifier") or "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if expected != challenge:
                return json_response({"ok": False, "error": "invalid_code_verifier"})
            if args.get("redirect_uri") != redirect:
                return json_response({"ok": False, "error": "bad_redirect_uri"})
        authed: dict[str, Any] = {
            "id": user,
            "access_token": self.token(user),
            "token_type": "user",
        }
        if self.rotate:
            refresh = f"xoxe-1-refresh-{next(self._seq)}"
            self.refresh_tokens[refresh] = user
            authed.update(refresh_token=refresh, expires_in=43200)
        return json_response({"ok": True, "authed_user": authed, "team": {"id": "T1"}})
