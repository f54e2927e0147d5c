"""Drafts kept on this machine for a console whose database is shared (team mode)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Row,
    Table,
    Text,
    and_,
    delete,
    insert,
    select,
)

from cm_console.domain.views import Draft
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.engine import Database

_local = MetaData()
_local_drafts = Table(
    "local_drafts",
    _local,
    Column("workspace", Text, primary_key=True),
    Column("user_id", Integer, primary_key=True),
    Column("thread_id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("base_reply_count", Integer, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)
ld = _local_drafts.c


class LocalDrafts:
    """Drafts on this machine, for a console whose database is shared (team mode).

    A small SQLite file in the profile (WAL, ``synchronous=FULL``), written before the shared
    database: a draft survives losing the connection, a crash, and a start-up while the server
    is down. A draft stays here until the shared database has it. Not a migrated database: it
    holds one table and is created when first opened.
    """

    def __init__(self, path: Path, workspace: str) -> None:
        self._db = Database(f"sqlite:///{path}")
        self._workspace = workspace
        _local.create_all(self._db.engine)

    def put(
        self, *, user_id: int, thread_id: int, text: str, base_reply_count: int, now: datetime
    ) -> None:
        key = self._key(user_id, thread_id)
        with self._db.write() as conn:
            conn.execute(delete(_local_drafts).where(key))
            conn.execute(
                insert(_local_drafts).values(
                    workspace=self._workspace,
                    user_id=user_id,
                    thread_id=thread_id,
                    text=text,
                    base_reply_count=base_reply_count,
                    updated_at=to_ms(now),
                )
            )

    def get(self, user_id: int, thread_id: int) -> Draft | None:
        with self._db.read() as conn:
            row = conn.execute(select(_local_drafts).where(self._key(user_id, thread_id))).first()
        return None if row is None else _draft(row)

    def pending(self, user_id: int) -> list[Draft]:
        """Drafts the shared database does not have yet, oldest first."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(_local_drafts)
                .where(ld.workspace == self._workspace, ld.user_id == user_id)
                .order_by(ld.updated_at)
            )
            return [_draft(r) for r in rows]

    def settled(self, draft: Draft) -> bool:
        """Forget a draft the shared database now has, unless it changed here meanwhile."""
        with self._db.write() as conn:
            return bool(
                conn.execute(
                    delete(_local_drafts).where(
                        self._key(draft.user_id, draft.thread_id),
                        ld.text == draft.text,
                        ld.updated_at == to_ms(draft.updated_at),
                    )
                ).rowcount
            )

    def close(self) -> None:
        self._db.dispose()

    def _key(self, user_id: int, thread_id: int) -> ColumnElement[bool]:
        return and_(
            ld.workspace == self._workspace, ld.user_id == user_id, ld.thread_id == thread_id
        )


def _draft(row: Row[Any]) -> Draft:
    return Draft(
        thread_id=row.thread_id,
        user_id=row.user_id,
        text=row.text,
        base_reply_count=row.base_reply_count,
        updated_at=from_ms(row.updated_at),
    )
