"""The demo connector: a simulated intranet behind the same contract as every real platform.

Generated content comes from :mod:`content` (seed + anchor); what the console writes (replies,
DMs, tags, reactions, new threads) is appended to the simulated platform's log in the workspace
database through the ``simulation`` backend, and shows up in later fetches like any new post.
Writes are not idempotent, exactly like most real platforms, so the outbox must reconcile
ambiguous sends with :meth:`DemoConnector.find_sent`.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

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
from cm_console.connectors.demo import scenarios as sc
from cm_console.connectors.demo.content import DemoPost, DemoThread, DemoWorld, build_world
from cm_console.connectors.errors import ConfigurationError, NotFound, PermanentError
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
    attachment_name,
    utc,
)
from cm_console.domain.outbox import OpKind

PAGE_SIZE = 250
AUTO_REPLY_AFTER = timedelta(hours=3)
_MENTION = re.compile(r"@([a-z0-9_.-]+)", re.IGNORECASE)
_URL_BASE = "https://intranet.demo.example"
STARTER_ANSWERS = (timedelta(minutes=35), timedelta(hours=2, minutes=10), timedelta(hours=5))
"""When colleagues answer a conversation starter the console posted (a demo of the planner)."""
_STARTER_TEXTS = (
    "Goed idee, hier denk ik graag over mee!",
    "Interessant. Bij ons team speelt dit ook, zullen we het eens bespreken?",
    "Dank voor het vragen, ik reageer morgen uitgebreider.",
)
_VOTE_TEXTS = ("lijkt me het beste.", "heeft mijn stem.", "zou ik kiezen.")


class SimulationBackend(Protocol):
    """Where the simulated platform keeps its state (the store implements it)."""

    def get_meta(self, platform_key: str) -> dict[str, str]: ...
    def set_meta(self, platform_key: str, values: dict[str, str]) -> None: ...
    def append(
        self,
        platform_key: str,
        *,
        kind: str,
        remote_id: str,
        thread_remote_id: str | None,
        target: str | None,
        author_remote_id: str,
        created_at: datetime,
        body: str,
        marker: str | None,
    ) -> int: ...
    def writes(self, platform_key: str, after_seq: int = 0) -> list[dict[str, Any]]: ...


_WORLDS: dict[tuple[int, datetime], DemoWorld] = {}


def _world(seed: int, anchor: datetime) -> DemoWorld:
    key = (seed, anchor)
    world = _WORLDS.get(key)
    if world is None:
        world = _WORLDS[key] = build_world(seed, anchor)
    return world


def _person(p: sc.DemoPerson) -> RemotePerson:
    return RemotePerson(
        remote_id=p.remote_id,
        handle=p.handle,
        display_name=p.name,
        email=None if p.bot else f"{p.handle}@demo.example",
        title=p.title,
        department=p.department,
        is_bot=p.bot,
    )


PEOPLE = {p.remote_id: _person(p) for p in sc.PEOPLE}
BY_HANDLE = {p.handle.lower(): p for p in PEOPLE.values()}
CONTAINERS = {
    c.key: RemoteContainer(
        remote_id=c.key,
        name=c.name,
        url=f"{_URL_BASE}/c/{c.key}",
        kind="community",
        parent_name="Intranet",
        description=c.description,
    )
    for c in sc.COMMUNITIES
}


class DemoConnector(Connector):
    """A simulated intranet with Dutch and English communities (no network, no secret)."""

    info = ConnectorInfo(
        id="demo",
        display_name="Demo intranet",
        kind=PlatformKind.FORUM,
        capabilities=frozenset(
            {
                Capability.REPLY,
                Capability.MENTION,
                Capability.DM,
                Capability.REMOTE_TAGS,
                Capability.REACTIONS,
                Capability.PEOPLE,
                Capability.NEW_THREAD,
                Capability.ACCEPTED_ANSWER,
                Capability.POLLS,
            }
        ),
        login_methods=(LoginMethod.NONE,),
        url_label=None,
        secret_label=None,
        mention_example="@sven",
    )

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        super().__init__(account, context)
        backend = context.backends.get("simulation")
        if backend is None:
            raise ConfigurationError("the demo platform needs its simulation backend")
        self._sim: SimulationBackend = backend
        self._key = account.name

    # --- the simulated platform's state ----------------------------------------------------------

    def _now(self) -> datetime:
        return utc(self.context.clock())

    def world(self) -> DemoWorld:
        meta = self._sim.get_meta(self._key)
        if "anchor" not in meta:
            seed = int(self.account.options.get("seed", "7"))
            anchor = self._now().replace(second=0, microsecond=0)
            meta = {"seed": str(seed), "anchor": anchor.isoformat()}
            self._sim.set_meta(self._key, meta)
        return _world(int(meta["seed"]), datetime.fromisoformat(meta["anchor"]))

    def _writes(self) -> list[dict[str, Any]]:
        return self._sim.writes(self._key)

    # --- identity and directory ------------------------------------------------------------------

    def whoami(self) -> RemotePerson:
        return PEOPLE[sc.OWN.remote_id]

    def list_people(self) -> Iterator[RemotePerson]:
        yield from PEOPLE.values()

    def list_containers(self) -> list[RemoteContainer]:
        return list(CONTAINERS.values())

    def mention_syntax(self, person: RemotePerson) -> str:
        return f"@{person.handle}"

    # --- reading -------------------------------------------------------------------------------

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        world = self.world()
        now = self._now()
        cursor = dict(cursors.get("*") or {})
        revealed = int(cursor.get("revealed", 0))
        after_seq = int(cursor.get("writes", 0))
        since = datetime.fromisoformat(cursor["clock"]) if cursor.get("clock") else None
        writes = self._writes()
        visible = bisect_right([p.created_at for p in world.posts], now)
        first = True
        for start in range(revealed, visible, PAGE_SIZE):
            end = min(start + PAGE_SIZE, visible)
            posts = [self._remote_post(p, writes) for p in world.posts[start:end]]
            threads = {p.thread_id for p in world.posts[start:end]}
            yield Page(
                scope="*",
                cursor={"revealed": end, "writes": after_seq, "clock": cursor.get("clock")},
                containers=tuple(CONTAINERS.values()) if first else (),
                people=tuple(PEOPLE.values()) if first else (),
                threads=tuple(self._thread_for(world, t, writes) for t in sorted(threads)),
                posts=tuple(posts),
            )
            first = False
        new_writes = [w for w in writes if w["seq"] > after_seq]
        auto = self._auto_replies(world, writes, now, since)
        if new_writes or auto:
            yield self._writes_page(world, writes, new_writes, auto, visible, now)

    def _writes_page(
        self,
        world: DemoWorld,
        writes: list[dict[str, Any]],
        new: list[dict[str, Any]],
        auto: list[RemotePost],
        visible: int,
        now: datetime,
    ) -> Page:
        posts: list[RemotePost] = []
        threads: dict[str, RemoteThread] = {}
        by_id = {p.remote_id: p for p in world.posts}
        for w in new:
            tid = w["remote_id"] if w["kind"] == "thread" else w["thread_remote_id"]
            if w["kind"] in ("reply", "thread"):
                posts.append(self._written_post(w))
            elif w["kind"] == "reaction":
                target = by_id.get(w["target"] or "")
                if target is not None:
                    posts.append(self._remote_post(target, writes))
                else:
                    written = next((x for x in writes if x["remote_id"] == w["target"]), None)
                    if written is not None:
                        posts.append(self._written_post(written, writes))
            if tid:
                threads[tid] = self._thread_for(world, tid, writes)
        for post in auto:
            posts.append(post)
            threads[post.thread_remote_id] = self._thread_for(world, post.thread_remote_id, writes)
        last_seq = max((w["seq"] for w in writes), default=0)
        return Page(
            scope="*",
            cursor={"revealed": visible, "writes": last_seq, "clock": now.isoformat()},
            containers=tuple(CONTAINERS.values()),
            people=tuple(PEOPLE.values()),
            threads=tuple(threads.values()),
            posts=tuple(posts),
        )

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        world = self.world()
        writes = self._writes()
        now = self._now()
        meta = self._thread_for(world, thread.remote_id, writes)
        posts = [
            self._remote_post(p, writes)
            for p in world.thread_posts(thread.remote_id)
            if p.created_at <= now
        ]
        posts += [
            self._written_post(w, writes)
            for w in writes
            if (w["kind"] == "reply" and w["thread_remote_id"] == thread.remote_id)
            or (w["kind"] == "thread" and w["remote_id"] == thread.remote_id)
        ]
        posts += [
            p
            for p in self._auto_replies(world, writes, now)
            if p.thread_remote_id == thread.remote_id
        ]
        return FullThread(thread=meta, posts=tuple(posts), people=tuple(PEOPLE.values()))

    # --- writing -------------------------------------------------------------------------------

    def _append(
        self, op: Outgoing, kind: str, *, thread: str | None, target: str | None, body: str
    ) -> tuple[str, datetime]:
        remote_id = f"w-{uuid.uuid4().hex[:12]}"
        at = self._now()
        self._sim.append(
            self._key,
            kind=kind,
            remote_id=remote_id,
            thread_remote_id=thread,
            target=target,
            author_remote_id=sc.OWN.remote_id,
            created_at=at,
            body=body,
            marker=op.op_id,
        )
        return remote_id, at

    def _require_thread(self, op: Outgoing) -> str:
        if op.thread is None:
            raise PermanentError("this action needs a thread", code="no_thread")
        world = self.world()
        tid = op.thread.remote_id
        known = tid in world.threads or any(
            w["remote_id"] == tid and w["kind"] == "thread" for w in self._writes()
        )
        if not known:
            raise NotFound(f"thread {tid} does not exist on the demo platform")
        return tid

    def post_reply(self, op: Outgoing) -> SendResult:
        tid = self._require_thread(op)
        if not op.text.strip():
            raise PermanentError("the reply is empty", code="empty")
        remote_id, _ = self._append(
            op, "reply", thread=tid, target=op.reply_to_post_remote_id, body=op.text
        )
        return self._sent(remote_id)

    def post_thread(self, op: Outgoing) -> SendResult:
        container = op.container_remote_id
        if container not in CONTAINERS:
            raise NotFound(f"community {container} does not exist on the demo platform")
        # A poll arrives formatted by ``Connector.format_poll`` (numbered options to react to).
        payload = json.dumps({"title": op.title or "", "text": op.text}, ensure_ascii=False)
        remote_id, _ = self._append(op, "thread", thread=None, target=container, body=payload)
        return self._sent(remote_id)

    def send_dm(self, op: Outgoing) -> SendResult:
        if not op.recipients:
            raise PermanentError("a direct message needs a recipient", code="no_recipient")
        unknown = [p.handle for p in op.recipients if p.remote_id not in PEOPLE]
        if unknown:
            raise NotFound(f"no such colleague: {', '.join(unknown)}")
        remote_id, _ = self._append(
            op,
            "dm",
            thread=op.thread.remote_id if op.thread else None,
            target=",".join(p.remote_id for p in op.recipients),
            body=op.text,
        )
        return SendResult(remote_id=remote_id)

    def set_tags(self, op: Outgoing) -> SendResult:
        tid = self._require_thread(op)
        remote_id, _ = self._append(
            op, "tags", thread=tid, target=tid, body=json.dumps(list(op.tags))
        )
        return self._sent(remote_id, thread_only=tid)

    def add_reaction(self, op: Outgoing) -> SendResult:
        tid = self._require_thread(op)
        target = op.reply_to_post_remote_id or (
            op.thread.root_post_remote_id if op.thread else None
        )
        remote_id, _ = self._append(
            op, "reaction", thread=tid, target=target, body=op.emoji or "👍"
        )
        return self._sent(remote_id, thread_only=tid)

    def find_sent(self, op: Outgoing) -> SendResult | None:
        for w in self._writes():
            if w["marker"] == op.op_id:
                if op.kind in (OpKind.SET_TAGS, OpKind.REACTION):
                    return self._sent(w["remote_id"], thread_only=w["thread_remote_id"])
                if op.kind is OpKind.DM:
                    return SendResult(remote_id=w["remote_id"])
                return self._sent(w["remote_id"])
        return None

    def _sent(self, remote_id: str, thread_only: str | None = None) -> SendResult:
        """The result of a write, with a page so the store shows it before the next sync."""
        world = self.world()
        writes = self._writes()
        if thread_only is not None:
            meta = self._thread_for(world, thread_only, writes)
            return SendResult(
                remote_id, thread_only, Page(scope="~sent", cursor=None, threads=(meta,))
            )
        write = next(w for w in writes if w["remote_id"] == remote_id)
        post = self._written_post(write, writes)
        meta = self._thread_for(world, post.thread_remote_id, writes)
        page = Page(
            scope="~sent",
            cursor=None,
            containers=(CONTAINERS[meta.container_remote_id],),
            threads=(meta,),
            posts=(post,),
        )
        return SendResult(remote_id, post.thread_remote_id, page)

    # --- normalization -------------------------------------------------------------------------

    def _extra_reactions(self, post_id: str, writes: list[dict[str, Any]]) -> list[Reaction]:
        return [
            Reaction(w["author_remote_id"], w["body"])
            for w in writes
            if w["kind"] == "reaction" and w["target"] == post_id
        ]

    def _remote_post(self, p: DemoPost, writes: list[dict[str, Any]]) -> RemotePost:
        reactions = [Reaction(a, e) for a, e in p.reactions]
        reactions += self._extra_reactions(p.remote_id, writes)
        return RemotePost(
            remote_id=p.remote_id,
            thread_remote_id=p.thread_id,
            author_remote_id=p.author,
            created_at=p.created_at,
            text="" if p.deleted else p.text,
            is_root=p.is_root,
            kind=p.kind,
            by_bot=PEOPLE[p.author].is_bot,
            edited_at=p.edited_at,
            deleted=p.deleted,
            reactions=tuple(reactions),
            url=f"{_URL_BASE}/t/{p.thread_id}#{p.remote_id}",
            raw={
                "id": p.remote_id,
                "thread": p.thread_id,
                "author": p.author,
                "created_at": p.created_at.isoformat(),
                "body": p.text,
                "deleted": p.deleted,
                "files": [{"name": name} for name in p.attachments],
            },
            attachments=tuple(
                name for raw in p.attachments if (name := attachment_name(raw)) is not None
            ),
        )

    def _written_post(
        self, w: dict[str, Any], writes: list[dict[str, Any]] | None = None
    ) -> RemotePost:
        is_root = w["kind"] == "thread"
        text = json.loads(w["body"])["text"] if is_root else w["body"]
        thread_id = w["remote_id"] if is_root else w["thread_remote_id"]
        reactions = self._extra_reactions(w["remote_id"], writes or [])
        return RemotePost(
            remote_id=w["remote_id"],
            thread_remote_id=thread_id,
            author_remote_id=w["author_remote_id"],
            created_at=w["created_at"],
            text=text,
            is_root=is_root,
            reply_to_remote_id=w["target"] if not is_root else None,
            reactions=tuple(reactions),
            url=f"{_URL_BASE}/t/{thread_id}#{w['remote_id']}",
            raw={"id": w["remote_id"], "kind": w["kind"], "body": w["body"], "marker": w["marker"]},
        )

    def _thread_for(self, world: DemoWorld, tid: str, writes: list[dict[str, Any]]) -> RemoteThread:
        tags_writes = [w for w in writes if w["kind"] == "tags" and w["thread_remote_id"] == tid]
        thread = world.threads.get(tid)
        if thread is None:
            w = next((x for x in writes if x["remote_id"] == tid and x["kind"] == "thread"), None)
            if w is None:
                raise NotFound(f"thread {tid} does not exist on the demo platform")
            body = json.loads(w["body"])
            thread = DemoThread(tid, w["target"], body["title"], w["created_at"], "nl")
        tags = tuple(json.loads(tags_writes[-1]["body"])) if tags_writes else thread.tags
        return RemoteThread(
            remote_id=tid,
            container_remote_id=thread.community,
            created_at=thread.created_at,
            title=thread.title,
            url=f"{_URL_BASE}/t/{tid}",
            resolved=thread.resolved,
            closed=thread.closed,
            accepted_post_remote_id=thread.accepted_post,
            remote_tags=tags,
            raw={
                "id": tid,
                "community": thread.community,
                "title": thread.title,
                "tags": list(tags),
                "resolved": thread.resolved,
            },
        )

    def _starter_answers(
        self, w: dict[str, Any], now: datetime, since: datetime | None
    ) -> list[RemotePost]:
        """Colleagues answer a conversation starter over the next hours (a poll: they vote)."""
        text = json.loads(w["body"])["text"]
        choices = re.findall(r"^(\d\ufe0f\u20e3|\U0001f51f)", text, re.MULTILINE)
        crowd = sorted(
            (p for p in sc.PEOPLE if not p.bot and not p.team),
            key=lambda p: hashlib.sha256(f"{w['remote_id']}/{p.handle}".encode()).hexdigest(),
        )
        out = []
        for i, (delay, person) in enumerate(zip(STARTER_ANSWERS, crowd, strict=False)):
            due = w["created_at"] + delay
            if due > now or (since is not None and due <= since):
                continue
            if choices:
                answer = f"{choices[(i * 2) % len(choices)]} {_VOTE_TEXTS[i % len(_VOTE_TEXTS)]}"
            else:
                answer = _STARTER_TEXTS[i % len(_STARTER_TEXTS)]
            out.append(
                RemotePost(
                    remote_id=f"auto-{w['remote_id']}-{person.handle}",
                    thread_remote_id=w["remote_id"],
                    author_remote_id=person.remote_id,
                    created_at=due,
                    text=answer,
                    reply_to_remote_id=w["remote_id"],
                    url=f"{_URL_BASE}/t/{w['remote_id']}",
                )
            )
        return out

    def _auto_replies(
        self,
        world: DemoWorld,
        writes: list[dict[str, Any]],
        now: datetime,
        since: datetime | None = None,
    ) -> list[RemotePost]:
        """Colleagues mentioned in a reply answer a few hours later, as they would for real.

        Returns the answers that fell due after ``since`` and by ``now``.
        """
        out = []
        for w in writes:
            if w["kind"] == "thread" and w["marker"] and w["author_remote_id"] == sc.OWN.remote_id:
                out += self._starter_answers(w, now, since)  # posted by the console's outbox
            if w["kind"] != "reply":
                continue
            due = w["created_at"] + AUTO_REPLY_AFTER
            if due > now or (since is not None and due <= since):
                continue
            for handle in dict.fromkeys(m.lower() for m in _MENTION.findall(w["body"])):
                person = BY_HANDLE.get(handle)
                if person is None or person.is_bot or person.remote_id == sc.OWN.remote_id:
                    continue
                thread = world.threads.get(w["thread_remote_id"])
                lang = thread.lang if thread is not None else "nl"
                text = (
                    "Ik kijk er even naar, ik kom hier vandaag op terug."
                    if lang == "nl"
                    else "Taking a look, I'll get back to you today."
                )
                out.append(
                    RemotePost(
                        remote_id=f"auto-{w['remote_id']}-{person.handle}",
                        thread_remote_id=w["thread_remote_id"],
                        author_remote_id=person.remote_id,
                        created_at=due,
                        text=text,
                        reply_to_remote_id=w["remote_id"],
                        url=f"{_URL_BASE}/t/{w['thread_remote_id']}",
                    )
                )
        return out
