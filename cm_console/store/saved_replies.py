"""Saved replies (shared in team mode)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from cm_console.domain.views import SavedReply
from cm_console.store import schema as s
from cm_console.store.actor import Actor
from cm_console.store.engine import Database
from cm_console.store.triage import audit

c = s.saved_replies.c


class SavedReplies:
    """Reply templates with variables (see ``domain.templates``); changes are audited on
    behalf of ``actor``."""

    def __init__(self, db: Database, actor: Actor | None = None) -> None:
        self._db = db
        self._actor = actor or Actor()

    def all(self, language: str | None = None) -> list[SavedReply]:
        stmt = select(s.saved_replies).order_by(c.language, c.name)
        if language is not None:
            stmt = stmt.where(c.language == language)
        with self._db.read() as conn:
            return [SavedReply(r.id, r.name, r.language, r.body) for r in conn.execute(stmt)]

    def save(self, name: str, language: str, body: str, reply_id: int | None = None) -> int:
        with self._db.write() as conn:
            if reply_id is not None:
                conn.execute(
                    update(s.saved_replies)
                    .where(c.id == reply_id)
                    .values(name=name, language=language, body=body)
                )
                saved = reply_id
            else:
                key = conn.execute(
                    insert(s.saved_replies).values(name=name, language=language, body=body)
                ).inserted_primary_key
                assert key is not None
                saved = int(key[0])
            self._audit(conn, "saved_reply", {"id": saved, "name": name, "language": language})
            return saved

    def delete(self, reply_id: int) -> None:
        with self._db.write() as conn:
            row = conn.execute(select(c.name, c.language).where(c.id == reply_id)).first()
            conn.execute(delete(s.saved_replies).where(c.id == reply_id))
            if row is not None:
                detail = {"id": reply_id, "name": row.name, "language": row.language}
                self._audit(conn, "saved_reply_removed", detail)

    def replace(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Replace every saved reply with ``(name, language, body)`` items."""
        with self._db.write() as conn:
            conn.execute(delete(s.saved_replies))
            rows = [{"name": n, "language": lang, "body": b} for n, lang, b in items]
            if rows:
                conn.execute(insert(s.saved_replies), rows)
            self._audit(conn, "saved_replies_replaced", {"count": len(rows)})

    def _audit(self, conn: Connection, action: str, detail: dict[str, object]) -> None:
        audit(
            conn,
            action=action,
            now_ms=self._actor.now_ms(),
            user_id=self._actor.user_id,
            detail=detail,
        )
