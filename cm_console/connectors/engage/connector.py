"""Viva Engage communities through the Yammer REST API v1 (platform reference §2.1).

The token is an Entra token for the resource ``https://api.yammer.com`` (delegated
``user_impersonation``), from the same MSAL sign-in as Teams, or given with ``--token-env``.

The API's limits are tight: 10 message requests per 30 seconds per user and app, and "do not
poll more than once a minute". So the client spaces requests 3 s apart, a throttle answer (429,
no documented ``Retry-After``) pauses the whole account for 30 s, and :meth:`fetch` returns at
once, without a request, when the last poll is less than a minute old (the poll time is a cursor,
so a second process or ``sync`` from cron sees it too).

Each community is read with ``newer_than`` = the highest message id seen (its cursor). A thread
whose first message is not among the new ones (an old thread with a new reply) is read whole.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
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
from cm_console.connectors.engage import normalize as n
from cm_console.connectors.errors import (
    AmbiguousError,
    MalformedResponse,
    NotSupported,
    PermanentError,
)
from cm_console.connectors.http import Policy, Response, retry_after_header
from cm_console.connectors.microsoft import auth
from cm_console.connectors.microsoft.session import ApiSession
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

YAMMER_URL = "https://www.yammer.com/api/v1"
YAMMER_RESOURCE = "https://api.yammer.com"
PERMISSIONS = ("user_impersonation",)
POLL_SCOPE = "*"
POLL_INTERVAL = timedelta(minutes=1)
"""Yammer: "When polling for messages, do not exceed one poll per minute"."""
REQUEST_SPACING_S = 3.0
"""10 requests per 30 s, spaced evenly: never a burst that earns a 429."""
THROTTLE_BACKOFF = timedelta(seconds=30)
"""A 429 carries no documented delay; the limits are per 30 s, so wait one window."""
PAGE_LIMIT = 20
BACKFILL_PAGES = 5
"""A community's first sync reads its newest messages only, not years of history."""
THREAD_PAGES = 25
SENT_SKEW = timedelta(hours=24)
"""A read-back looks this far before the first attempt: a laptop's clock can be hours off the
platform's (a narrower window missed the copy and the reply was posted again). The sender
never accepts a copy that another sent operation already owns."""
MAX_TOPICS = 20


def throttle_delay(response: Response, _body: Any) -> timedelta:
    """Yammer's throttle signal: a ``Retry-After`` if one is ever sent, else one 30 s window."""
    return retry_after_header(response, _body) or THROTTLE_BACKOFF


def mention_token(person: RemotePerson) -> str:
    # Posting syntax per the platform reference: ``[[user:ID]]`` in the body (unverified against
    # a live network; reading mentions uses ``notified_user_ids``, which is documented).
    return f"[[user:{person.remote_id}]]"


class EngageConnector(Connector):
    """Viva Engage communities of the signed-in user."""

    info = ConnectorInfo(
        id="engage",
        display_name="Viva Engage",
        kind=PlatformKind.FORUM,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REACTIONS,
                Capability.ACCEPTED_ANSWER,
                Capability.NEW_THREAD,
            }
        ),
        login_methods=(LoginMethod.BROWSER, LoginMethod.DEVICE, LoginMethod.TOKEN),
        default_url=YAMMER_URL,
        url_label="Yammer API base URL",
        secret_label="Access token (or sign in with --login browser or device)",  # noqa: S106
        options=auth.OPTIONS,
        mention_example="[[user:1234567]]",
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
            default_resource=YAMMER_RESOURCE,
            permissions=PERMISSIONS,
        )
        self._api = ApiSession(
            account.url or YAMMER_URL,
            tokens,
            policy=Policy(min_interval=REQUEST_SPACING_S, read_wait_cap=60.0),
            throttle=throttle_delay,
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
            default_resource=YAMMER_RESOURCE,
            permissions=PERMISSIONS,
        )
        return LoginResult(secret)

    def close(self) -> None:
        self._api.close()

    def _now(self) -> datetime:
        return utc(self.context.clock())

    # --- identity and directory ---------------------------------------------------------------

    def whoami(self) -> RemotePerson:
        if self._me is None:
            me = self._api.get_object("users/current.json")
            uid = n.sid(me.get("id"))
            if uid is None:
                raise MalformedResponse("users/current.json has no id")
            refs = n.References()
            refs.users[uid] = {**me, "type": "user"}
            self._me = n.person_of(uid, refs)
        return self._me

    def _my_id(self) -> str:
        return self.account.own_remote_id or self.whoami().remote_id

    def list_containers(self) -> list[RemoteContainer]:
        groups = self._api.get_json(f"groups/for_user/{self._my_id()}.json")
        if isinstance(groups, Mapping):
            groups = groups.get("groups", groups.get("items"))
        if not isinstance(groups, list):
            raise MalformedResponse("groups/for_user: expected a list of communities")
        out = {}
        for group in groups:
            if not isinstance(group, Mapping):
                raise MalformedResponse("groups/for_user: a community that is not an object")
            container = n.community_of(group)
            out[container.remote_id] = container
        return list(out.values())

    def mention_syntax(self, person: RemotePerson) -> str:
        return mention_token(person)

    # --- reading ------------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        now = self._now()
        last = cursors.get(POLL_SCOPE)
        if isinstance(last, Mapping) and isinstance(last.get("polled_at"), str):
            try:
                polled = utc(datetime.fromisoformat(last["polled_at"]))
            except ValueError:
                polled = None
            if polled is not None and timedelta(0) <= now - polled < POLL_INTERVAL:
                # Too soon for Yammer's once-a-minute rule: nothing to do, nothing blocks.
                log.info("Viva Engage was polled %ss ago; skipping", int((now - polled).seconds))
                return
        for container in self.list_containers():
            page = self._fetch_community(container, cursors.get(container.remote_id))
            if page is not None:
                yield page
        yield Page(scope=POLL_SCOPE, cursor={"polled_at": now.isoformat()})

    def _listing(
        self, path: str, params: dict[str, Any], max_pages: int
    ) -> tuple[list[Mapping[str, Any]], n.References]:
        """Messages of a newest-first listing, paging back with ``older_than``."""
        refs = n.References()
        messages: dict[str, Mapping[str, Any]] = {}
        older: str | None = None
        for _ in range(max_pages):
            query = dict(params, limit=PAGE_LIMIT)
            if older is not None:
                query["older_than"] = older
            body = self._api.get_json(path, query)
            batch = n.messages_of(body, path)
            refs.add(body.get("references"))
            for message in batch:
                messages[n.sid(message["id"]) or ""] = message
            meta = body.get("meta") if isinstance(body.get("meta"), Mapping) else {}
            oldest = min((int(k) for k in (n.sid(m["id"]) for m in batch) if k), default=None)
            if not batch or oldest is None or meta.get("older_available") is False:
                break
            if older is not None and int(older) <= oldest:
                break  # the server ignored older_than: stop rather than loop
            older = str(oldest)
        return list(messages.values()), refs

    def _fetch_community(self, container: RemoteContainer, cursor: JSON) -> Page | None:
        newer = n.sid(cursor.get("newer_than")) if isinstance(cursor, Mapping) else None
        params: dict[str, Any] = {"threaded": "false"}
        if newer is not None:
            params["newer_than"] = newer
        pages = 1000 if newer is not None else BACKFILL_PAGES
        messages, refs = self._listing(
            f"messages/in_group/{container.remote_id}.json", params, pages
        )
        messages = [m for m in messages if m.get("direct_message") is not True]
        if newer is not None and not messages:
            return Page(scope=container.remote_id, cursor={"newer_than": newer})
        by_thread: dict[str, list[Mapping[str, Any]]] = {}
        for message in messages:
            tid = n.sid(message.get("thread_id")) or n.sid(message["id"]) or ""
            by_thread.setdefault(tid, []).append(message)
        threads: list[RemoteThread] = []
        posts: list[RemotePost] = []
        people: dict[str, RemotePerson] = {}
        for tid, batch in by_thread.items():
            if not any(n.sid(m["id"]) == tid for m in batch):
                # An older conversation with new replies: its start (and so its time) is not
                # here, and the best answer may have changed; read it whole.
                full = self._thread(tid, container.remote_id)
                threads.append(full.thread)
                posts.extend(full.posts)
                people.update({p.remote_id: p for p in full.people})
                continue
            thread, thread_posts, authors = self._normalize(tid, container.remote_id, batch, refs)
            threads.append(thread)
            posts.extend(thread_posts)
            people.update({p.remote_id: p for p in authors})
        ids = [int(i) for i in (n.sid(m["id"]) for m in messages) if i]
        top = str(max([*ids, int(newer)] if newer is not None else ids)) if ids else newer
        return Page(
            scope=container.remote_id,
            cursor={"newer_than": top} if top else None,
            containers=(container,),
            people=tuple(people.values()),
            threads=tuple(threads),
            posts=tuple(posts),
        )

    def _normalize(
        self,
        tid: str,
        container: str,
        messages: list[Mapping[str, Any]],
        refs: n.References,
    ) -> tuple[RemoteThread, list[RemotePost], list[RemotePerson]]:
        posts, people = [], []
        for message in messages:
            post, author = n.post_of(message, refs)
            posts.append(post)
            people.append(author)
        mentioned = {n.sid(u) for m in messages for u in m.get("notified_user_ids") or ()}
        # Mentioned people (notified_user_ids) get their names from the references.
        people.extend(n.person_of(key, refs) for key in mentioned if key and key in refs.users)
        root = next((p for p in posts if p.is_root), None)
        created = root.created_at if root else min(p.created_at for p in posts)
        return n.thread_of(tid, container, created, refs, messages), posts, people

    def _thread(self, tid: str, container: str | None) -> FullThread:
        messages, refs = self._listing(f"messages/in_thread/{tid}.json", {}, THREAD_PAGES)
        if not messages:
            raise MalformedResponse(f"conversation {tid} came back empty")
        group = container or next(
            (gid for m in messages if (gid := n.sid(m.get("group_id")))), None
        )
        if group is None:
            raise MalformedResponse(f"conversation {tid} is not in a community")
        thread, posts, people = self._normalize(tid, group, messages, refs)
        unique = tuple({p.remote_id: p for p in people}.values())
        return FullThread(thread=thread, posts=tuple(posts), people=unique)

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        return self._thread(thread.remote_id, thread.container_remote_id)

    # --- writing ------------------------------------------------------------------------------

    def _body(self, op: Outgoing) -> str:
        if not op.text.strip():
            raise PermanentError("the message is empty", code="empty")
        text = op.text
        lead = [mention_token(p) for p in op.mentions if mention_token(p) not in text]
        return " ".join([*lead, text]) if lead else text

    def _posted(self, data: Any) -> tuple[RemotePost, RemotePerson]:
        try:
            messages = n.messages_of(data, "messages.json")
        except MalformedResponse:
            raise AmbiguousError(
                "Viva Engage accepted the message but its answer is unreadable", code="malformed"
            ) from None
        if not messages:
            raise AmbiguousError("Viva Engage returned no message", code="malformed")
        refs = n.References()
        refs.add(data.get("references"))
        return n.post_of(messages[0], refs)

    def post_reply(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reply needs a thread", code="no_thread")
        target = op.reply_to_post_remote_id or op.thread.root_post_remote_id or op.thread.remote_id
        data = self._api.write_json(
            "POST", "messages.json", data={"body": self._body(op), "replied_to_id": target}
        )
        post, author = self._posted(data)
        page = Page(scope="~sent", cursor=None, people=(author,), posts=(post,))
        return SendResult(post.remote_id, post.thread_remote_id, page)

    def post_thread(self, op: Outgoing) -> SendResult:
        if not op.container_remote_id:
            raise PermanentError("a new conversation needs a community", code="no_container")
        form: dict[str, Any] = {"body": self._body(op), "group_id": op.container_remote_id}
        if op.title:
            form["title"] = op.title
        for i, tag in enumerate(op.tags[:MAX_TOPICS], 1):
            form[f"topic{i}"] = tag  # topics are the platform's own tags (hashtags)
        data = self._api.write_json("POST", "messages.json", data=form)
        post, author = self._posted(data)
        return self._started(op, op.container_remote_id, post, author)

    def _started(
        self, op: Outgoing, container: str, post: RemotePost, author: RemotePerson
    ) -> SendResult:
        """The answer for a new conversation: its thread, root post and author, to store."""
        thread = RemoteThread(
            remote_id=post.thread_remote_id,
            container_remote_id=container,
            created_at=post.created_at,
            title=op.title,
            remote_tags=tuple(op.tags[:MAX_TOPICS]),
        )
        page = Page(scope="~sent", cursor=None, people=(author,), threads=(thread,), posts=(post,))
        return SendResult(post.remote_id, post.thread_remote_id, page)

    def send_dm(self, op: Outgoing) -> SendResult:
        if not op.recipients:
            raise PermanentError("a private message needs a recipient", code="no_recipient")
        ids = ",".join(p.remote_id for p in op.recipients)
        data = self._api.write_json(
            "POST", "messages.json", data={"body": self._body(op), "direct_to_user_ids": ids}
        )
        post, _ = self._posted(data)
        return SendResult(remote_id=f"pm:{post.remote_id}")

    def add_reaction(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a like needs a thread", code="no_thread")
        target = op.reply_to_post_remote_id or op.thread.root_post_remote_id or op.thread.remote_id
        # Engage has likes only: every reaction becomes a like.
        self._api.write("POST", "messages/liked_by/current.json", params={"message_id": target})
        return SendResult(remote_id=f"like:{op.op_id}", thread_remote_id=op.thread.remote_id)

    # --- reconciliation -----------------------------------------------------------------------

    def _matches(self, message: Mapping[str, Any], op: Outgoing, me: str) -> bool:
        if n.sid(message.get("sender_id")) != me:
            return False
        created = n.parse_time(message.get("created_at"))
        since = utc(op.first_attempt_at) - SENT_SKEW if op.first_attempt_at else None
        if since is not None and created is not None and created < since:
            return False
        raw_body = message.get("body")
        body: Mapping[str, Any] = raw_body if isinstance(raw_body, Mapping) else {}
        expected = text_hash(n.strip_mention_tokens(self._body(op)))
        # ``parsed`` keeps the [[user:ID]] tokens we sent; ``plain`` may show them as names.
        # Either form, without the mentions, must equal what we sent without them.
        names = [p.display_name for p in op.mentions]
        for field in ("parsed", "plain"):
            sent = body.get(field)
            if not isinstance(sent, str):
                continue
            text = n.strip_mention_tokens(sent)
            if field == "plain":
                for name in names:
                    text = text.replace(f"@{name}", " ").replace(name, " ")
            if text_hash(text) == expected:
                return True
        return False

    def find_sent(self, op: Outgoing) -> SendResult | None:
        me = self._my_id()
        if op.kind is OpKind.REPLY and op.thread is not None:
            full = self._listing(f"messages/in_thread/{op.thread.remote_id}.json", {}, 5)[0]
            for message in sorted(full, key=lambda m: int(n.sid(m["id"]) or 0), reverse=True):
                if self._matches(message, op, me):
                    refs = n.References()
                    post, author = n.post_of(message, refs)
                    page = Page(scope="~sent", cursor=None, people=(author,), posts=(post,))
                    return SendResult(post.remote_id, post.thread_remote_id, page)
            return None
        if op.kind is OpKind.DM:
            private = self._listing("messages/private.json", {}, 3)[0]
            for message in sorted(private, key=lambda m: int(n.sid(m["id"]) or 0), reverse=True):
                if self._matches(message, op, me):
                    return SendResult(remote_id=f"pm:{n.sid(message['id'])}")
            return None
        if op.kind is OpKind.REACTION and op.thread is not None:
            target = op.reply_to_post_remote_id or op.thread.root_post_remote_id
            target = target or op.thread.remote_id
            full = self._listing(f"messages/in_thread/{op.thread.remote_id}.json", {}, 5)[0]
            for message in full:
                if n.sid(message.get("id")) == target:
                    liked = any(r.person_remote_id == me for r in n.likes_of(message))
                    if liked:
                        return SendResult(f"like:{op.op_id}", thread_remote_id=op.thread.remote_id)
            return None
        if op.kind is OpKind.POST and op.container_remote_id:
            # A new conversation: among the community's newest messages, one of ours that
            # starts its thread, with the text as it was sent (poll and mentions included).
            sent = self.prepare(op)
            listing, refs = self._listing(
                f"messages/in_group/{op.container_remote_id}.json", {"threaded": "false"}, 3
            )
            for message in sorted(listing, key=lambda m: int(n.sid(m["id"]) or 0), reverse=True):
                starts = n.sid(message.get("thread_id")) in (None, n.sid(message["id"]))
                if starts and self._matches(message, sent, me):
                    post, author = n.post_of(message, refs)
                    return self._started(op, op.container_remote_id, post, author)
            return None
        raise NotSupported(f"Viva Engage cannot look up a sent {op.kind.value}")
