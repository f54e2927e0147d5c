"""Row conversions shared by the review repository and the packet import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from cm_console.domain.review import Annotation, CopyState, Decision, DecisionRecord, FlagReason
from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms

rv = s.review_threads.c


def reason_of(value: str | None) -> FlagReason | None:
    try:
        return FlagReason(value) if value else None
    except ValueError:
        return FlagReason.OTHER


def annotation_of(row: Any) -> Annotation:
    return Annotation(
        uid=row.uid,
        thread_id=row.thread_id,
        post_remote_id=row.post_remote_id,
        author=row.author,
        text=row.text,
        created_at=from_ms(row.created_at),
        updated_at=from_ms(row.updated_at),
        deleted=row.deleted_at is not None,
    )


def decision_of(row: Any) -> DecisionRecord:
    return DecisionRecord(
        uid=row.uid,
        thread_id=row.thread_id,
        decision=Decision(row.decision),
        reviewer=row.reviewer,
        decided_at=from_ms(row.decided_at),
        note=row.note or "",
    )


def ensure_review_rows(
    conn: Connection, thread_ids: Sequence[int], now_ms: int, state: CopyState
) -> None:
    ids = list(dict.fromkeys(thread_ids))
    have = {r.thread_id for r in conn.execute(select(rv.thread_id).where(rv.thread_id.in_(ids)))}
    missing = [tid for tid in ids if tid not in have]
    if missing:
        conn.execute(
            insert(s.review_threads),
            [
                {
                    "thread_id": tid,
                    "copy_state": state.value,
                    "copy_requested_at": now_ms,
                    "updated_at": now_ms,
                }
                for tid in missing
            ],
        )


def annotation_values(a: Annotation) -> dict[str, Any]:
    return {
        "uid": a.uid,
        "thread_id": a.thread_id,
        "post_remote_id": a.post_remote_id,
        "author": a.author[:200],
        "text": a.text,
        "created_at": to_ms(a.created_at),
        "updated_at": to_ms(a.updated_at),
        "deleted_at": to_ms(a.updated_at) if a.deleted else None,
    }


def decision_values(d: DecisionRecord) -> dict[str, Any]:
    return {
        "uid": d.uid,
        "thread_id": d.thread_id,
        "decision": d.decision.value,
        "reviewer": d.reviewer[:200],
        "note": d.note,
        "decided_at": to_ms(d.decided_at),
    }
