"""The store facade: one object per database, with a repository per concern."""

from __future__ import annotations

from pathlib import Path

from cm_console.store import facts
from cm_console.store.accounts import Accounts, AppSettings, LocalUsers
from cm_console.store.engine import Database
from cm_console.store.ingest import Ingest
from cm_console.store.outbox import Outbox
from cm_console.store.prompts import Prompts
from cm_console.store.queue import Queue
from cm_console.store.saved_replies import SavedReplies
from cm_console.store.simulation import SimulationStore
from cm_console.store.sync_state import SyncState
from cm_console.store.triage import Threads, Triage


class Store:
    """Everything the services need from the database; built once by the composition root."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.accounts = Accounts(db)
        self.users = LocalUsers(db)
        self.settings = AppSettings(db)
        self.ingest = Ingest(db)
        self.queue = Queue(db)
        self.triage = Triage(db)
        self.threads = Threads(db)
        self.outbox = Outbox(db)
        self.sync_state = SyncState(db)
        self.simulation = SimulationStore(db)
        self.saved_replies = SavedReplies(db)
        self.prompts = Prompts(db)

    def recompute_account(self, account_id: int) -> int:
        """Re-derive the team marks, facts and deadlines of one account from stored posts (after
        a change of team or thresholds: nothing is fetched again)."""
        with self.db.write() as conn:
            return facts.recompute_account(conn, account_id)

    def close(self) -> None:
        self.db.dispose()


def open_store(url: str, *, backup_dir: Path | None, password: str | None = None) -> Store:
    """Connect, bring the schema up to date (SQLite) or check it (PostgreSQL), and return the
    store."""
    db = Database(url, password=password)
    try:
        db.prepare(backup_dir)
    except Exception:
        db.dispose()
        raise
    return Store(db)
