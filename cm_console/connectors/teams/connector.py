"""Microsoft Teams channels through Microsoft Graph (platform reference §2.2).

- Containers are the channels of the teams the user joined (``TEAM_ID/CHANNEL_ID``).
- Each channel is read through the channel-message **delta** query with ``$expand=replies``; the
  ``@odata.nextLink`` (mid-round) or ``@odata.deltaLink`` (round complete) is the cursor of that
  channel's scope. An expired link answers 410, which starts a full resync of the channel.
- Graph has no reply count: every reply is delivered as a post (inline replies, then
  ``replies@odata.nextLink``), and the store derives count and last activity from them.
- Writes are sent once; the outbox reconciles an ambiguous one with :meth:`find_sent`, which reads
  the thread back newest-first and matches our user id and the normalized text.
- A new thread (a planned conversation starter) is a new channel message with a ``subject``: the
  starter's title, or else the first line of a text of several lines (the rest is the body). It is
  read back from the channel's messages like a reply from its thread (our user id, subject and
  text). Only channels take new threads: the containers are channels, and a chat is refused.
  Teams has no polls in Graph, so a poll goes out in the numbered fallback form (people vote by
  reacting with the number).
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from cm_console.connectors.base import (
    AccountConfig,
    Capability,
    Connector,
    ConnectorContext,
    ConnectorInfo,
    LoginMethod,
    LoginResult,
    LoginUI,
    Outgoing,
    SendResult,
    ThreadRef,
)
from cm_console.connectors.errors import (
    AmbiguousError,
    MalformedResponse,
    NotFound,
    NotSupported,
    PermanentError,
)
from cm_console.connectors.http import Policy
from cm_console.connectors.microsoft import auth
from cm_console.connectors.microsoft.html import html_to_text
from cm_console.connectors.microsoft.session import ApiSession
from cm_console.connectors.teams import normalize as n
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

log = logging.getLogger(__name__)

GRAPH_URL = "https://graph.microsoft.com/v1.0"
GRAPH_RESOURCE = "https://graph.microsoft.com"
PERMISSIONS = (
    "Team.ReadBasic.All",
    "Channel.ReadBasic.All",
    "ChannelMessage.Read.All",
    "ChannelMessage.Send",
    "Chat.Create",
    "ChatMessage.Send",
    "User.ReadBasic.All",
)
PAGE_SIZE = 50
"""Graph's maximum ``$top`` for channel messages and their delta."""
WRITE_PACE_S = 0.25
"""Teams allows 4 requests per second per app on one team or channel."""
SENT_SKEW = timedelta(hours=24)
"""A read-back looks this far before the first attempt: a laptop's clock can be hours off the
platform's (a narrower window missed the copy and the reply was posted again). The sender
never accepts a copy that another sent operation already owns."""
SUBJECT_MAX = 200
"""The longest subject the console writes (a planned title is at most this long too)."""
SUBJECT_FROM_LINE = 120
"""A first line up to this long becomes the subject of a starter without a title."""
STARTER_PAGES = 20
"""A read-back of a new thread lists at most this many pages of the channel's messages."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_REQUEST_ID_NS = uuid.UUID("6f1d7d0e-8f53-4c55-9a3e-4a1f0e1b2c3d")


def request_id(op: Outgoing) -> str:
    """The ``client-request-id`` of an attempt: a GUID derived from the op id and attempt.

    Graph has no idempotency key; this only correlates our attempt with Microsoft's logs.
    """
    return str(uuid.uuid5(_REQUEST_ID_NS, f"{op.op_id}:{op.attempt}"))


class TeamsConnector(Connector):
    """Teams channels of the signed-in user (delegated Graph permissions)."""

    info = ConnectorInfo(
        id="teams",
        display_name="Microsoft Teams",
        kind=PlatformKind.CHAT,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REACTIONS,
                Capability.NEW_THREAD,
            }
        ),
        login_methods=(LoginMethod.BROWSER, LoginMethod.DEVICE, LoginMethod.TOKEN),
        default_url=GRAPH_URL,
        url_label="Microsoft Graph base URL",
        secret_label="Access token (or sign in with --login browser or device)",  # noqa: S106
        options=auth.OPTIONS,
        mention_example="@Jane Smith",
    )

    def __init__(
        self,
        account: AccountConfig,
        context: ConnectorContext,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(account, context)
        tokens = auth.token_source(
            context.secret,
            account,
            clock=context.clock,
            backends=context.backends,
            default_resource=GRAPH_RESOURCE,
            permissions=PERMISSIONS,
        )
        self._api = ApiSession(
            account.url or GRAPH_URL,
            tokens,
            policy=Policy(min_interval=WRITE_PACE_S),
            user_agent=context.user_agent,
            sleep=sleep,
            monotonic=monotonic,
        )
        self._me: RemotePerson | None = None

    @classmethod
    def interactive_login(
        cls,
        method: LoginMethod,
        account: AccountConfig,
        context: ConnectorContext,
        ui: LoginUI,
    ) -> LoginResult:
        secret = auth.interactive_login(
            method,
            account,
            context.backends,
            ui,
            default_resource=GRAPH_RESOURCE,
            permissions=PERMISSIONS,
        )
        return LoginResult(secret)

    def close(self) -> None:
        self._api.close()

    # --- Graph helpers ----------------------------------------------------------------------------

    def _items(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every item of a collection, following ``@odata.nextLink``."""
        url: str | None = path
        seen: set[str] = set()
        while url:
            body = self._api.get_object(url, params)
            value = body.get("value")
            if not isinstance(value, list):
                raise MalformedResponse(f"{path}: the collection has no 'value' list")
            yield from value
            nxt = body.get("@odata.nextLink")
            url, params = (nxt, None) if isinstance(nxt, str) and nxt not in seen else (None, None)
            if url:
                seen.add(url)

    def _replies(self, team: str, channel: str, root: Mapping[str, Any]) -> list[Any]:
        """All replies of a root: inline ones plus ``replies@odata.nextLink``, or a listing."""
        if "replies" not in root:
            # The service did not expand them (the delta documentation says it may not).
            return list(
                self._items(f"teams/{team}/channels/{channel}/messages/{root['id']}/replies")
            )
        inline = root.get("replies")
        if not isinstance(inline, list):
            raise MalformedResponse("Graph returned a message whose 'replies' is not a list")
        replies = list(inline)
        more = root.get("replies@odata.nextLink")
        if isinstance(more, str):
            replies.extend(self._items(more))
        return replies

    # --- identity and directory ---------------------------------------------------------------

    def whoami(self) -> RemotePerson:
        if self._me is None:
            me = self._api.get_object("me", {"$select": "id,displayName"})
            if not me.get("id"):
                raise MalformedResponse("Graph /me has no id")
            name = str(me.get("displayName") or me["id"])
            self._me = RemotePerson(remote_id=str(me["id"]), handle=name, display_name=name)
        return self._me

    def _my_id(self) -> str:
        return self.account.own_remote_id or self.whoami().remote_id

    def list_containers(self) -> list[RemoteContainer]:
        out: dict[str, RemoteContainer] = {}
        for team in self._items("me/joinedTeams"):
            if not isinstance(team, Mapping) or not team.get("id"):
                raise MalformedResponse("Graph returned a team without an id")
            for channel in self._items(f"teams/{team['id']}/channels"):
                if not isinstance(channel, Mapping):
                    raise MalformedResponse("Graph returned a channel that is not an object")
                container = n.channel_container(team, channel)
                out[container.remote_id] = container
        return list(out.values())

    def mention_syntax(self, person: RemotePerson) -> str:
        return f"@{person.display_name}"

    # --- reading ------------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        for container in self.list_containers():
            yield from self._fetch_channel(container, cursors.get(container.remote_id))

    def _fetch_channel(self, container: RemoteContainer, cursor: JSON) -> Iterator[Page]:
        team, channel = n.split_container(container.remote_id)
        start = f"teams/{team}/channels/{channel}/messages/delta"
        start_params = {"$expand": "replies", "$top": str(PAGE_SIZE)}
        link = None
        if isinstance(cursor, Mapping):
            link = cursor.get("next") or cursor.get("delta")
        url: str = link if isinstance(link, str) else start
        params: dict[str, str] | None = None if url != start else start_params
        resynced = False
        while True:
            try:
                body = self._api.get_object(url, params)
            except NotFound as exc:
                if exc.code != "http_410" or url == start or resynced:
                    raise
                # The delta token expired (Graph keeps state for a limited time): read the
                # channel again from the start; ingest makes the overlap a no-op.
                log.info("delta link of %s expired (410): full resync", container.name)
                url, params, resynced = start, start_params, True
                continue
            messages = body.get("value")
            if not isinstance(messages, list):
                raise MalformedResponse(f"{container.name}: the delta page has no 'value' list")
            nxt = body.get("@odata.nextLink")
            delta = body.get("@odata.deltaLink")
            if isinstance(nxt, str):
                page_cursor: dict[str, str] = {"next": nxt}
            elif isinstance(delta, str):
                page_cursor = {"delta": delta}
            else:
                raise MalformedResponse(
                    f"{container.name}: the delta page has no next or delta link"
                )
            yield self._page(container, team, channel, messages, page_cursor)
            if not isinstance(nxt, str) or nxt == url:
                return
            url, params = nxt, None

    def _page(
        self,
        container: RemoteContainer,
        team: str,
        channel: str,
        messages: list[Any],
        cursor: dict[str, str],
    ) -> Page:
        threads: list[RemoteThread] = []
        posts: list[RemotePost] = []
        people: dict[str, RemotePerson] = {}
        deleted: list[str] = []
        for message in messages:
            if not isinstance(message, Mapping) or not message.get("id"):
                raise MalformedResponse(f"{container.name}: a message without an id")
            if "@removed" in message:
                deleted.append(n.thread_id(channel, str(message["id"])))
                continue
            if n.is_system(message):
                continue  # "X joined the team" is not a conversation
            thread, thread_posts, authors = self._thread(team, channel, message)
            threads.append(thread)
            posts.extend(thread_posts)
            people.update({p.remote_id: p for p in authors})
        return Page(
            scope=container.remote_id,
            cursor=cursor,
            containers=(container,),
            people=tuple(people.values()),
            threads=tuple(threads),
            posts=tuple(posts),
            deleted_post_ids=tuple(deleted),
        )

    def _thread(
        self, team: str, channel: str, root: Mapping[str, Any]
    ) -> tuple[RemoteThread, list[RemotePost], list[RemotePerson]]:
        root_id = str(root["id"])
        thread = n.thread_of(root, team=team, channel=channel)
        post, author = n.post_of(root, channel=channel, root=root_id, is_root=True)
        posts, people = [post], [author]
        for reply in self._replies(team, channel, root):
            if not isinstance(reply, Mapping):
                raise MalformedResponse("Graph returned a reply that is not an object")
            post, author = n.post_of(reply, channel=channel, root=root_id, is_root=False)
            posts.append(post)
            people.append(author)
        return thread, posts, people

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        team, channel = n.split_container(thread.container_remote_id)
        _, root_id, _ = n.split_post(thread.remote_id)
        root = self._api.get_object(f"teams/{team}/channels/{channel}/messages/{root_id}")
        # Without inline replies, _thread lists them all through /replies.
        bare = {k: v for k, v in root.items() if k not in ("replies", "replies@odata.nextLink")}
        meta, posts, people = self._thread(team, channel, bare)
        return FullThread(
            thread=meta,
            posts=tuple(posts),
            people=tuple({p.remote_id: p for p in people}.values()),
        )

    # --- writing ------------------------------------------------------------------------------

    def _address(self, op: Outgoing) -> tuple[str, str, str]:
        if op.thread is None:
            raise PermanentError("this action needs a thread", code="no_thread")
        team, channel = n.split_container(op.thread.container_remote_id)
        ch, root, _ = n.split_post(op.thread.remote_id)
        if ch != channel:
            raise PermanentError("the thread is not in the channel it names", code="bad_thread")
        return team, channel, root

    @staticmethod
    def compose(text: str, mentions: tuple[RemotePerson, ...]) -> tuple[str, list[dict[str, Any]]]:
        """The HTML body and ``mentions`` array for ``text``.

        ``@Display Name`` of a mentioned person becomes ``<at id="N">Display Name</at>``; a
        person the text does not name is mentioned at the start.
        """
        body = html.escape(text.strip()).replace("\r\n", "\n").replace("\n", "<br>")
        entries: list[dict[str, Any]] = []
        lead: list[str] = []
        for index, person in enumerate(dict.fromkeys(mentions)):
            name = html.escape(person.display_name)
            tag = f'<at id="{index}">{name}</at>'
            pattern = re.compile(r"@" + re.escape(name) + r"(?![\w])")
            match = pattern.search(body)
            if match is not None:
                body = body[: match.start()] + tag + body[match.end() :]
            else:
                lead.append(tag)
            entries.append(
                {
                    "id": index,
                    "mentionText": person.display_name,
                    "mentioned": {
                        "user": {
                            "id": person.remote_id,
                            "displayName": person.display_name,
                            "userIdentityType": "aadUser",
                        }
                    },
                }
            )
        if lead:
            body = " ".join(lead) + " " + body
        return body, entries

    def _message_body(self, op: Outgoing) -> dict[str, Any]:
        if not op.text.strip():
            raise PermanentError("the message is empty", code="empty")
        content, mentions = self.compose(op.text, op.mentions)
        payload: dict[str, Any] = {"body": {"contentType": "html", "content": content}}
        if mentions:
            payload["mentions"] = mentions
        return payload

    def _created(self, data: Any) -> Mapping[str, Any]:
        if not isinstance(data, Mapping) or not data.get("id"):
            raise AmbiguousError("Graph accepted the message but returned no id", code="malformed")
        return data

    def post_reply(self, op: Outgoing) -> SendResult:
        team, channel, root = self._address(op)
        data = self._created(
            self._api.write_json(
                "POST",
                f"teams/{team}/channels/{channel}/messages/{root}/replies",
                json_body=self._message_body(op),
                headers={"client-request-id": request_id(op)},
            )
        )
        return self._sent_reply(channel, root, data)

    def _sent_reply(self, channel: str, root: str, data: Mapping[str, Any]) -> SendResult:
        post, author = n.post_of(data, channel=channel, root=root, is_root=False)
        page = Page(scope="~sent", cursor=None, people=(author,), posts=(post,))
        return SendResult(post.remote_id, n.thread_id(channel, root), page)

    @staticmethod
    def _channel_of(container_remote_id: str | None) -> tuple[str, str]:
        """(team, channel) of a container; a chat or anything else is refused clearly."""
        if not container_remote_id:
            raise PermanentError("a new conversation needs a channel", code="no_container")
        try:
            return n.split_container(container_remote_id)
        except MalformedResponse:
            raise PermanentError(
                "Teams starts new conversations in team channels only, not in chats",
                code="not_a_channel",
            ) from None

    @staticmethod
    def starter_parts(op: Outgoing) -> tuple[str | None, str]:
        """The subject and the body text of a new channel message for ``op``.

        The title is the subject. Without one, the first line of a text of several lines
        becomes the subject and the rest the body, unless it is long or mentions someone (a
        subject is plain text); a one-line text has no subject (it would only repeat the body).
        """
        title = " ".join((op.title or "").split())
        if title:
            return title[:SUBJECT_MAX], op.text
        first, _, rest = op.text.strip().partition("\n")
        subject = " ".join(first.split())
        named = any(f"@{p.display_name}" in first for p in op.mentions)
        if rest.strip() and subject and len(subject) <= SUBJECT_FROM_LINE and not named:
            return subject, rest.strip()
        return None, op.text

    def post_thread(self, op: Outgoing) -> SendResult:
        """A new message in the channel: a thread of its own, with a subject line."""
        team, channel = self._channel_of(op.container_remote_id)
        subject, text = self.starter_parts(op)
        payload = self._message_body(dataclasses.replace(op, text=text))
        if subject:
            payload = {"subject": subject, **payload}
        try:
            data = self._api.write_json(
                "POST",
                f"teams/{team}/channels/{channel}/messages",
                json_body=payload,
                headers={"client-request-id": request_id(op)},
            )
        except NotFound as exc:
            raise NotFound(
                "the Teams channel no longer exists, or you are no longer in its team",
                code=exc.code,
            ) from None
        except PermanentError as exc:
            if exc.code == "forbidden":
                raise PermanentError(
                    "Teams does not let you start conversations in this channel (it may be "
                    "moderated, or you lack the ChannelMessage.Send permission)",
                    code=exc.code,
                ) from None
            if exc.code in ("http_400", "http_413"):
                raise PermanentError(
                    f"Teams refused the new conversation (too long, or not valid): {exc}",
                    code=exc.code,
                ) from None
            raise
        return self._started(team, channel, self._created(data))

    def _started(self, team: str, channel: str, data: Mapping[str, Any]) -> SendResult:
        """The new thread and its first post, named as a sync names them (``CHANNEL/ID``)."""
        root = str(data["id"])
        thread = n.thread_of(data, team=team, channel=channel)
        post, author = n.post_of(data, channel=channel, root=root, is_root=True)
        page = Page(scope="~sent", cursor=None, people=(author,), threads=(thread,), posts=(post,))
        return SendResult(post.remote_id, thread.remote_id, page)

    def _chat_with(self, person: RemotePerson) -> str:
        base = self._api.http.base_url
        members = [
            {
                "@odata.type": "#microsoft.graph.aadUserConversationMember",
                "roles": ["owner"],
                "user@odata.bind": f"{base}users('{uid}')",
            }
            for uid in (self._my_id(), person.remote_id)
        ]
        # Creating a one-on-one chat that exists returns the existing one, so this is safe to
        # repeat (reconciliation does).
        chat = self._api.write_json(
            "POST", "chats", json_body={"chatType": "oneOnOne", "members": members}
        )
        if not isinstance(chat, Mapping) or not chat.get("id"):
            raise MalformedResponse("Graph created a chat but returned no id")
        return str(chat["id"])

    def send_dm(self, op: Outgoing) -> SendResult:
        if len(op.recipients) != 1:
            raise PermanentError(
                "a Teams direct message goes to exactly one person", code="recipients"
            )
        payload = self._message_body(op)
        chat = self._chat_with(op.recipients[0])
        data = self._created(
            self._api.write_json(
                "POST",
                f"chats/{chat}/messages",
                json_body=payload,
                headers={"client-request-id": request_id(op)},
            )
        )
        return SendResult(remote_id=f"chat:{chat}/{data['id']}")

    def _message_path(self, op: Outgoing) -> str:
        team, channel, root = self._address(op)
        target = op.reply_to_post_remote_id or n.thread_id(channel, root)
        ch, target_root, reply = n.split_post(target)
        if ch != channel or target_root != root:
            raise PermanentError("the message is not in this thread", code="bad_target")
        path = f"teams/{team}/channels/{channel}/messages/{root}"
        return f"{path}/replies/{reply}" if reply else path

    def add_reaction(self, op: Outgoing) -> SendResult:
        path = self._message_path(op)
        emoji = op.emoji or "👍"
        self._api.write(
            "POST",
            f"{path}/setReaction",
            json_body={"reactionType": emoji},
            headers={"client-request-id": request_id(op)},
        )
        assert op.thread is not None
        return SendResult(remote_id=f"reaction:{op.op_id}", thread_remote_id=op.thread.remote_id)

    # --- reconciliation -----------------------------------------------------------------------

    def find_sent(self, op: Outgoing) -> SendResult | None:
        if op.kind is OpKind.REPLY:
            return self._find_reply(op)
        if op.kind is OpKind.DM:
            return self._find_dm(op)
        if op.kind is OpKind.REACTION:
            return self._find_reaction(op)
        if op.kind is OpKind.POST:
            return self._find_starter(op)
        raise NotSupported(f"Teams cannot look up a sent {op.kind.value}")

    def _expected(self, op: Outgoing) -> str:
        content, _ = self.compose(op.text, op.mentions)
        return text_hash(html_to_text(content))

    def _since(self, op: Outgoing) -> datetime | None:
        return utc(op.first_attempt_at) - SENT_SKEW if op.first_attempt_at else None

    def _mine(
        self, messages: list[Any], op: Outgoing, subject: str | None = None
    ) -> Mapping[str, Any] | None:
        """The newest message by us with the op's text (and ``subject``, for a new thread),
        created after its first attempt."""
        me, expected, since = self._my_id(), self._expected(op), self._since(op)
        candidates = [m for m in messages if isinstance(m, Mapping)]
        candidates.sort(
            key=lambda m: n.parse_time(m.get("createdDateTime")) or _EPOCH, reverse=True
        )
        for message in candidates:
            created = n.parse_time(message.get("createdDateTime"))
            if since is not None and created is not None and created < since:
                break  # newest-first: everything after this is older than the first attempt
            if n.author_of(message).remote_id != me or message.get("deletedDateTime"):
                continue
            if op.kind is OpKind.POST and (message.get("subject") or None) != subject:
                continue
            text, _ = n.body_of(message)
            if text_hash(text) == expected:
                return message
        return None

    def _find_reply(self, op: Outgoing) -> SendResult | None:
        team, channel, root = self._address(op)
        replies = list(self._items(f"teams/{team}/channels/{channel}/messages/{root}/replies"))
        found = self._mine(replies, op)
        return self._sent_reply(channel, root, found) if found is not None else None

    def _find_starter(self, op: Outgoing) -> SendResult | None:
        """A new thread: among the channel's messages (newest change first) back to shortly
        before the first attempt. When the listing is too long to get there, it cannot tell."""
        team, channel = self._channel_of(op.container_remote_id)
        subject, text = self.starter_parts(self.prepare(op))
        since = self._since(op)
        url = f"teams/{team}/channels/{channel}/messages"
        params: dict[str, str] | None = {"$top": str(PAGE_SIZE)}
        messages: list[Any] = []
        seen: set[str] = set()
        complete = False
        for _ in range(STARTER_PAGES):
            body = self._api.get_object(url, params)
            value = body.get("value")
            if not isinstance(value, list):
                raise MalformedResponse("the channel's messages have no 'value' list")
            messages.extend(value)
            if since is not None and value and all(_changed(m) < since for m in value):
                complete = True  # listed newest change first: the rest is older still
                break
            nxt = body.get("@odata.nextLink")
            if not isinstance(nxt, str) or nxt in seen:
                complete = True
                break
            seen.add(nxt)
            url, params = nxt, None
        found = self._mine(messages, dataclasses.replace(op, text=text), subject)
        if found is not None:
            return self._started(team, channel, found)
        if not complete:
            raise AmbiguousError(
                "too many recent messages in the channel to tell whether the conversation was "
                "started; look in Teams",
                code="readback_incomplete",
            )
        return None

    def _find_dm(self, op: Outgoing) -> SendResult | None:
        if len(op.recipients) != 1:
            return None
        chat = self._chat_with(op.recipients[0])
        messages = []
        for i, message in enumerate(
            self._items(
                f"chats/{chat}/messages",
                {"$top": str(PAGE_SIZE), "$orderby": "createdDateTime desc"},
            )
        ):
            messages.append(message)
            if i >= 4 * PAGE_SIZE:
                break
        found = self._mine(messages, op)
        return SendResult(remote_id=f"chat:{chat}/{found['id']}") if found is not None else None

    def _find_reaction(self, op: Outgoing) -> SendResult | None:
        try:
            message = self._api.get_object(self._message_path(op))
        except NotFound:
            return None
        emoji = op.emoji or "👍"
        me = self._my_id()
        for reaction in n.reactions_of(message):
            if reaction.person_remote_id == me and reaction.emoji == n.REACTION_EMOJI.get(
                emoji, emoji
            ):
                assert op.thread is not None
                return SendResult(f"reaction:{op.op_id}", thread_remote_id=op.thread.remote_id)
        return None


def _changed(message: Any) -> datetime:
    """When a listed message last changed (Graph lists channel messages by this, newest first)."""
    if not isinstance(message, Mapping):
        return _EPOCH
    return (
        n.parse_time(message.get("lastModifiedDateTime"))
        or n.parse_time(message.get("createdDateTime"))
        or _EPOCH
    )
