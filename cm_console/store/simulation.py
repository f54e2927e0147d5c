"""Persistence for the demo connector's simulated platform (DESIGN.md §9).

The demo platform is simulated in-process, but what users write to it (replies, DMs, tags,
reactions) is kept here, in the workspace database, so a reply queued in one process and a sync
in the next behave as they would against a real server. The demo connector receives this object
from the composition root; it never imports the store.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.engine import Database


class SimulationStore:
    """Key/value metadata and an append-only log of writes, per simulated platform."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get_meta(self, platform_key: str) -> dict[str, str]:
        m = s.sim_meta.c
        with self._db.read() as conn:
            rows = conn.execute(select(m.key, m.value).where(m.account_key == platform_key))
            return {r.key: r.value for r in rows}

    def set_meta(self, platform_key: str, values: dict[str, str]) -> None:
        m = s.sim_meta.c
        with self._db.write() as conn:
            conn.execute(
                delete(s.sim_meta).where(m.account_key == platform_key, m.key.in_(list(values)))
            )
            conn.execute(
                insert(s.sim_meta),
                [{"account_key": platform_key, "key": k, "value": v} for k, v in values.items()],
            )

    def append(
        self,
        platform_key: str,
        *,
        kind: str,
        remote_id: str,
        thread_remote_id: str | None,
        target: str | None,
        author_remote_id: str,
        created_at: datetime,
        body: str,
        marker: str | None,
    ) -> int:
        """Record one write accepted by the simulated platform; returns its sequence number."""
        with self._db.write() as conn:
            result = conn.execute(
                insert(s.sim_writes).values(
                    account_key=platform_key,
                    kind=kind,
                    remote_id=remote_id,
                    thread_remote_id=thread_remote_id,
                    target=target,
                    author_remote_id=author_remote_id,
                    created_at=to_ms(created_at),
                    body=body,
                    marker=marker,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def writes(self, platform_key: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """Writes after ``after_seq``, in order (plain dicts: the connector's own terms)."""
        w = s.sim_writes.c
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.sim_writes)
                .where(w.account_key == platform_key, w.seq > after_seq)
                .order_by(w.seq)
            )
            return [
                {
                    "seq": r.seq,
                    "kind": r.kind,
                    "remote_id": r.remote_id,
                    "thread_remote_id": r.thread_remote_id,
                    "target": r.target,
                    "author_remote_id": r.author_remote_id,
                    "created_at": from_ms(r.created_at),
                    "body": r.body,
                    "marker": r.marker,
                }
                for r in rows
            ]
