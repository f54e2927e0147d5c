"""Local triage: status (open, snoozed, done), assignee, tags, flags, drafts, audit log, and the
thread reading model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from cm_console.domain.model import PostKind, Reaction
from cm_console.domain.rules import Triage as TriageRecord
from cm_console.domain.rules import TriageStatus
from cm_console.domain.views import Draft, PostView
from cm_console.store import schema as s
from cm_console.store.convert import dumps, from_ms, loads, local_id, to_ms
from cm_console.store.engine import Database, insert_new

t = s.threads.c
tr = s.triage.c


def _ensure_rows(conn: Connection, thread_ids: Sequence[int], now_ms: int) -> None:
    existing = {
        r.thread_id
        for r in conn.execute(select(tr.thread_id).where(tr.thread_id.in_(list(thread_ids))))
    }
    missing = [tid for tid in dict.fromkeys(thread_ids) if tid not in existing]
    if missing:
        # Another console may create the same rows meanwhile (team mode).
        conn.execute(
            insert_new(conn, s.triage),
            [{"thread_id": tid, "updated_at": now_ms} for tid in missing],
        )


def audit(
    conn: Connection,
    *,
    action: str,
    now_ms: int,
    user_id: int | None,
    thread_ids: Sequence[int] = (),
    account_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append audit entries (one per thread, or one without a thread)."""
    targets: Sequence[int | None] = thread_ids or [None]
    rows = [
        {
            "at": now_ms,
            "user_id": user_id,
            "account_id": account_id,
            "thread_id": tid,
            "action": action,
            "detail": dumps(dict(detail or {})),
        }
        for tid in targets
    ]
    if account_id is None and thread_ids:
        accounts = dict(
            conn.execute(select(t.id, t.account_id).where(t.id.in_(list(thread_ids)))).all()
        )
        for row in rows:
            row["account_id"] = accounts.get(row["thread_id"])
    conn.execute(insert(s.audit_log), rows)


class Triage:
    """Triage actions on threads; every change bumps the row version and is audited."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _update(
        self,
        thread_ids: Sequence[int],
        values: Mapping[str, Any],
        *,
        now: datetime,
        user_id: int | None,
        action: str,
        detail: Mapping[str, Any] | None = None,
    ) -> int:
        now_ms = to_ms(now)
        ids = list(dict.fromkeys(thread_ids))
        with self._db.write() as conn:
            _ensure_rows(conn, ids, now_ms)
            result = conn.execute(
                update(s.triage)
                .where(tr.thread_id.in_(ids))
                .values(**values, version=tr.version + 1, updated_at=now_ms, updated_by=user_id)
            )
            audit(
                conn, action=action, now_ms=now_ms, user_id=user_id, thread_ids=ids, detail=detail
            )
            return result.rowcount

    def set_status(
        self,
        thread_ids: Sequence[int],
        status: TriageStatus,
        *,
        now: datetime,
        user_id: int | None,
        snooze_until: datetime | None = None,
        until_reply: bool = False,
    ) -> int:
        values = {
            "status": status.value,
            "status_at": to_ms(now),
            "snooze_until": to_ms(snooze_until) if status is TriageStatus.SNOOZED else None,
            "snooze_until_reply": until_reply and status is TriageStatus.SNOOZED,
        }
        detail: dict[str, Any] = {"status": status.value}
        if snooze_until is not None:
            detail["until"] = snooze_until
        if until_reply:
            detail["until_reply"] = True
        return self._update(
            thread_ids, values, now=now, user_id=user_id, action="status", detail=detail
        )

    def assign(
        self,
        thread_ids: Sequence[int],
        assignee_id: int | None,
        *,
        now: datetime,
        user_id: int | None,
    ) -> int:
        return self._update(
            thread_ids,
            {"assignee_id": assignee_id},
            now=now,
            user_id=user_id,
            action="assign",
            detail={"assignee_id": assignee_id},
        )

    def flag(
        self,
        thread_ids: Sequence[int],
        flagged: bool,
        note: str | None,
        *,
        now: datetime,
        user_id: int | None,
    ) -> int:
        values = {
            "flagged": flagged,
            "flag_note": note if flagged else None,
            "flagged_at": to_ms(now) if flagged else None,
        }
        return self._update(
            thread_ids,
            values,
            now=now,
            user_id=user_id,
            action="flag",
            detail={"flagged": flagged, "note": note},
        )

    def add_tag(
        self, thread_ids: Sequence[int], tag: str, *, now: datetime, user_id: int | None
    ) -> int:
        now_ms = to_ms(now)
        ids = list(dict.fromkeys(thread_ids))
        with self._db.write() as conn:
            have = {
                r.thread_id
                for r in conn.execute(
                    select(s.thread_tags.c.thread_id).where(
                        s.thread_tags.c.thread_id.in_(ids), s.thread_tags.c.tag == tag
                    )
                )
            }
            new = [tid for tid in ids if tid not in have]
            if new:
                # Tags are a set: a tag another console added meanwhile is not added twice
                # (team mode), and only the rows really inserted count and are audited.
                inserted = conn.execute(
                    insert_new(conn, s.thread_tags).returning(s.thread_tags.c.thread_id),
                    [{"thread_id": tid, "tag": tag, "created_at": now_ms} for tid in new],
                )
                new = [row.thread_id for row in inserted]
            if new:
                audit(
                    conn,
                    action="tag",
                    now_ms=now_ms,
                    user_id=user_id,
                    thread_ids=new,
                    detail={"tag": tag},
                )
            return len(new)

    def remove_tag(
        self, thread_ids: Sequence[int], tag: str, *, now: datetime, user_id: int | None
    ) -> int:
        ids = list(dict.fromkeys(thread_ids))
        with self._db.write() as conn:
            result = conn.execute(
                delete(s.thread_tags).where(
                    s.thread_tags.c.thread_id.in_(ids), s.thread_tags.c.tag == tag
                )
            )
            if result.rowcount:
                audit(
                    conn,
                    action="untag",
                    now_ms=to_ms(now),
                    user_id=user_id,
                    thread_ids=ids,
                    detail={"tag": tag},
                )
            return result.rowcount

    def tags(self) -> list[tuple[str, int]]:
        """Every local tag with the number of threads carrying it."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.thread_tags.c.tag, func.count())
                .group_by(s.thread_tags.c.tag)
                .order_by(s.thread_tags.c.tag)
            )
            return [(r[0], r[1]) for r in rows]

    def record(self, thread_id: int) -> TriageRecord:
        with self._db.read() as conn:
            row = conn.execute(select(s.triage).where(tr.thread_id == thread_id)).first()
        if row is None:
            return TriageRecord()
        return TriageRecord(
            status=TriageStatus(row.status),
            status_at=from_ms(row.status_at),
            snooze_until=from_ms(row.snooze_until),
            snooze_until_reply=row.snooze_until_reply,
        )

    # --- drafts -------------------------------------------------------------------------------

    def save_draft(
        self, thread_id: int, user_id: int, text: str, base_reply_count: int, now: datetime
    ) -> None:
        """Autosave (an empty text deletes the draft)."""
        d = s.drafts.c
        with self._db.write() as conn:
            where = and_(d.thread_id == thread_id, d.user_id == user_id)
            if not text.strip():
                conn.execute(delete(s.drafts).where(where))
                return
            result = conn.execute(
                update(s.drafts).where(where).values(text=text, updated_at=to_ms(now))
            )
            if result.rowcount == 0:
                conn.execute(
                    insert(s.drafts).values(
                        thread_id=thread_id,
                        user_id=user_id,
                        text=text,
                        base_reply_count=base_reply_count,
                        updated_at=to_ms(now),
                    )
                )

    def draft(self, thread_id: int, user_id: int) -> Draft | None:
        d = s.drafts.c
        with self._db.read() as conn:
            row = conn.execute(
                select(s.drafts).where(d.thread_id == thread_id, d.user_id == user_id)
            ).first()
        if row is None:
            return None
        return Draft(
            row.thread_id, row.user_id, row.text, row.base_reply_count, from_ms(row.updated_at)
        )

    def drafts(self, user_id: int) -> list[Draft]:
        d = s.drafts.c
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.drafts).where(d.user_id == user_id).order_by(d.updated_at.desc())
            )
            return [
                Draft(r.thread_id, r.user_id, r.text, r.base_reply_count, from_ms(r.updated_at))
                for r in rows
            ]


class Threads:
    """Finding threads and reading them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def resolve(self, ref: str) -> int | None:
        """A thread's local id from ``ref``: the local id, or ``ACCOUNT/REMOTE_THREAD_ID``."""
        ref = ref.strip()
        number = local_id(ref)
        with self._db.read() as conn:
            if number is not None:
                found = conn.execute(select(t.id).where(t.id == number)).scalar()
                if found is not None:
                    return int(found)
            if "/" not in ref:
                return None
            account, remote_id = ref.split("/", 1)
            found = conn.execute(
                select(t.id)
                .join(s.accounts, s.accounts.c.id == t.account_id)
                .where(s.accounts.c.name == account, t.remote_id == remote_id)
            ).scalar()
            return None if found is None else int(found)

    def posts(self, thread_id: int) -> list[PostView]:
        """Every stored post of the thread in time order, tombstones included."""
        p = s.posts.c
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.posts, s.people.c.display_name, s.people.c.handle, s.people.c.is_team)
                .join(s.people, s.people.c.id == p.author_id)
                .where(p.thread_id == thread_id)
                .order_by(p.is_root.desc(), p.created_at, p.id)
            )
            return [
                PostView(
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
                    reactions=tuple(Reaction(a, b) for a, b in loads(r.reactions, [])),
                    url=r.url,
                )
                for r in rows
            ]

    def meta(self, thread_id: int) -> dict[str, Any] | None:
        """Identifiers a connector needs to act on the thread."""
        with self._db.read() as conn:
            row = conn.execute(
                select(
                    t.id,
                    t.remote_id,
                    t.account_id,
                    t.reply_count,
                    t.title,
                    t.url,
                    s.containers.c.remote_id.label("container_remote_id"),
                    s.accounts.c.name.label("account"),
                )
                .join(s.containers, s.containers.c.id == t.container_id)
                .join(s.accounts, s.accounts.c.id == t.account_id)
                .where(t.id == thread_id)
            ).first()
            if row is None:
                return None
            root = conn.execute(
                select(s.posts.c.remote_id).where(
                    s.posts.c.thread_id == thread_id, s.posts.c.is_root
                )
            ).scalar()
            return {**row._asdict(), "root_post_remote_id": root}

    def raw(self, account_id: int, kind: str, remote_id: str) -> Any:
        r = s.raw_payloads.c
        with self._db.read() as conn:
            payload = conn.execute(
                select(r.payload).where(
                    r.account_id == account_id, r.kind == kind, r.remote_id == remote_id
                )
            ).scalar()
            return loads(payload)

    def audit_entries(self, thread_id: int | None = None, limit: int = 500) -> list[dict[str, Any]]:
        a = s.audit_log.c
        with self._db.read() as conn:
            stmt = (
                select(s.audit_log, s.local_users.c.name.label("user"))
                .outerjoin(s.local_users, s.local_users.c.id == a.user_id)
                .order_by(a.at.desc(), a.id.desc())
                .limit(limit)
            )
            if thread_id is not None:
                stmt = stmt.where(a.thread_id == thread_id)
            return [
                {
                    "at": from_ms(r.at),
                    "user": r.user,
                    "action": r.action,
                    "thread_id": r.thread_id,
                    "detail": loads(r.detail, {}),
                }
                for r in conn.execute(stmt)
            ]
