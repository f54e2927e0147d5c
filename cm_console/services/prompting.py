"""Bringing colleagues into a conversation: who could answer, asking them (a public mention or
a direct message through the outbox), and following up when they do not (the nudge ladder)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cm_console import config
from cm_console.connectors.base import Capability
from cm_console.domain import experts
from cm_console.domain.experts import NextStep, Via
from cm_console.domain.model import Account, LocalUser, Person
from cm_console.domain.outbox import OpKind
from cm_console.services.accounts import ConnectorFactory, ServiceError, UsageError
from cm_console.services.triage import ActionResult, ChangeSet, TriageService
from cm_console.store import Store
from cm_console.store.accounts import person_from_row
from cm_console.store.prompts import PromptView

Clock = Callable[[], datetime]
SUGGESTIONS = 8


@dataclass(frozen=True, slots=True)
class ExpertSuggestion:
    """A colleague on the thread's account who could answer, with the reasons."""

    person: Person
    score: float
    reasons: tuple[experts.Reason, ...]
    limited: bool
    community: str


@dataclass(frozen=True, slots=True)
class Ladder:
    """A thread's prompts and what the nudge ladder suggests next."""

    prompts: tuple[PromptView, ...]
    next_step: NextStep
    person: Person | None
    """Whom the next step concerns (the same colleague for a DM; None: someone new)."""


class PromptingService:
    """Suggestions, prompts and the nudge ladder."""

    def __init__(
        self,
        store: Store,
        triage: TriageService,
        factory: ConnectorFactory,
        clock: Clock,
        user: LocalUser,
    ) -> None:
        self._store = store
        self._triage = triage
        self._factory = factory
        self._clock = clock
        self._user = user

    # --- settings --------------------------------------------------------------------------

    def _options(self, account: Account, container_id: int) -> dict[str, object]:
        container = next(
            (c for c in self._store.accounts.containers(account.id) if c.id == container_id), None
        )
        merged = {**account.options, **(container.options if container else {})}
        return {k: v for k, v in merged.items() if k in config.ALL_SETTINGS}

    def _setting(self, account: Account, container_id: int, setting: config.Setting[Any]) -> Any:
        raw = self._options(account, container_id).get(setting.key)
        return setting.parse(str(raw)) if raw is not None else setting.default

    # --- suggestions -------------------------------------------------------------------------

    def suggestions(self, ref: str | int, limit: int = SUGGESTIONS) -> list[ExpertSuggestion]:
        """Colleagues who could answer the thread, best first (works offline)."""
        thread_id = self._triage.resolve(ref)
        item = self._triage.items([thread_id])[0]
        account = self._store.accounts.by_id(item.account_id)
        assert account is not None
        now = self._clock()
        answers, people = self._store.prompts.evidence(thread_id, now)
        exclude = [
            ident
            for ident, rows in people.items()
            if any(r.is_team or r.handle == item.author_handle for r in rows)
        ]
        identities = list(people)
        load = self._store.prompts.load(identities, now)
        limit_per_day = int(
            self._setting(account, item.container_local_id, config.PROMPT_LIMIT_PER_DAY)
        )
        ranked = experts.rank(answers, now, load=load, limit_per_day=limit_per_day, exclude=exclude)
        here = self._store.prompts.people_by_identity(account.id, [s.identity for s in ranked])
        out = []
        for suggestion in ranked:
            row = here.get(suggestion.identity)
            if row is None or row.is_bot:
                continue  # known on another platform only: cannot be mentioned here
            out.append(
                ExpertSuggestion(
                    person_from_row(row),
                    suggestion.score,
                    suggestion.reasons,
                    suggestion.limited,
                    item.container,
                )
            )
            if len(out) >= limit:
                break
        return out

    # --- prompting ---------------------------------------------------------------------------

    def prompt(self, ref: str | int, person_id: int, *, via: Via | str, text: str) -> ActionResult:
        """Ask a colleague: a reply that mentions them, or a direct message; recorded on the
        thread with its follow-up deadline. Refused once the daily limit for them is reached."""
        via = Via(via)
        if not text.strip():
            raise UsageError("the prompt is empty")
        thread_id = self._triage.resolve(ref)
        item = self._triage.items([thread_id])[0]
        account = self._store.accounts.by_id(item.account_id)
        assert account is not None
        person = next(
            (p for p in self._store.accounts.people(account.id) if p.id == person_id), None
        )
        if person is None:
            raise UsageError(f"no colleague {person_id} in {account.name}")
        now = self._clock()
        ident = person.identity_key
        today = self._store.prompts.load([ident], now).get(ident, experts.Load()).today
        limit = int(self._setting(account, item.container_local_id, config.PROMPT_LIMIT_PER_DAY))
        if today >= limit:
            raise UsageError(
                f"{person.display_name} was already asked {today} times today "
                f"(limit {limit}); ask someone else or wait until tomorrow"
            )
        info = self._factory.connector_class(account.platform).info
        thread = self._triage.thread_ref(thread_id)
        who = {
            "remote_id": person.remote_id,
            "handle": person.handle,
            "display_name": person.display_name,
        }
        if via is Via.MENTION:
            if not info.supports(Capability.MENTION):
                raise UsageError(f"{info.display_name} does not support mentions")
            if f"@{person.handle}" not in text:
                text = f"@{person.handle} {text}"
            kind, payload = OpKind.REPLY, {"text": text, "thread": thread, "mentions": [who]}
        else:
            if not info.supports(Capability.DM):
                raise UsageError(f"{info.display_name} does not support direct messages")
            kind, payload = OpKind.DM, {"text": text, "thread": thread, "recipients": [who]}
        op = self._store.outbox.enqueue(
            account_id=account.id,
            kind=kind,
            thread_id=thread_id,
            payload=payload,
            now=now,
            created_by=self._user.id,
            base_reply_count=item.reply_count,
        )
        history = [p.record() for p in self._store.prompts.for_thread(thread_id)]
        hours = self._setting(account, item.container_local_id, config.PROMPT_FOLLOW_UP_HOURS)
        self._store.prompts.record(
            thread_id=thread_id,
            person_id=person.id,
            via=via,
            step=experts.step_for(history),
            op_id=op.op_id,
            now=now,
            deadline=now + timedelta(hours=hours),
            user_id=self._user.id,
        )
        return ActionResult(1, ChangeSet(frozenset({thread_id}), queue=True, outbox=True), op)

    def ladder(self, ref: str | int) -> Ladder:
        """The thread's prompts and the next rung of the ladder."""
        thread_id = self._triage.resolve(ref)
        prompts = tuple(self._store.prompts.for_thread(thread_id))
        step, person_id = experts.next_step([p.record() for p in prompts], self._clock())
        person = None
        if step is NextStep.ESCALATE:
            asked = {p.person_id for p in prompts}
            person = next(
                (
                    s.person
                    for s in self.suggestions(thread_id, limit=20)
                    if s.person.id not in asked and not s.limited
                ),
                None,
            )
            if person is None:
                person = self._owner(thread_id)
        elif person_id is not None:
            item = self._triage.items([thread_id])[0]
            person = next(
                (p for p in self._store.accounts.people(item.account_id) if p.id == person_id), None
            )
        return Ladder(prompts, step, person)

    def _owner(self, thread_id: int) -> Person | None:
        item = self._triage.items([thread_id])[0]
        account = self._store.accounts.by_id(item.account_id)
        assert account is not None
        handle = self._options(account, item.container_local_id).get(config.OWNER.key)
        if not handle:
            return None
        return self._store.accounts.find_person(account.id, str(handle))

    # --- linking people ------------------------------------------------------------------------

    def link(self, person_ids: Sequence[int]) -> str:
        """Treat people on several accounts as one colleague (their answers count together)."""
        if len(person_ids) < 2:
            raise UsageError("link at least two people")
        identity = f"link:{min(person_ids)}"
        self._store.prompts.link(person_ids, identity)
        return identity


__all__ = ["ExpertSuggestion", "Ladder", "PromptingService", "ServiceError"]
