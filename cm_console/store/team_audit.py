"""The audit log as people read it: filters, names resolved (the store writes the log with
every change it makes; see ``triage.audit``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from cm_console.store import schema as s
from cm_console.store.convert import from_ms, loads, to_ms
from cm_console.store.engine import Database

a = s.audit_log.c
t = s.threads.c


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters for the audit log (all optional)."""

    since: datetime | None = None
    until: datetime | None = None
    user: str | None = None
    action: str | None = None
    """An action, or a prefix ending in ``*`` (``sent_*``)."""
    account: str | None = None
    thread_id: int | None = None
    limit: int | None = 1000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log, with the names it refers to."""

    id: int
    at: datetime
    user: str | None
    action: str
    account: str | None
    thread_id: int | None
    thread_title: str | None
    thread_key: str | None
    detail: dict[str, Any] = field(default_factory=dict)


class AuditLog:
    """Reading the audit log (the store writes it with every change)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def entries(self, query: AuditQuery) -> list[AuditEntry]:
        u = s.local_users.c
        acc = s.accounts.c
        stmt = (
            select(
                s.audit_log,
                u.name.label("user_name"),
                acc.name.label("account_name"),
                t.title.label("thread_title"),
                t.remote_id.label("thread_remote_id"),
            )
            .outerjoin(s.local_users, u.id == a.user_id)
            .outerjoin(s.accounts, acc.id == a.account_id)
            .outerjoin(s.threads, t.id == a.thread_id)
            .order_by(a.at.desc(), a.id.desc())
        )
        if query.since is not None:
            stmt = stmt.where(a.at >= to_ms(query.since))
        if query.until is not None:
            stmt = stmt.where(a.at < to_ms(query.until))
        if query.user:
            stmt = stmt.where(func.lower(u.name) == query.user.lower())
        if query.action:
            if query.action.endswith("*"):
                stmt = stmt.where(a.action.startswith(query.action[:-1], autoescape=True))
            else:
                stmt = stmt.where(a.action == query.action)
        if query.account:
            stmt = stmt.where(acc.name == query.account)
        if query.thread_id is not None:
            stmt = stmt.where(a.thread_id == query.thread_id)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self._db.read() as conn:
            return [
                AuditEntry(
                    id=r.id,
                    at=from_ms(r.at),
                    user=r.user_name,
                    action=r.action,
                    account=r.account_name,
                    thread_id=r.thread_id,
                    thread_title=r.thread_title,
                    thread_key=(
                        f"{r.account_name}/{r.thread_remote_id}"
                        if r.account_name and r.thread_remote_id
                        else None
                    ),
                    detail=loads(r.detail, {}),
                )
                for r in conn.execute(stmt)
            ]

    def actions(self) -> list[str]:
        """The actions that occur in the log (for filter choices)."""
        with self._db.read() as conn:
            return list(conn.execute(select(a.action).distinct().order_by(a.action)).scalars())
