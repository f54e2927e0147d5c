"""Triage use cases: the queue, reading a thread, replying, tagging, assigning, snoozing, done,
flagging and drafts. Every action reports what changed, so views refresh only what they must."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

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
from cm_console.store import Store, Unreachable
from cm_console.store.team import ClaimInfo
from cm_console.store.triage import StaleEdit, TriageSnapshot

if TYPE_CHECKING:
    from cm_console.services.team import TeamService

Clock = Callable[[], datetime]


class UnknownThread(ServiceError):
    """No thread matches the reference."""


class EditConflict(ServiceError):
    """A colleague changed the same thing meanwhile; this edit was not applied (team mode).

    Attributes:
        conflict: which fields, what was seen, what is there now, what was wanted.
    """

    def __init__(self, message: str, conflict: StaleEdit) -> None:
        super().__init__(message)
        self.conflict = conflict


class ClaimedElsewhere(ServiceError):
    """A colleague is replying to this thread right now (team mode)."""

    def __init__(self, message: str, claim: ClaimInfo) -> None:
        super().__init__(message)
        self.claim = claim


class Offline(ServiceError):
    """The shared database cannot be reached; what the user wrote is kept on this machine."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What an operation changed (Anki's OpChanges): views decide whether to refresh."""

    thread_ids: frozenset[int] = frozenset()
    queue: bool = False
    """Counts or membership of views may have changed."""
    outbox: bool = False
    tags: bool = False
    accounts: bool = False
    presence: bool = False
    """Who is replying where, or which colleagues are online, may have changed (team mode)."""

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            self.thread_ids | other.thread_ids,
            self.queue or other.queue,
            self.outbox or other.outbox,
            self.tags or other.tags,
            self.accounts or other.accounts,
            self.presence or other.presence,
        )


@dataclass(frozen=True, slots=True)
class ThreadDetail:
    """A thread as the thread pane and ``show`` present it."""

    item: QueueItem
    posts: tuple[PostView, ...]
    operations: tuple[Operation, ...] = ()
    draft: Draft | None = None
    capabilities: frozenset[Capability] = field(default_factory=frozenset)
    triage: TriageSnapshot | None = None
    """The shared triage fields as shown (edits are checked against them in team mode)."""
    claim: ClaimInfo | None = None
    """A colleague's live claim: they are replying."""


@dataclass(frozen=True, slots=True)
class ActionResult:
    """An action's outcome: how many threads it touched, and the change set."""

    count: int
    changes: ChangeSet
    operation: Operation | None = None


class TriageService:
    """The community manager's daily work on the queue."""

    def __init__(
        self,
        store: Store,
        factory: ConnectorFactory,
        clock: Clock,
        user: LocalUser,
        *,
        team: TeamService | None = None,
    ) -> None:
        self._store = store
        self._factory = factory
        self._clock = clock
        self.user = user
        self._team = team
        self._seen: dict[int, TriageSnapshot] = {}
        """What ``show`` last showed of each thread's triage: single-thread edits are checked
        against it, so a colleague's change made meanwhile is never silently overwritten."""
        self._reply_counts: dict[int, int] = {}

    @property
    def team(self) -> TeamService | None:
        """The colleagues' side of this console (claims, presence), when wired."""
        return self._team

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
        snapshot = self._store.triage.snapshot(thread_id)
        self._seen[thread_id] = snapshot
        self._reply_counts[thread_id] = item.reply_count
        return ThreadDetail(
            item=item,
            posts=tuple(self._store.threads.posts(thread_id)),
            operations=tuple(self._store.outbox.find(thread_id=thread_id, limit=50)),
            draft=self.draft(thread_id),
            capabilities=caps,
            triage=snapshot,
            claim=self._team.claimed_by_other(thread_id) if self._team is not None else None,
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
        try:
            thread_id = self.resolve(ref)
            thread, account, replies = self._thread_payload(thread_id)
            self._require(account, Capability.REPLY, "replies")
            other = self._team.claimed_by_other(thread_id) if self._team is not None else None
            if other is not None:
                self.save_draft(thread_id, text)
                who = other.user_name or "a colleague"
                raise ClaimedElsewhere(
                    f"{who} is replying to this conversation; your text is kept as a draft",
                    other,
                )
            draft = self.draft(thread_id)
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
        except Unreachable as exc:
            number = _local_ref(ref)
            if number is not None and self._team is not None:
                self._keep_locally(number, text)
                raise Offline(f"{exc}; your reply is kept as a draft on this machine") from exc
            raise
        self.save_draft(thread_id, "")
        if self._team is not None:
            self._team.stop_reply(thread_id)
        return ActionResult(1, ChangeSet(frozenset({thread_id}), outbox=True, presence=True), op)

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
        n = self._edit(
            ids,
            lambda base, written: self._store.triage.assign(
                ids, assignee, now=self._clock(), user_id=self.user.id, base=base, written=written
            ),
        )
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
        n = self._edit(
            ids,
            lambda base, written: self._store.triage.set_status(
                ids,
                TriageStatus.SNOOZED,
                now=now,
                user_id=self.user.id,
                snooze_until=until,
                until_reply=until_reply,
                base=base,
                written=written,
            ),
        )
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def done(self, refs: Sequence[str | int]) -> ActionResult:
        return self._set_status(refs, TriageStatus.DONE)

    def reopen(self, refs: Sequence[str | int]) -> ActionResult:
        return self._set_status(refs, TriageStatus.OPEN)

    def _set_status(self, refs: Sequence[str | int], status: TriageStatus) -> ActionResult:
        ids = self.resolve_many(refs)
        n = self._edit(
            ids,
            lambda base, written: self._store.triage.set_status(
                ids, status, now=self._clock(), user_id=self.user.id, base=base, written=written
            ),
        )
        if status is TriageStatus.DONE and self._team is not None:
            for tid in ids:
                if tid in self._team.holding():
                    self._team.stop_reply(tid)
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def flag(
        self, refs: Sequence[str | int], note: str | None = None, *, flagged: bool = True
    ) -> ActionResult:
        ids = self.resolve_many(refs)
        n = self._edit(
            ids,
            lambda base, written: self._store.triage.flag(
                ids,
                flagged,
                note,
                now=self._clock(),
                user_id=self.user.id,
                base=base,
                written=written,
            ),
        )
        return ActionResult(n, ChangeSet(frozenset(ids), queue=True))

    def _edit(
        self,
        ids: Sequence[int],
        write: Callable[[dict[int, TriageSnapshot] | None, dict[int, TriageSnapshot]], int],
    ) -> int:
        """Run a triage write; one thread shown by ``show`` is checked against what was shown.

        Raises:
            EditConflict: a colleague changed the same field meanwhile; nothing was written.
        """
        base = None
        if len(ids) == 1 and ids[0] in self._seen:
            base = {ids[0]: self._seen[ids[0]]}
        written: dict[int, TriageSnapshot] = {}
        try:
            count = write(base, written)
        except StaleEdit as exc:
            self._seen[exc.thread_id] = exc.current
            raise EditConflict(self._describe(exc), exc) from None
        for tid, snapshot in written.items():
            if tid in self._seen:
                self._seen[tid] = snapshot
        return count

    def _describe(self, conflict: StaleEdit) -> str:
        names = {u.id: u.name for u in self._store.users.all()}
        labels = {
            "status": "the status",
            "snooze_until": "the snooze time",
            "snooze_until_reply": "the snooze",
            "assignee_id": "the assignee",
            "flagged": "the flag",
            "flag_note": "the flag note",
        }
        parts = []
        for name, (_seen, theirs, _mine) in conflict.fields.items():
            if name == "assignee_id":
                now = names.get(theirs, "nobody") if theirs is not None else "nobody"
            elif name == "snooze_until":
                now = "" if theirs is None else str(theirs)
            else:
                now = str(theirs)
            parts.append(f"{labels.get(name, name)} (now: {now})" if now else labels[name])
        who = conflict.current.updated_by or "a colleague"
        return (
            f"{who} changed {', '.join(parts)} meanwhile; your change was not applied "
            "(look again and redo it if it is still needed)"
        )

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
        """Autosave the composer (an empty text removes the draft).

        In team mode the draft is written on this machine first, then to the shared database:
        when that cannot be reached it stays here and is handed over after the reconnect.
        """
        local = self._team.local_drafts if self._team is not None else None
        if local is None:
            self._store.triage.save_draft(
                thread_id, self.user.id, text, self._draft_base(thread_id), self._clock()
            )
            return
        kept = local.get(self.user.id, thread_id)
        try:
            base = kept.base_reply_count if kept is not None else self._draft_base(thread_id)
        except Unreachable:
            base = self._reply_counts.get(thread_id, 0)
        now = self._clock()
        local.put(
            user_id=self.user.id, thread_id=thread_id, text=text, base_reply_count=base, now=now
        )
        try:
            self._store.triage.save_draft(thread_id, self.user.id, text, base, now)
        except Unreachable:
            return
        written = local.get(self.user.id, thread_id)
        if written is not None:
            local.settled(written)

    def _keep_locally(self, thread_id: int, text: str) -> None:
        local = self._team.local_drafts if self._team is not None else None
        if local is not None:
            local.put(
                user_id=self.user.id,
                thread_id=thread_id,
                text=text,
                base_reply_count=self._reply_counts.get(thread_id, 0),
                now=self._clock(),
            )

    def _draft_base(self, thread_id: int) -> int:
        existing = self._store.triage.draft(thread_id, self.user.id)
        if existing is not None:
            return existing.base_reply_count
        meta = self._store.threads.meta(thread_id)
        return int(meta["reply_count"]) if meta else 0

    def draft(self, thread_id: int) -> Draft | None:
        """The draft: the one kept on this machine while offline, else the database's."""
        local = self._team.local_drafts if self._team is not None else None
        if local is not None:
            kept = local.get(self.user.id, thread_id)
            if kept is not None:
                return kept if kept.text.strip() else None
        return self._store.triage.draft(thread_id, self.user.id)


def _local_ref(ref: str | int) -> int | None:
    if isinstance(ref, int):
        return ref
    text = ref.strip()
    return int(text) if text.isdecimal() else None
