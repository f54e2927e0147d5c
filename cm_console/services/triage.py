"""Triage use cases: the queue, reading a thread, replying, tagging, assigning, snoozing, done,
flagging and drafts. Every action reports what changed, so views refresh only what they must."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cm_console.connectors.base import Capability
from cm_console.domain.model import Account, Container, LocalUser, Person
from cm_console.domain.outbox import Operation, OpKind
from cm_console.domain.rules import TriageStatus
from cm_console.domain.views import (
    Draft,
    PostView,
    QueueItem,
    QueueQuery,
    SavedReply,
    ViewCounts,
)
from cm_console.services.accounts import ConnectorFactory, ServiceError, UsageError
from cm_console.store import Store

Clock = Callable[[], datetime]


class UnknownThread(ServiceError):
    """No thread matches the reference."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What an operation changed (Anki's OpChanges): views decide whether to refresh."""

    thread_ids: frozenset[int] = frozenset()
    queue: bool = False
    """Counts or membership of views may have changed."""
    outbox: bool = False
    tags: bool = False
    accounts: bool = False

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            self.thread_ids | other.thread_ids,
            self.queue or other.queue,
            self.outbox or other.outbox,
            self.tags or other.tags,
            self.accounts or other.accounts,
        )


@dataclass(frozen=True, slots=True)
class ThreadDetail:
    """A thread as the thread pane and ``show`` present it."""

    item: QueueItem
    posts: tuple[PostView, ...]
    operations: tuple[Operation, ...] = ()
    draft: Draft | None = None
    capabilities: frozenset[Capability] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class ActionResult:
    """An action's outcome: how many threads it touched, and the change set."""

    count: int
    changes: ChangeSet
    operation: Operation | None = None


class TriageService:
    """The community manager's daily work on the queue."""

    def __init__(
        self, store: Store, factory: ConnectorFactory, clock: Clock, user: LocalUser
    ) -> None:
        self._store = store
        self._factory = factory
        self._clock = clock
        self.user = user

    # --- reading -------------------------------------------------------------------------------

    def queue(self, query: QueueQuery, limit: int | None = None) -> list[QueueItem]:
        query = self._with_user(query)
        now = self._clock()
        ids = self._store.queue.ids(query, now, limit=limit)
        return self._store.queue.items(ids, now)

    def queue_ids(self, query: QueueQuery, limit: int | None = None) -> list[int]:
        """The view's thread ids in display order (the first ``limit`` of them, if given)."""
        return self._store.queue.ids(self._with_user(query), self._clock(), limit)

    def items(self, ids: Sequence[int]) -> list[QueueItem]:
        return self._store.queue.items(ids, self._clock())

    def counts(self) -> ViewCounts:
        return self._store.queue.counts(self._clock(), self.user.id)

    def tags(self) -> list[tuple[str, int]]:
        return self._store.triage.tags()

    def _with_user(self, query: QueueQuery) -> QueueQuery:
        if query.user_id is not None:
            return query
        from dataclasses import replace  # noqa: PLC0415

        return replace(query, user_id=self.user.id)

    def resolve(self, ref: str | int) -> int:
        """A thread's local id from a local id or ``ACCOUNT/REMOTE_THREAD_ID``."""
        thread_id = self._store.threads.resolve(str(ref))
        if thread_id is None:
            raise UnknownThread(f"no thread {ref!r} (use an id from 'queue' or ACCOUNT/REMOTE_ID)")
        return thread_id

    def resolve_many(self, refs: Sequence[str | int]) -> list[int]:
        return [self.resolve(r) for r in refs]

    def show(self, ref: str | int) -> ThreadDetail:
        thread_id = self.resolve(ref)
        items = self._store.queue.items([thread_id], self._clock())
        if not items:
            raise UnknownThread(f"no thread {ref!r}")
        item = items[0]
        account = self._store.accounts.by_id(item.account_id)
        caps: frozenset[Capability] = frozenset()
        if account is not None:
            try:
                caps = self._factory.connector_class(account.platform).info.capabilities
            except UsageError:
                caps = frozenset()
        return ThreadDetail(
            item=item,
            posts=tuple(self._store.threads.posts(thread_id)),
            operations=tuple(self._store.outbox.find(thread_id=thread_id, limit=50)),
            draft=self._store.triage.draft(thread_id, self.user.id),
            capabilities=caps,
        )

    # --- writing to the platform (through the outbox) ------------------------------------------

    def _thread_payload(self, thread_id: int) -> tuple[dict[str, Any], Account, int]:
        meta = self._store.threads.meta(thread_id)
        if meta is None:
            raise UnknownThread(f"no thread {thread_id}")
        account = self._store.accounts.by_id(meta["account_id"])
        assert account is not None
        thread = {
            "remote_id": meta["remote_id"],
            "container_remote_id": meta["container_remote_id"],
            "root_post_remote_id": meta["root_post_remote_id"],
            "url": meta["url"],
            "title": meta["title"],
        }
        return thread, account, meta["reply_count"]

    def thread_ref(self, thread_id: int) -> dict[str, Any]:
        """What the outbox freezes about a thread so a connector can act on it later."""
        return self._thread_payload(thread_id)[0]

    def _require(self, account: Account, capability: Capability, what: str) -> None:
        info = self._factory.connector_class(account.platform).info
        if not info.supports(capability):
            raise UsageError(f"{info.display_name} does not support {what}")

    def reply(self, ref: str | int, text: str, *, reply_to: str | None = None) -> ActionResult:
        """Queue a reply in the outbox (sent by the next sync) and clear the draft."""
        if not text.strip():
            raise UsageError("the reply is empty")
        thread_id = self.resolve(ref)
        thread, account, replies = self._thread_payload(thread_id)
        self._require(account, Capability.REPLY, "replies")
        draft = self._store.triage.draft(thread_id, self.user.id)
        base = draft.base_reply_count if draft is not None else replies
        op = self._store.outbox.enqueue(
            account_id=account.id,
            kind=OpKind.REPLY,
            thread_id=thread_id,
            payload={"text": text, "thread": thread, "reply_to": reply_to},
            now=self._clock(),
            created_by=self.user.id,
            base_reply_count=base,
        )
        self._store.triage.save_draft(thread_id, self.user.id, "", base, self._clock())
        return ActionResult(1, ChangeSet(frozenset({thread_id}), outbox=True), op)

    def remote_tags(self, ref: str | int, tags: Sequence[str]) -> ActionResult:
        """Queue setting the thread's tags on the platform (where the connector has tags)."""
        thread_id = self.resolve(ref)
        thread, account, _ = self._thread_payload(thread_id)
        self._require(account, Capability.REMOTE_TAGS, "tags on the platform")
        op = self._store.outbox.enqueue(
            account_id=account.id,
            kind=OpKind.SET_TAGS,
            thread_id=thread_id,
            payload={"thread": thread, "tags": list(tags)},
            now=self._clock(),
            created_by=self.user.id,
        )
        return ActionResult(1, ChangeSet(frozenset({thread_id}), outbox=True), op)

    # --- local triage --------------------------------------------------------------------------

    def tag(
        self,
        refs: Sequence[str | int],
        tag: str,
        *,
        remove: bool = False,
        on_platform: bool = False,
    ) -> ActionResult:
        tag = tag.strip()
        if not tag or len(tag) > 100:
            raise UsageError("a tag needs 1 to 100 characters")
        ids = self.resolve_many(refs)
        now = self._clock()
        if remove:
            n = self._store.triage.remove_tag(ids, tag, now=now, user_id=self.user.id)
        else:
            n = self._store.triage.add_tag(ids, tag, now=now, user_id=self.user.id)
        changes = ChangeSet(frozenset(ids), queue=True, tags=True)
        if on_platform:
            for tid in ids:
                current = list(self.show(tid).item.tags)
                result = self.remote_tags(tid, current)
                changes = changes | result.changes
        return ActionResult(n, changes)

    def assign(self, refs: Sequence[str | int], to: str | None) -> ActionResult:
        ids = self.resolve_many(refs)
        assignee = None
        if to is not None:
            user = self._store.users.get(to)
            if user is None:
                known = ", ".join(u.name for u in self._store.users.all())
                raise UsageError(f"no console user named {to!r} (known: {known})")
            assignee = user.id
        n = self._store.triage.assign(ids, assignee, now=self._clock(), user_id=self.user.id)
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def snooze(
        self, refs: Sequence[str | int], *, until: datetime | None = None, until_reply: bool = False
    ) -> ActionResult:
        if (until is None) == (not until_reply):
            raise UsageError("snooze needs either a time or 'until a reply'")
        now = self._clock()
        if until is not None and until <= now:
            raise UsageError("the snooze time is in the past")
        ids = self.resolve_many(refs)
        n = self._store.triage.set_status(
            ids,
            TriageStatus.SNOOZED,
            now=now,
            user_id=self.user.id,
            snooze_until=until,
            until_reply=until_reply,
        )
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def done(self, refs: Sequence[str | int]) -> ActionResult:
        ids = self.resolve_many(refs)
        n = self._store.triage.set_status(
            ids, TriageStatus.DONE, now=self._clock(), user_id=self.user.id
        )
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def reopen(self, refs: Sequence[str | int]) -> ActionResult:
        ids = self.resolve_many(refs)
        n = self._store.triage.set_status(
            ids, TriageStatus.OPEN, now=self._clock(), user_id=self.user.id
        )
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def flag(
        self, refs: Sequence[str | int], note: str | None = None, *, flagged: bool = True
    ) -> ActionResult:
        ids = self.resolve_many(refs)
        n = self._store.triage.flag(ids, flagged, note, now=self._clock(), user_id=self.user.id)
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def prompt(self, ref: str | int, person_id: int, *, via: str, text: str) -> ActionResult:
        """Bring a colleague in: a public mention in the thread, or a direct message.

        Args:
            person_id: the colleague (a local person id of the thread's account).
            via: ``"mention"`` (a reply that mentions them; the text should contain
                ``@handle``) or ``"dm"`` (a direct message; the text should link the thread).
        """
        if via not in ("mention", "dm"):
            raise UsageError("prompt via 'mention' or 'dm'")
        if not text.strip():
            raise UsageError("the prompt is empty")
        thread_id = self.resolve(ref)
        thread, account, replies = self._thread_payload(thread_id)
        person = next(
            (p for p in self._store.accounts.people(account.id) if p.id == person_id), None
        )
        if person is None:
            raise UsageError(f"no colleague {person_id} in {account.name}")
        who = {
            "remote_id": person.remote_id,
            "handle": person.handle,
            "display_name": person.display_name,
        }
        if via == "mention":
            self._require(account, Capability.MENTION, "mentions")
            if f"@{person.handle}" not in text:
                text = f"@{person.handle} {text}"
            kind, payload = OpKind.REPLY, {"text": text, "thread": thread, "mentions": [who]}
        else:
            self._require(account, Capability.DM, "direct messages")
            kind, payload = OpKind.DM, {"text": text, "thread": thread, "recipients": [who]}
        op = self._store.outbox.enqueue(
            account_id=account.id,
            kind=kind,
            thread_id=thread_id,
            payload=payload,
            now=self._clock(),
            created_by=self.user.id,
            base_reply_count=replies,
        )
        return ActionResult(1, ChangeSet(frozenset({thread_id}), outbox=True), op)

    def people(self, account_id: int) -> list[Person]:
        """The account's people directory (for the mention and prompt pickers)."""
        return self._store.accounts.people(account_id)

    def accounts(self) -> list[tuple[Account, list[Container]]]:
        """Accounts with their communities, for the sidebar."""
        containers = self._store.accounts.containers()
        return [
            (account, [c for c in containers if c.account_id == account.id])
            for account in self._store.accounts.all()
        ]

    def container_counts(self) -> dict[int, int]:
        return self._store.queue.container_counts(self._clock())

    def saved_replies(self, language: str | None = None) -> list[SavedReply]:
        return self._store.saved_replies.all(language)

    def template_values(self, thread_id: int) -> dict[str, str | None]:
        """Values for saved-reply variables on a thread (see ``domain.templates``)."""
        items = self._store.queue.items([thread_id], self._clock())
        if not items:
            return {}
        item = items[0]
        first = item.author.split()[0] if item.author else None
        return {
            "author": item.author or None,
            "author_first": first,
            "community": item.container,
            "title": item.title,
            "me": self.user.name,
            "platform": item.platform,
        }

    def save_draft(self, thread_id: int, text: str) -> None:
        """Autosave the composer (an empty text removes the draft)."""
        existing = self._store.triage.draft(thread_id, self.user.id)
        if existing is not None:
            base = existing.base_reply_count
        else:
            meta = self._store.threads.meta(thread_id)
            base = meta["reply_count"] if meta else 0
        self._store.triage.save_draft(thread_id, self.user.id, text, base, self._clock())

    def draft(self, thread_id: int) -> Draft | None:
        return self._store.triage.draft(thread_id, self.user.id)
