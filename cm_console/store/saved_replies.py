"""Saved replies (shared in team mode)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select, update

from cm_console.domain.views import SavedReply
from cm_console.store import schema as s
from cm_console.store.engine import Database

c = s.saved_replies.c


class SavedReplies:
    """Reply templates with variables (see ``domain.templates``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
                return reply_id
            key = conn.execute(
                insert(s.saved_replies).values(name=name, language=language, body=body)
            ).inserted_primary_key
            assert key is not None
            return int(key[0])

    def delete(self, reply_id: int) -> None:
        with self._db.write() as conn:
            conn.execute(delete(s.saved_replies).where(c.id == reply_id))

    def replace(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Replace every saved reply with ``(name, language, body)`` items."""
        with self._db.write() as conn:
            conn.execute(delete(s.saved_replies))
            rows = [{"name": n, "language": lang, "body": b} for n, lang, b in items]
            if rows:
                conn.execute(insert(s.saved_replies), rows)
