"""The Slack connector: conversations, threads and replies through the Web API with a user token.

Sync strategy per conversation (one cursor per channel):

- ``conversations.history`` over a sliding window (``track_days``, default 30: older threads are
  abandoned anyway) returns every root-level message with its ``reply_count`` and
  ``latest_reply``. The cursor keeps a short signature per root; only roots whose signature
  moved (new, edited, new reactions, new replies) are stored again, and only threads whose
  ``latest_reply`` or ``reply_count`` moved are re-read with ``conversations.replies``. A re-sync
  with nothing new costs **one request per channel** (a window of up to 999 messages).
- New replies in old threads never show in the history, which is why the window re-reads the
  parents; a reply also sent to the channel (``thread_broadcast``) stays a reply.
- Roots that disappear from the window and replies that disappear from a re-read thread become
  tombstones; Slack's ``tombstone`` subtype (a deleted parent that kept its replies) too.
- Join/leave and other channel events are not conversations; bot messages are notices.

Writes carry an operation marker in the message ``metadata`` (``event_type: cmc_outbox``,
``event_payload.op_id``); :meth:`SlackConnector.find_sent` reads it back with
``include_all_metadata=true`` and falls back to author and text hash.

A new thread (a planned conversation starter) is a message to the channel without ``thread_ts``:
its ``ts`` names the thread (``CHANNEL/TS``). Slack has no polls for apps, so a poll goes out in
the numbered fallback form (people vote by reacting with the number); a title is the message's
first line.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from cm_console.connectors import http
from cm_console.connectors.base import (
    AccountConfig,
    Capability,
    Connector,
    ConnectorContext,
    ConnectorInfo,
    LoginMethod,
    LoginResult,
    LoginUI,
    OptionSpec,
    Outgoing,
    SendResult,
    ThreadRef,
)
from cm_console.connectors.errors import (
    AuthError,
    ConfigurationError,
    MalformedResponse,
    NotSupported,
    PermanentError,
)
from cm_console.connectors.slack import login
from cm_console.connectors.slack.api import SlackApi, error_hook
from cm_console.connectors.slack.text import mention, mrkdwn_to_text
from cm_console.connectors.titles import titled
from cm_console.domain.model import (
    JSON,
    FullThread,
    Page,
    PlatformKind,
    PostKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
    attachment_names,
    utc,
)
from cm_console.domain.outbox import OpKind, text_hash

DEFAULT_API = "https://slack.com/api/"
META_SCOPE = "~slack"
EVENT_TYPE = "cmc_outbox"
HISTORY_LIMIT = 999
REPLIES_LIMIT = 200
PAGE_POSTS = 500
CHANNEL_REFRESH = timedelta(hours=24)
RECONCILE_SKEW = timedelta(hours=24)
"""A read-back looks this far before the first attempt: a laptop's clock can be hours off the
platform's (a narrower window missed the copy and the reply was posted again). The sender
never accepts a copy that another sent operation already owns."""
SYSTEM_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "group_join",
        "group_leave",
        "group_topic",
        "group_purpose",
        "group_name",
        "group_archive",
        "group_unarchive",
        "pinned_item",
        "unpinned_item",
        "bot_add",
        "bot_remove",
        "channel_convert_to_private",
        "channel_posting_permissions",
        "reminder_add",
        "huddle_thread",
    }
)
"""Channel events: not conversations, and never replies."""


def ts_time(ts: Any) -> datetime:
    """A Slack ``ts`` ("1700000000.000100") as an aware UTC datetime."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError):
        raise MalformedResponse("Slack sent a message without a valid ts") from None


def to_ts(dt: datetime) -> str:
    return f"{utc(dt).timestamp():.6f}"


def _signature(m: Mapping[str, Any]) -> str:
    """What makes a stored root stale: its text, edit, reactions, replies and subtype."""
    parts = [
        m.get("text"),
        (m.get("edited") or {}).get("ts"),
        m.get("reply_count"),
        m.get("latest_reply"),
        m.get("subtype"),
        [(r.get("name"), sorted(r.get("users") or ())) for r in m.get("reactions") or ()],
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:12]


class SlackConnector(Connector):
    """A Slack workspace through a user token of the organisation's internal app."""

    info = ConnectorInfo(
        id="slack",
        display_name="Slack",
        kind=PlatformKind.CHAT,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REACTIONS,
                Capability.PEOPLE,
                Capability.NEW_THREAD,
            }
        ),
        login_methods=(LoginMethod.TOKEN, LoginMethod.BROWSER),
        default_url=DEFAULT_API,
        url_label="API base URL",
        secret_label="User token (xoxp-…)",  # noqa: S106 - a label
        options=(
            OptionSpec("client_id", "the internal app's client id (for --login browser)"),
            OptionSpec("redirect_port", "fixed loopback port registered for the app (0: any)"),
            OptionSpec(
                "types",
                "conversation types to read",
                default="public_channel,private_channel",
            ),
            OptionSpec("track_days", "days a thread is watched for new replies (default 30)"),
            OptionSpec("history_days", "days of history the first sync reads (default 365)"),
        ),
        mention_example="<@U012AB3CD>",
    )

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        super().__init__(account, context)
        if context.secret is None:
            raise AuthError("no Slack token", code="no_secret")
        self._secret = context.secret
        self._lock = threading.Lock()
        self.http = http.HttpClient(
            account.url or DEFAULT_API,
            authorize=self._authorize,
            user_agent=context.user_agent,
            error_hook=error_hook,
        )
        self.api = SlackApi(self.http)
        self._me: RemotePerson | None = None
        self._team_url: str | None = None
        self._names: dict[str, str] | None = None
        try:
            self._track = timedelta(days=float(account.options.get("track_days") or 30))
            self._history = timedelta(days=float(account.options.get("history_days") or 365))
        except ValueError:
            raise ConfigurationError("track_days and history_days must be numbers") from None

    def close(self) -> None:
        self.http.close()

    # --- credentials ------------------------------------------------------------------------

    def _authorize(self, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self._token()}"

    def _token(self) -> str:
        bundle = login.parse_bundle(self._secret)
        if bundle is None:
            return self._secret.reveal()
        if float(bundle.get("expires_at", 0)) - login.REFRESH_MARGIN > time.time():
            return str(bundle["access_token"])
        with self._lock:
            # One refresh per account: a rotated refresh token is single-use.
            bundle = login.parse_bundle(self._secret) or bundle
            if float(bundle.get("expires_at", 0)) - login.REFRESH_MARGIN <= time.time():
                plain = http.HttpClient(self.http.base_url)
                try:
                    self._secret = login.refresh(SlackApi(plain), bundle, time.time())
                finally:
                    plain.close()
                if self.context.save_secret is not None:
                    self.context.save_secret(self._secret)
                bundle = login.parse_bundle(self._secret) or bundle
        return str(bundle["access_token"])

    @classmethod
    def interactive_login(
        cls,
        method: LoginMethod,
        account: AccountConfig,
        context: ConnectorContext,
        ui: LoginUI,
    ) -> LoginResult:
        """OAuth v2 with PKCE and a loopback redirect (``--login browser``)."""
        if method is not LoginMethod.BROWSER:
            return super().interactive_login(method, account, context, ui)
        return login.pkce_login(account, ui, DEFAULT_API)

    # --- identity and directory -------------------------------------------------------------

    def whoami(self) -> RemotePerson:
        if self._me is None:
            body = self.api.read("auth.test")
            uid, name = body.get("user_id"), body.get("user")
            if not isinstance(uid, str):
                raise MalformedResponse("Slack auth.test named no user")
            self._me = RemotePerson(uid, str(name or uid), str(name or uid))
            url = body.get("url")
            self._team_url = url if isinstance(url, str) else None
        return self._me

    def _my_id(self) -> str:
        return self.account.own_remote_id or self.whoami().remote_id

    def list_people(self) -> Iterator[RemotePerson]:
        for member in self.api.paged("users.list", {}, "members", 200):
            person = _person(member)
            if person is not None:
                yield person

    def _user_names(self) -> dict[str, str]:
        if self._names is None:
            self._names = {p.remote_id: p.handle for p in self.list_people()}
        return self._names

    def mention_syntax(self, person: RemotePerson) -> str:
        return mention(person.remote_id)

    def list_containers(self) -> list[RemoteContainer]:
        types = self.account.options.get("types") or "public_channel,private_channel"
        channels = self.api.paged(
            "users.conversations", {"types": types, "exclude_archived": "true"}, "channels", 200
        )
        team = self._team()
        out = []
        for ch in channels:
            if not isinstance(ch, Mapping) or not isinstance(ch.get("id"), str):
                raise MalformedResponse("Slack sent a conversation without id")
            cid = ch["id"]
            name = ch.get("name") or ch.get("user") or cid
            purpose = (ch.get("purpose") or {}).get("value") if isinstance(ch, Mapping) else None
            out.append(
                RemoteContainer(
                    remote_id=cid,
                    name=f"#{name}" if ch.get("is_channel") or ch.get("is_group") else str(name),
                    url=f"{team}archives/{cid}" if team else None,
                    kind="channel",
                    parent_name=None,
                    description=purpose or None,
                )
            )
        return out

    def _team(self) -> str | None:
        if self._team_url is None:
            self.whoami()
        return self._team_url

    # --- reading ------------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        meta = dict(cursors.get(META_SCOPE) or {})
        now = utc(self.context.clock())
        refreshed = meta.get("at")
        channels: dict[str, dict[str, Any]] = dict(meta.get("channels") or {})
        stale = not refreshed or now - datetime.fromisoformat(str(refreshed)) > CHANNEL_REFRESH
        if stale:
            containers = self.list_containers()
            channels = {c.remote_id: {"name": c.name, "url": c.url} for c in containers}
            meta = {"at": now.isoformat(), "channels": channels, "team": self._team()}
            yield Page(scope=META_SCOPE, cursor=meta, containers=tuple(containers))
        self._team_url = self._team_url or meta.get("team")
        for cid, info in channels.items():
            container = RemoteContainer(cid, str(info.get("name") or cid), url=info.get("url"))
            yield from self._fetch_channel(container, dict(cursors.get(cid) or {}), now)

    def _fetch_channel(
        self, container: RemoteContainer, cursor: dict[str, Any], now: datetime
    ) -> Iterator[Page]:
        cid = container.remote_id
        first = "threads" not in cursor
        oldest = now - (self._history if first else self._track)
        known: dict[str, str] = dict(cursor.get("threads") or {})
        replies_known: dict[str, list[str]] = dict(cursor.get("replies") or {})
        messages = self.api.paged(
            "conversations.history",
            {"channel": cid, "oldest": to_ts(oldest), "inclusive": "true"},
            "messages",
            HISTORY_LIMIT,
        )
        roots: dict[str, Mapping[str, Any]] = {}
        reread: set[str] = set()
        for m in messages:
            if not isinstance(m, Mapping) or not isinstance(m.get("ts"), str):
                raise MalformedResponse("Slack sent a message without ts")
            ts, parent = m["ts"], m.get("thread_ts")
            if parent and parent != ts:
                reread.add(str(parent))  # a reply also sent to the channel
                continue
            if m.get("subtype") in SYSTEM_SUBTYPES or ts in roots:
                continue
            roots[ts] = m
        threads: list[RemoteThread] = []
        posts: list[RemotePost] = []
        deleted: list[str] = []
        signatures: dict[str, str] = {}
        new_replies: dict[str, list[str]] = {}
        for ts, m in roots.items():
            sig = _signature(m)
            signatures[ts] = sig
            has_replies = int(m.get("reply_count") or 0) > 0
            if has_replies and ts in replies_known:
                new_replies[ts] = replies_known[ts]
            if known.get(ts) == sig and ts not in reread:
                continue
            threads.append(self._thread(cid, m))
            posts.append(self._post(cid, m, root=True))
            if has_replies or ts in replies_known or ts in reread:
                replies = self._replies(cid, ts)
                posts.extend(self._post(cid, r) for r in replies)
                current = [str(r["ts"]) for r in replies]
                gone = set(replies_known.get(ts, ())) - set(current)
                deleted.extend(f"{cid}/{r}" for r in sorted(gone))
                if current:
                    new_replies[ts] = current
                else:
                    new_replies.pop(ts, None)
        # Roots still inside the window that Slack no longer returns were deleted.
        window = oldest.timestamp()
        for ts in known.keys() - roots.keys():
            if float(ts) >= window:
                deleted.append(f"{cid}/{ts}")
                deleted.extend(f"{cid}/{r}" for r in replies_known.get(ts, ()))
        if not posts and not deleted and set(known) == set(signatures):
            return
        new_cursor = {"threads": signatures, "replies": new_replies}
        yield from self._pages(container, cursor, new_cursor, threads, posts, deleted)

    def _pages(
        self,
        container: RemoteContainer,
        old: dict[str, Any],
        new: dict[str, Any],
        threads: list[RemoteThread],
        posts: list[RemotePost],
        deleted: list[str],
    ) -> Iterator[Page]:
        """Pages of whole threads; only the last one moves the cursor (replays are harmless)."""
        by_thread: dict[str, list[RemotePost]] = {}
        for p in posts:
            by_thread.setdefault(p.thread_remote_id, []).append(p)
        batch_threads: list[RemoteThread] = []
        batch_posts: list[RemotePost] = []
        for i, t in enumerate(threads):
            batch_threads.append(t)
            batch_posts.extend(by_thread.get(t.remote_id, ()))
            if len(batch_posts) >= PAGE_POSTS and i < len(threads) - 1:
                yield Page(
                    scope=container.remote_id,
                    cursor=old or None,
                    containers=(container,),
                    threads=tuple(batch_threads),
                    posts=tuple(batch_posts),
                )
                batch_threads, batch_posts = [], []
        yield Page(
            scope=container.remote_id,
            cursor=new,
            containers=(container,),
            threads=tuple(batch_threads),
            posts=tuple(batch_posts),
            deleted_post_ids=tuple(deleted),
        )

    def _replies(
        self, cid: str, ts: str, *, oldest: str | None = None, metadata: bool = False
    ) -> list[Mapping[str, Any]]:
        """The replies of a thread (the parent, which Slack sends first, left out)."""
        params: dict[str, Any] = {"channel": cid, "ts": ts}
        if oldest:
            params["oldest"] = oldest
        if metadata:
            params["include_all_metadata"] = "true"
        messages = self.api.paged("conversations.replies", params, "messages", REPLIES_LIMIT)
        out: dict[str, Mapping[str, Any]] = {}
        for m in messages:
            if isinstance(m, Mapping) and isinstance(m.get("ts"), str) and m["ts"] != ts:
                out[m["ts"]] = m  # pages may overlap: one copy per ts
        return sorted(out.values(), key=lambda m: float(m["ts"]))

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        cid, _, ts = thread.remote_id.partition("/")
        messages = self.api.paged(
            "conversations.replies", {"channel": cid, "ts": ts}, "messages", REPLIES_LIMIT
        )
        root = next((m for m in messages if isinstance(m, Mapping) and m.get("ts") == ts), None)
        if root is None:
            raise MalformedResponse("Slack sent a thread without its parent message")
        replies = (
            self._replies(cid, ts)
            if len(messages) >= REPLIES_LIMIT
            else [m for m in messages if isinstance(m, Mapping) and m.get("ts") != ts]
        )
        posts = [self._post(cid, root, root=True), *(self._post(cid, r) for r in replies)]
        return FullThread(thread=self._thread(cid, root), posts=tuple(posts))

    # --- normalization --------------------------------------------------------------------

    def _url(self, cid: str, ts: str, parent: str | None = None) -> str | None:
        if not self._team_url:
            return None
        url = f"{self._team_url}archives/{cid}/p{ts.replace('.', '')}"
        return f"{url}?thread_ts={parent}&cid={cid}" if parent and parent != ts else url

    def _thread(self, cid: str, m: Mapping[str, Any]) -> RemoteThread:
        ts = str(m["ts"])
        return RemoteThread(
            remote_id=f"{cid}/{ts}",
            container_remote_id=cid,
            created_at=ts_time(ts),
            title=None,  # chat: the store takes the root's first line
            url=self._url(cid, ts),
            raw=dict(m),
        )

    def _text(self, m: Mapping[str, Any]) -> str:
        text = str(m.get("text") or "")
        names = self._user_names() if "<@" in text and "|" not in text else {}
        return mrkdwn_to_text(text, names)

    def _post(self, cid: str, m: Mapping[str, Any], root: bool = False) -> RemotePost:
        ts = str(m["ts"])
        parent = str(m.get("thread_ts") or ts)
        subtype = m.get("subtype")
        bot = subtype == "bot_message" or (bool(m.get("bot_id")) and not m.get("user"))
        author = m.get("user") or m.get("bot_id") or "USLACKBOT"
        kind = PostKind.REGULAR
        if bot:
            kind = PostKind.NOTICE
        elif subtype in SYSTEM_SUBTYPES:
            kind = PostKind.SMALL_ACTION
        deleted = subtype == "tombstone"
        edited = m.get("edited")
        reactions = tuple(
            Reaction(str(user), str(r.get("name")))
            for r in m.get("reactions") or ()
            if isinstance(r, Mapping)
            for user in r.get("users") or ()
        )
        return RemotePost(
            remote_id=f"{cid}/{ts}",
            thread_remote_id=f"{cid}/{parent}",
            author_remote_id=str(author),
            created_at=ts_time(ts),
            text="" if deleted else self._text(m),
            is_root=root,
            kind=kind,
            by_bot=bot,
            edited_at=ts_time(edited["ts"])
            if isinstance(edited, Mapping) and edited.get("ts")
            else None,
            deleted=deleted,
            reactions=reactions,
            url=self._url(cid, ts, parent),
            raw=dict(m),
            attachments=()
            if deleted
            else attachment_names(
                f.get("name") for f in m.get("files") or () if isinstance(f, Mapping)
            ),
        )

    # --- writing ------------------------------------------------------------------------------

    def _marker(self, op: Outgoing) -> dict[str, Any]:
        return {"event_type": EVENT_TYPE, "event_payload": {"op_id": op.op_id}}

    def post_reply(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reply needs a thread", code="no_thread")
        if not op.text.strip():
            raise PermanentError("the reply is empty", code="no_text")
        cid, _, ts = op.thread.remote_id.partition("/")
        body = self.api.write(
            "chat.postMessage",
            {"channel": cid, "text": op.text, "thread_ts": ts, "metadata": self._marker(op)},
        )
        return self._sent(cid, body.get("message"), body.get("ts"), ts)

    def _sent(self, cid: str, message: Any, ts: Any, parent: str | None) -> SendResult:
        if not isinstance(ts, str):
            raise MalformedResponse("Slack's answer names no message ts")
        m = dict(message) if isinstance(message, Mapping) else {}
        m.setdefault("ts", ts)
        m.setdefault("user", self._my_id())
        if parent:
            m.setdefault("thread_ts", parent)
        post = self._post(cid, m)
        if parent is None:
            return SendResult(remote_id=post.remote_id)
        page = Page(scope="~sent", cursor=None, posts=(post,))
        return SendResult(post.remote_id, f"{cid}/{parent}", page)

    def post_thread(self, op: Outgoing) -> SendResult:
        """A new message in the channel (no ``thread_ts``): a thread of its own."""
        cid = op.container_remote_id
        if not cid:
            raise PermanentError("a new conversation needs a channel", code="no_container")
        if not op.text.strip():
            raise PermanentError("the message is empty", code="no_text")
        body = self.api.write(
            "chat.postMessage",
            {"channel": cid, "text": titled(op.title, op.text), "metadata": self._marker(op)},
        )
        return self._started(cid, body.get("message"), body.get("ts"))

    def _started(self, cid: str, message: Any, ts: Any) -> SendResult:
        """The new thread and its first post, named as a sync names them (``CHANNEL/TS``)."""
        if not isinstance(ts, str):
            raise MalformedResponse("Slack's answer names no message ts")
        m = dict(message) if isinstance(message, Mapping) else {}
        m["ts"] = m.get("ts") or ts
        m.setdefault("user", self._my_id())
        post = self._post(cid, m, root=True)
        thread = self._thread(cid, m)
        page = Page(scope="~sent", cursor=None, threads=(thread,), posts=(post,))
        return SendResult(post.remote_id, thread.remote_id, page)

    def _dm_channel(self, op: Outgoing) -> str:
        if not op.recipients:
            raise PermanentError("a direct message needs a recipient", code="no_recipient")
        body = self.api.write(
            "conversations.open", {"users": ",".join(p.remote_id for p in op.recipients)}
        )
        channel = body.get("channel")
        if not isinstance(channel, Mapping) or not isinstance(channel.get("id"), str):
            raise MalformedResponse("Slack opened no conversation")
        return str(channel["id"])

    def send_dm(self, op: Outgoing) -> SendResult:
        cid = self._dm_channel(op)
        body = self.api.write(
            "chat.postMessage", {"channel": cid, "text": op.text, "metadata": self._marker(op)}
        )
        return self._sent(cid, body.get("message"), body.get("ts"), None)

    def add_reaction(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reaction needs a message", code="no_thread")
        target = op.reply_to_post_remote_id or op.thread.remote_id
        cid, _, ts = target.partition("/")
        name = (op.emoji or "thumbsup").strip(":")
        try:
            self.api.write("reactions.add", {"channel": cid, "timestamp": ts, "name": name})
        except PermanentError as exc:
            if exc.code != "already_reacted":
                raise
        return SendResult(remote_id=f"{target}#{name}", thread_remote_id=op.thread.remote_id)

    # --- reconciliation ---------------------------------------------------------------------

    def find_sent(self, op: Outgoing) -> SendResult | None:
        """The marker first (``metadata.event_payload.op_id``), then author and text hash."""
        since = utc(op.first_attempt_at or datetime.now(UTC)) - RECONCILE_SKEW
        if op.kind is OpKind.REPLY and op.thread is not None:
            cid, _, ts = op.thread.remote_id.partition("/")
            messages = self._replies(cid, ts, oldest=to_ts(since), metadata=True)
            parent: str | None = ts
        elif op.kind is OpKind.DM:
            cid = self._dm_channel(op)
            messages = self._recent(cid, since)
            parent = None
        elif op.kind is OpKind.POST and op.container_remote_id:
            cid = op.container_remote_id
            # Top-level messages only: a reply that quotes the starter is not the starter.
            messages = [
                m for m in self._recent(cid, since) if m.get("thread_ts") in (None, m.get("ts"))
            ]
            sent = self.prepare(op)
            found = self._match(messages, op.op_id, titled(sent.title, sent.text))
            return None if found is None else self._started(cid, found, found.get("ts"))
        else:
            raise NotSupported(f"Slack cannot look up sent {op.kind.value} operations")
        found = self._match(messages, op.op_id, op.text)
        return None if found is None else self._sent(cid, found, found.get("ts"), parent)

    def _recent(self, cid: str, since: datetime) -> list[Any]:
        return self.api.paged(
            "conversations.history",
            {"channel": cid, "oldest": to_ts(since), "include_all_metadata": "true"},
            "messages",
            HISTORY_LIMIT,
        )

    def _match(self, messages: list[Any], op_id: str, text: str) -> Mapping[str, Any] | None:
        """Our copy among ``messages``: by marker, else by author and the same text."""
        mappings: list[Mapping[str, Any]] = [m for m in messages if isinstance(m, Mapping)]
        for m in mappings:
            meta = m.get("metadata")
            if isinstance(meta, Mapping) and meta.get("event_type") == EVENT_TYPE:
                payload = meta.get("event_payload")
                if isinstance(payload, Mapping) and payload.get("op_id") == op_id:
                    return m
        me, wanted = self._my_id(), text_hash(mrkdwn_to_text(text))
        for m in mappings:
            if (
                m.get("user") == me
                and text_hash(mrkdwn_to_text(str(m.get("text") or ""))) == wanted
            ):
                return m
        return None


def _person(member: Any) -> RemotePerson | None:
    if not isinstance(member, Mapping) or not isinstance(member.get("id"), str):
        raise MalformedResponse("Slack sent a user without id")
    if member.get("deleted"):
        return None
    raw_profile = member.get("profile")
    profile: Mapping[str, Any] = raw_profile if isinstance(raw_profile, Mapping) else {}
    name = str(member.get("name") or member["id"])
    return RemotePerson(
        remote_id=member["id"],
        handle=name,
        display_name=str(
            profile.get("display_name")
            or profile.get("real_name")
            or member.get("real_name")
            or name
        ),
        email=profile.get("email") or None,
        title=profile.get("title") or None,
        is_bot=bool(member.get("is_bot")) or member["id"] == "USLACKBOT",
    )
