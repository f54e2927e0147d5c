"""Review of flagged threads in SQL: the state of each flagged thread's local copy, the review
list, annotations and decisions (importing review packets is in :mod:`review_packets`).

A flagged thread's complete copy is stored by the ordinary ingest (in the same transaction as
the mark that it is complete), so the copy is the thread itself: nothing is duplicated, and
tombstones and edit history keep what the platform later deletes or changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, false, func, insert, or_, select, update

from cm_console.domain.model import FullThread, Page, PostKind, Reaction
from cm_console.domain.review import (
    IMPORTED_ACCOUNT,
    IMPORTED_WORKSPACE,
    PACKET_PLATFORM,
    SOURCE_PLATFORM,
    Annotation,
    CopyState,
    DecisionRecord,
    FlagReason,
    ImportResult,
    PacketThread,
    PostVersion,
    ReviewDetail,
    ReviewFilter,
    ReviewItem,
    ReviewPost,
    current_decision,
)
from cm_console.domain.views import PostView
from cm_console.store import review_packets
from cm_console.store import schema as s
from cm_console.store.accounts import person_from_row
from cm_console.store.convert import from_ms, loads, to_ms
from cm_console.store.engine import Database
from cm_console.store.ingest import ingest_page
from cm_console.store.review_rows import (
    annotation_of,
    annotation_values,
    decision_of,
    decision_values,
    ensure_review_rows,
    reason_of,
)
from cm_console.store.search import matching_thread_ids
from cm_console.store.triage import audit

t = s.threads.c
tr = s.triage.c
rv = s.review_threads.c
an = s.review_annotations.c
dc = s.review_decisions.c
p = s.posts.c

REVIEW_SCOPE = "~review"
"""The cursor scope of complete copies (fetched on demand, not part of incremental sync)."""


@dataclass(frozen=True, slots=True)
class ExportFacts:
    """A thread's identity across consoles and the platform flags exports show."""

    account_id: int
    origin_workspace: str | None
    """None for this console's own threads; the flagging console's id for imported ones."""
    origin_account: str
    remote_id: str
    container_remote_id: str
    resolved: bool
    closed: bool


@dataclass(frozen=True, slots=True)
class PendingCopy:
    """A flagged thread whose complete copy is still to be fetched."""

    thread_id: int
    account_id: int
    remote_id: str
    container_remote_id: str
    root_post_remote_id: str | None
    url: str | None
    title: str


class Reviews:
    """Flagged threads' copies, the review list, annotations, decisions and packets."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- flagging and complete copies ---------------------------------------------------------

    def mark_flagged(
        self, thread_ids: Sequence[int], reason: FlagReason | None, now: datetime
    ) -> None:
        """Ask for a fresh complete copy of each thread (and set the reason, when given).

        Threads from review packets stay ``imported``: there is no platform to fetch them from.
        """
        now_ms = to_ms(now)
        ids = list(dict.fromkeys(thread_ids))
        with self._db.write() as conn:
            imported = set(
                conn.execute(
                    select(t.id)
                    .join(s.accounts, s.accounts.c.id == t.account_id)
                    .where(t.id.in_(ids), s.accounts.c.platform == PACKET_PLATFORM)
                ).scalars()
            )
            ensure_review_rows(conn, [i for i in ids if i in imported], now_ms, CopyState.IMPORTED)
            ensure_review_rows(
                conn, [i for i in ids if i not in imported], now_ms, CopyState.PENDING
            )
            values: dict[str, Any] = {"updated_at": now_ms, "copy_requested_at": now_ms}
            if reason is not None:
                values["reason"] = reason.value
            conn.execute(update(s.review_threads).where(rv.thread_id.in_(ids)).values(**values))
            refetch = [i for i in ids if i not in imported]
            if refetch:
                conn.execute(
                    update(s.review_threads)
                    .where(
                        rv.thread_id.in_(refetch),
                        rv.copy_state == CopyState.COMPLETE.value,
                    )
                    .values(copy_state=CopyState.PENDING.value)
                )

    def pending(
        self, account_id: int | None = None, thread_ids: Sequence[int] | None = None
    ) -> list[PendingCopy]:
        """Flagged threads whose complete copy is still to be fetched (oldest flag first).

        A thread flagged before this console kept copies (no review row yet) counts as pending.
        """
        root = select(p.remote_id).where(p.thread_id == t.id, p.is_root).limit(1).scalar_subquery()
        stmt = (
            select(
                t.id,
                t.account_id,
                t.remote_id,
                t.url,
                t.title,
                s.containers.c.remote_id.label("container_remote_id"),
                root.label("root"),
            )
            .join(s.triage, tr.thread_id == t.id)
            .join(s.containers, s.containers.c.id == t.container_id)
            .join(s.accounts, s.accounts.c.id == t.account_id)
            .outerjoin(s.review_threads, rv.thread_id == t.id)
            .where(
                tr.flagged,
                s.accounts.c.platform != PACKET_PLATFORM,
                or_(rv.thread_id.is_(None), rv.copy_state == CopyState.PENDING.value),
            )
            .order_by(func.coalesce(tr.flagged_at, 0), t.id)
        )
        if account_id is not None:
            stmt = stmt.where(t.account_id == account_id)
        if thread_ids is not None:
            stmt = stmt.where(t.id.in_(list(thread_ids)))
        with self._db.read() as conn:
            return [
                PendingCopy(
                    thread_id=r.id,
                    account_id=r.account_id,
                    remote_id=r.remote_id,
                    container_remote_id=r.container_remote_id,
                    root_post_remote_id=r.root,
                    url=r.url,
                    title=r.title,
                )
                for r in conn.execute(stmt)
            ]

    def store_copy(
        self, account_id: int, thread_id: int, full: FullThread, now: datetime
    ) -> frozenset[int]:
        """Store a freshly fetched complete thread and mark its copy complete, in one transaction.

        Posts stored earlier that the platform no longer returns become tombstones.
        """
        now_ms = to_ms(now)
        fetched = {post.remote_id for post in full.posts}
        with self._db.write() as conn:
            stored = set(
                conn.execute(
                    select(p.remote_id).where(p.thread_id == thread_id, p.deleted_at.is_(None))
                ).scalars()
            )
            page = Page(
                scope=REVIEW_SCOPE,
                cursor=None,
                people=full.people,
                threads=(full.thread,),
                posts=full.posts,
                deleted_post_ids=tuple(sorted(stored - fetched)),
            )
            result = ingest_page(conn, account_id, page, now)
            ensure_review_rows(conn, [thread_id], now_ms, CopyState.PENDING)
            conn.execute(
                update(s.review_threads)
                .where(rv.thread_id == thread_id)
                .values(
                    copy_state=CopyState.COMPLETE.value,
                    copied_at=now_ms,
                    copy_error=None,
                    upstream_deleted_at=None,
                    updated_at=now_ms,
                )
            )
            return result.thread_ids | {thread_id}

    def copy_failed(self, thread_id: int, error: str, now: datetime) -> None:
        """Keep the copy pending (the next sync tries again) and remember why it failed."""
        now_ms = to_ms(now)
        with self._db.write() as conn:
            ensure_review_rows(conn, [thread_id], now_ms, CopyState.PENDING)
            conn.execute(
                update(s.review_threads)
                .where(rv.thread_id == thread_id)
                .values(copy_error=error[:500], updated_at=now_ms)
            )

    def mark_gone(self, thread_id: int, now: datetime) -> None:
        """The platform no longer has the thread: what is stored is kept, marked as deleted."""
        now_ms = to_ms(now)
        with self._db.write() as conn:
            ensure_review_rows(conn, [thread_id], now_ms, CopyState.PENDING)
            conn.execute(
                update(s.review_threads)
                .where(rv.thread_id == thread_id)
                .values(
                    copy_state=CopyState.GONE.value,
                    upstream_deleted_at=func.coalesce(rv.upstream_deleted_at, now_ms),
                    copy_error=None,
                    updated_at=now_ms,
                )
            )

    # --- the review list -----------------------------------------------------------------------

    def ids(self, query: ReviewFilter) -> list[int]:
        """Flagged threads matching ``query``, most recently flagged first."""
        stmt = (
            select(t.id)
            .join(s.triage, tr.thread_id == t.id)
            .outerjoin(s.review_threads, rv.thread_id == t.id)
            .where(tr.flagged)
            .order_by(func.coalesce(tr.flagged_at, 0).desc(), t.id.desc())
        )
        if query.reason is not None:
            if query.reason is FlagReason.OTHER:
                stmt = stmt.where(or_(rv.reason.is_(None), rv.reason == FlagReason.OTHER.value))
            else:
                stmt = stmt.where(rv.reason == query.reason.value)
        with self._db.read() as conn:
            if query.search and query.search.strip():
                matches = matching_thread_ids(conn, query.search)
                stmt = stmt.where(t.id.in_(matches) if matches is not None else false())
            ids = list(conn.execute(stmt).scalars())
            if not query.undecided and query.decision is None:
                return ids
            current = _current_decisions(conn, ids)
        if query.undecided:
            return [i for i in ids if i not in current]
        return [
            i for i in ids if (d := current.get(i)) is not None and d.decision is query.decision
        ]

    def items(self, ids: Sequence[int]) -> list[ReviewItem]:
        """Review items for ``ids`` in the order given (threads no longer stored are skipped)."""
        if not ids:
            return []
        with self._db.read() as conn:
            return _items(conn, ids)

    def counts(self) -> dict[str, int]:
        """How many flagged threads there are, and how many have no decision yet."""
        with self._db.read() as conn:
            ids = list(conn.execute(select(tr.thread_id).where(tr.flagged)).scalars())
            decided = _current_decisions(conn, ids)
        return {"flagged": len(ids), "undecided": len(ids) - len(decided)}

    def detail(self, thread_id: int) -> ReviewDetail | None:
        """Everything about one thread the review and the exports show."""
        with self._db.read() as conn:
            items = _items(conn, [thread_id])
            if not items:
                return None
            posts, people = _posts(conn, thread_id)
            annotations = [
                annotation_of(r)
                for r in conn.execute(
                    select(s.review_annotations)
                    .where(an.thread_id == thread_id)
                    .order_by(an.created_at, an.id)
                )
            ]
            decisions = [
                decision_of(r)
                for r in conn.execute(
                    select(s.review_decisions)
                    .where(dc.thread_id == thread_id)
                    .order_by(dc.decided_at, dc.uid)
                )
            ]
        return ReviewDetail(
            item=items[0],
            posts=tuple(posts),
            annotations=tuple(annotations),
            decisions=tuple(decisions),
            people=tuple(people),
        )

    # --- annotations and decisions -------------------------------------------------------------

    def add_annotation(self, annotation: Annotation, *, user_id: int | None) -> Annotation:
        with self._db.write() as conn:
            conn.execute(insert(s.review_annotations).values(**annotation_values(annotation)))
            audit(
                conn,
                action="annotate",
                now_ms=to_ms(annotation.created_at),
                user_id=user_id,
                thread_ids=[annotation.thread_id],
                detail={"uid": annotation.uid, "post": annotation.post_remote_id},
            )
        return annotation

    def annotation(self, uid: str) -> Annotation | None:
        with self._db.read() as conn:
            row = conn.execute(select(s.review_annotations).where(an.uid == uid)).first()
            return None if row is None else annotation_of(row)

    def change_annotation(
        self, uid: str, *, text: str | None, deleted: bool, now: datetime, user_id: int | None
    ) -> Annotation | None:
        """Edit an annotation's text, or remove it (kept as a tombstone, so packets carry it)."""
        now_ms = to_ms(now)
        values: dict[str, Any] = {"updated_at": now_ms}
        if deleted:
            values["deleted_at"] = now_ms
        elif text is not None:
            values["text"] = text
        with self._db.write() as conn:
            row = conn.execute(select(s.review_annotations).where(an.uid == uid)).first()
            if row is None:
                return None
            conn.execute(update(s.review_annotations).where(an.uid == uid).values(**values))
            audit(
                conn,
                action="unannotate" if deleted else "annotate",
                now_ms=now_ms,
                user_id=user_id,
                thread_ids=[row.thread_id],
                detail={"uid": uid},
            )
            changed = conn.execute(select(s.review_annotations).where(an.uid == uid)).one()
            return annotation_of(changed)

    def add_decisions(
        self, decisions: Sequence[DecisionRecord], *, user_id: int | None
    ) -> list[DecisionRecord]:
        if not decisions:
            return []
        with self._db.write() as conn:
            conn.execute(insert(s.review_decisions), [decision_values(d) for d in decisions])
            for d in decisions:
                audit(
                    conn,
                    action="decide",
                    now_ms=to_ms(d.decided_at),
                    user_id=user_id,
                    thread_ids=[d.thread_id],
                    detail={"uid": d.uid, "decision": d.decision.value},
                )
        return list(decisions)

    # --- review packets ------------------------------------------------------------------------

    def import_packet(
        self,
        threads: Sequence[PacketThread],
        *,
        workspace: str,
        now: datetime,
        user_id: int | None,
    ) -> ImportResult:
        """Bring a packet's threads in and merge its annotations and decisions, all or nothing
        (see :func:`cm_console.store.review_packets.import_packet`)."""
        with self._db.write() as conn:
            return review_packets.import_packet(
                conn, threads, workspace=workspace, now=now, user_id=user_id
            )

    def export_facts(self, thread_ids: Sequence[int]) -> dict[int, ExportFacts]:
        """What exports need beyond the review detail, per thread."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(
                    t.id,
                    t.remote_id,
                    t.account_id,
                    t.resolved,
                    t.closed,
                    s.accounts.c.name,
                    s.accounts.c.options,
                    s.containers.c.remote_id.label("container_remote_id"),
                )
                .join(s.accounts, s.accounts.c.id == t.account_id)
                .join(s.containers, s.containers.c.id == t.container_id)
                .where(t.id.in_(list(thread_ids)))
            )
            out: dict[int, ExportFacts] = {}
            for r in rows:
                options = loads(r.options, {})
                imported = IMPORTED_WORKSPACE in options
                out[r.id] = ExportFacts(
                    account_id=r.account_id,
                    origin_workspace=str(options[IMPORTED_WORKSPACE]) if imported else None,
                    origin_account=str(options.get(IMPORTED_ACCOUNT, r.name))
                    if imported
                    else r.name,
                    remote_id=r.remote_id,
                    container_remote_id=r.container_remote_id,
                    resolved=r.resolved,
                    closed=r.closed,
                )
            return out


# --- reading -------------------------------------------------------------------------------------


def _current_decisions(conn: Connection, ids: Sequence[int]) -> dict[int, DecisionRecord]:
    by_thread: dict[int, list[DecisionRecord]] = {}
    for chunk in _chunks(list(ids)):
        for row in conn.execute(select(s.review_decisions).where(dc.thread_id.in_(chunk))):
            by_thread.setdefault(row.thread_id, []).append(decision_of(row))
    out = {}
    for tid, decisions in by_thread.items():
        current = current_decision(decisions)
        if current is not None:
            out[tid] = current
    return out


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _items(conn: Connection, ids: Sequence[int]) -> list[ReviewItem]:
    wanted = list(dict.fromkeys(ids))
    live = (
        select(func.count()).where(an.thread_id == t.id, an.deleted_at.is_(None)).scalar_subquery()
    )
    rows: dict[int, Any] = {}
    for chunk in _chunks(wanted):
        stmt = (
            select(
                t.id,
                t.remote_id,
                t.title,
                t.url,
                t.created_at,
                t.last_activity_at,
                t.reply_count,
                s.accounts.c.name.label("account"),
                s.accounts.c.platform,
                s.accounts.c.options.label("account_options"),
                s.containers.c.name.label("container"),
                s.people.c.display_name.label("author"),
                tr.flag_note,
                tr.flagged_at,
                rv.reason,
                rv.copy_state,
                rv.copied_at,
                rv.copy_error,
                rv.upstream_deleted_at,
                live.label("annotations"),
            )
            .join(s.accounts, s.accounts.c.id == t.account_id)
            .join(s.containers, s.containers.c.id == t.container_id)
            .outerjoin(s.people, s.people.c.id == t.root_author_id)
            .outerjoin(s.triage, tr.thread_id == t.id)
            .outerjoin(s.review_threads, rv.thread_id == t.id)
            .where(t.id.in_(chunk))
        )
        rows.update({r.id: r for r in conn.execute(stmt)})
    decisions = _current_decisions(conn, list(rows))
    out = []
    for tid in wanted:
        r = rows.get(tid)
        if r is None:
            continue
        imported = r.platform == PACKET_PLATFORM
        options = loads(r.account_options, {})
        state = r.copy_state or (CopyState.IMPORTED.value if imported else CopyState.PENDING.value)
        out.append(
            ReviewItem(
                thread_id=r.id,
                key=f"{r.account}/{r.remote_id}",
                platform=str(options.get(SOURCE_PLATFORM, r.platform)) if imported else r.platform,
                account=r.account,
                container=r.container,
                title=r.title,
                url=r.url,
                author=r.author or "",
                created_at=from_ms(r.created_at),
                last_activity_at=from_ms(r.last_activity_at),
                reply_count=r.reply_count,
                flag_note=r.flag_note,
                flag_reason=reason_of(r.reason),
                flagged_at=from_ms(r.flagged_at),
                copy_state=CopyState(state),
                copied_at=from_ms(r.copied_at),
                copy_error=r.copy_error,
                upstream_deleted_at=from_ms(r.upstream_deleted_at),
                decision=decisions.get(r.id),
                annotation_count=int(r.annotations or 0),
                imported=imported,
            )
        )
    return out


def _posts(conn: Connection, thread_id: int) -> tuple[list[ReviewPost], list[Any]]:
    rows = list(
        conn.execute(
            select(
                s.posts,
                s.people.c.display_name,
                s.people.c.handle,
                s.people.c.is_team,
                s.people.c.remote_id.label("author_remote_id"),
            )
            .join(s.people, s.people.c.id == p.author_id)
            .where(p.thread_id == thread_id)
            .order_by(p.is_root.desc(), p.created_at, p.id)
        )
    )
    versions: dict[int, list[PostVersion]] = {}
    if rows:
        v = s.post_versions.c
        for row in conn.execute(
            select(s.post_versions)
            .where(v.post_id.in_([r.id for r in rows]))
            .order_by(v.replaced_at, v.id)
        ):
            versions.setdefault(row.post_id, []).append(
                PostVersion(
                    text=row.text,
                    html=row.html,
                    edited_at=from_ms(row.edited_at),
                    replaced_at=from_ms(row.replaced_at),
                )
            )
    posts = []
    remote_people: set[str] = set()
    account_id = rows[0].account_id if rows else None
    for r in rows:
        reactions = tuple(Reaction(a, b) for a, b in loads(r.reactions, []))
        remote_people.add(r.author_remote_id)
        remote_people.update(x.person_remote_id for x in reactions)
        posts.append(
            ReviewPost(
                post=PostView(
                    id=r.id,
                    remote_id=r.remote_id,
                    author=r.display_name,
                    author_handle=r.handle,
                    author_is_team=r.is_team,
                    created_at=from_ms(r.created_at),
                    text=r.text,
                    html=r.html,
                    is_root=r.is_root,
                    kind=PostKind(r.kind),
                    deleted=r.deleted_at is not None,
                    edited_at=from_ms(r.edited_at),
                    by_bot=r.by_bot,
                    reactions=reactions,
                    url=r.url,
                ),
                author_remote_id=r.author_remote_id,
                attachments=tuple(str(a) for a in loads(r.attachments, [])),
                versions=tuple(versions.get(r.id, ())),
            )
        )
    people = []
    if account_id is not None and remote_people:
        people = [
            person_from_row(row)
            for row in conn.execute(
                select(s.people)
                .where(
                    s.people.c.account_id == account_id,
                    s.people.c.remote_id.in_(sorted(remote_people)),
                )
                .order_by(s.people.c.id)
            )
        ]
    return posts, people
