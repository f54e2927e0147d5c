"""Importing review packets: threads from another console become a read-only account, and
annotations and decisions merge by their uid, all in the caller's transaction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from cm_console.domain.model import Page
from cm_console.domain.review import (
    IMPORTED_ACCOUNT,
    IMPORTED_WORKSPACE,
    PACKET_PLATFORM,
    SOURCE_PLATFORM,
    Annotation,
    CopyState,
    DecisionRecord,
    ImportResult,
    PacketThread,
    newer_annotation,
)
from cm_console.store import schema as s
from cm_console.store.convert import dumps, loads, to_ms
from cm_console.store.ingest import ingest_page
from cm_console.store.review_rows import (
    annotation_of,
    annotation_values,
    decision_values,
    ensure_review_rows,
)
from cm_console.store.triage import audit

t = s.threads.c
tr = s.triage.c
rv = s.review_threads.c
an = s.review_annotations.c
dc = s.review_decisions.c
p = s.posts.c

PACKET_SCOPE = "~packet"
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


def import_packet(
    conn: Connection,
    threads: Sequence[PacketThread],
    *,
    workspace: str,
    now: datetime,
    user_id: int | None,
) -> ImportResult:
    """Bring a packet's threads in and merge its annotations and decisions, all or nothing.

    Threads this console flagged itself (the packet's origin is this workspace) only get the
    annotations and decisions; other threads are stored under a read-only account per
    origin account, created on first import and never synced.
    """
    now_ms = to_ms(now)
    counts = {"new": 0, "own": 0, "ann_add": 0, "ann_upd": 0, "dec": 0}
    accounts: dict[tuple[str, str], tuple[int, str]] = {}
    touched: set[int] = set()
    for packet_thread in threads:
        thread_id = None
        origin = packet_thread.origin
        if origin.workspace == workspace:
            thread_id = _own_thread(conn, origin.account, origin.remote_id)
        if thread_id is not None:
            counts["own"] += 1
        else:
            key = (origin.workspace, origin.account)
            if key not in accounts:
                accounts[key] = _imported_account(conn, packet_thread, now_ms)
            account_id = accounts[key][0]
            thread_id, new = _store_packet_thread(conn, account_id, packet_thread, now)
            counts["new"] += int(new)
        touched.add(thread_id)
        added, updated = _merge_annotations(conn, thread_id, packet_thread.annotations)
        counts["ann_add"] += added
        counts["ann_upd"] += updated
        counts["dec"] += _merge_decisions(conn, thread_id, packet_thread.decisions)
    if touched:
        audit(
            conn,
            action="review_import",
            now_ms=now_ms,
            user_id=user_id,
            thread_ids=sorted(touched),
            detail={"threads": len(threads)},
        )
    return ImportResult(
        threads=len(threads),
        new_threads=counts["new"],
        own_threads=counts["own"],
        annotations_added=counts["ann_add"],
        annotations_updated=counts["ann_upd"],
        decisions_added=counts["dec"],
        accounts=tuple(sorted(name for _id, name in accounts.values())),
        thread_ids=frozenset(touched),
    )


def _own_thread(conn: Connection, account: str, remote_id: str) -> int | None:
    found = conn.execute(
        select(t.id)
        .join(s.accounts, s.accounts.c.id == t.account_id)
        .where(
            s.accounts.c.name == account,
            s.accounts.c.platform != PACKET_PLATFORM,
            t.remote_id == remote_id,
        )
    ).scalar()
    return None if found is None else int(found)


def _imported_account(conn: Connection, thread: PacketThread, now_ms: int) -> tuple[int, str]:
    """The read-only account for the packet thread's origin account (created when new)."""
    origin = thread.origin
    for row in conn.execute(
        select(s.accounts.c.id, s.accounts.c.name, s.accounts.c.options).where(
            s.accounts.c.platform == PACKET_PLATFORM
        )
    ):
        options = loads(row.options, {})
        if (options.get(IMPORTED_WORKSPACE), options.get(IMPORTED_ACCOUNT)) == (
            origin.workspace,
            origin.account,
        ):
            return int(row.id), str(row.name)
    base = _NAME_CHARS.sub("-", f"review-{origin.account}").strip("-.")[:56] or "review"
    taken = set(conn.execute(select(s.accounts.c.name)).scalars())
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    team = {p.remote_id: p.handle for p in thread.people}
    options = {
        IMPORTED_WORKSPACE: origin.workspace,
        IMPORTED_ACCOUNT: origin.account,
        SOURCE_PLATFORM: thread.platform,
        "team": ",".join(team[r] for r in thread.team if r in team),
    }
    inserted = conn.execute(
        insert(s.accounts).values(
            name=name,
            platform=PACKET_PLATFORM,
            platform_kind="forum",
            options=dumps(options),
            enabled=False,
            created_at=now_ms,
        )
    ).inserted_primary_key
    assert inserted is not None
    return int(inserted[0]), name


def _store_packet_thread(
    conn: Connection, account_id: int, thread: PacketThread, now: datetime
) -> tuple[int, bool]:
    now_ms = to_ms(now)
    page = Page(
        scope=PACKET_SCOPE,
        cursor=None,
        containers=(thread.container,),
        people=thread.people,
        threads=(thread.thread,),
        posts=thread.posts,
    )
    before = conn.execute(
        select(t.id).where(t.account_id == account_id, t.remote_id == thread.thread.remote_id)
    ).scalar()
    ingest_page(conn, account_id, page, now)
    thread_id = int(
        conn.execute(
            select(t.id).where(t.account_id == account_id, t.remote_id == thread.thread.remote_id)
        ).scalar_one()
    )
    _store_versions(conn, account_id, thread)
    # The imported copy is flagged here too, so it shows in the Review page and the Flagged view.
    has_triage = conn.execute(select(tr.thread_id).where(tr.thread_id == thread_id)).first()
    flag = {
        "flagged": True,
        "flag_note": thread.flag_note,
        "flagged_at": to_ms(thread.flagged_at) if thread.flagged_at else now_ms,
        "updated_at": now_ms,
    }
    if has_triage is None:
        conn.execute(insert(s.triage).values(thread_id=thread_id, **flag))
    else:
        conn.execute(update(s.triage).where(tr.thread_id == thread_id).values(**flag))
    ensure_review_rows(conn, [thread_id], now_ms, CopyState.IMPORTED)
    conn.execute(
        update(s.review_threads)
        .where(rv.thread_id == thread_id)
        .values(
            reason=thread.flag_reason.value if thread.flag_reason else None,
            copy_state=CopyState.IMPORTED.value,
            upstream_deleted_at=to_ms(thread.upstream_deleted_at),
            copied_at=now_ms,
            updated_at=now_ms,
        )
    )
    return thread_id, before is None


def _store_versions(conn: Connection, account_id: int, thread: PacketThread) -> None:
    if not thread.versions:
        return
    ids = dict(
        conn.execute(
            select(p.remote_id, p.id).where(
                p.account_id == account_id, p.remote_id.in_(list(thread.versions))
            )
        ).all()
    )
    v = s.post_versions.c
    rows = []
    for remote_id, versions in thread.versions.items():
        post_id = ids.get(remote_id)
        if post_id is None:
            continue
        have = {
            (r.text, r.replaced_at)
            for r in conn.execute(select(v.text, v.replaced_at).where(v.post_id == post_id))
        }
        for version in versions:
            key = (version.text, to_ms(version.replaced_at))
            if key in have:
                continue
            have.add(key)
            rows.append(
                {
                    "post_id": post_id,
                    "text": version.text,
                    "html": version.html,
                    "edited_at": to_ms(version.edited_at),
                    "replaced_at": to_ms(version.replaced_at),
                }
            )
    if rows:
        conn.execute(insert(s.post_versions), rows)


def _merge_annotations(
    conn: Connection, thread_id: int, incoming: Sequence[Annotation]
) -> tuple[int, int]:
    """Add unknown annotations, replace known ones by newer copies (by uid)."""
    if not incoming:
        return 0, 0
    uids = [a.uid for a in incoming]
    existing = {
        row.uid: row for row in conn.execute(select(s.review_annotations).where(an.uid.in_(uids)))
    }
    added = updated = 0
    for a in incoming:
        row = existing.get(a.uid)
        values = annotation_values(replace(a, thread_id=thread_id))
        if row is None:
            conn.execute(insert(s.review_annotations).values(**values))
            added += 1
        elif row.thread_id == thread_id and newer_annotation(annotation_of(row), a):
            conn.execute(
                update(s.review_annotations)
                .where(an.uid == a.uid)
                .values(
                    text=values["text"],
                    updated_at=values["updated_at"],
                    deleted_at=values["deleted_at"],
                )
            )
            updated += 1
    return added, updated


def _merge_decisions(conn: Connection, thread_id: int, incoming: Sequence[DecisionRecord]) -> int:
    """Decisions are a history: unknown ones are added, known ones never change."""
    if not incoming:
        return 0
    known = set(conn.execute(select(dc.uid).where(dc.uid.in_([d.uid for d in incoming]))).scalars())
    rows = [
        decision_values(replace(d, thread_id=thread_id)) for d in incoming if d.uid not in known
    ]
    if rows:
        conn.execute(insert(s.review_decisions), rows)
    return len(rows)
