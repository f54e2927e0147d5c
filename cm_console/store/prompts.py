"""Prompts (colleagues asked to answer a thread), their answers, and the evidence for suggesting
who to ask."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    or_,
    select,
    update,
)

from cm_console.domain.experts import Answer, Load, PromptRecord, Source, Via
from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.engine import Database
from cm_console.store.search import similar_thread_ids
from cm_console.store.triage import audit

p_ = s.prompts.c
t = s.threads.c
po = s.posts.c
pe = s.people.c

RECENT_THREADS = 300
"""Community and tag evidence looks at this many threads: the most recently active in the
community (recency matters most; in a busy community that is weeks of questions)."""
SIMILAR = 40
"""The best-matching threads that count as "similar questions"."""


@dataclass(frozen=True, slots=True)
class PromptView:
    """A prompt with the colleague's name, for the thread pane and ``show``."""

    id: int
    person_id: int
    person: str
    handle: str
    via: Via
    step: int
    prompted_at: datetime
    deadline_at: datetime
    answered_at: datetime | None
    closed: bool

    def record(self) -> PromptRecord:
        return PromptRecord(
            self.person_id,
            self.via,
            self.step,
            self.prompted_at,
            self.deadline_at,
            self.answered_at,
            self.closed,
        )


def identity_of(row: Any) -> str:
    """The identity that links a person across accounts (their own id when unlinked)."""
    return str(row.identity) if row.identity else f"person:{row.id}"


_IDENTITY = func.coalesce(func.nullif(pe.identity, ""), "person:" + cast(pe.id, String))
""":func:`identity_of` in SQL."""


def refresh(conn: Connection, thread_ids: Iterable[int]) -> None:
    """Mark prompts answered when the colleague posted in the thread after being asked, and
    keep each thread's ``prompt_due_at`` (the earliest open follow-up deadline)."""
    ids = sorted(set(thread_ids))
    if not ids:
        return
    open_rows = conn.execute(
        select(p_.id, p_.thread_id, p_.person_id, p_.prompted_at).where(
            p_.thread_id.in_(ids), p_.answered_at.is_(None), ~p_.closed
        )
    ).all()
    if open_rows:
        person_ids = {r.person_id for r in open_rows}
        identities = {
            r.id: identity_of(r)
            for r in conn.execute(select(pe.id, pe.identity).where(pe.id.in_(person_ids)))
        }
        linked: dict[str, set[int]] = {}
        for r in conn.execute(
            select(pe.id, pe.identity).where(
                pe.identity.in_([i for i in identities.values() if not i.startswith("person:")])
            )
        ):
            linked.setdefault(identity_of(r), set()).add(r.id)
        for row in open_rows:
            authors = linked.get(identities[row.person_id], set()) | {row.person_id}
            first = conn.execute(
                select(func.min(po.created_at)).where(
                    po.thread_id == row.thread_id,
                    po.author_id.in_(authors),
                    po.created_at > row.prompted_at,
                    po.deleted_at.is_(None),
                    ~po.is_root,
                )
            ).scalar()
            if first is not None:
                conn.execute(update(s.prompts).where(p_.id == row.id).values(answered_at=first))
    due = dict(
        conn.execute(
            select(p_.thread_id, func.min(p_.deadline_at))
            .where(p_.thread_id.in_(ids), p_.answered_at.is_(None), ~p_.closed)
            .group_by(p_.thread_id)
        ).all()
    )
    conn.execute(
        update(s.threads).where(t.id == bindparam("tid")).values(prompt_due_at=bindparam("due")),
        [{"tid": tid, "due": due.get(tid)} for tid in ids],
    )


class Prompts:
    """Prompts and expert evidence."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        *,
        thread_id: int,
        person_id: int,
        via: Via,
        step: int,
        op_id: str | None,
        now: datetime,
        deadline: datetime,
        user_id: int | None,
    ) -> int:
        """Record a prompt; earlier open prompts on the thread are superseded by it."""
        with self._db.write() as conn:
            conn.execute(
                update(s.prompts)
                .where(p_.thread_id == thread_id, p_.answered_at.is_(None))
                .values(closed=True)
            )
            key = conn.execute(
                insert(s.prompts).values(
                    thread_id=thread_id,
                    person_id=person_id,
                    via=via.value,
                    step=step,
                    op_id=op_id,
                    prompted_at=to_ms(now),
                    deadline_at=to_ms(deadline),
                    created_by=user_id,
                )
            ).inserted_primary_key
            assert key is not None
            refresh(conn, [thread_id])
            audit(
                conn,
                action="prompt",
                now_ms=to_ms(now),
                user_id=user_id,
                thread_ids=[thread_id],
                detail={"person_id": person_id, "via": via.value, "step": step, "op_id": op_id},
            )
            return int(key[0])

    def for_thread(self, thread_id: int) -> list[PromptView]:
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.prompts, pe.display_name, pe.handle)
                .join(s.people, pe.id == p_.person_id)
                .where(p_.thread_id == thread_id)
                .order_by(p_.prompted_at)
            )
            return [
                PromptView(
                    r.id,
                    r.person_id,
                    r.display_name,
                    r.handle,
                    Via(r.via),
                    r.step,
                    from_ms(r.prompted_at),
                    from_ms(r.deadline_at),
                    from_ms(r.answered_at),
                    r.closed,
                )
                for r in rows
            ]

    def load(self, identities: Sequence[str], now: datetime) -> dict[str, Load]:
        """Prompts per identity in the last week and the last day."""
        week = to_ms(now) - 7 * 86_400_000
        day = to_ms(now) - 86_400_000
        with self._db.read() as conn:
            rows = conn.execute(
                select(pe.id, pe.identity, p_.prompted_at)
                .join(s.prompts, p_.person_id == pe.id)
                .where(p_.prompted_at > week)
            ).all()
        out: dict[str, Load] = {}
        wanted = set(identities)
        for r in rows:
            ident = identity_of(r)
            if ident not in wanted:
                continue
            current = out.get(ident, Load())
            out[ident] = Load(current.last_week + 1, current.today + (r.prompted_at > day))
        return out

    def link(self, person_ids: Sequence[int], identity: str) -> None:
        """Link people (on any accounts) as one colleague."""
        with self._db.write() as conn:
            conn.execute(
                update(s.people).where(pe.id.in_(list(person_ids))).values(identity=identity)
            )

    def evidence(self, thread_id: int, now: datetime) -> tuple[list[Answer], dict[str, list[Any]]]:
        """Qualifying replies that tell who could answer ``thread_id``, and the people behind
        each identity (their rows on the accounts they answered on)."""
        with self._db.read() as conn:
            thread = conn.execute(
                select(t.id, t.account_id, t.container_id, t.title, t.root_author_id).where(
                    t.id == thread_id
                )
            ).one()
            root_text = (
                conn.execute(select(po.text).where(po.thread_id == thread_id, po.is_root)).scalar()
                or ""
            )
            recent = (
                select(t.id)
                .where(t.container_id == thread.container_id, t.id != thread_id)
                .order_by(t.last_activity_at.desc())
                .limit(RECENT_THREADS)
            )
            community = {r.id for r in conn.execute(recent)}
            tags = [
                r.tag
                for r in conn.execute(
                    select(s.thread_tags.c.tag).where(s.thread_tags.c.thread_id == thread_id)
                )
            ]
            tagged: set[int] = set()
            if tags:
                tagged = {
                    r.thread_id
                    for r in conn.execute(
                        select(s.thread_tags.c.thread_id)
                        .where(
                            s.thread_tags.c.tag.in_(tags), s.thread_tags.c.thread_id != thread_id
                        )
                        .order_by(s.thread_tags.c.thread_id.desc())  # the newest threads
                        .limit(RECENT_THREADS)
                    )
                }
            similar = set(
                similar_thread_ids(
                    conn, f"{thread.title}\n{root_text}", exclude=thread_id, limit=SIMILAR
                )
            )
            sources: dict[int, set[Source]] = {}
            for tid in community:
                sources.setdefault(tid, set()).add(Source.COMMUNITY)
            for tid in tagged:
                sources.setdefault(tid, set()).add(Source.TAG)
            for tid in similar:
                sources.setdefault(tid, set()).add(Source.SIMILAR)
            if not sources:
                return [], {}
            sources_of = {tid: frozenset(found) for tid, found in sources.items()}
            answers: list[Answer] = []
            people: dict[str, list[Any]] = {}
            # One row per colleague per thread (questions answered, not posts written): their
            # first qualifying reply, whether any of their replies there was the accepted answer
            # or acknowledged by someone else.
            rows = conn.execute(
                select(
                    po.thread_id,
                    pe.id,
                    _IDENTITY.label("ident"),
                    pe.handle,
                    pe.display_name,
                    pe.is_team,
                    func.min(po.created_at).label("created_at"),
                    func.max(case((po.acked_by_other, 1), else_=0)).label("acknowledged"),
                    func.max(case((po.remote_id == t.accepted_post_remote_id, 1), else_=0)).label(
                        "accepted"
                    ),
                )
                .join(s.threads, t.id == po.thread_id)
                .join(s.people, pe.id == po.author_id)
                .where(
                    po.thread_id.in_(list(sources)),
                    ~po.is_root,
                    po.deleted_at.is_(None),
                    po.kind == "regular",
                    ~po.by_bot,
                    ~pe.is_bot,
                    or_(t.root_author_id.is_(None), po.author_id != t.root_author_id),
                    po.created_at > t.created_at,
                )
                .group_by(po.thread_id, pe.id)
            )
            counted: set[tuple[str, int]] = set()
            seen: set[int] = set()
            for r in rows:
                ident = r.ident
                if (ident, r.thread_id) in counted:
                    continue  # the same colleague under two handles of one account
                counted.add((ident, r.thread_id))
                if r.id not in seen:
                    seen.add(r.id)
                    people.setdefault(ident, []).append(r)
                answers.append(
                    Answer(
                        identity=ident,
                        at=from_ms(r.created_at),
                        sources=sources_of[r.thread_id],
                        accepted=bool(r.accepted),
                        acknowledged=bool(r.acknowledged),
                    )
                )
            return answers, people

    def people_by_identity(self, account_id: int, identities: Sequence[str]) -> dict[str, Any]:
        """For each identity, its person row on ``account_id`` (where it has one)."""
        plain = [i for i in identities if not i.startswith("person:")]
        direct = [int(i.split(":", 1)[1]) for i in identities if i.startswith("person:")]
        with self._db.read() as conn:
            found: dict[str, Any] = {}
            conditions = []
            if plain:
                conditions.append(pe.identity.in_(plain))
            if direct:
                conditions.append(pe.id.in_(direct))
            if not conditions:
                return {}
            for r in conn.execute(
                select(s.people).where(and_(pe.account_id == account_id, or_(*conditions)))
            ):
                found[identity_of(r)] = r
            return found


__all__ = ["PromptView", "Prompts", "refresh"]
