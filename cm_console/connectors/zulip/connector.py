"""The Zulip connector (REST API, e-mail + API key over HTTP Basic).

Threads are topics. A thread's remote id is the id of the topic's first message, which survives
a rename: resolving a topic (``✔ `` prefix) moves its messages, not their ids, so the thread
keeps its id and is marked resolved.

Reading is per subscribed channel, by narrow and anchor: the first fetch reads backwards from the
newest message; later ones read on from the last id (``include_anchor=false``) and re-read a short
window before it, so recent edits, reactions and deletions are seen. Each channel's cursor keeps
its topics (name → first message), so a renamed topic is recognised from the topic list.

A conversation starter is a new topic: a channel message whose topic name is the starter's title
(or else the first line of its text), at most 60 characters (Zulip's ``max_topic_length``, the
same on every server), made unique in the channel with a `` (2)`` if the name is taken, so the
starter never lands in someone else's conversation. A poll is the ``/poll`` widget. Zulip has no
client id: an ambiguous send is reconciled by reading our recent messages in the channel back and
matching the text, as for replies.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

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
    RateLimited,
)
from cm_console.connectors.http import (
    HttpClient,
    Response,
    clamp_delay,
    retry_after_header,
)
from cm_console.connectors.titles import shorten, split_title
from cm_console.domain.model import (
    JSON,
    FullThread,
    Page,
    PlatformKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
    attachment_names,
    utc,
)
from cm_console.domain.outbox import OpKind, text_hash

API = "api/v1"
RESOLVED = "✔ "
BATCH = 1000
WINDOW = 40
"""Messages re-read before the cursor on every fetch (edits, reactions, deletions)."""
HISTORY = timedelta(days=60)
MAX_BATCHES = 20
EMOJI_NAMES = {"👍": "+1", "❤️": "heart", "👀": "eyes", "✅": "check", "🎉": "tada"}
MAX_TOPIC = 60
"""Zulip's ``max_topic_length`` (``/register``; a server constant, 60 on every version)."""
RECONCILE_SKEW = timedelta(hours=24)
"""A starter's read-back looks this far before the first attempt (clocks disagree)."""
POLL = "/poll "


def _seconds(value: Any) -> timedelta | None:
    return clamp_delay(value)


def throttle(response: Response, body: Any) -> timedelta | None:
    """``RATE_LIMIT_HIT`` carries ``retry-after`` (seconds) in the JSON body; else the header."""
    if isinstance(body, dict) and body.get("code") == "RATE_LIMIT_HIT":
        delay = _seconds(body.get("retry-after"))
        if delay is not None:
            return delay
    return retry_after_header(response, body)


def error_hook(response: Response, body: Any) -> ConnectorError | None:
    """Zulip errors: ``{"result": "error", "code": …}``. The ``msg`` is translated: never read."""
    if not isinstance(body, dict) or body.get("result") != "error":
        return None
    code = str(body.get("code") or "BAD_REQUEST")
    if response.status == 429:
        return None  # the shared handling reads the delay with :func:`throttle`
    if code == "RATE_LIMIT_HIT":
        return RateLimited("the server asks to slow down", retry_after=throttle(response, body))
    if response.status == 401 or code in ("UNAUTHORIZED", "INVALID_API_KEY", "USER_DEACTIVATED"):
        return AuthError("the server refused the e-mail address or API key", code=code.lower())
    if code in ("STREAM_DOES_NOT_EXIST", "BAD_NARROW") or response.status == 404:
        return NotFound(f"not found on the server ({code})", code=code.lower())
    if response.status < 500:
        # The message is in the server's language: shown to the person, never parsed.
        msg = " ".join(str(body.get("msg") or "").split())[:200]
        return PermanentError(
            f"the server refused the request ({code}){': ' + msg if msg else ''}",
            code=code.lower(),
        )
    return None


def _when(seconds: Any) -> datetime:
    value = seconds if isinstance(seconds, int | float) and not isinstance(seconds, bool) else 0
    return datetime.fromtimestamp(value, UTC)


def _title(topic: str) -> str:
    return topic.removeprefix(RESOLVED)


_UPLOAD = re.compile(r"\[[^\]\n]*\]\(/user_uploads/([^)\s]+)\)")


def uploads_of(markdown: str) -> tuple[str, ...]:
    """The names of the files uploaded into a message: the relative Markdown links to
    ``/user_uploads/`` Zulip writes for them (the file's name is the link's last path segment);
    a link to another site is not an upload."""
    return attachment_names(unquote(path) for path in _UPLOAD.findall(markdown))


class ZulipConnector(Connector):
    """A Zulip account: the user's e-mail address and API key."""

    info = ConnectorInfo(
        id="zulip",
        display_name="Zulip",
        kind=PlatformKind.FORUM,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REACTIONS,
                Capability.PEOPLE,
                Capability.NEW_THREAD,
                Capability.POLLS,
            }
        ),
        login_methods=(LoginMethod.TOKEN,),
        url_label="Server URL",
        user_label="E-mail address",
        secret_label="API key",  # noqa: S106 - a label
        mention_example="@**Full Name**",
    )

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        super().__init__(account, context)
        if not account.url:
            raise ConfigurationError("a Zulip account needs the server URL")
        if not account.username:
            raise ConfigurationError("a Zulip account needs the e-mail address (--user)")
        self.http = HttpClient(
            account.url,
            authorize=self._authorize,
            throttle=throttle,
            error_hook=error_hook,
            user_agent=context.user_agent,
        )
        self._me: RemotePerson | None = None
        self._users: dict[str, RemotePerson] | None = None

    def _authorize(self, headers: dict[str, str]) -> None:
        secret = self.context.secret
        if secret is not None and secret and self.account.username:
            pair = f"{self.account.username}:{secret.reveal().strip()}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        if self.context.secret is None or not self.context.secret:
            raise AuthError("no API key for this Zulip account", code="no_secret")
        answer = self.http.get_json(f"{API}/{path}", params)
        if not isinstance(answer, dict) or answer.get("result") != "success":
            raise MalformedResponse(f"{path}: not a Zulip success answer")
        return answer

    def _post(self, path: str, data: Mapping[str, Any]) -> dict[str, Any]:
        answer = self.http.post_json(f"{API}/{path}", None, data=data)
        if not isinstance(answer, dict) or answer.get("result") != "success":
            raise AmbiguousError(f"{path}: the answer is not a Zulip success", code="malformed")
        return answer

    def close(self) -> None:
        self.http.close()

    # --- people -------------------------------------------------------------------------------

    @staticmethod
    def _person(user: dict[str, Any]) -> RemotePerson:
        name = str(user.get("full_name") or user.get("email") or user["user_id"])
        return RemotePerson(
            remote_id=str(user["user_id"]),
            handle=str(user.get("email") or user["user_id"]),
            display_name=name,
            email=user.get("delivery_email") or user.get("email") or None,
            is_bot=bool(user.get("is_bot")),
        )

    def whoami(self) -> RemotePerson:
        if self._me is None:
            user = self._get("users/me")
            if "user_id" not in user:
                raise MalformedResponse("users/me: no user in the answer")
            self._me = self._person(user)
        return self._me

    def _directory(self) -> dict[str, RemotePerson]:
        if self._users is None:
            members = self._get("users").get("members") or []
            self._users = {
                str(u["user_id"]): self._person(u)
                for u in members
                if isinstance(u, dict) and "user_id" in u
            }
        return self._users

    def list_people(self) -> Iterator[RemotePerson]:
        yield from self._directory().values()

    def mention_syntax(self, person: RemotePerson) -> str:
        return f"@**{person.display_name}**"

    @classmethod
    def format_poll(cls, question: str, options: Sequence[str]) -> str:
        # Zulip's /poll widget: the question on the command line, one option per line.
        lines = [f"/poll {' '.join(question.split())}", *(" ".join(o.split()) for o in options)]
        return "\n".join(lines)

    # --- containers ---------------------------------------------------------------------------

    def list_containers(self) -> list[RemoteContainer]:
        subs = self._get("users/me/subscriptions").get("subscriptions") or []
        base = self.http.base_url.rstrip("/")
        return [
            RemoteContainer(
                remote_id=str(s["stream_id"]),
                name=str(s.get("name") or s["stream_id"]),
                url=f"{base}/#narrow/channel/{s['stream_id']}",
                kind="channel",
                description=str(s.get("description") or "") or None,
            )
            for s in subs
            if isinstance(s, dict) and "stream_id" in s
        ]

    # --- reading ------------------------------------------------------------------------------

    def _messages(self, **params: Any) -> dict[str, Any]:
        narrow = params.pop("narrow")
        answer = self._get(
            "messages",
            {"narrow": json.dumps(narrow), "apply_markdown": "false", **params},
        )
        if not isinstance(answer.get("messages"), list):
            raise MalformedResponse("messages: no 'messages' list")
        return answer

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        containers = self.list_containers()
        people = self._directory()
        horizon = utc(self.context.clock()) - HISTORY
        first = True
        for container in containers:
            cursor = cursors.get(container.remote_id)
            if isinstance(cursor, dict) and isinstance(cursor.get("last"), int):
                messages = self._forward(container.remote_id, cursor["last"])
                topics = dict(cursor.get("topics") or {})
                recent = [str(i) for i in cursor.get("recent") or []]
                page = self._page(
                    container, messages, topics, recent, people, complete=False, forward=True
                )
            else:
                messages, complete = self._backfill(container.remote_id, horizon)
                page = self._page(
                    container, messages, {}, [], people, complete=complete, forward=False
                )
            if page is None:
                continue
            if first:
                page = Page(**{**_fields(page), "containers": tuple(containers)})
                first = False
            yield page

    def _backfill(self, stream_id: str, horizon: datetime) -> tuple[list[dict[str, Any]], bool]:
        """The channel's messages back to the horizon, and whether that is all of them."""
        narrow = [{"operator": "channel", "operand": int(stream_id)}]
        messages: list[dict[str, Any]] = []
        anchor: str | int = "newest"
        for _ in range(MAX_BATCHES):
            answer = self._messages(
                narrow=narrow,
                anchor=anchor,
                num_before=BATCH,
                num_after=0,
                include_anchor="true" if anchor == "newest" else "false",
            )
            batch = [m for m in answer["messages"] if isinstance(m, dict) and "id" in m]
            messages.extend(batch)
            if answer.get("found_oldest") or not batch:
                return messages, True
            if min(_when(m.get("timestamp")) for m in batch) < horizon:
                break
            anchor = min(int(m["id"]) for m in batch)
        return messages, False

    def _forward(self, stream_id: str, last: int) -> list[dict[str, Any]]:
        """The window before ``last`` (re-read) and everything after it."""
        narrow = [{"operator": "channel", "operand": int(stream_id)}]
        answer = self._messages(
            narrow=narrow, anchor=last, num_before=WINDOW, num_after=BATCH, include_anchor="true"
        )
        messages = [m for m in answer["messages"] if isinstance(m, dict) and "id" in m]
        for _ in range(MAX_BATCHES):
            if answer.get("found_newest") or not messages:
                break
            answer = self._messages(
                narrow=narrow,
                anchor=max(int(m["id"]) for m in messages),
                num_before=0,
                num_after=BATCH,
                include_anchor="false",
            )
            more = [m for m in answer["messages"] if isinstance(m, dict) and "id" in m]
            if not more:
                break
            messages.extend(more)
        return messages

    def _first_message(self, stream_id: str, topic: str) -> dict[str, Any] | None:
        answer = self._messages(
            narrow=[
                {"operator": "channel", "operand": int(stream_id)},
                {"operator": "topic", "operand": topic},
            ],
            anchor="oldest",
            num_before=0,
            num_after=1,
        )
        found = [m for m in answer["messages"] if isinstance(m, dict) and "id" in m]
        return found[0] if found else None

    def _page(
        self,
        container: RemoteContainer,
        messages: list[dict[str, Any]],
        topics: dict[str, Any],
        recent: list[str],
        people: Mapping[str, RemotePerson],
        *,
        complete: bool,
        forward: bool,
    ) -> Page | None:
        """One channel's page.

        ``topics`` maps each topic name to ``[first message id, its timestamp]`` (None for
        topics older than anything read); ``complete`` says ``messages`` reach back to the
        channel's first message, so a topic's earliest message here is its first; ``forward``
        says this continues from a stored cursor (so unknown topic names are renames).
        """
        stream_id = container.remote_id
        ordered = sorted({int(m["id"]): m for m in messages}.values(), key=lambda m: int(m["id"]))
        roots: dict[int, dict[str, Any]] = {}
        touched: set[str] = set()
        for message in ordered:
            topic = str(message.get("subject") or "")
            if topics.get(topic) is None:
                first = message if complete else self._first_message(stream_id, topic)
                if first is None:
                    continue
                topics[topic] = [int(first["id"]), first.get("timestamp", 0)]
                roots[int(first["id"])] = first
            touched.add(topic)
        listed = self._get(f"users/me/{stream_id}/topics").get("topics") or []
        names = {str(t.get("name")) for t in listed if isinstance(t, dict)}
        if forward:
            # A name not seen before with no new message in it: a renamed (e.g. resolved)
            # topic. Its first message, and so the thread, is the one it had before.
            for name in sorted(names - topics.keys()):
                first = self._first_message(stream_id, name)
                if first is not None:
                    topics[name] = [int(first["id"]), first.get("timestamp", 0)]
                    touched.add(name)
        for name in names - topics.keys():
            topics[name] = None  # older than the history read; looked up if it comes alive
        for name in [n for n in topics if n not in names and n not in touched]:
            del topics[name]
        ids = [int(m["id"]) for m in ordered]
        low = min(ids, default=None)
        deleted = [i for i in recent if low is not None and int(i) >= low and int(i) not in ids]
        if not ids:
            return None
        posts = [
            self._post_of(m, topics, people)
            for m in ordered
            if topics.get(str(m.get("subject") or "")) is not None
        ]
        posts += [self._post_of(r, topics, people) for rid, r in roots.items() if rid not in ids]
        threads = [
            self._thread_of(stream_id, name, int(topics[name][0]), topics[name][1])
            for name in sorted(touched)
            if topics.get(name) is not None
        ]
        authors = {p.author_remote_id for p in posts}
        return Page(
            scope=stream_id,
            cursor={"last": max(ids), "topics": topics, "recent": ids[-WINDOW:]},
            people=tuple(people[a] for a in sorted(authors) if a in people),
            threads=tuple(threads),
            posts=tuple(posts),
            deleted_post_ids=tuple(deleted),
        )

    def _thread_of(self, stream_id: str, topic: str, first_id: int, when: Any) -> RemoteThread:
        base = self.http.base_url.rstrip("/")
        return RemoteThread(
            remote_id=str(first_id),
            container_remote_id=stream_id,
            created_at=_when(when),
            title=_title(topic),
            url=f"{base}/#narrow/channel/{stream_id}/topic/{topic}/near/{first_id}",
            resolved=topic.startswith(RESOLVED),
            raw={"stream_id": stream_id, "topic": topic, "first_id": first_id},
        )

    def _post_of(
        self,
        message: dict[str, Any],
        topics: Mapping[str, Any],
        people: Mapping[str, RemotePerson],
    ) -> RemotePost:
        topic = str(message.get("subject") or "")
        first_id = int(topics[topic][0])
        sender = str(message.get("sender_id") or "")
        person = people.get(sender)
        edited = message.get("last_edit_timestamp")
        base = self.http.base_url.rstrip("/")
        return RemotePost(
            remote_id=str(message["id"]),
            thread_remote_id=str(first_id),
            author_remote_id=sender,
            created_at=_when(message.get("timestamp")),
            text=str(message.get("content") or ""),
            is_root=int(message["id"]) == first_id,
            by_bot=person.is_bot if person is not None else False,
            edited_at=_when(edited) if edited else None,
            reactions=tuple(
                Reaction(str(r.get("user_id")), str(r.get("emoji_name")))
                for r in message.get("reactions") or []
                if isinstance(r, dict)
            ),
            url=f"{base}/#narrow/id/{message['id']}",
            raw=message,
            attachments=uploads_of(str(message.get("content") or "")),
        )

    def _topic_of(self, thread: ThreadRef) -> tuple[str, str, dict[str, Any]]:
        """(channel id, current topic name, first message) of a thread."""
        try:
            answer = self._get(f"messages/{int(thread.remote_id)}", {"apply_markdown": "false"})
        except ValueError:
            raise PermanentError(f"not a Zulip thread id: {thread.remote_id!r}") from None
        except PermanentError as exc:
            if exc.code != "bad_request" or isinstance(exc, NotFound):
                raise
            # Zulip answers "Invalid message(s)" for a message that was deleted (or that this
            # user may no longer see): for the console, the thread is gone.
            raise NotFound(f"thread {thread.remote_id} is not on the server") from None
        message = answer.get("message")
        if not isinstance(message, dict):
            raise NotFound(f"thread {thread.remote_id} is not on the server")
        return str(message.get("stream_id")), str(message.get("subject") or ""), message

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        stream_id, topic, first = self._topic_of(thread)
        answer = self._messages(
            narrow=[
                {"operator": "channel", "operand": int(stream_id)},
                {"operator": "topic", "operand": topic},
            ],
            anchor="oldest",
            num_before=0,
            num_after=BATCH,
        )
        people = self._directory()
        topics = {topic: [int(first["id"]), first.get("timestamp", 0)]}
        posts = tuple(
            self._post_of(m, topics, people) for m in answer["messages"] if isinstance(m, dict)
        )
        return FullThread(
            thread=self._thread_of(stream_id, topic, int(first["id"]), first.get("timestamp")),
            posts=posts,
            people=tuple(
                {
                    p.author_remote_id: people[p.author_remote_id]
                    for p in posts
                    if p.author_remote_id in people
                }.values()
            ),
        )

    # --- writing ------------------------------------------------------------------------------

    def post_reply(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reply needs a thread", code="no_thread")
        if not op.text.strip():
            raise PermanentError("the reply is empty", code="empty")
        stream_id, topic, _ = self._topic_of(op.thread)
        answer = self._post(
            "messages", {"type": "stream", "to": stream_id, "topic": topic, "content": op.text}
        )
        if "id" not in answer:
            raise AmbiguousError("the server did not return the new message", code="malformed")
        me = self.whoami()
        post = RemotePost(
            remote_id=str(answer["id"]),
            thread_remote_id=op.thread.remote_id,
            author_remote_id=me.remote_id,
            created_at=utc(self.context.clock()),
            text=op.text,
        )
        page = Page(scope="~sent", cursor=None, people=(me,), posts=(post,))
        return SendResult(post.remote_id, op.thread.remote_id, page)

    @staticmethod
    def _starter(op: Outgoing) -> tuple[str, str]:
        """The topic name (before it is made unique) and the content that start the prepared
        operation ``op``."""
        if op.poll_options and op.text.startswith(POLL):
            # The /poll widget must stay whole; its question names the topic.
            question = op.text.splitlines()[0].removeprefix(POLL)
            return split_title(op.title, question, limit=MAX_TOPIC)[0], op.text
        return split_title(op.title, op.text, limit=MAX_TOPIC)

    def _free_topic(self, stream_id: str, name: str) -> str:
        """``name``, or ``name (2)``, ``(3)``… when the channel has a topic called that already."""
        listed = self._get(f"users/me/{stream_id}/topics").get("topics") or []
        taken = {_title(str(t.get("name"))).casefold() for t in listed if isinstance(t, dict)}
        if name.casefold() not in taken:
            return name
        for n in range(2, 1000):
            suffix = f" ({n})"
            candidate = shorten(name, MAX_TOPIC - len(suffix)) + suffix
            if candidate.casefold() not in taken:
                return candidate
        raise PermanentError(f"the channel has too many topics called {name!r}", code="topic")

    def post_thread(self, op: Outgoing) -> SendResult:
        """A new topic in the channel ``op.container_remote_id``: its first message."""
        stream_id = op.container_remote_id
        if not stream_id or not stream_id.isdigit():
            raise PermanentError("a new topic needs a Zulip channel", code="no_container")
        if not op.text.strip():
            raise PermanentError("the message is empty", code="empty")
        name, content = self._starter(op)
        if not name:
            raise PermanentError("the new topic has no name", code="empty")
        topic = self._free_topic(stream_id, name)
        answer = self._post(
            "messages", {"type": "stream", "to": stream_id, "topic": topic, "content": content}
        )
        if "id" not in answer:
            raise AmbiguousError("the server did not return the new message", code="malformed")
        me = self.whoami()
        mid = int(answer["id"])
        now = utc(self.context.clock())
        thread = self._thread_of(stream_id, topic, mid, now.timestamp())
        post = RemotePost(
            remote_id=str(mid),
            thread_remote_id=str(mid),
            author_remote_id=me.remote_id,
            created_at=now,
            text=content,
            is_root=True,
            url=f"{self.http.base_url.rstrip('/')}/#narrow/id/{mid}",
        )
        page = Page(scope="~sent", cursor=None, people=(me,), threads=(thread,), posts=(post,))
        return SendResult(str(mid), str(mid), page)

    def send_dm(self, op: Outgoing) -> SendResult:
        if not op.recipients:
            raise PermanentError("a direct message needs a recipient", code="no_recipient")
        ids = [int(p.remote_id) for p in op.recipients if p.remote_id.isdigit()]
        if len(ids) != len(op.recipients):
            raise PermanentError("recipients must be Zulip user ids", code="recipients")
        answer = self._post(
            "messages", {"type": "direct", "to": json.dumps(ids), "content": op.text}
        )
        return SendResult(str(answer.get("id")))

    def add_reaction(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reaction needs a thread", code="no_thread")
        target = op.reply_to_post_remote_id or op.thread.remote_id
        emoji = op.emoji or "👍"
        name = EMOJI_NAMES.get(emoji, emoji.strip(":"))
        self._post(f"messages/{int(target)}/reactions", {"emoji_name": name})
        return SendResult(f"{target}:{name}", op.thread.remote_id)

    def find_sent(self, op: Outgoing) -> SendResult | None:
        """Our message for ``op`` in the thread's topic, in the direct conversation, or (a new
        topic) in the channel: by author and text (Zulip has no client id)."""
        op = self.prepare(op)  # compared as sent: mentions rendered, a poll as /poll
        if op.kind is OpKind.DM:
            return self._find_dm(op)
        if op.kind is OpKind.POST:
            return self._find_topic(op)
        if op.kind is not OpKind.REPLY or op.thread is None:
            return None
        stream_id, topic, _ = self._topic_of(op.thread)
        answer = self._messages(
            narrow=[
                {"operator": "channel", "operand": int(stream_id)},
                {"operator": "topic", "operand": topic},
                {"operator": "sender", "operand": int(self.whoami().remote_id)},
            ],
            anchor="newest",
            num_before=100,
            num_after=0,
        )
        wanted = text_hash(op.text)
        for message in reversed(answer["messages"]):
            if isinstance(message, dict) and text_hash(str(message.get("content"))) == wanted:
                return SendResult(str(message["id"]), op.thread.remote_id)
        return None

    def _find_topic(self, op: Outgoing) -> SendResult | None:
        """The message an earlier attempt of the starter ``op`` posted: ours in the channel,
        since shortly before the first attempt, with the same content (whatever the topic is
        called now: a moderator may have renamed it)."""
        stream_id = op.container_remote_id
        if not stream_id or not stream_id.isdigit():
            return None
        since = utc(op.first_attempt_at or datetime.now(UTC)) - RECONCILE_SKEW
        answer = self._messages(
            narrow=[
                {"operator": "channel", "operand": int(stream_id)},
                {"operator": "sender", "operand": int(self.whoami().remote_id)},
            ],
            anchor="newest",
            num_before=100,
            num_after=0,
        )
        wanted = text_hash(self._starter(op)[1])
        for message in reversed(answer["messages"]):
            if not isinstance(message, dict) or "id" not in message:
                continue
            if _when(message.get("timestamp")) < since:
                return None
            if text_hash(str(message.get("content"))) != wanted:
                continue
            topic = str(message.get("subject") or "")
            first = self._first_message(stream_id, topic) or message
            topics = {topic: [int(first["id"]), first.get("timestamp", 0)]}
            people = self._directory()
            post = self._post_of(message, topics, people)
            thread = self._thread_of(stream_id, topic, int(first["id"]), first.get("timestamp"))
            page = Page(
                scope="~sent",
                cursor=None,
                people=tuple(p for p in (people.get(post.author_remote_id),) if p is not None),
                threads=(thread,),
                posts=(post,),
            )
            return SendResult(post.remote_id, thread.remote_id, page)
        if len(answer["messages"]) >= 100 and not answer.get("found_oldest"):
            raise AmbiguousError(
                "too many recent messages of this account to tell whether the starter was sent",
                code="unverifiable",
            )
        return None

    def _find_dm(self, op: Outgoing) -> SendResult | None:
        ids = [int(p.remote_id) for p in op.recipients if p.remote_id.isdigit()]
        if not ids or len(ids) != len(op.recipients):
            raise NotSupported("recipients must be Zulip user ids")
        answer = self._messages(
            narrow=[
                {"operator": "dm", "operand": ids},
                {"operator": "sender", "operand": int(self.whoami().remote_id)},
            ],
            anchor="newest",
            num_before=100,
            num_after=0,
        )
        wanted = text_hash(op.text)
        for message in reversed(answer["messages"]):
            if isinstance(message, dict) and text_hash(str(message.get("content"))) == wanted:
                return SendResult(str(message["id"]))
        return None


def _fields(page: Page) -> dict[str, Any]:
    return {name: getattr(page, name) for name in page.__dataclass_fields__}
