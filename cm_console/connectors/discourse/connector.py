"""The Discourse connector: categories, topics and posts through the documented JSON API.

Sync strategy (what costs the fewest requests; every request goes through
:class:`~cm_console.connectors.http.HttpClient`):

1. ``/latest.json?order=activity&per_page=100`` pages are read until a topic's ``bumped_at`` is
   older than the stored mark. That is the only way to learn which topics changed, and a
   re-sync with nothing new stops on the first page: **one request for the whole account**,
   whatever the number of categories.
2. New posts then come from ``/posts.json?before=<id>``: the site-wide post list, 50 posts per
   request, newest first, walked down to the highest post id already covered. A first sync of a
   forum with *T* topics and *P* posts costs about ``T/100 + P/50`` requests, where reading each
   topic (as GrimoireLab Perceval does) costs ``T/30 + T`` at least — for 10,000 topics of four
   posts about 900 requests instead of more than 10,000.
3. When only a few topics changed (at most :data:`TOPIC_REFRESH_LIMIT`), each is read whole
   instead (``/t/{id}.json`` plus ``/t/{id}/posts.json?post_ids[]=`` for posts beyond the first
   twenty): as cheap as the walk for a handful of topics, and it also brings edits, deletions,
   whispers and moderator actions in those topics, which ``/posts.json`` leaves out (it lists
   regular, visible posts only).

Discourse announces no edit of an older post, no deletion and no change of the solved or closed
flag without a bump, to any list endpoint; those show when the topic is next read whole (a later
bump, ``fetch_thread`` for review, or reconciliation).

Writes: a reply is ``POST /posts.json``. Discourse has no idempotency key, so an ambiguous send
is reconciled by reading the topic's latest posts back and matching the account's user and a hash
of the text (:meth:`DiscourseConnector.find_sent`); a 422 "too similar to what you recently
posted" after an ambiguous attempt is evidence that the first attempt arrived.

A conversation starter is a new topic (``POST /posts.json`` with ``title``, ``raw`` and
``category``): the starter's title, or else the first line of its text, is the topic title, and a
poll is the poll plugin's ``[poll]`` block. An ambiguous one is reconciled the same way, from the
account's own newest topics (``/topics/created-by/{username}.json?order=created``): the topic in
that category whose first post is the same text; "Title has already been used" after an ambiguous
attempt is the same evidence as "just posted".
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

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
from cm_console.connectors.discourse import normalize as nz
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
from cm_console.connectors.titles import split_title
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

SCOPE = "*"
LIST_PAGE = 100
TOPIC_CHUNK = 20
"""Post ids per ``/t/{id}/posts.json`` request (what Discourse's own client asks for)."""
TOPIC_REFRESH_LIMIT = 20
CATEGORY_REFRESH = timedelta(hours=24)
RECONCILE_SKEW = timedelta(hours=24)
"""A read-back looks this far before the first attempt: a laptop's clock can be hours off the
platform's (a narrower window missed the copy and the reply was posted again). The sender
never accepts a copy that another sent operation already owns."""
JUST_POSTED = ("too similar to what you recently posted", "just_posted_that")
TITLE_TAKEN = "has already been used"
MAX_TITLE = 255
"""Discourse's ``max_topic_title_length`` default."""
MIN_TITLE = 15
"""Discourse's ``min_topic_title_length`` default: a shorter first line runs on into the text."""
MIN_BODY = 20
"""Discourse's ``min_first_post_length`` default: the first line stays in a shorter body."""
OWN_TOPIC_PAGES = 5
"""Pages of the account's own topics (30 each, newest first) a read-back looks through."""
POLL_START = "\n\n[poll "
AUTH_ERROR_TYPES = ("invalid_access", "not_logged_in", "invalid_api_key")


def _throttle(response: http.Response, body: Any) -> timedelta | None:
    """Discourse's own signal first (``extras.wait_seconds``), then ``Retry-After``."""
    if isinstance(body, Mapping):
        extras = body.get("extras")
        if isinstance(extras, Mapping):
            wait = http.clamp_delay(extras.get("wait_seconds"))
            if wait is not None:
                return wait
    return http.retry_after_header(response, body)


def _first_error(body: Any) -> str:
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], str):
            return errors[0][:200]
        if isinstance(body.get("error"), str):
            return str(body["error"])[:200]
    return ""


def _error_hook(response: http.Response, body: Any) -> ConnectorError | None:
    """Discourse's error bodies: bad keys answer 403 ``invalid_access``; 422 says why."""
    where = urlsplit(response.url).path
    error_type = body.get("error_type") if isinstance(body, Mapping) else None
    detail = _first_error(body)
    if response.status == 403 and error_type in AUTH_ERROR_TYPES:
        return AuthError("Discourse refused the API key or user name", code="invalid_access")
    if response.status == 403:
        return PermanentError(
            f"Discourse does not allow this ({where}){': ' + detail if detail else ''}",
            code="forbidden",
        )
    if response.status == 422:
        if any(marker in detail.lower() for marker in JUST_POSTED):
            return PermanentError(
                "Discourse says this was just posted (too similar to a recent post)",
                code="just_posted_that",
            )
        if TITLE_TAKEN in detail.lower():
            return PermanentError(
                f"Discourse refused it: {detail} (give the starter another title)",
                code="title_taken",
            )
        return PermanentError(
            f"Discourse refused it: {detail or 'invalid request'}", code="unprocessable"
        )
    return None


def _dict(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedResponse(f"Discourse sent an unexpected answer for {what}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise MalformedResponse(f"Discourse sent an unexpected answer for {what}")
    return value


class _TopicTexts(MutableMapping[str, Mapping[str, Any]]):
    """The listed topics of a sync by id, each kept as its JSON text until the walk needs it.

    A first sync lists every topic before it reads posts: ten thousand topics as parsed JSON are
    some seventy thousand dicts and lists alive for the whole sync, which every full garbage
    collection walks while holding the interpreter lock (the window stalled 40-100 ms each
    time). As text they are ten thousand strings the collector skips; each is parsed again when
    its posts arrive.
    """

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def __getitem__(self, tid: str) -> Mapping[str, Any]:
        value: Mapping[str, Any] = json.loads(self._texts[tid])
        return value

    def __setitem__(self, tid: str, topic: Mapping[str, Any]) -> None:
        self._texts[tid] = json.dumps(topic, separators=(",", ":"), ensure_ascii=False)

    def __delitem__(self, tid: str) -> None:
        del self._texts[tid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, tid: object) -> bool:
        return tid in self._texts


@dataclasses.dataclass
class _Listing:
    """What the topic list says changed: the topics (as text), their categories, and the new
    mark (the newest ``bumped_at``) with the topic ids bumped exactly then."""

    mark: str | None
    at_mark: list[str]
    topics: _TopicTexts = dataclasses.field(default_factory=_TopicTexts)
    categories: set[str] = dataclasses.field(default_factory=set)


class DiscourseConnector(Connector):
    """A Discourse forum: categories are containers, topics are threads."""

    info = ConnectorInfo(
        id="discourse",
        display_name="Discourse",
        kind=PlatformKind.FORUM,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REMOTE_TAGS,
                Capability.ACCEPTED_ANSWER,
                Capability.PEOPLE,
                Capability.NEW_THREAD,
                Capability.POLLS,
            }
        ),
        login_methods=(LoginMethod.TOKEN, LoginMethod.BROWSER),
        url_label="Site URL",
        user_label="Api-Username (admin API key)",
        user_required=False,
        secret_label="API key",  # noqa: S106 - a label
        options=(
            OptionSpec(
                "auth",
                "api_key (admin key + Api-Username) or user_api_key (User API key)",
                choices=("api_key", "user_api_key"),
                default="api_key",
            ),
            OptionSpec("client_id", "User API key client id (set by --login browser)"),
            OptionSpec(
                "login_redirect",
                "browser sign-in: loopback (back to the console) or paste (copy the key page)",
                choices=("loopback", "paste"),
                default="loopback",
            ),
            OptionSpec(
                "requests_per_minute",
                "client-side pacing (default 60 for admin keys, 20 for User API keys)",
            ),
        ),
        mention_example="@username",
    )

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        super().__init__(account, context)
        if not account.url:
            raise ConfigurationError("Discourse needs the site URL (--url)")
        if context.secret is None:
            raise AuthError("no Discourse API key", code="no_secret")
        self.site = http.check_base_url(account.url)
        self._user_key = account.options.get("auth") == "user_api_key"
        if not self._user_key and not account.username:
            raise ConfigurationError(
                "a Discourse admin API key needs --user (the Api-Username to act as)"
            )
        secret = context.secret
        client_id = account.options.get("client_id")

        def authorize(headers: dict[str, str]) -> None:
            if self._user_key:
                headers["User-Api-Key"] = secret.reveal()
                if client_id:
                    headers["User-Api-Client-Id"] = client_id
            else:
                headers["Api-Key"] = secret.reveal()
                headers["Api-Username"] = account.username or ""

        self.http = http.HttpClient(
            self.site,
            authorize=authorize,
            throttle=_throttle,
            policy=http.Policy(min_interval=self._interval(account)),
            user_agent=context.user_agent,
            error_hook=_error_hook,
        )
        self._me: RemotePerson | None = None

    def _interval(self, account: AccountConfig) -> float:
        rpm = account.options.get("requests_per_minute")
        if rpm:
            try:
                value = float(rpm)
            except ValueError:
                raise ConfigurationError("requests_per_minute must be a number") from None
            return 60.0 / value if value > 0 else 0.0
        if http.is_loopback_host(urlsplit(self.site).hostname):
            return 0.0
        # Discourse's defaults: admin keys 60/min (shared), User API keys 20/min.
        return 3.0 if self._user_key else 1.0

    def close(self) -> None:
        self.http.close()

    # --- sign-in --------------------------------------------------------------------------------

    @classmethod
    def interactive_login(
        cls,
        method: LoginMethod,
        account: AccountConfig,
        context: ConnectorContext,
        ui: LoginUI,
    ) -> LoginResult:
        """The User API key desktop flow (see :mod:`cm_console.connectors.discourse.login`)."""
        from cm_console.connectors.discourse import login  # noqa: PLC0415 - loads cryptography

        if method is not LoginMethod.BROWSER:
            return super().interactive_login(method, account, context, ui)
        return login.user_api_key_login(account, ui)

    # --- identity and directory -------------------------------------------------------------

    def whoami(self) -> RemotePerson:
        if self._me is None:
            body = _dict(self.http.get_json("session/current.json"), "the current session")
            user = body.get("current_user")
            if not isinstance(user, Mapping):
                raise AuthError("Discourse does not recognise these credentials", code="anonymous")
            self._me = nz.person(user)
        return self._me

    def _my_id(self) -> str:
        return self.account.own_remote_id or self.whoami().remote_id

    def _me_id(self) -> str | None:
        """The own user id when known without a request (names the account's own likes)."""
        return self.account.own_remote_id or (self._me.remote_id if self._me else None)

    def list_people(self) -> Iterator[RemotePerson]:
        """The admin user list where the key may read it, else the public directory."""
        seen: set[str] = set()
        try:
            for page in range(1, 1000):
                users = _list(
                    self.http.get_json(
                        "admin/users/list/active.json", {"page": page, "show_emails": "true"}
                    ),
                    "the user list",
                )
                if not users:
                    return
                for user in users:
                    p = nz.person(user)
                    if p.remote_id not in seen:
                        seen.add(p.remote_id)
                        yield p
            return
        except (PermanentError, NotFound):
            if seen:
                return
        for page in range(1000):
            body = _dict(
                self.http.get_json(
                    "directory_items.json", {"period": "all", "order": "post_count", "page": page}
                ),
                "the directory",
            )
            items = _list(body.get("directory_items", []), "the directory")
            for item in items:
                p = nz.person(_dict(item.get("user") or item, "a directory item"))
                if p.remote_id not in seen:
                    seen.add(p.remote_id)
                    yield p
            meta = body.get("meta") or {}
            if not items or not (
                isinstance(meta, Mapping) and meta.get("load_more_directory_items")
            ):
                return

    def mention_syntax(self, person: RemotePerson) -> str:
        return f"@{person.handle}"

    @classmethod
    def format_poll(cls, question: str, options: Sequence[str]) -> str:
        # The poll plugin (bundled with Discourse) turns this block into a native poll.
        items = "\n".join(f"* {' '.join(o.split())}" for o in options)
        return f"{question.strip()}\n\n[poll type=regular results=always]\n{items}\n[/poll]"

    def list_containers(self) -> list[RemoteContainer]:
        body = _dict(
            self.http.get_json("categories.json", {"include_subcategories": "true"}),
            "the categories",
        )
        cats = _dict(body.get("category_list"), "the categories").get("categories")
        return nz.containers(_list(cats, "the categories"), self.site)

    # --- reading: the topic list ----------------------------------------------------------------

    def _changed_topics(self, mark: str | None, at_mark: set[str]) -> _Listing:
        """Topics bumped since ``mark``, newest first, each once (see :class:`_Listing`)."""
        since = nz.maybe_when(mark) if mark else None
        listing = _Listing(mark=mark, at_mark=sorted(at_mark))
        bumped_at: dict[str, datetime] = {}
        newest: datetime | None = None
        for page in range(100_000):
            body = _dict(
                self.http.get_json(
                    "latest.json", {"order": "activity", "per_page": LIST_PAGE, "page": page}
                ),
                "the latest topics",
            )
            topic_list = _dict(body.get("topic_list"), "the latest topics")
            items = _list(topic_list.get("topics", []), "the latest topics")
            more = bool(topic_list.get("more_topics_url"))
            older = False
            for topic in items:
                topic = _dict(topic, "a topic")
                tid = str(topic.get("id"))
                bumped = nz.maybe_when(topic.get("bumped_at")) or nz.when(
                    topic.get("created_at"), f"topic {tid}"
                )
                if since is not None and (bumped < since or (bumped == since and tid in at_mark)):
                    # Pinned topics sit on top whatever their age: they do not end the list.
                    older = older or not topic.get("pinned")
                    continue
                if topic.get("archetype") == "private_message" or tid in listing.topics:
                    continue  # a topic bumped while we paged shows up twice: keep the first
                listing.topics[tid] = topic
                listing.categories.add(str(topic.get("category_id")))
                bumped_at[tid] = bumped
                newest = bumped if newest is None or bumped > newest else newest
            if older or not items or not more:
                break
        if newest is None:
            return listing
        listing.mark = newest.isoformat()
        same = [tid for tid, at in bumped_at.items() if at == newest]
        if since is not None and newest == since:
            same = sorted(set(same) | at_mark)
        listing.at_mark = sorted(same)
        return listing

    # --- reading: fetch ---------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        cursor: dict[str, Any] = dict(cursors.get(SCOPE) or {})
        walk = cursor.get("walk")
        listing = self._changed_topics(cursor.get("mark"), set(cursor.get("at_mark") or ()))
        topics = listing.topics
        if not topics and not walk:
            return
        cats = self._categories(cursor, listing.categories)
        if not walk and "high" in cursor and len(topics) <= TOPIC_REFRESH_LIMIT:
            yield from self._refresh_topics(
                cursor, list(topics.values()), cats, listing.mark, listing.at_mark
            )
            return
        if walk:
            # An interrupted walk finishes first, towards the mark it was started for.
            yield from self._walk(cursor, topics, cats, walk)
            return
        walk = {"top": None, "before": None, "mark": listing.mark, "at_mark": listing.at_mark}
        yield from self._walk(cursor, topics, cats, walk)

    def _categories(self, cursor: dict[str, Any], needed: set[str]) -> list[RemoteContainer]:
        """The categories to send with the first page (none when the store has them all)."""
        known = set(cursor.get("categories") or ())
        refreshed = nz.maybe_when(cursor.get("categories_at"))
        now = utc(self.context.clock())
        if needed <= known and refreshed is not None and now - refreshed < CATEGORY_REFRESH:
            return []
        found = {c.remote_id: c for c in self.list_containers()}
        for cid in needed - found.keys():
            # A category the key cannot list (restricted, or deleted meanwhile).
            found[cid] = RemoteContainer(cid, f"Category {cid}", kind="category")
        cursor["categories"] = sorted(found)
        cursor["categories_at"] = now.isoformat()
        return list(found.values())

    def _refresh_topics(
        self,
        cursor: dict[str, Any],
        topics: list[Mapping[str, Any]],
        cats: list[RemoteContainer],
        new_mark: str | None,
        new_at_mark: list[str],
    ) -> Iterator[Page]:
        """Read each changed topic whole, oldest bump first, advancing the mark as it goes."""
        ordered = sorted(topics, key=lambda t: str(t.get("bumped_at") or t.get("created_at")))
        high = int(cursor.get("high") or 0)
        for i, topic in enumerate(ordered):
            full = self.fetch_thread(ThreadRef(str(topic.get("id")), str(topic.get("category_id"))))
            high = max([high, *(int(p.remote_id) for p in full.posts)])
            progress = dict(cursor)
            if i == len(ordered) - 1:
                progress.update(mark=new_mark, at_mark=new_at_mark, high=high)
            yield Page(
                scope=SCOPE,
                cursor=progress,
                containers=tuple(cats) if i == 0 else (),
                people=full.people,
                threads=(full.thread,),
                posts=full.posts,
            )

    def _walk(
        self,
        cursor: dict[str, Any],
        meta: MutableMapping[str, Mapping[str, Any]],
        cats: list[RemoteContainer],
        walk: dict[str, Any],
    ) -> Iterator[Page]:
        """New posts from ``/posts.json``, newest first, down to the covered post id."""
        stop = int(cursor.get("high") or 0)
        me = self._me_id()
        before = walk.get("before")
        covered: set[str] = set()
        first = True
        while True:
            params = {"before": before} if before else None
            body = _dict(self.http.get_json("posts.json", params), "the latest posts")
            raw_posts = _list(body.get("latest_posts", []), "the latest posts")
            ids = [int(p["id"]) for p in raw_posts if isinstance(p, Mapping) and "id" in p]
            if walk.get("top") is None:
                walk["top"] = max(ids, default=stop)
            fresh = [p for p in raw_posts if isinstance(p, Mapping) and int(p.get("id", 0)) > stop]
            posts = [nz.post(p, self.site, me=me) for p in fresh]
            threads = self._threads_for(posts, meta)
            covered |= {t.remote_id for t in threads}
            done = not ids or min(ids) <= stop + 1 or len(fresh) < len(raw_posts)
            before = min(ids) if ids else before
            progress = dict(cursor)
            if done:
                progress.pop("walk", None)
                progress.update(mark=walk["mark"], at_mark=walk["at_mark"], high=walk["top"])
            else:
                progress["walk"] = {**walk, "before": before}
            if done:
                # Topics that changed without a new regular post (a whisper, a moderator action,
                # a post deleted) are read whole before the walk's cursor is stored.
                for tid in sorted(meta.keys() - covered, key=int):
                    full = self.fetch_thread(ThreadRef(tid, str(meta[tid].get("category_id"))))
                    yield Page(
                        scope=SCOPE,
                        cursor={**cursor, "walk": {**walk, "before": before}},
                        containers=tuple(cats) if first else (),
                        people=full.people,
                        threads=(full.thread,),
                        posts=full.posts,
                    )
                    first = False
            yield Page(
                scope=SCOPE,
                cursor=progress,
                containers=tuple(cats) if first else (),
                people=_people(fresh),
                threads=tuple(threads),
                posts=tuple(posts),
            )
            first = False
            if done:
                return

    def _threads_for(
        self, posts: list[RemotePost], meta: MutableMapping[str, Mapping[str, Any]]
    ) -> list[RemoteThread]:
        out: dict[str, RemoteThread] = {}
        for p in posts:
            tid = p.thread_remote_id
            if tid in out:
                continue
            topic = meta.get(tid)
            if topic is None:
                # Not in this sync's topic list (bumped after we listed it): read its metadata.
                topic = self._topic(tid)
                meta[tid] = topic
            out[tid] = nz.thread(topic, self.site)
        return list(out.values())

    def _topic(self, topic_id: str) -> Mapping[str, Any]:
        return _dict(self.http.get_json(f"t/{topic_id}.json"), f"topic {topic_id}")

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        topic = self._topic(thread.remote_id)
        stream = _dict(topic.get("post_stream"), "a topic's posts")
        raw_posts = [p for p in _list(stream.get("posts", []), "a topic's posts") if p]
        have = {int(p["id"]) for p in raw_posts if isinstance(p, Mapping) and "id" in p}
        missing = [int(i) for i in stream.get("stream") or () if int(i) not in have]
        for start in range(0, len(missing), TOPIC_CHUNK):
            chunk = missing[start : start + TOPIC_CHUNK]
            body = _dict(
                self.http.get_json(f"t/{thread.remote_id}/posts.json", {"post_ids[]": chunk}),
                "a topic's posts",
            )
            more = _dict(body.get("post_stream"), "a topic's posts").get("posts")
            raw_posts.extend(_list(more or [], "a topic's posts"))
        unique = {int(p["id"]): p for p in raw_posts if isinstance(p, Mapping) and "id" in p}
        numbers = {
            int(p["post_number"]): str(pid)
            for pid, p in unique.items()
            if isinstance(p.get("post_number"), int)
        }
        me = self._me_id()
        posts = tuple(
            nz.post(p, self.site, me=me, numbers=numbers)
            for _, p in sorted(unique.items(), key=lambda kv: kv[1].get("post_number") or 0)
        )
        accepted = nz.accepted_post(topic, numbers)
        if accepted is None:
            accepted = next(
                (p.remote_id for p in posts if (p.raw or {}).get("accepted_answer")), None
            )
        meta = nz.thread(topic, self.site, accepted)
        if accepted and not meta.resolved:
            meta = dataclasses.replace(meta, resolved=True)
        return FullThread(thread=meta, posts=posts, people=_people(list(unique.values())))

    # --- writing ------------------------------------------------------------------------------

    def _post_number(self, post_id: str) -> int | None:
        body = _dict(self.http.get_json(f"posts/{post_id}.json"), "a post")
        number = body.get("post_number")
        return number if isinstance(number, int) else None

    def _sent(self, created: Any, op: Outgoing) -> SendResult:
        body = _dict(created, "the new post")
        data = body.get("post")
        post = nz.post(data if isinstance(data, Mapping) else body, self.site, me=self._me_id())
        if op.thread is None or op.kind is not OpKind.REPLY:
            return SendResult(remote_id=post.remote_id, thread_remote_id=post.thread_remote_id)
        # The thread row exists already; only the new post goes to the store right away.
        page = Page(scope="~sent", cursor=None, posts=(post,))
        return SendResult(post.remote_id, post.thread_remote_id, page)

    def post_reply(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("a reply needs a topic", code="no_thread")
        if not op.text.strip():
            raise PermanentError("the reply is empty", code="empty")
        body: dict[str, Any] = {"topic_id": int(op.thread.remote_id), "raw": op.text}
        if op.reply_to_post_remote_id:
            number = self._post_number(op.reply_to_post_remote_id)
            if number is not None and number > 1:
                body["reply_to_post_number"] = number
        try:
            created = self.http.post_json("posts.json", body)
        except PermanentError as exc:
            if exc.code == "just_posted_that" and op.attempt > 1:
                found = self.find_sent(op)
                if found is not None:
                    return found
            raise
        return self._sent(created, op)

    def send_dm(self, op: Outgoing) -> SendResult:
        if not op.recipients:
            raise PermanentError("a private message needs a recipient", code="no_recipient")
        body = {
            "archetype": "private_message",
            "target_recipients": ",".join(p.handle for p in op.recipients),
            "title": op.title or _dm_title(op.text),
            "raw": op.text,
        }
        return self._sent(self.http.post_json("posts.json", body), op)

    def _topic_parts(self, op: Outgoing) -> tuple[str, str]:
        """The title and the raw of the topic that starts ``op`` (a prepared operation)."""
        text, tail = op.text, ""
        if op.poll_options and POLL_START in text:
            # The [poll] block (format_poll) is the body's end: it never feeds the title.
            text, _, block = text.partition(POLL_START)
            tail = POLL_START.lstrip("\n") + block
        return split_title(
            op.title, text, limit=MAX_TITLE, min_length=MIN_TITLE, min_body=MIN_BODY, tail=tail
        )

    def post_thread(self, op: Outgoing) -> SendResult:
        """A new topic in the category ``op.container_remote_id``."""
        category = op.container_remote_id
        if not category or not category.isdigit():
            raise PermanentError("a new topic needs a Discourse category", code="no_container")
        if not op.text.strip():
            raise PermanentError("the post is empty", code="empty")
        title, raw = self._topic_parts(op)
        body = {"title": title, "raw": raw, "category": int(category)}
        try:
            created = self.http.post_json("posts.json", body)
        except AuthError as exc:
            if exc.code != "invalid_access":
                raise
            # Discourse answers a category the user may not post in with the same 403
            # ``invalid_access`` as a bad key: a read with the same key tells them apart.
            self._me = None
            self.whoami()
            raise PermanentError(
                f"Discourse does not let this account start topics in category {category}",
                code="forbidden",
            ) from None
        except PermanentError as exc:
            if exc.code in ("just_posted_that", "title_taken") and op.attempt > 1:
                found = self._find_topic(op)
                if found is not None:
                    return found
            if exc.code in ("unprocessable", "title_taken", "forbidden"):
                raise PermanentError(f"{exc} — new topic {title!r}", code=exc.code) from None
            raise
        return self._started(created, op, title)

    def _started(self, created: Any, op: Outgoing, title: str) -> SendResult:
        """The new topic and its first post, to store before the next sync."""
        body = _dict(created, "the new topic")
        data = body.get("post")
        post = nz.post(data if isinstance(data, Mapping) else body, self.site, me=self._me_id())
        slug = post.raw.get("topic_slug") if post.raw else None
        thread = RemoteThread(
            remote_id=post.thread_remote_id,
            container_remote_id=str(op.container_remote_id),
            created_at=post.created_at,
            title=str((post.raw or {}).get("topic_title") or title),
            url=f"{self.site}t/{slug or '-'}/{post.thread_remote_id}",
        )
        post = dataclasses.replace(post, is_root=True)
        people = (self._me,) if self._me is not None else ()
        page = Page(scope="~sent", cursor=None, people=people, threads=(thread,), posts=(post,))
        return SendResult(post.remote_id, post.thread_remote_id, page)

    def set_tags(self, op: Outgoing) -> SendResult:
        if op.thread is None:
            raise PermanentError("tags need a topic", code="no_thread")
        tags = list(op.tags) or [""]  # an empty tags[] clears them
        self.http.write("PUT", f"t/-/{op.thread.remote_id}.json", data={"tags[]": tags})
        return SendResult(
            remote_id=f"tags:{op.thread.remote_id}", thread_remote_id=op.thread.remote_id
        )

    # --- reconciliation ---------------------------------------------------------------------

    def find_sent(self, op: Outgoing) -> SendResult | None:
        """Look for an earlier attempt: the topic's latest posts by us with the same text (for a
        new topic: our newest topics in the category, by the text of their first post)."""
        if op.kind is OpKind.POST:
            return self._find_topic(self.prepare(op))
        if op.thread is None:
            raise NotSupported("Discourse cannot look up sent private messages")
        if op.kind is OpKind.SET_TAGS:
            topic = self._topic(op.thread.remote_id)
            if set(nz.tag_names(topic.get("tags"))) == set(op.tags):
                return SendResult(f"tags:{op.thread.remote_id}", op.thread.remote_id)
            return None
        me = self._my_id()
        since = (op.first_attempt_at or datetime.now(UTC)) - RECONCILE_SKEW
        wanted = text_hash(op.text)
        topic = self._topic(op.thread.remote_id)
        stream = _dict(topic.get("post_stream"), "a topic's posts")
        ids = [int(i) for i in stream.get("stream") or ()]
        latest = ids[-TOPIC_CHUNK:]
        body = _dict(
            self.http.get_json(f"t/{op.thread.remote_id}/posts.json", {"post_ids[]": latest}),
            "a topic's posts",
        )
        posts = _list(_dict(body.get("post_stream"), "a topic's posts").get("posts", []), "posts")
        for raw in sorted(posts, key=lambda p: -int(p.get("id", 0))):
            if str(raw.get("user_id")) != me:
                continue
            created = nz.maybe_when(raw.get("created_at"))
            if created is not None and created < utc(since):
                continue
            text = raw.get("raw")
            if not isinstance(text, str):
                # Topic views leave the Markdown out; the single post has it.
                text = _dict(self.http.get_json(f"posts/{raw['id']}.json"), "a post").get("raw")
            if isinstance(text, str) and text_hash(text) == wanted:
                return self._sent({"post": raw}, op)
        return None

    def _find_topic(self, op: Outgoing) -> SendResult | None:
        """The topic an earlier attempt of the prepared starter ``op`` created, if any.

        Our own topics, newest first, back to shortly before the first attempt: one in the
        category whose first post is the same text.
        """
        category = str(op.container_remote_id or "")
        since = utc((op.first_attempt_at or datetime.now(UTC)) - RECONCILE_SKEW)
        _, raw = self._topic_parts(op)
        wanted = text_hash(raw)
        me = self.whoami()
        for page in range(OWN_TOPIC_PAGES):
            body = _dict(
                self.http.get_json(
                    f"topics/created-by/{quote(me.handle)}.json", {"order": "created", "page": page}
                ),
                "the account's topics",
            )
            listing = _dict(body.get("topic_list"), "the account's topics")
            topics = [_dict(t, "a topic") for t in _list(listing.get("topics", []), "topics")]
            for topic in topics:
                created = nz.maybe_when(topic.get("created_at"))
                if created is None or created < since:
                    continue
                if str(topic.get("category_id")) != category:
                    continue
                found = self._first_post_if(str(topic.get("id")), wanted)
                if found is not None:
                    return found
            older = any(
                (nz.maybe_when(t.get("created_at")) or since) < since
                for t in topics
                if not t.get("pinned")
            )
            if older or not topics or not listing.get("more_topics_url"):
                return None
        raise AmbiguousError(
            "too many recent topics of this account to tell whether the starter was posted",
            code="unverifiable",
        )

    def _first_post_if(self, topic_id: str, wanted: str) -> SendResult | None:
        """The topic and its first post when that post's text hashes to ``wanted``."""
        topic = self._topic(topic_id)
        stream = _dict(topic.get("post_stream"), "a topic's posts")
        ids = [int(i) for i in stream.get("stream") or ()]
        if not ids:
            return None
        first = _dict(self.http.get_json(f"posts/{ids[0]}.json"), "a post")
        text = first.get("raw")
        if first.get("post_number") != 1 or not isinstance(text, str):
            return None
        if text_hash(text) != wanted:
            return None
        post = nz.post(first, self.site, me=self._me_id())
        thread = nz.thread(topic, self.site)
        page = Page(scope="~sent", cursor=None, threads=(thread,), posts=(post,))
        return SendResult(post.remote_id, thread.remote_id, page)


def _dm_title(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "Message")
    return line if len(line) <= 80 else line[:79] + "…"


def _people(raw_posts: list[Any]) -> tuple[RemotePerson, ...]:
    """The authors of posts, as the posts name them (the directory adds the rest later)."""
    people: dict[str, RemotePerson] = {}
    for p in raw_posts:
        if isinstance(p, Mapping) and p.get("user_id") is not None and p.get("username"):
            person = nz.person(
                {"id": p["user_id"], "username": p["username"], "name": p.get("name")}
            )
            people[person.remote_id] = person
    return tuple(people.values())
