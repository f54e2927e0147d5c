"""Per-account sync bookkeeping: the lease that keeps one sync per account, and the last result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.engine import Database, insert_new
from cm_console.store.ingest import load_cursors

c = s.sync_state.c


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """The last sync of one account, for the status bar and ``account list``."""

    account_id: int
    running: bool
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error_code: str | None
    last_error: str | None


class SyncState:
    """Leases and results of account syncs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def acquire(self, account_id: int, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take the account's sync lease unless someone else holds a live one."""
        now_ms = to_ms(now)
        with self._db.write() as conn:
            # The window and a cron 'sync' may start an account's very first sync together.
            conn.execute(insert_new(conn, s.sync_state).values(account_id=account_id))
            result = conn.execute(
                update(s.sync_state)
                .where(c.account_id == account_id)
                .where(
                    or_(
                        c.lease_holder.is_(None),
                        c.lease_holder == holder,
                        c.lease_expires_at <= now_ms,
                    )
                )
                .values(
                    lease_holder=holder, lease_expires_at=to_ms(now + ttl), last_attempt_at=now_ms
                )
            )
            return result.rowcount == 1

    def renew(self, account_id: int, holder: str, now: datetime, ttl: timedelta) -> bool:
        with self._db.write() as conn:
            return (
                conn.execute(
                    update(s.sync_state)
                    .where(c.account_id == account_id, c.lease_holder == holder)
                    .values(lease_expires_at=to_ms(now + ttl))
                ).rowcount
                == 1
            )

    def release(
        self,
        account_id: int,
        holder: str,
        now: datetime,
        *,
        error_code: str | None = None,
        error: str | None = None,
    ) -> None:
        """Give the lease back and record how the sync ended."""
        values: dict[str, Any] = {
            "lease_holder": None,
            "lease_expires_at": None,
            "last_error_code": error_code,
            "last_error": error,
        }
        if error_code is None:
            values["last_success_at"] = to_ms(now)
        with self._db.write() as conn:
            conn.execute(
                update(s.sync_state)
                .where(c.account_id == account_id, c.lease_holder == holder)
                .values(**values)
            )

    def status(self, now: datetime) -> list[SyncStatus]:
        now_ms = to_ms(now)
        with self._db.read() as conn:
            return [
                SyncStatus(
                    account_id=r.account_id,
                    running=r.lease_holder is not None and (r.lease_expires_at or 0) > now_ms,
                    last_attempt_at=from_ms(r.last_attempt_at),
                    last_success_at=from_ms(r.last_success_at),
                    last_error_code=r.last_error_code,
                    last_error=r.last_error,
                )
                for r in conn.execute(select(s.sync_state))
            ]

    def cursors(self, account_id: int) -> dict[str, Any]:
        with self._db.read() as conn:
            return load_cursors(conn, account_id)
