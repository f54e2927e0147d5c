"""Team mode in the store: claims (leases stored as data), presence and per-user identities.

The audit log query is in :mod:`team_audit`, change notifications in :mod:`team_changes`.

Leases run on the database's clock, not the console's: consoles on several machines disagree
about the time, and a lease that one machine thinks has expired must not be taken while the
holder's machine still thinks it is live. On SQLite (one machine) the database clock is the
machine's clock and the same API works.

A claim is a short transaction: make sure the claim row exists (only existing rows can be
locked), lock it with ``FOR UPDATE SKIP LOCKED`` (a console never waits on another console's
lock), check and write the lease, commit. No row lock is held while the person works; the lease
is renewed instead, and a lease nobody renews expires and can be claimed again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Row,
    String,
    Text,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    update,
)

from cm_console.domain.outbox import Operation, OpState
from cm_console.domain.rules import TriageStatus
from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.engine import Database, StoreError, dialect_module, insert_new
from cm_console.store.outbox import Outbox, op_from_row
from cm_console.store.queue import status_expr
from cm_console.store.triage import audit, update_triage

c = s.claims.c
t = s.threads.c
pr = s.presence.c
ident = s.local_user_identities.c
o = s.outbox.c

LOCKED_RETRIES = 5
"""A claim row locked by another console's claim in flight: look again this many times."""


def db_now_ms(conn: Connection) -> int:
    """The database's clock in milliseconds (the machine's clock on SQLite)."""
    if conn.dialect.name == "postgresql":
        return int(conn.execute(select(_now(conn))).scalar_one())
    return to_ms(datetime.now(UTC))


def _now(conn: Connection) -> ColumnElement[int]:
    """The database's clock inside a statement, in milliseconds: no round trip to read it.

    PostgreSQL's ``statement_timestamp()`` stands still for the whole statement, so a lease's
    start and end in one UPDATE are computed from the same instant. On SQLite (one machine)
    this console's clock is the database's.
    """
    if conn.dialect.name == "postgresql":
        return _pg_now()
    return literal(to_ms(datetime.now(UTC)), BigInteger)


def _pg_now() -> ColumnElement[int]:
    epoch = func.extract("epoch", func.statement_timestamp())
    return func.cast(func.floor(epoch * 1000), BigInteger)


def _ttl_ms(ttl: timedelta) -> int:
    ms = int(ttl.total_seconds() * 1000)
    if ms <= 0:
        raise ValueError("a lease needs a positive duration")
    return ms


@dataclass(frozen=True, slots=True)
class Lease:
    """A claim this console holds: the thread is ours until ``expires_at`` (renew before).

    ``lease_no`` numbers the grants of the thread's claim; a write made under the lease checks
    that the number is still the same, so work that outlived its lease cannot land twice.
    """

    thread_id: int
    holder: str
    user_id: int | None
    lease_no: int
    claimed_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    """Someone's live claim on a thread ("Anouk is replying")."""

    thread_id: int
    holder: str
    user_id: int | None
    user_name: str | None
    lease_no: int
    claimed_at: datetime
    expires_at: datetime


def _lease(row: Row[Any]) -> Lease:
    return Lease(
        thread_id=row.thread_id,
        holder=row.holder,
        user_id=row.user_id,
        lease_no=row.lease_no,
        claimed_at=from_ms(row.claimed_at),
        expires_at=from_ms(row.expires_at),
    )


def _info(row: Row[Any], names: dict[int, str]) -> ClaimInfo:
    return ClaimInfo(
        thread_id=row.thread_id,
        holder=row.holder,
        user_id=row.user_id,
        user_name=names.get(row.user_id) if row.user_id is not None else None,
        lease_no=row.lease_no,
        claimed_at=from_ms(row.claimed_at),
        expires_at=from_ms(row.expires_at),
    )


def _user_names(conn: Connection, ids: Collection[int | None]) -> dict[int, str]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    u = s.local_users.c
    return {
        int(r[0]): str(r[1]) for r in conn.execute(select(u.id, u.name).where(u.id.in_(wanted)))
    }


def _candidates(dialect: str) -> Any:
    """The ``candidate_ids`` parameter as a table of (id, pos): one parameter, whatever the
    number of ids, and SQL keeps the caller's order.

    (An ``IN`` list of hundreds of parameters costs more to send and parse than the query.)
    """
    if dialect == "postgresql":
        array = bindparam("candidate_ids", type_=ARRAY(Integer))
        return (
            func.unnest(array)
            .table_valued("id", with_ordinality="pos")
            .render_derived(with_types=False)
            .alias("candidates")
        )
    each = func.json_each(bindparam("candidate_ids", type_=Text)).table_valued("key", "value")
    return select(each.c.value.label("id"), each.c.key.label("pos")).subquery("candidates")


def _candidate_ids(dialect: str, ids: Sequence[int]) -> Any:
    return list(ids) if dialect == "postgresql" else json.dumps(list(ids))


class _Statements:
    """The claim statements of one dialect, built once (a console claims often)."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        now = _pg_now() if dialect == "postgresql" else bindparam("now_ms", type_=BigInteger)
        candidates = _candidates(dialect)
        tr = s.triage.c
        missing = (
            select(t.id)
            .join(candidates, candidates.c.id == t.id)
            .where(~exists().where(c.thread_id == t.id))
        )
        flavour = dialect_module(dialect)
        self.ensure = (
            flavour.insert(s.claims).on_conflict_do_nothing().from_select(["thread_id"], missing)
        )
        self.pick = (
            select(c.thread_id)
            .select_from(
                s.claims.join(candidates, candidates.c.id == c.thread_id)
                .join(s.threads, t.id == c.thread_id)
                .outerjoin(s.triage, tr.thread_id == c.thread_id)
            )
            .where(_is_free(now), status_expr(now) == "open")
            .order_by(candidates.c.pos)
            .limit(1)
            .with_for_update(of=s.claims, skip_locked=True)
        )
        self.take = (
            update(s.claims)
            .where(
                c.thread_id == bindparam("found", type_=Integer),
                _is_free(now),
                _is_open(c.thread_id, now),
            )
            .values(
                holder=bindparam("holder", type_=String),
                user_id=bindparam("user_id", type_=Integer),
                lease_no=c.lease_no + 1,
                claimed_at=now,
                expires_at=now + bindparam("ttl_ms", type_=BigInteger),
                released_at=None,
            )
            .returning(*s.claims.c)
        )

    def params(self, **values: Any) -> dict[str, Any]:
        if self.dialect != "postgresql":
            values["now_ms"] = to_ms(datetime.now(UTC))
        return values


def _is_free(now: ColumnElement[int]) -> ColumnElement[bool]:
    return or_(c.holder.is_(None), c.expires_at <= now)


def _is_open(thread_id: ColumnElement[int], now_ms: ColumnElement[int]) -> ColumnElement[bool]:
    """The thread's triage status in force is open (not done, not snoozed)."""
    tr = s.triage.c
    return exists(
        select(t.id)
        .select_from(s.threads.outerjoin(s.triage, tr.thread_id == t.id))
        .where(t.id == thread_id, status_expr(now_ms) == "open")
    )


class Claims:
    """Who is working on which thread, as leases in the ``claims`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._sql = _Statements(db.dialect)

    def _ensure(self, conn: Connection, ids: Sequence[int]) -> None:
        """Create free claim rows for threads that have none (only existing rows can be
        locked); existing rows are left alone."""
        conn.execute(
            self._sql.ensure,
            self._sql.params(candidate_ids=_candidate_ids(self._sql.dialect, ids)),
        )

    def now(self) -> datetime:
        """The database's clock (what leases are measured against)."""
        with self._db.read() as conn:
            return from_ms(db_now_ms(conn))

    def claim(
        self, thread_id: int, *, holder: str, user_id: int | None, ttl: timedelta
    ) -> Lease | ClaimInfo:
        """Claim one thread (opening it to reply).

        Returns the lease, or the live claim of someone else. Claiming a thread this console
        already holds renews its lease (same ``lease_no``).
        """
        ttl_ms = _ttl_ms(ttl)
        for attempt in range(LOCKED_RETRIES + 1):
            with self._db.write() as conn:
                self._ensure(conn, [thread_id])
                row = conn.execute(
                    select(s.claims)
                    .where(c.thread_id == thread_id)
                    .with_for_update(skip_locked=True)
                ).first()
                if row is not None:
                    return self._take(conn, row, holder, user_id, ttl_ms)
                if conn.execute(select(t.id).where(t.id == thread_id)).first() is None:
                    raise StoreError(f"no thread {thread_id}")
            # Another console is claiming this very row right now (a transaction of a few
            # milliseconds): look again rather than wait on its lock.
            time.sleep(0.01 * (attempt + 1))
        raise StoreError(f"thread {thread_id} is being claimed by another console; try again")

    def _take(
        self, conn: Connection, row: Row[Any], holder: str, user_id: int | None, ttl_ms: int
    ) -> Lease | ClaimInfo:
        now = _now(conn)
        mine = c.holder == holder
        updated = conn.execute(
            update(s.claims)
            .where(c.thread_id == row.thread_id, or_(_is_free(now), mine))
            .values(
                holder=holder,
                user_id=user_id,
                expires_at=now + ttl_ms,
                released_at=None,
                lease_no=case((mine, c.lease_no), else_=c.lease_no + 1),
                claimed_at=case((mine, c.claimed_at), else_=now),
            )
            .returning(*s.claims.c)
        ).first()
        if updated is None:
            return _info(row, _user_names(conn, [row.user_id]))
        return _lease(updated)

    def claim_next(
        self,
        among: Sequence[int],
        *,
        holder: str,
        user_id: int | None,
        ttl: timedelta,
    ) -> Lease | None:
        """Claim the first thread of ``among`` (in that order) that is open and not claimed.

        The queue-consumer form: rows other consoles are claiming right now are skipped
        (``SKIP LOCKED``), never waited for. The lease is written by a second statement that
        checks the thread's triage status again: it sees what committed while the row was being
        locked, so a thread another console finished a moment ago is not handed out again.
        """
        ids = list(dict.fromkeys(among))
        if not ids:
            return None
        sql = self._sql
        candidate_ids = _candidate_ids(sql.dialect, ids)
        with self._db.write() as conn:
            self._ensure(conn, ids)
            rejected: list[int] = []
            while True:
                pick = sql.pick
                if rejected:
                    pick = pick.where(c.thread_id.not_in(rejected))
                found = conn.execute(pick, sql.params(candidate_ids=candidate_ids)).scalar()
                if found is None:
                    return None
                updated = conn.execute(
                    sql.take,
                    sql.params(found=found, holder=holder, user_id=user_id, ttl_ms=_ttl_ms(ttl)),
                ).first()
                if updated is not None:
                    return _lease(updated)
                rejected.append(found)

    def renew(self, lease: Lease, ttl: timedelta) -> Lease | None:
        """Extend a lease; None when it was lost (someone claimed the thread after it expired)."""
        ttl_ms = _ttl_ms(ttl)
        with self._db.write() as conn:
            row = conn.execute(
                update(s.claims)
                .where(
                    c.thread_id == lease.thread_id,
                    c.holder == lease.holder,
                    c.lease_no == lease.lease_no,
                )
                .values(expires_at=_now(conn) + ttl_ms)
                .returning(*s.claims.c)
            ).first()
            return None if row is None else _lease(row)

    def release(self, lease: Lease) -> bool:
        """Give the thread back; False when the lease was already lost."""
        with self._db.write() as conn:
            return self._release(conn, lease)

    def _release(self, conn: Connection, lease: Lease) -> bool:
        result = conn.execute(
            update(s.claims)
            .where(
                c.thread_id == lease.thread_id,
                c.holder == lease.holder,
                c.lease_no == lease.lease_no,
            )
            .values(holder=None, expires_at=None, released_at=_now(conn))
        )
        return result.rowcount == 1

    def finish(
        self,
        lease: Lease,
        *,
        now: datetime,
        status: TriageStatus | None = TriageStatus.DONE,
    ) -> bool:
        """Under the lease, in one transaction: set the triage status (audited) and release.

        Returns False, changing nothing, when the lease is no longer this console's (it expired
        and another console claimed the thread): the work is not recorded twice.
        """
        with self._db.write() as conn:
            held = conn.execute(
                select(c.thread_id)
                .where(
                    c.thread_id == lease.thread_id,
                    c.holder == lease.holder,
                    c.lease_no == lease.lease_no,
                )
                .with_for_update()
            ).first()
            if held is None:
                return False
            if status is not None:
                update_triage(
                    conn,
                    [lease.thread_id],
                    {
                        "status": status.value,
                        "status_at": to_ms(now),
                        "snooze_until": None,
                        "snooze_until_reply": False,
                    },
                    now_ms=to_ms(now),
                    user_id=lease.user_id,
                    action="status",
                    detail={"status": status.value, "lease": lease.lease_no},
                )
            return self._release(conn, lease)

    def release_thread(self, thread_id: int, holder: str) -> bool:
        """Release the thread if this console holds it (whatever the lease number)."""
        with self._db.write() as conn:
            result = conn.execute(
                update(s.claims)
                .where(c.thread_id == thread_id, c.holder == holder)
                .values(holder=None, expires_at=None, released_at=_now(conn))
            )
            return result.rowcount == 1

    def release_all(self, holder: str) -> int:
        """Release every lease of a console (it closes)."""
        with self._db.write() as conn:
            result = conn.execute(
                update(s.claims)
                .where(c.holder == holder)
                .values(holder=None, expires_at=None, released_at=_now(conn))
            )
            return result.rowcount

    def live(self, thread_ids: Collection[int] | None = None) -> dict[int, ClaimInfo]:
        """Live claims (not expired by the database clock), for the given threads or all."""
        with self._db.read() as conn:
            query = select(s.claims).where(c.holder.is_not(None), c.expires_at > _now(conn))
            if thread_ids is not None:
                wanted = list(thread_ids)
                if not wanted:
                    return {}
                query = query.where(c.thread_id.in_(wanted))
            rows = conn.execute(query).all()
            names = _user_names(conn, [r.user_id for r in rows])
            return {r.thread_id: _info(r, names) for r in rows}


# --- presence ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Presence:
    """A console open on the shared database."""

    holder: str
    user_id: int
    user_name: str
    host: str
    thread_id: int | None
    started_at: datetime
    seen_at: datetime


class PresenceBoard:
    """Which consoles are open (a heartbeat row each) and which thread each one shows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def beat(
        self,
        holder: str,
        *,
        user_id: int,
        host: str,
        thread_id: int | None,
        forget_after: timedelta,
    ) -> None:
        """Say this console is alive (and what it shows); forget consoles silent for long."""
        with self._db.write() as conn:
            now_ms = db_now_ms(conn)
            if (
                thread_id is not None
                and not conn.execute(select(t.id).where(t.id == thread_id)).first()
            ):
                thread_id = None
            changed = conn.execute(
                update(s.presence)
                .where(pr.holder == holder)
                .values(seen_at=now_ms, thread_id=thread_id)
            ).rowcount
            if not changed:
                conn.execute(
                    insert_new(conn, s.presence).values(
                        holder=holder,
                        user_id=user_id,
                        host=host[:255],
                        thread_id=thread_id,
                        started_at=now_ms,
                        seen_at=now_ms,
                    )
                )
            limit = now_ms - int(forget_after.total_seconds() * 1000)
            conn.execute(delete(s.presence).where(pr.seen_at < limit))

    def leave(self, holder: str) -> None:
        with self._db.write() as conn:
            conn.execute(delete(s.presence).where(pr.holder == holder))

    def online(self, within: timedelta) -> list[Presence]:
        """Consoles seen within ``within`` (by the database clock), oldest first."""
        u = s.local_users.c
        with self._db.read() as conn:
            since = db_now_ms(conn) - int(within.total_seconds() * 1000)
            rows = conn.execute(
                select(s.presence, u.name.label("user_name"))
                .join(s.local_users, u.id == pr.user_id)
                .where(pr.seen_at >= since)
                .order_by(pr.started_at, pr.holder)
            )
            return [
                Presence(
                    holder=r.holder,
                    user_id=r.user_id,
                    user_name=r.user_name,
                    host=r.host,
                    thread_id=r.thread_id,
                    started_at=from_ms(r.started_at),
                    seen_at=from_ms(r.seen_at),
                )
                for r in rows
            ]


# --- identities -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """A console user's own identity on a platform account."""

    user_id: int
    account_id: int
    person_remote_id: str
    username: str | None
    own_credentials: bool


class Identities:
    """Console users' identities per account, and whether they send under them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def set(
        self,
        *,
        user_id: int,
        account_id: int,
        person_remote_id: str,
        username: str | None,
        own_credentials: bool,
        now: datetime,
    ) -> None:
        with self._db.write() as conn:
            where = and_(ident.user_id == user_id, ident.account_id == account_id)
            values = {
                "person_remote_id": person_remote_id,
                "username": username,
                "own_credentials": own_credentials,
            }
            if not conn.execute(
                update(s.local_user_identities).where(where).values(**values)
            ).rowcount:
                conn.execute(
                    insert(s.local_user_identities).values(
                        user_id=user_id, account_id=account_id, **values
                    )
                )
            audit(
                conn,
                action="identity",
                now_ms=to_ms(now),
                user_id=user_id,
                account_id=account_id,
                detail={"person": person_remote_id, "own_credentials": own_credentials},
            )

    def remove(self, *, user_id: int, account_id: int, now: datetime) -> bool:
        with self._db.write() as conn:
            gone = conn.execute(
                delete(s.local_user_identities).where(
                    ident.user_id == user_id, ident.account_id == account_id
                )
            ).rowcount
            if gone:
                audit(
                    conn,
                    action="identity_removed",
                    now_ms=to_ms(now),
                    user_id=user_id,
                    account_id=account_id,
                )
            return bool(gone)

    def all(self, user_id: int | None = None) -> list[Identity]:
        query = select(s.local_user_identities).order_by(ident.user_id, ident.account_id)
        if user_id is not None:
            query = query.where(ident.user_id == user_id)
        with self._db.read() as conn:
            return [
                Identity(
                    user_id=r.user_id,
                    account_id=r.account_id,
                    person_remote_id=r.person_remote_id,
                    username=r.username,
                    own_credentials=r.own_credentials,
                )
                for r in conn.execute(query)
            ]


class MemberOutbox(Outbox):
    """The outbox as one console user's console drains it in team mode.

    An operation queued by a colleague who sends under their own platform credentials can only
    be sent (or read back) from that colleague's console, where their secret is: everyone
    else's console leaves it alone. Everything else is shared, as before.
    """

    def __init__(self, db: Database, user_id: int) -> None:
        super().__init__(db)
        self._user_id = user_id

    def _not_someone_elses(self) -> ColumnElement[bool]:
        theirs = exists().where(
            ident.user_id == o.created_by,
            ident.account_id == o.account_id,
            ident.own_credentials,
            ident.user_id != self._user_id,
        )
        return not_(theirs)

    def due(self, now: datetime, account_ids: Collection[int] | None = None) -> list[Operation]:
        stmt = (
            select(s.outbox)
            .where(o.state == OpState.QUEUED.value)
            .where(or_(o.next_attempt_at.is_(None), o.next_attempt_at <= to_ms(now)))
            .where(self._not_someone_elses())
            .order_by(o.id)
        )
        if account_ids is not None:
            stmt = stmt.where(o.account_id.in_(list(account_ids)))
        with self._db.read() as conn:
            return [op_from_row(r) for r in conn.execute(stmt)]

    def unknown(
        self, account_ids: Collection[int] | None = None, now: datetime | None = None
    ) -> list[Operation]:
        stmt = (
            select(s.outbox)
            .where(o.state == OpState.UNKNOWN.value)
            .where(self._not_someone_elses())
            .order_by(o.id)
        )
        if now is not None:
            stmt = stmt.where(or_(o.next_attempt_at.is_(None), o.next_attempt_at <= to_ms(now)))
        if account_ids is not None:
            stmt = stmt.where(o.account_id.in_(list(account_ids)))
        with self._db.read() as conn:
            return [op_from_row(r) for r in conn.execute(stmt)]

    def created_by(self, op_id: str) -> int | None:
        with self._db.read() as conn:
            value = conn.execute(select(o.created_by).where(o.op_id == op_id)).scalar()
            return None if value is None else int(value)

    def record_identity(self, op_id: str, *, identity: str, console: str, now: datetime) -> None:
        """Audit under which platform identity an operation went out, and from which console."""
        with self._db.write() as conn:
            row = conn.execute(
                select(o.created_by, o.account_id, o.thread_id).where(o.op_id == op_id)
            ).first()
            if row is None:
                return
            audit(
                conn,
                action="sent_as",
                now_ms=to_ms(now),
                user_id=row.created_by,
                account_id=row.account_id,
                thread_ids=[row.thread_id] if row.thread_id else (),
                detail={"op_id": op_id, "identity": identity, "console": console},
            )


__all__ = [
    "ClaimInfo",
    "Claims",
    "Identities",
    "Identity",
    "Lease",
    "MemberOutbox",
    "Presence",
    "PresenceBoard",
    "db_now_ms",
]
