"""The Mattermost connector (API v4, personal access token).

Reading: each channel of each team is read backwards once (``page``/``per_page``), then
incrementally with ``since`` (milliseconds): every post *modified* since, edits and deletions
included. A thread is a root post (``root_id == ""``) and the posts whose ``root_id`` names it.

Writing: ``POST /posts`` carries ``pending_post_id`` = the outbox operation id (the server
de-duplicates a resend for about 30 seconds, so the outbox resends an ambiguous attempt with the
same id inside :attr:`MattermostConnector.resend_window`) and a ``props`` marker with the same id,
so :meth:`MattermostConnector.find_sent` recognises an earlier attempt after that window too.

A new thread (a planned conversation starter) is a post without ``root_id``: its id names the
thread, and it is written, resent and read back exactly like a reply. Mattermost has no polls in
its API (Matterpoll is a slash-command plugin), so a poll goes out in the numbered fallback form
(people vote by reacting with the number); a title is the post's first line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from cm_console.connectors.base import (
    AccountConfig,
    Capability,
    Connector,
    ConnectorContext,
    ConnectorInfo,
    LoginMethod,
    Outgoing,
    SendResult,
    ThreadRef,
)
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    ConfigurationError,
    ConnectorError,
    MalformedResponse,
    NotFound,
    NotSupported,
    PermanentError,
)
from cm_console.connectors.http import HttpClient, Response, parse_retry_after, retry_after_header
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

API = "api/v4"
PER_PAGE = 200
HISTORY = timedelta(days=60)
MAX_PAGES = 50
SINCE_LIMIT = 1000
"""``since`` answers hold at most this many posts; a full answer is followed by another."""
MARKER = "cm_console_op"
PENDING_RETRY = timedelta(seconds=3)
RESEND_WINDOW = timedelta(seconds=25)
"""The server remembers a ``pending_post_id`` for 30 s (``PendingPostIDsCacheTTL``); a resend
with the same id inside this margin returns the first copy instead of posting a second."""
RECONCILE_SKEW = timedelta(hours=24)
"""A read-back looks this far before the first attempt: a laptop's clock can be hours off the
platform's (a narrower window missed the copy and the reply was posted again). The sender
never accepts a copy that another sent operation already owns."""
REFUSALS = {
    "api.context.permissions.app_error": "you may not post in this Mattermost channel",
    "api.post.create_post.town_square_read_only": "the Mattermost channel is read-only",
    "api.post.create_post.can_not_post_to_deleted.error": "the Mattermost channel is archived",
    "api.post.create_post.root_id.app_error": "the Mattermost thread no longer exists",
    "model.post.is_valid.msg.app_error": "the message is too long for Mattermost",
}
"""Refusals a person can act on, worded for them (others name the server's error id)."""
EMOJI_NAMES = {"👍": "+1", "❤️": "heart", "👀": "eyes", "✅": "white_check_mark", "🎉": "tada"}


def throttle(response: Response, _body: Any) -> timedelta | None:
    """Mattermost's ``X-Ratelimit-Reset`` is *seconds until* the window resets; else
    ``Retry-After``."""
    reset = response.headers.get("X-Ratelimit-Reset")
    if reset is not None:
        parsed = parse_retry_after(reset)
        if parsed is not None:
            return parsed
    return retry_after_header(response, _body)


def error_hook(response: Response, body: Any) -> ConnectorError | None:
    """Mattermost's JSON errors carry a stable ``id``; a few need their own class."""
    if response.status == 429 or not isinstance(body, dict):
        return None  # 429 comes with a plain-text body ("limit exceeded"): the shared handling
    error_id = body.get("id")
    if not isinstance(error_id, str):
        return None
    code = error_id.removeprefix("api.")
    if error_id == "api.post.deduplicate_create_post.pending":
        # The server holds a copy with this pending_post_id (still being saved): the post
        # exists. Ask again shortly with the same id and the server hands back that copy; past
        # the dedupe window only a read-back may tell, never a plain resend.
        return AmbiguousError(
            "the first attempt is still being saved", code=code, retry_after=PENDING_RETRY
        )
    if response.status == 401:
        return AuthError("the server refused the access token (401)", code=code)
    if response.status == 404:
        return NotFound("not found on the server (404)", code=code)
    if response.status in (400, 403, 413):
        message = REFUSALS.get(error_id, f"the server refused the request ({error_id})")
        return PermanentError(message, code=code)
    return None


def _ms(value: Any) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value / 1000, UTC)
    return None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class MattermostConnector(Connector):
    """A Mattermost account (personal access token)."""

    info = ConnectorInfo(
        id="mattermost",
        display_name="Mattermost",
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
        login_methods=(LoginMethod.TOKEN,),
        url_label="Server URL",
        secret_label="Personal access token",  # noqa: S106 - a label
        mention_example="@username",
    )
    resend_window: ClassVar[timedelta] = RESEND_WINDOW
    """How long after its first attempt an operation may be resent with the same
    ``pending_post_id`` (the outbox reads back after that)."""

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        super().__init__(account, context)
        if not account.url:
            raise ConfigurationError("a Mattermost account needs the server URL")
        self.http = HttpClient(
            account.url,
            authorize=self._authorize,
            throttle=throttle,
            error_hook=error_hook,
            user_agent=context.user_agent,
        )
        self._me: RemotePerson | None = None
        self._users: dict[str, RemotePerson] = {}
        self._teams: dict[str, str] = {}

    def _authorize(self, headers: dict[str, str]) -> None:
        secret = self.context.secret
        if secret is not None and secret:
            headers["Authorization"] = f"Bearer {secret.reveal().strip()}"

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        if self.context.secret is None or not self.context.secret:
            raise AuthError("no access token for this Mattermost account", code="no_secret")
        return self.http.get_json(f"{API}/{path}", params)

    def _post(self, path: str, body: Any) -> dict[str, Any]:
        answer = self.http.post_json(f"{API}/{path}", body)
        if not isinstance(answer, dict):
            raise AmbiguousError(f"{path}: the answer is not a JSON object", code="malformed")
        return answer

    def close(self) -> None:
        self.http.close()

    # --- people -------------------------------------------------------------------------------

    @staticmethod
    def _person(user: dict[str, Any]) -> RemotePerson:
        full = f"{user.get('first_name') or ''} {user.get('last_name') or ''}".strip()
        username = str(user.get("username") or user.get("id"))
        return RemotePerson(
            remote_id=str(user["id"]),
            handle=username,
            display_name=full or str(user.get("nickname") or "") or username,
            email=user.get("email") or None,
            title=user.get("position") or None,
            is_bot=bool(user.get("is_bot")),
        )

    def whoami(self) -> RemotePerson:
        if self._me is None:
            user = self._get("users/me")
            if not isinstance(user, dict) or "id" not in user:
                raise MalformedResponse("users/me: no user in the answer")
            self._me = self._users[str(user["id"])] = self._person(user)
        return self._me

    def list_people(self) -> Iterator[RemotePerson]:
        for page in range(MAX_PAGES):
            users = self._get("users", {"page": page, "per_page": PER_PAGE, "active": "true"})
            if not isinstance(users, list) or not users:
                return
            for user in users:
                if isinstance(user, dict) and "id" in user:
                    person = self._users[str(user["id"])] = self._person(user)
                    yield person
            if len(users) < PER_PAGE:
                return

    def _people(self, ids: Iterable[str]) -> list[RemotePerson]:
        missing = sorted({i for i in ids if i and i not in self._users})
        if missing:
            answer = self.http.write("POST", f"{API}/users/ids", json_body=missing).json()
            for user in answer if isinstance(answer, list) else []:
                if isinstance(user, dict) and "id" in user:
                    self._users[str(user["id"])] = self._person(user)
        return [self._users[i] for i in dict.fromkeys(ids) if i in self._users]

    def mention_syntax(self, person: RemotePerson) -> str:
        return f"@{person.handle}"

    # --- containers ---------------------------------------------------------------------------

    def list_containers(self) -> list[RemoteContainer]:
        me = self.whoami()
        out: dict[str, RemoteContainer] = {}
        teams = self._get("users/me/teams")
        for team in teams if isinstance(teams, list) else []:
            if not isinstance(team, dict) or "id" not in team:
                continue
            team_id = str(team["id"])
            self._teams[team_id] = str(team.get("name") or team_id)
            channels = self._get(f"users/me/teams/{team_id}/channels")
            for channel in channels if isinstance(channels, list) else []:
                if not isinstance(channel, dict) or "id" not in channel or channel["id"] in out:
                    continue
                out[channel["id"]] = self._container(channel, team, me)
        return list(out.values())

    def _container(
        self, channel: dict[str, Any], team: dict[str, Any], me: RemotePerson
    ) -> RemoteContainer:
        kind = channel.get("type")
        name = str(channel.get("display_name") or channel.get("name") or channel["id"])
        if kind == "D":
            others = [p for p in str(channel.get("name", "")).split("__") if p != me.remote_id]
            people = self._people(others)
            name = people[0].display_name if people else name
        team_name = str(team.get("name") or "")
        return RemoteContainer(
            remote_id=str(channel["id"]),
            name=name,
            url=self.http.url(f"{team_name}/channels/{channel.get('name', '')}"),
            kind={"D": "dm", "G": "group"}.get(str(kind), "channel"),
            parent_name=None if kind in ("D", "G") else str(team.get("display_name") or ""),
            description=str(channel.get("purpose") or "") or None,
        )

    # --- reading ------------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        containers = self.list_containers()
        horizon = utc(self.context.clock()) - HISTORY
        first = True
        for container in containers:
            cursor = cursors.get(container.remote_id)
            since = cursor.get("since") if isinstance(cursor, dict) else None
            if isinstance(since, int):
                posts, newest = self._since(container.remote_id, since)
            else:
                posts, newest = self._backfill(container.remote_id, horizon)
            if not posts and isinstance(since, int):
                continue
            page = self._page(container, posts, {"since": newest or since})
            if first:
                page = Page(**{**_fields(page), "containers": tuple(containers)})
                first = False
            yield page

    def _backfill(self, channel_id: str, horizon: datetime) -> tuple[list[dict[str, Any]], int]:
        posts: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            answer = self._get(f"channels/{channel_id}/posts", {"page": page, "per_page": PER_PAGE})
            batch = self._posts(answer)
            posts.extend(batch)
            oldest = min((_ms(p.get("create_at")) for p in batch), default=None, key=_key)
            if len(batch) < PER_PAGE or (oldest is not None and oldest < horizon):
                break
        return posts, max((_updated(p) for p in posts), default=0)

    def _since(self, channel_id: str, since: int) -> tuple[list[dict[str, Any]], int]:
        posts: list[dict[str, Any]] = []
        newest = since
        for _ in range(MAX_PAGES):
            # The server returns posts modified *after* ``since``; asking from one millisecond
            # earlier re-reads the newest post known, but never misses one saved in that same
            # millisecond.
            params = {"since": max(1, newest - 1)}
            batch = self._posts(self._get(f"channels/{channel_id}/posts", params))
            posts.extend(batch)
            if len(batch) < SINCE_LIMIT:
                break
            # A full answer may have left posts out: ask again from the newest one seen.
            newest = max(newest, *(_updated(p) for p in batch))
        return posts, max([newest, *(_updated(p) for p in posts)])

    @staticmethod
    def _posts(answer: Any) -> list[dict[str, Any]]:
        if not isinstance(answer, dict) or not isinstance(answer.get("posts"), dict):
            raise MalformedResponse("the posts answer has no 'posts'")
        raw_order = answer.get("order")
        order: list[Any] = raw_order if isinstance(raw_order, list) else []
        posts = answer["posts"]
        ids = [i for i in order if i in posts] + [i for i in posts if i not in order]
        return [posts[i] for i in ids if isinstance(posts[i], dict) and "id" in posts[i]]

    def _page(self, container: RemoteContainer, raw: list[dict[str, Any]], cursor: JSON) -> Page:
        by_id = {str(p["id"]): p for p in raw}
        deleted = [i for i, p in by_id.items() if _ms(p.get("delete_at"))]
        live = {i: p for i, p in by_id.items() if i not in deleted}
        roots: dict[str, dict[str, Any]] = {}
        for post in live.values():
            root_id = str(post.get("root_id") or "") or str(post["id"])
            root = live.get(root_id) or roots.get(root_id)
            if root is None:
                try:
                    root = self._get(f"posts/{root_id}")
                except NotFound:
                    continue  # the root is gone: nothing to attach the reply to
            roots[root_id] = root
        posts = [self._post_of(p) for p in live.values()]
        posts += [self._post_of(r) for i, r in roots.items() if i not in live]
        people = self._people(p.author_remote_id for p in posts)
        return Page(
            scope=container.remote_id,
            cursor=cursor,
            people=tuple(people),
            threads=tuple(self._thread_of(r, container) for r in roots.values()),
            posts=tuple(posts),
            deleted_post_ids=tuple(deleted),
        )

    def _thread_of(self, root: dict[str, Any], container: RemoteContainer) -> RemoteThread:
        return RemoteThread(
            remote_id=str(root["id"]),
            container_remote_id=str(root.get("channel_id") or container.remote_id),
            created_at=_ms(root.get("create_at")) or datetime.fromtimestamp(0, UTC),
            url=self._permalink(str(root["id"])),
            raw={"id": root["id"], "channel_id": root.get("channel_id")},
        )

    def _permalink(self, post_id: str) -> str:
        team = next(iter(self._teams.values()), "_redirect")
        return self.http.url(f"{team}/pl/{post_id}")

    def _post_of(self, post: dict[str, Any]) -> RemotePost:
        props = _obj(post.get("props"))
        kind_text = str(post.get("type") or "")
        from_bot = str(props.get("from_bot", "")).lower() == "true"
        if kind_text.startswith("system_"):
            kind = PostKind.SMALL_ACTION
        elif from_bot or kind_text.startswith("custom_"):
            kind = PostKind.NOTICE
        else:
            kind = PostKind.REGULAR
        reactions = tuple(
            Reaction(str(r.get("user_id")), str(r.get("emoji_name")))
            for r in _obj(post.get("metadata")).get("reactions") or []
            if isinstance(r, dict)
        )
        root_id = str(post.get("root_id") or "")
        return RemotePost(
            remote_id=str(post["id"]),
            thread_remote_id=root_id or str(post["id"]),
            author_remote_id=str(post.get("user_id") or ""),
            created_at=_ms(post.get("create_at")) or datetime.fromtimestamp(0, UTC),
            text=str(post.get("message") or ""),
            is_root=not root_id,
            kind=kind,
            by_bot=from_bot,
            edited_at=_ms(post.get("edit_at")),
            reply_to_remote_id=root_id or None,
            reactions=reactions,
            url=self._permalink(str(post["id"])),
            raw=post,
            attachments=attachment_names(
                f.get("name")
                for f in _obj(post.get("metadata")).get("files") or []
                if isinstance(f, dict)
            ),
        )

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        answer = self._get(f"posts/{thread.remote_id}/thread")
        raw = [p for p in self._posts(answer) if not _ms(p.get("delete_at"))]
        root = next((p for p in raw if str(p["id"]) == thread.remote_id), None)
        if root is None:
            raise NotFound(f"thread {thread.remote_id} is not on the server")
        container = RemoteContainer(remote_id=thread.container_remote_id, name="")
        posts = tuple(self._post_of(p) for p in raw)
        return FullThread(
            thread=self._thread_of(root, container),
            posts=posts,
            people=tuple(self._people(p.author_remote_id for p in posts)),
        )

    # --- writing ------------------------------------------------------------------------------

    def _create(self, channel_id: str, op: Outgoing, root_id: str = "") -> dict[str, Any]:
        if not op.text.strip():
            raise PermanentError("the message is empty", code="empty")
        if op.resend_until is not None and utc(self.context.clock()) >= utc(op.resend_until):
            # The lookups before this post took so long that the server may have forgotten the
            # pending_post_id: posting now could make a second copy. Still in doubt: read back.
            raise AmbiguousError(
                "the resend came too late for the server to recognise it", code="resend_late"
            )
        post = self._post(
            "posts",
            {
                "channel_id": channel_id,
                "root_id": root_id,
                "message": op.text,
                "pending_post_id": op.op_id,
                "props": {MARKER: op.op_id},
            },
        )
        if "id" not in post:
            raise AmbiguousError("the server did not return the new post", code="malformed")
        return post

    def post_reply(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reply needs a thread", code="no_thread")
        post = self._create(op.thread.container_remote_id, op, root_id=op.thread.remote_id)
        made = self._post_of(post)
        page = Page(scope="~sent", cursor=None, people=(self.whoami(),), posts=(made,))
        return SendResult(made.remote_id, op.thread.remote_id, page)

    def post_thread(self, op: Outgoing) -> SendResult:
        """A new post in the channel (no ``root_id``): a thread of its own."""
        channel = op.container_remote_id
        if not channel:
            raise PermanentError("a new conversation needs a channel", code="no_container")
        if not op.text.strip():
            raise PermanentError("the message is empty", code="empty")
        post = self._create(channel, dataclasses.replace(op, text=titled(op.title, op.text)))
        return self._started(post, channel)

    def _started(self, post: dict[str, Any], channel: str) -> SendResult:
        """The new thread and its first post, named as a sync names them (the post id)."""
        made = self._post_of(post)
        thread = self._thread_of(post, RemoteContainer(remote_id=channel, name=""))
        page = Page(
            scope="~sent", cursor=None, people=(self.whoami(),), threads=(thread,), posts=(made,)
        )
        return SendResult(made.remote_id, thread.remote_id, page)

    def send_dm(self, op: Outgoing) -> SendResult:
        if len(op.recipients) != 1:
            raise PermanentError("a direct message goes to exactly one person", code="recipients")
        me = self.whoami().remote_id
        channel = self._post("channels/direct", [me, op.recipients[0].remote_id])
        if "id" not in channel:
            raise AmbiguousError("the server did not return the channel", code="malformed")
        return SendResult(str(self._create(str(channel["id"]), op)["id"]))

    def add_reaction(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reaction needs a thread", code="no_thread")
        target = op.reply_to_post_remote_id or op.thread.remote_id
        emoji = op.emoji or "👍"
        name = EMOJI_NAMES.get(emoji, emoji.strip(":"))
        self._post(
            "reactions",
            {"user_id": self.whoami().remote_id, "post_id": target, "emoji_name": name},
        )
        return SendResult(f"{target}:{name}", op.thread.remote_id)

    def find_sent(self, op: Outgoing) -> SendResult | None:
        """The copy of ``op`` on the server: by marker, or by author and text.

        Replies are looked up in their thread, direct messages in the direct channel and new
        threads in their channel (read from shortly before the first attempt). A reaction is
        idempotent on Mattermost: None (send it again) is always safe.
        """
        if op.kind is OpKind.DM:
            return self._find_dm(op)
        if op.kind is OpKind.POST and op.container_remote_id:
            return self._find_starter(op, op.container_remote_id)
        if op.kind is not OpKind.REPLY or op.thread is None:
            return None
        answer = self._get(f"posts/{op.thread.remote_id}/thread")
        post = self._mine(self._posts(answer), op)
        if post is None:
            return None
        made = self._post_of(post)
        page = Page(scope="~sent", cursor=None, posts=(made,))
        return SendResult(made.remote_id, op.thread.remote_id, page)

    def _find_starter(self, op: Outgoing, channel: str) -> SendResult | None:
        """A new thread: among the channel's top-level posts since shortly before the first
        attempt (every one, page after page)."""
        since = utc(op.first_attempt_at or self.context.clock()) - RECONCILE_SKEW
        posts, _ = self._since(channel, int(since.timestamp() * 1000))
        roots = [p for p in posts if not p.get("root_id")]
        sent = self.prepare(op)
        post = self._mine(roots, dataclasses.replace(sent, text=titled(sent.title, sent.text)))
        return None if post is None else self._started(post, channel)

    def _find_dm(self, op: Outgoing) -> SendResult | None:
        if len(op.recipients) != 1:
            raise NotSupported("a direct message goes to exactly one person")
        me = self.whoami().remote_id
        # Opening the direct channel again returns the existing one.
        channel = self._post("channels/direct", [me, op.recipients[0].remote_id])
        if "id" not in channel:
            raise AmbiguousError("the server did not return the channel", code="malformed")
        since = utc(op.first_attempt_at or self.context.clock()) - RECONCILE_SKEW
        answer = self._get(
            f"channels/{channel['id']}/posts", {"since": int(since.timestamp() * 1000)}
        )
        post = self._mine(self._posts(answer), op)
        return None if post is None else SendResult(str(post["id"]))

    def _mine(self, posts: list[dict[str, Any]], op: Outgoing) -> dict[str, Any] | None:
        """Our copy of ``op`` among ``posts``: its marker, its pending id, or author + text."""
        me = self.whoami().remote_id
        wanted = text_hash(op.text)
        for post in posts:
            if post.get("user_id") != me or _ms(post.get("delete_at")):
                continue
            marker = _obj(post.get("props")).get(MARKER)
            if (
                marker == op.op_id
                or post.get("pending_post_id") == op.op_id
                or (marker is None and text_hash(str(post.get("message") or "")) == wanted)
            ):
                return post
        return None


def _key(value: datetime | None) -> datetime:
    return value or datetime.max.replace(tzinfo=UTC)


def _updated(post: dict[str, Any]) -> int:
    values = [post.get(k) for k in ("update_at", "create_at", "edit_at", "delete_at")]
    return max((v for v in values if isinstance(v, int) and not isinstance(v, bool)), default=0)


def _fields(page: Page) -> dict[str, Any]:
    return {name: getattr(page, name) for name in page.__dataclass_fields__}
