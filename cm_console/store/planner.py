"""Conversation starters: the planner's rows, each tied to the outbox operation that sends it.

Scheduling writes the starter and its ``post`` operation in one transaction, with the operation's
``next_attempt_at`` at the scheduled time: the ordinary sender takes it once that time has come,
with the same claim (``queued → sending``) that keeps two processes from both sending it.
Rescheduling or editing changes the operation only while it is still queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, insert, select, update

from cm_console.domain.outbox import OpKind, OpState, text_hash
from cm_console.domain.planning import (
    DutyMember,
    Starter,
    StarterKind,
    StarterOutcome,
    StarterPlan,
    status_of,
)
from cm_console.store import schema as s
from cm_console.store.convert import dumps, from_ms, loads, to_ms
from cm_console.store.engine import Database
from cm_console.store.outbox import enqueue

st = s.starters.c
o = s.outbox.c
t = s.threads.c
p = s.posts.c


def _duty_json(members: tuple[DutyMember, ...]) -> str:
    return dumps(
        [{"name": m.name, "user_id": m.user_id, "person_id": m.person_id} for m in members]
    )


def _duty(text: str) -> tuple[DutyMember, ...]:
    return tuple(
        DutyMember(d["name"], d.get("user_id"), d.get("person_id")) for d in loads(text, [])
    )


def _outcome(row: Row[Any]) -> StarterOutcome | None:
    if row.thread_id is None:
        return None
    return StarterOutcome(
        thread_id=row.thread_id,
        thread_key=f"{row.account}/{row.thread_remote_id}",
        url=row.thread_url,
        replies=row.qualifying_reply_count,
        responders=max(0, row.participant_count - 1),
        started_at=from_ms(row.thread_created_at),
        first_reply_at=from_ms(row.first_reply_at),
    )


def _starter(row: Row[Any]) -> Starter:
    return Starter(
        id=row.id,
        op_id=row.op_id,
        account_id=row.account_id,
        account=row.account,
        platform=row.platform,
        container_id=row.container_id,
        container=row.container,
        kind=StarterKind(row.kind),
        title=row.title,
        text=row.text,
        scheduled_at=from_ms(row.scheduled_at),
        status=status_of(OpState(row.state)),
        poll_options=tuple(loads(row.poll_options, [])),
        on_duty=_duty(row.on_duty),
        saved_reply_ids=tuple(int(i) for i in loads(row.saved_reply_ids, [])),
        notes=row.notes,
        created_at=from_ms(row.created_at),
        sent_at=from_ms(row.sent_at),
        error=row.last_error,
        outcome=_outcome(row),
    )


def _select() -> Any:
    """Starters with their operation's state and, once sent, the thread the post started."""
    sent_post = and_(
        p.account_id == o.account_id, p.remote_id == o.remote_id, o.state == OpState.SENT.value
    )
    return (
        select(
            st.id,
            st.op_id,
            st.account_id,
            s.accounts.c.name.label("account"),
            s.accounts.c.platform,
            st.container_id,
            s.containers.c.name.label("container"),
            st.kind,
            st.title,
            st.text,
            st.scheduled_at,
            st.poll_options,
            st.on_duty,
            st.saved_reply_ids,
            st.notes,
            st.created_at,
            o.state,
            o.sent_at,
            o.last_error,
            t.id.label("thread_id"),
            t.remote_id.label("thread_remote_id"),
            t.url.label("thread_url"),
            t.qualifying_reply_count,
            t.participant_count,
            t.first_reply_at,
            t.created_at.label("thread_created_at"),
        )
        .select_from(
            s.starters.join(s.outbox, o.op_id == st.op_id)
            .join(s.accounts, s.accounts.c.id == st.account_id)
            .join(s.containers, s.containers.c.id == st.container_id)
            .outerjoin(s.posts, sent_post)
            .outerjoin(s.threads, t.id == p.thread_id)
        )
        .order_by(st.scheduled_at, st.id)
    )


def payload_of(plan: StarterPlan, container_remote_id: str) -> dict[str, Any]:
    """The outbox payload that posts ``plan`` (the connector formats a poll when it sends)."""
    payload: dict[str, Any] = {
        "container_remote_id": container_remote_id,
        "title": plan.title.strip(),
        "text": plan.text.strip(),
    }
    if plan.kind is StarterKind.POLL:
        payload["poll_options"] = [o.strip() for o in plan.poll_options if o.strip()]
    return payload


def _values(plan: StarterPlan, now_ms: int) -> dict[str, Any]:
    return {
        "account_id": plan.account_id,
        "container_id": plan.container_id,
        "kind": plan.kind.value,
        "title": plan.title.strip(),
        "text": plan.text.strip(),
        "poll_options": dumps(
            [o.strip() for o in plan.poll_options if o.strip()]
            if plan.kind is StarterKind.POLL
            else []
        ),
        "scheduled_at": to_ms(plan.scheduled_at),
        "on_duty": _duty_json(plan.on_duty),
        "saved_reply_ids": dumps(list(plan.saved_reply_ids)),
        "notes": plan.notes.strip(),
        "updated_at": now_ms,
    }


class Planner:
    """Planned conversation starters."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def container_remote_id(self, container_id: int) -> tuple[int, str] | None:
        """(account id, remote id) of a container."""
        with self._db.read() as conn:
            row = conn.execute(
                select(s.containers.c.account_id, s.containers.c.remote_id).where(
                    s.containers.c.id == container_id
                )
            ).first()
            return None if row is None else (row.account_id, row.remote_id)

    def schedule(
        self, plan: StarterPlan, payload: Mapping[str, Any], now: datetime, user_id: int | None
    ) -> Starter:
        """Store the starter and queue its post for ``plan.scheduled_at``, in one transaction."""
        now_ms = to_ms(now)
        with self._db.write() as conn:
            op = enqueue(
                conn,
                account_id=plan.account_id,
                kind=OpKind.POST,
                payload=payload,
                now=now,
                created_by=user_id,
                not_before=plan.scheduled_at,
            )
            result = conn.execute(
                insert(s.starters).values(
                    op_id=op.op_id, created_by=user_id, created_at=now_ms, **_values(plan, now_ms)
                )
            )
            assert result.inserted_primary_key is not None
            return self._get(conn, int(result.inserted_primary_key[0]))

    def update(
        self, starter_id: int, plan: StarterPlan, payload: Mapping[str, Any], now: datetime
    ) -> Starter | None:
        """Change a starter that has not been sent yet; None when its post already left."""
        now_ms = to_ms(now)
        with self._db.write() as conn:
            op_id = conn.execute(select(st.op_id).where(st.id == starter_id)).scalar_one_or_none()
            if op_id is None:
                return None
            moved = conn.execute(
                update(s.outbox)
                .where(o.op_id == op_id, o.state == OpState.QUEUED.value)
                .values(
                    account_id=plan.account_id,
                    payload=dumps(dict(payload)),
                    payload_hash=text_hash(str(payload.get("text", ""))),
                    next_attempt_at=to_ms(plan.scheduled_at),
                    updated_at=now_ms,
                )
            )
            if moved.rowcount != 1:
                return None
            conn.execute(
                update(s.starters).where(st.id == starter_id).values(**_values(plan, now_ms))
            )
            return self._get(conn, starter_id)

    def _get(self, conn: Connection, starter_id: int) -> Starter:
        return _starter(conn.execute(_select().where(st.id == starter_id)).one())

    def get(self, starter_id: int) -> Starter | None:
        with self._db.read() as conn:
            row = conn.execute(_select().where(st.id == starter_id)).first()
            return None if row is None else _starter(row)

    def list(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        account_id: int | None = None,
    ) -> list[Starter]:
        """Starters scheduled in ``[since, until)`` (all when not given), earliest first."""
        stmt = _select()
        if since is not None:
            stmt = stmt.where(st.scheduled_at >= to_ms(since))
        if until is not None:
            stmt = stmt.where(st.scheduled_at < to_ms(until))
        if account_id is not None:
            stmt = stmt.where(st.account_id == account_id)
        with self._db.read() as conn:
            return [_starter(r) for r in conn.execute(stmt)]
