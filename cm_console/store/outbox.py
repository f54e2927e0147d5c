"""The outbox table and its state machine.

Every move is a conditional UPDATE (``WHERE state IN (…)``): when two processes race for one
operation, exactly one update matches and the other sees zero rows. ``queued → sending`` is
committed before the network call, so a crash leaves the operation in ``sending``, which the next
start turns into ``unknown`` (reconcile before resending).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, or_, select, update

from cm_console.domain.model import Page, PostKind
from cm_console.domain.outbox import (
    CANCELLABLE,
    RETRYABLE_BY_USER,
    Operation,
    OpKind,
    OpState,
    can_move,
    text_hash,
)
from cm_console.store import schema as s
from cm_console.store.convert import dumps, from_ms, loads, local_id, to_ms
from cm_console.store.engine import Database
from cm_console.store.ingest import ingest_page
from cm_console.store.triage import audit

o = s.outbox.c


def op_from_row(row: Row[Any]) -> Operation:
    return Operation(
        id=row.id,
        op_id=row.op_id,
        account_id=row.account_id,
        kind=OpKind(row.kind),
        state=OpState(row.state),
        payload=loads(row.payload, {}),
        thread_id=row.thread_id,
        attempts=row.attempts,
        created_at=from_ms(row.created_at),
        first_attempt_at=from_ms(row.first_attempt_at),
        last_attempt_at=from_ms(row.last_attempt_at),
        next_attempt_at=from_ms(row.next_attempt_at),
        last_error_code=row.last_error_code,
        last_error=row.last_error,
        remote_id=row.remote_id,
        sent_at=from_ms(row.sent_at),
        created_by=row.created_by,
        base_reply_count=row.base_reply_count,
    )


class Outbox:
    """Operations waiting for, or done with, the platforms."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def enqueue(
        self,
        *,
        account_id: int,
        kind: OpKind,
        payload: Mapping[str, Any],
        now: datetime,
        thread_id: int | None = None,
        created_by: int | None = None,
        base_reply_count: int | None = None,
        not_before: datetime | None = None,
        op_id: str | None = None,
    ) -> Operation:
        """Commit a new operation (state ``queued``) before anything touches the network."""
        with self._db.write() as conn:
            return enqueue(
                conn,
                account_id=account_id,
                kind=kind,
                payload=payload,
                now=now,
                thread_id=thread_id,
                created_by=created_by,
                base_reply_count=base_reply_count,
                not_before=not_before,
                op_id=op_id,
            )

    def get(self, ref: str | int) -> Operation | None:
        """An operation by local id or by (a prefix of at least 8 characters of) its op_id."""
        number = ref if isinstance(ref, int) else local_id(ref)
        with self._db.read() as conn:
            row = None
            if number is not None:
                row = conn.execute(select(s.outbox).where(o.id == number)).first()
            # An op_id may start with eight digits, so a number that is no local id is tried as
            # a prefix too.
            if row is None and isinstance(ref, str) and len(ref) >= 8:
                # autoescape: a '%' or '_' in what the user typed is a character, not a wildcard
                rows = conn.execute(
                    select(s.outbox).where(o.op_id.startswith(ref, autoescape=True)).limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
            return None if row is None else op_from_row(row)

    def find(
        self,
        states: Collection[OpState] | None = None,
        thread_id: int | None = None,
        limit: int = 1000,
    ) -> list[Operation]:
        stmt = select(s.outbox).order_by(o.id.desc()).limit(limit)
        if states is not None:
            stmt = stmt.where(o.state.in_([st.value for st in states]))
        if thread_id is not None:
            stmt = stmt.where(o.thread_id == thread_id)
        with self._db.read() as conn:
            return [op_from_row(r) for r in conn.execute(stmt)]

    def counts(self) -> dict[OpState, int]:
        with self._db.read() as conn:
            rows = conn.execute(select(o.state, func.count()).group_by(o.state))
            return {OpState(r[0]): r[1] for r in rows}

    def due(self, now: datetime, account_ids: Collection[int] | None = None) -> list[Operation]:
        """Queued operations whose time has come, oldest first."""
        stmt = (
            select(s.outbox)
            .where(o.state == OpState.QUEUED.value)
            .where(or_(o.next_attempt_at.is_(None), o.next_attempt_at <= to_ms(now)))
            .order_by(o.id)
        )
        if account_ids is not None:
            stmt = stmt.where(o.account_id.in_(list(account_ids)))
        with self._db.read() as conn:
            return [op_from_row(r) for r in conn.execute(stmt)]

    def unknown(
        self, account_ids: Collection[int] | None = None, now: datetime | None = None
    ) -> list[Operation]:
        """Operations to reconcile, oldest first; with ``now``, only those whose time has come."""
        stmt = select(s.outbox).where(o.state == OpState.UNKNOWN.value).order_by(o.id)
        if now is not None:
            stmt = stmt.where(or_(o.next_attempt_at.is_(None), o.next_attempt_at <= to_ms(now)))
        if account_ids is not None:
            stmt = stmt.where(o.account_id.in_(list(account_ids)))
        with self._db.read() as conn:
            return [op_from_row(r) for r in conn.execute(stmt)]

    def hold_account(self, account_id: int, until: datetime, now: datetime) -> None:
        """The platform throttles the account: nothing of it goes out before ``until``.

        A platform throttles an account, not one request. Every queued or unknown operation of
        the account waits (``next_attempt_at``), and the account itself keeps the time (a cursor
        row in the same transaction), so an operation written later, or the next sync, whose new
        connector never saw the 429, waits as well.
        """
        until_ms = to_ms(until)
        with self._db.write() as conn:
            conn.execute(
                update(s.outbox)
                .where(
                    o.account_id == account_id,
                    o.state.in_([OpState.QUEUED.value, OpState.UNKNOWN.value]),
                    or_(o.next_attempt_at.is_(None), o.next_attempt_at < until_ms),
                )
                .values(next_attempt_at=until_ms, updated_at=to_ms(now))
            )
            held = _held(conn, account_id)
            if held is not None and held >= until_ms:
                return
            value = dumps({"not_before": until_ms})
            if held is None:
                conn.execute(
                    insert(s.cursors).values(
                        account_id=account_id, scope=HOLD_SCOPE, value=value, updated_at=to_ms(now)
                    )
                )
            else:
                conn.execute(
                    update(s.cursors)
                    .where(s.cursors.c.account_id == account_id, s.cursors.c.scope == HOLD_SCOPE)
                    .values(value=value, updated_at=to_ms(now))
                )

    def held_until(self, account_id: int) -> datetime | None:
        """Until when the platform asked this account to wait (None: it did not)."""
        with self._db.read() as conn:
            return from_ms(_held(conn, account_id))

    def claim(
        self,
        op_id: str,
        now: datetime,
        holder: str,
        *,
        from_states: Sequence[OpState] = (OpState.QUEUED,),
    ) -> Operation | None:
        """Move ``from_states → sending`` if nobody else did; the winner gets the operation."""
        for source in from_states:
            if not can_move(source, OpState.SENDING):
                raise ValueError(f"outbox: {source} → {OpState.SENDING} is not allowed")
        now_ms = to_ms(now)
        with self._db.write() as conn:
            result = conn.execute(
                update(s.outbox)
                .where(o.op_id == op_id, o.state.in_([st.value for st in from_states]))
                .values(
                    state=OpState.SENDING.value,
                    attempts=o.attempts + 1,
                    first_attempt_at=func.coalesce(o.first_attempt_at, now_ms),
                    last_attempt_at=now_ms,
                    updated_at=now_ms,
                    claimed_by=holder,
                )
            )
            if result.rowcount != 1:
                return None
            return op_from_row(conn.execute(select(s.outbox).where(o.op_id == op_id)).one())

    def move(
        self,
        op_id: str,
        src: OpState | Collection[OpState],
        dst: OpState,
        now: datetime,
        *,
        next_attempt_at: datetime | None = None,
        error_code: str | None = None,
        error: str | None = None,
        remote_id: str | None = None,
        page: Page | None = None,
        user_id: int | None = None,
        undo_attempt: bool = False,
    ) -> bool:
        """Conditionally move an operation; ``page`` (the sent post) is stored in the same
        transaction as ``sent``. Returns False when the operation was not in ``src``."""
        sources = [src] if isinstance(src, OpState) else list(src)
        for source in sources:
            if not can_move(source, dst):
                raise ValueError(f"outbox: {source} → {dst} is not allowed")
        now_ms = to_ms(now)
        values: dict[str, Any] = {"state": dst.value, "updated_at": now_ms}
        if dst in (OpState.QUEUED, OpState.UNKNOWN):
            # unknown: when to look again (the platform may have asked for a moment).
            values["next_attempt_at"] = to_ms(next_attempt_at)
        if error_code is not None or dst in (
            OpState.FAILED,
            OpState.NEEDS_ATTENTION,
            OpState.UNKNOWN,
        ):
            values["last_error_code"] = error_code
            values["last_error"] = error
        if dst is OpState.SENT:
            values.update(
                remote_id=remote_id, sent_at=now_ms, last_error_code=None, last_error=None
            )
        if undo_attempt:
            # The request never left this machine: it does not count towards giving up.
            values["attempts"] = (
                func.max(o.attempts - 1, 0)
                if self._db.is_sqlite
                else (func.greatest(o.attempts - 1, 0))
            )
        with self._db.write() as conn:
            result = conn.execute(
                update(s.outbox)
                .where(o.op_id == op_id, o.state.in_([st.value for st in sources]))
                .values(**values)
            )
            if result.rowcount != 1:
                return False
            row = conn.execute(select(s.outbox).where(o.op_id == op_id)).one()
            if dst is OpState.SENT:
                if page is not None:
                    ingest_page(conn, row.account_id, page, now)
                audit(
                    conn,
                    action=f"sent_{row.kind}",
                    now_ms=now_ms,
                    user_id=row.created_by,
                    account_id=row.account_id,
                    thread_ids=[row.thread_id] if row.thread_id else (),
                    detail={"op_id": op_id, "remote_id": remote_id},
                )
            elif dst is OpState.CANCELLED:
                audit(
                    conn,
                    action="outbox_discard",
                    now_ms=now_ms,
                    user_id=user_id,
                    account_id=row.account_id,
                    detail={"op_id": op_id},
                )
            return True

    def retry(self, op_id: str, now: datetime, user_id: int | None = None) -> bool:
        """User retry: failed or needs_attention → queued, attempts reset. Never from unknown.

        A retry is the user's go-ahead: the operation is marked confirmed (``confirmed`` in its
        payload), so a reply held back because its thread moved on is sent this time.
        """
        with self._db.write() as conn:
            row = conn.execute(
                select(o.payload).where(
                    o.op_id == op_id, o.state.in_([st.value for st in RETRYABLE_BY_USER])
                )
            ).first()
            if row is None:
                return False
            payload = {**loads(row.payload, {}), CONFIRMED: True}
            result = conn.execute(
                update(s.outbox)
                .where(o.op_id == op_id, o.state.in_([st.value for st in RETRYABLE_BY_USER]))
                .values(
                    state=OpState.QUEUED.value,
                    attempts=0,
                    next_attempt_at=None,
                    payload=dumps(payload),
                    updated_at=to_ms(now),
                )
            )
            if result.rowcount == 1:
                audit(
                    conn,
                    action="outbox_retry",
                    now_ms=to_ms(now),
                    user_id=user_id,
                    detail={"op_id": op_id},
                )
            return result.rowcount == 1

    def owner(self, account_id: int, remote_id: str, other_than: str) -> str | None:
        """The op_id of another sent operation of the account whose copy is ``remote_id``."""
        with self._db.read() as conn:
            return conn.execute(
                select(o.op_id).where(
                    o.account_id == account_id,
                    o.remote_id == remote_id,
                    o.state == OpState.SENT.value,
                    o.op_id != other_than,
                )
            ).scalar()

    def new_replies(self, op: Operation) -> int:
        """Replies in the operation's thread that its author has not seen.

        The draft's ``base_reply_count`` is the number of replies the thread had when the reply
        was written; the account's own replies posted since (earlier operations of this outbox)
        are not news to its author.
        """
        if op.thread_id is None or op.base_reply_count is None or op.created_at is None:
            return 0
        p, a, pe = s.posts.c, s.accounts.c, s.people.c
        with self._db.read() as conn:
            own = conn.execute(
                select(pe.id)
                .select_from(s.accounts.join(s.people, pe.remote_id == a.own_person_remote_id))
                .where(a.id == op.account_id, pe.account_id == op.account_id)
            ).scalar()
            rows = conn.execute(
                select(p.author_id, p.created_at).where(
                    p.thread_id == op.thread_id,
                    p.deleted_at.is_(None),
                    p.is_root.is_(False),
                    p.kind.in_([k.value for k in PostKind if k.visible]),
                )
            ).all()
        written = to_ms(op.created_at)
        others = sum(1 for r in rows if r.author_id != own)
        mine_before = sum(1 for r in rows if r.author_id == own and r.created_at <= written)
        return max(0, others + mine_before - op.base_reply_count)

    def hold_moved_on(self, op_id: str, new: int, now: datetime) -> bool:
        """``queued → needs_attention``, unsent: the thread moved on since the reply was written."""
        replies = "1 new reply" if new == 1 else f"{new} new replies"
        return self.move(
            op_id,
            OpState.QUEUED,
            OpState.NEEDS_ATTENTION,
            now,
            error_code=MOVED_ON,
            error=f"{replies} since you wrote this — read them, then retry to send",
        )

    def discard(self, op_id: str, now: datetime, user_id: int | None = None) -> bool:
        """User discard: queued, failed or needs_attention → cancelled."""
        return self.move(op_id, CANCELLABLE, OpState.CANCELLED, now, user_id=user_id)

    def sending(self) -> list[tuple[str, str | None, datetime | None]]:
        """Operations in ``sending``: (op_id, claimed_by, last_attempt_at)."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(o.op_id, o.claimed_by, o.last_attempt_at).where(
                    o.state == OpState.SENDING.value
                )
            )
            return [(r.op_id, r.claimed_by, from_ms(r.last_attempt_at)) for r in rows]

    def mark_interrupted(self, op_id: str, claimed_by: str | None, now: datetime) -> bool:
        """``sending → unknown`` for an attempt whose process died (reconcile before resending)."""
        with self._db.write() as conn:
            holder = o.claimed_by.is_(None) if claimed_by is None else o.claimed_by == claimed_by
            return (
                conn.execute(
                    update(s.outbox)
                    .where(o.op_id == op_id, o.state == OpState.SENDING.value, holder)
                    .values(
                        state=OpState.UNKNOWN.value,
                        updated_at=to_ms(now),
                        last_error_code="interrupted",
                        last_error="the console stopped while sending",
                    )
                ).rowcount
                == 1
            )

    def pending_for_account(self, account_id: int) -> int:
        with self._db.read() as conn:
            return conn.execute(
                select(func.count()).where(
                    and_(o.account_id == account_id, o.state.in_(["queued", "sending", "unknown"]))
                )
            ).scalar_one()


CONFIRMED = "confirmed"
"""Payload flag: the user confirmed the operation (``outbox retry``); it is sent even when
its thread moved on."""
MOVED_ON = "moved_on"
"""Error code of a reply held back because its thread got new replies since it was written."""
HOLD_SCOPE = "~outbox"
"""The cursor row that keeps an account's "not before" after a throttle."""


def _held(conn: Connection, account_id: int) -> int | None:
    row = conn.execute(
        select(s.cursors.c.value).where(
            s.cursors.c.account_id == account_id, s.cursors.c.scope == HOLD_SCOPE
        )
    ).first()
    if row is None:
        return None
    value = loads(row.value, {})
    held = value.get("not_before") if isinstance(value, dict) else None
    return held if isinstance(held, int) else None


def enqueue(
    conn: Connection,
    *,
    account_id: int,
    kind: OpKind,
    payload: Mapping[str, Any],
    now: datetime,
    thread_id: int | None = None,
    created_by: int | None = None,
    base_reply_count: int | None = None,
    not_before: datetime | None = None,
    op_id: str | None = None,
) -> Operation:
    """Insert a queued operation inside the caller's transaction."""
    now_ms = to_ms(now)
    op_id = op_id or str(uuid.uuid4())
    conn.execute(
        insert(s.outbox).values(
            op_id=op_id,
            account_id=account_id,
            thread_id=thread_id,
            kind=kind.value,
            payload=dumps(dict(payload)),
            payload_hash=text_hash(str(payload.get("text", ""))),
            state=OpState.QUEUED.value,
            created_at=now_ms,
            updated_at=now_ms,
            next_attempt_at=to_ms(not_before),
            created_by=created_by,
            base_reply_count=base_reply_count,
        )
    )
    audit(
        conn,
        action=f"queue_{kind.value}",
        now_ms=now_ms,
        user_id=created_by,
        account_id=account_id,
        thread_ids=[thread_id] if thread_id else (),
        detail={"op_id": op_id},
    )
    return op_from_row(conn.execute(select(s.outbox).where(o.op_id == op_id)).one())
