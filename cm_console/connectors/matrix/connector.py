"""The Matrix connector: joined rooms, ``/sync`` with ``next_batch`` as cursor, threads, writes.

Reading: a state-only ``/sync`` describes the rooms (names, spaces, DMs, room tags); the first
fetch backfills each room with ``/messages`` and completes threads from ``/threads`` and
``/relations``; later fetches run an incremental ``/sync`` from the stored ``next_batch`` and
fill any gap (``limited`` timelines) with ``/messages``.

Writing: every send is a ``PUT …/send/{type}/{txnId}`` with a transaction id derived from the
outbox operation id, so resending after an ambiguous failure returns the original event instead
of posting twice (:attr:`MatrixConnector.idempotent_writes`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar

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
    AmbiguousError,
    AuthError,
    ConfigurationError,
    ConnectorError,
    MalformedResponse,
    NotFound,
    PermanentError,
)
from cm_console.connectors.http import HttpClient, Policy
from cm_console.connectors.matrix import auth
from cm_console.connectors.matrix.api import (
    CLIENT_V1,
    CLIENT_V3,
    MatrixSession,
    error_hook,
    q,
    throttle,
    txn_id,
)
from cm_console.connectors.matrix.rooms import (
    MESSAGES_FILTER,
    PAGE,
    SNAPSHOT_FILTER,
    SYNC_FILTER,
    Room,
    Snapshot,
    apply_state,
    sync_filter,
    tag_label,
    tag_name,
)
from cm_console.connectors.matrix.text import (
    MESSAGE_TYPES,
    POLL_START,
    message_content,
    poll_content,
)
from cm_console.connectors.matrix.timeline import (
    Event,
    RoomBatch,
    ThreadResolver,
    event_url,
    obj,
    person,
    split_thread_key,
    thread_key,
    to_post,
    to_thread,
    ts,
)
from cm_console.domain.model import (
    JSON,
    FullThread,
    Page,
    PlatformKind,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
    utc,
)
from cm_console.domain.outbox import OpKind, text_hash

T = TypeVar("T")
HISTORY = timedelta(days=60)
"""How far back the first fetch reads each room (the queue's horizon is 30 days)."""
MAX_BACKFILL = 1000


class MatrixConnector(Connector):
    """A Matrix account on a homeserver (Synapse, Dendrite, Conduit…)."""

    info = ConnectorInfo(
        id="matrix",
        display_name="Matrix",
        kind=PlatformKind.CHAT,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REMOTE_TAGS,
                Capability.REACTIONS,
                Capability.NEW_THREAD,
                Capability.POLLS,
            }
        ),
        login_methods=(LoginMethod.TOKEN, LoginMethod.BROWSER),
        url_label="Homeserver URL",
        user_label="Matrix user id (@name:server)",
        secret_label="Access token, or the password with --option login=password",  # noqa: S106
        options=(
            OptionSpec(
                "login",
                "token: the secret is an access token; password: it is the account's password, "
                "exchanged once for an access token (the password is not kept)",
                choices=("token", "password"),
                default="token",
            ),
        ),
        mention_example="Display Name",
    )
    page_size: ClassVar[int] = PAGE
    """Events per ``/messages`` page when reading a room's history."""
    idempotent_writes: ClassVar[bool] = True
    """A resend with the same transaction id returns the original event (spec guarantee)."""

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        super().__init__(account, context)
        if not account.url:
            raise ConfigurationError("a Matrix account needs the homeserver URL")
        self.http = HttpClient(
            account.url,
            authorize=self._authorize,
            throttle=throttle,
            error_hook=error_hook,
            policy=Policy(read_timeout=45.0),
            user_agent=context.user_agent,
        )
        self._session: MatrixSession | None = None
        self._me: RemotePerson | None = None
        self._profiles: dict[str, RemotePerson] = {}

    # --- session ------------------------------------------------------------------------------

    @classmethod
    def interactive_login(
        cls,
        method: LoginMethod,
        account: AccountConfig,
        context: ConnectorContext,
        ui: LoginUI,
    ) -> LoginResult:
        """Sign in through the browser: the OAuth 2.0 API where offered, else SSO."""
        if method is not LoginMethod.BROWSER:
            return super().interactive_login(method, account, context, ui)
        if not account.url:
            raise ConfigurationError("a Matrix account needs the homeserver URL")
        http = HttpClient(account.url, throttle=throttle, error_hook=error_hook)
        try:
            return LoginResult(auth.browser_login(http, ui).to_secret())
        finally:
            http.close()

    def _authorize(self, headers: dict[str, str]) -> None:
        if self._session is not None:
            headers["Authorization"] = f"Bearer {self._session.access_token}"

    def _ensure_session(self) -> MatrixSession:
        if self._session is not None:
            return self._session
        secret = self.context.secret
        if secret is None or not secret:
            raise AuthError("no access token for this Matrix account", code="no_secret")
        session = MatrixSession.parse(secret)
        if session is None and self.account.options.get("login") == "password":
            if not self.account.username:
                raise ConfigurationError("password sign-in needs the user id (--user)")
            session = auth.password_login(self.http, self.account.username, secret)
            if self.context.save_secret is not None:
                self.context.save_secret(session.to_secret())
        elif session is None:
            session = MatrixSession(access_token=secret.reveal().strip())
        self._session = session
        return session

    def _call(self, request: Callable[[], T]) -> T:
        """Run a request with the session; an expired OAuth token is refreshed once."""
        session = self._ensure_session()
        try:
            return request()
        except AuthError:
            if not session.refresh_token:
                raise
            self._session = auth.refresh(self.http, session)
            if self.context.save_secret is not None:
                self.context.save_secret(self._session.to_secret())
            return request()

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        answer = self._call(lambda: self.http.get_json(path, params))
        if not isinstance(answer, dict):
            raise MalformedResponse(f"{path.split('?', maxsplit=1)[0]}: expected a JSON object")
        return answer

    def _put(self, path: str, body: Any) -> Any:
        def go() -> Any:
            response = self.http.write("PUT", path, json_body=body)
            if not response.body:
                return {}
            try:
                return response.json()
            except MalformedResponse as exc:
                # Accepted (2xx) but unreadable: it may have been applied.
                raise AmbiguousError(str(exc), code="malformed") from None

        return self._call(go)

    def _delete(self, path: str) -> None:
        self._call(lambda: self.http.write("DELETE", path))

    def close(self) -> None:
        self.http.close()

    # --- identity -----------------------------------------------------------------------------

    def whoami(self) -> RemotePerson:
        if self._me is not None:
            return self._me
        answer = self._get(f"{CLIENT_V3}/account/whoami")
        user_id = answer.get("user_id")
        if not isinstance(user_id, str):
            raise MalformedResponse("the homeserver did not say who the token belongs to")
        wanted = self.account.username
        if wanted and wanted.startswith("@") and wanted != user_id:
            raise AuthError(f"the access token belongs to {user_id}, not {wanted}", code="user")
        self._me = self._profile(user_id)
        return self._me

    def _profile(self, user_id: str) -> RemotePerson:
        known = self._profiles.get(user_id)
        if known is not None:
            return known
        name = None
        try:
            answer = self._get(f"{CLIENT_V3}/profile/{q(user_id)}")
            name = answer.get("displayname") if isinstance(answer.get("displayname"), str) else None
        except (NotFound, PermanentError):
            pass  # profile lookups may be restricted to shared rooms; the id will do
        found = self._profiles[user_id] = person(user_id, name)
        return found

    def mention_syntax(self, person: RemotePerson) -> str:
        return person.display_name or person.handle

    # --- rooms --------------------------------------------------------------------------------

    def _snapshot(self) -> Snapshot:
        answer = self._get(
            f"{CLIENT_V3}/sync",
            {"filter": sync_filter(SNAPSHOT_FILTER, 10), "timeout": 0, "full_state": "true"},
        )
        direct: dict[str, list[str]] = {}
        for event in answer.get("account_data", {}).get("events", []):
            if event.get("type") == "m.direct" and isinstance(event.get("content"), dict):
                direct = {
                    user: [r for r in rooms if isinstance(r, str)]
                    for user, rooms in event["content"].items()
                    if isinstance(rooms, list)
                }
        dm_rooms = {room: user for user, rooms in direct.items() for room in rooms}
        rooms: dict[str, Room] = {}
        joined = answer.get("rooms", {}).get("join", {})
        for room_id, data in joined.items() if isinstance(joined, dict) else ():
            room = rooms[room_id] = Room(room_id, dm_with=dm_rooms.get(room_id))
            # State before the timeline, then state events inside it (a short room's whole
            # history, its name included, may sit in the timeline).
            for event in [
                *data.get("state", {}).get("events", []),
                *data.get("timeline", {}).get("events", []),
            ]:
                if isinstance(event, dict) and "state_key" in event:
                    apply_state(room, event)
            for event in data.get("account_data", {}).get("events", []):
                if event.get("type") == "m.tag" and isinstance(event.get("content"), dict):
                    tags = event["content"].get("tags", {})
                    room.tags = tuple(sorted(tag_label(t) for t in tags))
        next_batch = answer.get("next_batch")
        if not isinstance(next_batch, str):
            raise MalformedResponse("the homeserver's /sync answer has no next_batch")
        return Snapshot(rooms, direct, next_batch)

    def _containers(self, snap: Snapshot) -> list[RemoteContainer]:
        parents: dict[str, str] = {}
        for space in snap.rooms.values():
            if space.is_space:
                for child in space.children:
                    parents.setdefault(child, space.name or space.alias or space.room_id)
        out = []
        for room in snap.rooms.values():
            if room.is_space:
                continue
            name = room.name or room.alias
            if name is None and room.dm_with:
                name = self._profile(room.dm_with).display_name
            out.append(
                RemoteContainer(
                    remote_id=room.room_id,
                    name=name or room.room_id,
                    url=event_url(room.room_id),
                    kind="dm" if room.dm_with else "room",
                    parent_name=parents.get(room.room_id),
                    description=room.topic,
                )
            )
        return out

    def list_containers(self) -> list[RemoteContainer]:
        self._ensure_session()
        return self._containers(self._snapshot())

    # --- reading ------------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        self._ensure_session()
        cursor = cursors.get("*")
        since = cursor.get("since") if isinstance(cursor, dict) else None
        snap = self._snapshot()
        containers = tuple(self._containers(snap))
        if not isinstance(since, str):
            yield from self._initial(snap, containers)
        else:
            yield from self._incremental(since, snap, containers)

    def _initial(self, snap: Snapshot, containers: tuple[RemoteContainer, ...]) -> Iterator[Page]:
        horizon = utc(self.context.clock()) - HISTORY
        first = True
        for container in containers:
            room_id = container.remote_id
            batch = RoomBatch(room_id)
            self._backfill(batch, horizon)
            self._complete_threads(batch, horizon)
            yield self._page(batch, snap, containers if first else (), {"since": None})
            first = False
        yield Page(scope="*", cursor={"since": snap.next_batch}, containers=containers)

    def _backfill(
        self,
        batch: RoomBatch,
        horizon: datetime,
        until: str | None = None,
        start: str | None = None,
    ) -> None:
        """Read a room backwards (from ``start``, or the newest event) to the horizon."""
        params: dict[str, Any] = {"dir": "b", "limit": self.page_size, "filter": MESSAGES_FILTER}
        if start:
            params["from"] = start
        if until:
            params["to"] = until
        seen = 0
        while seen < MAX_BACKFILL:
            answer = self._get(f"{CLIENT_V3}/rooms/{q(batch.room_id)}/messages", params)
            chunk = answer.get("chunk") or []
            batch.add(answer.get("state") or [])
            batch.add(chunk)
            seen += len(chunk)
            end = answer.get("end")
            if not chunk or not isinstance(end, str) or end == params.get("from"):
                return
            if all(ts(e) < horizon for e in chunk if isinstance(e, dict)):
                return
            params["from"] = end

    def _complete_threads(self, batch: RoomBatch, horizon: datetime) -> None:
        """Add thread roots and replies the window missed (``/threads``, ``/relations``)."""
        params: dict[str, Any] = {"include": "all", "limit": 50}
        for _ in range(20):
            answer = self._get(f"{CLIENT_V1}/rooms/{q(batch.room_id)}/threads", params)
            roots = [e for e in answer.get("chunk") or [] if isinstance(e, dict)]
            for root in roots:
                summary = root.get("unsigned", {}).get("m.relations", {}).get("m.thread", {})
                latest = summary.get("latest_event") if isinstance(summary, dict) else None
                if isinstance(latest, dict) and ts(latest) < horizon:
                    return
                count = summary.get("count", 0) if isinstance(summary, dict) else 0
                batch.add([root])
                have = sum(
                    1
                    for e in batch.messages.values()
                    if e.get("content", {}).get("m.relates_to", {}).get("event_id")
                    == root.get("event_id")
                )
                if isinstance(count, int) and count > have:
                    batch.add(self._thread_events(batch.room_id, str(root["event_id"])))
            token = answer.get("next_batch")
            if not roots or not isinstance(token, str):
                return
            params["from"] = token

    def _thread_events(self, room_id: str, root_id: str) -> list[Event]:
        params: dict[str, Any] = {"limit": PAGE, "dir": "f"}
        events: list[Event] = []
        for _ in range(50):
            answer = self._get(
                f"{CLIENT_V1}/rooms/{q(room_id)}/relations/{q(root_id)}/m.thread", params
            )
            events.extend(e for e in answer.get("chunk") or [] if isinstance(e, dict))
            token = answer.get("next_batch")
            if not isinstance(token, str):
                break
            params["from"] = token
        return events

    def _incremental(
        self, since: str, snap: Snapshot, containers: tuple[RemoteContainer, ...]
    ) -> Iterator[Page]:
        answer = self._get(
            f"{CLIENT_V3}/sync",
            {"since": since, "timeout": 0, "filter": sync_filter(SYNC_FILTER, PAGE)},
        )
        next_batch = answer.get("next_batch")
        if not isinstance(next_batch, str):
            raise MalformedResponse("the homeserver's /sync answer has no next_batch")
        known = {c.remote_id: c for c in containers}
        horizon = utc(self.context.clock()) - HISTORY
        joined = answer.get("rooms", {}).get("join", {})
        first = True
        for room_id, data in sorted(joined.items()) if isinstance(joined, dict) else ():
            new_container: tuple[RemoteContainer, ...] = ()
            if room_id not in known:
                # Joined after the (possibly cached) snapshot: describe it from its own state.
                room = snap.rooms[room_id] = Room(room_id)
                for event in [
                    *data.get("state", {}).get("events", []),
                    *data.get("timeline", {}).get("events", []),
                ]:
                    if isinstance(event, dict) and "state_key" in event:
                        apply_state(room, event)
                if room.is_space:
                    continue
                new_container = tuple(self._containers(Snapshot({room_id: room}, {}, "")))
            batch = RoomBatch(room_id)
            batch.add(data.get("state", {}).get("events", []))
            timeline = data.get("timeline", {})
            batch.add(timeline.get("events", []))
            if timeline.get("limited") and isinstance(timeline.get("prev_batch"), str):
                # More happened than the sync carried: fill the gap back to the last token.
                self._backfill(batch, horizon, until=since, start=timeline["prev_batch"])
            if batch.messages or batch.edits or batch.reactions or batch.redacted:
                listed = (containers if first else ()) + new_container
                yield self._page(batch, snap, listed, {"since": since})
                first = False
        yield Page(scope="*", cursor={"since": next_batch})

    def _fetch_event(self, room_id: str, event_id: str) -> Event | None:
        try:
            event: Event = self._get(f"{CLIENT_V3}/rooms/{q(room_id)}/event/{q(event_id)}")
        except NotFound:
            return None
        return event

    def _annotations(self, room_id: str, event_id: str) -> list[Event]:
        answer = self._get(
            f"{CLIENT_V1}/rooms/{q(room_id)}/relations/{q(event_id)}/m.annotation",
            {"limit": PAGE},
        )
        return [e for e in answer.get("chunk") or [] if isinstance(e, dict)]

    def _page(
        self,
        batch: RoomBatch,
        snap: Snapshot,
        containers: tuple[RemoteContainer, ...],
        cursor: JSON,
    ) -> Page:
        room_id = batch.room_id
        resolver = ThreadResolver(batch, self._fetch_event)
        tags = snap.rooms[room_id].tags if room_id in snap.rooms else ()
        # Posts an edit or reaction changed, but which this batch does not hold: re-read them.
        for target in {*batch.edits, *batch.reactions} - batch.messages.keys():
            if target in batch.redacted:
                continue
            event = resolver.event(target)
            if event is not None and event.get("type") in MESSAGE_TYPES:
                batch.messages[target] = event
                batch.set_reactions(target, self._annotations(room_id, target))
        roots: dict[str, Event] = {}
        posts: list[RemotePost] = []
        for event in batch.messages.values():
            root_id = resolver.root_of(event)
            root = batch.messages.get(root_id) or resolver.event(root_id)
            if root is None:
                continue  # the root is gone or hidden: nothing to attach the reply to
            roots[root_id] = root
            posts.append(
                to_post(
                    event,
                    room_id,
                    root_id,
                    edit=batch.edits.get(event["event_id"]),
                    reactions=batch.live_reactions(event["event_id"]),
                )
            )
        for root_id, root in roots.items():
            if root_id not in batch.messages:
                batch.set_reactions(root_id, self._annotations(room_id, root_id))
                posts.append(
                    to_post(
                        root, room_id, root_id, edit=None, reactions=batch.live_reactions(root_id)
                    )
                )
        people = {}
        for post in posts:
            uid = post.author_remote_id
            name = batch.names.get(uid)
            people[uid] = person(uid, name) if name else self._profile(uid)
        return Page(
            scope="*",
            cursor=cursor,
            containers=containers,
            people=tuple(people.values()),
            threads=tuple(to_thread(room_id, root, tags) for root in roots.values()),
            posts=tuple(posts),
            deleted_post_ids=tuple(sorted(batch.redacted)),
        )

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        self._ensure_session()
        room_id, root_id = split_thread_key(thread.remote_id)
        root = self._fetch_event(room_id, root_id)
        if root is None:
            raise NotFound(f"thread {thread.remote_id} is not on the homeserver")
        batch = RoomBatch(room_id)
        batch.add([root, *self._thread_events(room_id, root_id)])
        batch.set_reactions(root_id, self._annotations(room_id, root_id))
        snap_tags: tuple[str, ...] = ()
        posts = [
            to_post(
                e,
                room_id,
                root_id,
                edit=batch.edits.get(e["event_id"]),
                reactions=batch.live_reactions(e["event_id"]),
            )
            for e in batch.messages.values()
        ]
        people = {p.author_remote_id: self._profile(p.author_remote_id) for p in posts}
        return FullThread(
            thread=to_thread(room_id, root, snap_tags),
            posts=tuple(posts),
            people=tuple(people.values()),
        )

    # --- writing ------------------------------------------------------------------------------

    def _send_event(self, room_id: str, event_type: str, content: Any, op: Outgoing) -> str:
        path = f"{CLIENT_V3}/rooms/{q(room_id)}/send/{q(event_type)}/{q(txn_id(op.op_id))}"
        answer = self._put(path, content)
        event_id = answer.get("event_id") if isinstance(answer, dict) else None
        if not isinstance(event_id, str):
            raise AmbiguousError(
                "the homeserver did not return the new event's id", code="malformed"
            )
        return event_id

    def _content(self, op: Outgoing) -> dict[str, Any]:
        if not op.text.strip():
            raise PermanentError("the message is empty", code="empty")
        return message_content(op.text, op.mentions, self.mention_syntax)

    def _thread_of(self, op: Outgoing) -> tuple[str, str]:
        if op.thread is None:
            raise PermanentError("this action needs a thread", code="no_thread")
        try:
            return split_thread_key(op.thread.remote_id)
        except ValueError as exc:
            raise PermanentError(str(exc), code="bad_thread") from None

    def post_reply(self, op: Outgoing) -> SendResult:
        room_id, root_id = self._thread_of(op)
        content = self._content(op)
        content["m.relates_to"] = {
            "rel_type": "m.thread",
            "event_id": root_id,
            "is_falling_back": op.reply_to_post_remote_id is None,
            "m.in_reply_to": {"event_id": op.reply_to_post_remote_id or root_id},
        }
        event_id = self._send_event(room_id, "m.room.message", content, op)
        me = self.whoami()
        post = RemotePost(
            remote_id=event_id,
            thread_remote_id=thread_key(room_id, root_id),
            author_remote_id=me.remote_id,
            created_at=utc(self.context.clock()),
            text=content["body"],
            html=content.get("formatted_body"),
            reply_to_remote_id=op.reply_to_post_remote_id,
            url=event_url(room_id, event_id),
            raw={"event_id": event_id, "content": content},
        )
        page = Page(scope="~sent", cursor=None, people=(me,), posts=(post,))
        return SendResult(event_id, post.thread_remote_id, page)

    @classmethod
    def format_poll(cls, question: str, options: Sequence[str]) -> str:
        """The question alone: :meth:`post_thread` sends a poll event with the options."""
        return question.strip()

    def _starter(self, op: Outgoing) -> tuple[str, dict[str, Any]]:
        """The event type and content that start ``op``'s conversation: a message (a title, if
        any, as its first line), or a poll with ``op.poll_options``."""
        if op.poll_options:
            if not op.text.strip():
                raise PermanentError("the poll has no question", code="empty")
            return POLL_START, poll_content(op.text, op.poll_options)
        text = f"{op.title.strip()}\n\n{op.text}" if op.title and op.title.strip() else op.text
        return "m.room.message", self._content(dataclasses.replace(op, text=text))

    def post_thread(self, op: Outgoing) -> SendResult:
        """A new top-level message (or poll) in the room: a thread of its own."""
        room_id = op.container_remote_id
        if not room_id:
            raise PermanentError("a new conversation needs a room", code="no_container")
        event_type, content = self._starter(op)
        event_id = self._send_event(room_id, event_type, content, op)
        me = self.whoami()
        now = utc(self.context.clock())
        key = thread_key(room_id, event_id)
        post = RemotePost(
            remote_id=event_id,
            thread_remote_id=key,
            author_remote_id=me.remote_id,
            created_at=now,
            text=content["body"],
            html=content.get("formatted_body"),
            is_root=True,
            url=event_url(room_id, event_id),
            raw={"event_id": event_id, "type": event_type, "content": content},
        )
        thread = RemoteThread(
            remote_id=key,
            container_remote_id=room_id,
            created_at=now,
            url=post.url,
            raw={"room_id": room_id, "root": event_id},
        )
        page = Page(scope="~sent", cursor=None, people=(me,), threads=(thread,), posts=(post,))
        return SendResult(event_id, key, page)

    def _direct(self) -> dict[str, list[str]]:
        me = self.whoami().remote_id
        try:
            answer = self._get(f"{CLIENT_V3}/user/{q(me)}/account_data/m.direct")
        except NotFound:
            return {}
        return {
            u: [r for r in rs if isinstance(r, str)]
            for u, rs in answer.items()
            if isinstance(rs, list)
        }

    def send_dm(self, op: Outgoing) -> SendResult:
        if len(op.recipients) != 1:
            raise PermanentError("a direct message goes to exactly one person", code="recipients")
        other = op.recipients[0].remote_id
        content = self._content(op)
        me = self.whoami().remote_id
        direct = self._direct()
        joined = set(self._get(f"{CLIENT_V3}/joined_rooms").get("joined_rooms") or [])
        room_id = next((r for r in direct.get(other, []) if r in joined), None)
        if room_id is None:
            created = self._call(
                lambda: self.http.post_json(
                    f"{CLIENT_V3}/createRoom",
                    {"is_direct": True, "preset": "trusted_private_chat", "invite": [other]},
                )
            )
            room_id = created.get("room_id") if isinstance(created, dict) else None
            if not isinstance(room_id, str):
                raise ConnectorError("the homeserver did not return the new room", code="malformed")
            # Record the room as a DM at once, so a resend finds it instead of creating another.
            direct.setdefault(other, []).append(room_id)
            self._put(f"{CLIENT_V3}/user/{q(me)}/account_data/m.direct", direct)
        event_id = self._send_event(room_id, "m.room.message", content, op)
        return SendResult(event_id)

    def set_tags(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("this action needs a thread", code="no_thread")
        room_id = op.thread.container_remote_id
        me = self.whoami().remote_id
        base = f"{CLIENT_V3}/user/{q(me)}/rooms/{q(room_id)}/tags"
        current = self._get(base).get("tags") or {}
        wanted = {tag_name(t) for t in op.tags}
        for tag in sorted(wanted - current.keys()):
            self._put(f"{base}/{q(tag)}", {})
        for tag in sorted(set(current) - wanted):
            if tag.startswith("u."):
                self._delete(f"{base}/{q(tag)}")
        return SendResult(f"tags:{room_id}", op.thread.remote_id)

    def add_reaction(self, op: Outgoing) -> SendResult:
        room_id, root_id = self._thread_of(op)
        target = op.reply_to_post_remote_id or root_id
        content = {
            "m.relates_to": {
                "rel_type": "m.annotation",
                "event_id": target,
                "key": op.emoji or "👍",
            }
        }
        event_id = self._send_event(room_id, "m.reaction", content, op)
        return SendResult(event_id, thread_key(room_id, root_id))

    def find_sent(self, op: Outgoing) -> SendResult | None:
        """Our event for ``op``: by transaction id (same device) or by author and text."""
        me = self.whoami().remote_id
        txn = txn_id(op.op_id)
        if op.kind is OpKind.REPLY:
            room_id, root_id = self._thread_of(op)
            events = self._thread_events(room_id, root_id)
            key = thread_key(room_id, root_id)
        elif op.kind is OpKind.REACTION:
            room_id, root_id = self._thread_of(op)
            events = self._annotations(room_id, op.reply_to_post_remote_id or root_id)
            key = thread_key(room_id, root_id)
        elif op.kind is OpKind.DM and op.recipients:
            rooms = self._direct().get(op.recipients[0].remote_id, [])
            events = []
            for room_id in rooms:
                answer = self._get(
                    f"{CLIENT_V3}/rooms/{q(room_id)}/messages", {"dir": "b", "limit": PAGE}
                )
                events.extend(e for e in answer.get("chunk") or [] if isinstance(e, dict))
            key = None
        elif op.kind is OpKind.POST and op.container_remote_id:
            room_id = op.container_remote_id
            answer = self._get(
                f"{CLIENT_V3}/rooms/{q(room_id)}/messages", {"dir": "b", "limit": PAGE}
            )
            events = [e for e in answer.get("chunk") or [] if isinstance(e, dict)]
            found = self._find_own(events, me, txn, text_hash(self._starter(op)[1]["body"]))
            return SendResult(found, thread_key(room_id, found)) if found else None
        else:
            return None
        body_hash = text_hash(self._content(op)["body"]) if op.kind is not OpKind.REACTION else None
        for event in events:
            unsigned = obj(event.get("unsigned"))
            if event.get("sender") != me:
                continue
            content = obj(event.get("content"))
            body = content.get("body")
            same = (
                content.get("m.relates_to", {}).get("key") == (op.emoji or "👍")
                if op.kind is OpKind.REACTION
                else isinstance(body, str) and text_hash(body) == body_hash
            )
            if unsigned.get("transaction_id") == txn or same:
                return SendResult(str(event["event_id"]), key)
        return None

    @staticmethod
    def _find_own(events: list[Event], me: str, txn: str, body_hash: str) -> str | None:
        """The id of our event among ``events``: by transaction id, or by the same body."""
        for event in events:
            if event.get("sender") != me or event.get("type") not in MESSAGE_TYPES:
                continue
            body = obj(event.get("content")).get("body")
            same = isinstance(body, str) and text_hash(body) == body_hash
            if obj(event.get("unsigned")).get("transaction_id") == txn or same:
                return str(event["event_id"])
        return None
