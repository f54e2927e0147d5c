"""Other consoles' changes, as PostgreSQL announces them (``LISTEN cm_console``).

The migration 0007 installs triggers that ``NOTIFY`` the table, the thread ids and the writing
console's origin after every change; a console listens on a dedicated connection in a background
thread and refreshes what changed, without polling the queue.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cm_console.store.engine import Database, StoreError

log = logging.getLogger(__name__)

CHANNEL = "cm_console"
"""The ``NOTIFY`` channel the migration's triggers announce changes on (0007)."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What other consoles changed, from their notifications (coalesced)."""

    tables: frozenset[str] = frozenset()
    thread_ids: frozenset[int] = frozenset()
    everything: bool = False
    """Too much to list, or notifications may have been missed (after a reconnect)."""


def parse_notification(payload: str, own_origin: str) -> Changes | None:
    """A notification's payload as :class:`Changes`; None for our own writes or garbage."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("o") == own_origin:
        return None
    table = str(data.get("t") or "")
    ids = data.get("ids")
    if ids is None:
        # a row without a thread (presence, an account) or more rows than a payload holds
        many = table not in ("presence", "claims", "accounts", "containers")
        return Changes(tables=frozenset({table}), everything=many)
    if not isinstance(ids, list):
        return None
    return Changes(
        tables=frozenset({table}),
        thread_ids=frozenset(int(i) for i in ids if isinstance(i, int)),
    )


def merge(changes: Sequence[Changes]) -> Changes:
    return Changes(
        tables=frozenset().union(*(ch.tables for ch in changes)),
        thread_ids=frozenset().union(*(ch.thread_ids for ch in changes)),
        everything=any(ch.everything for ch in changes),
    )


class ChangeListener:
    """Listens for other consoles' changes on a dedicated connection in a background thread.

    PostgreSQL only. Notifications arriving within ``coalesce`` of each other are delivered as
    one :class:`Changes` to ``on_changes`` (called in the listener thread: the caller hands it
    on to its GUI thread). ``on_state(online, detail)`` reports losing and regaining the
    connection; after a reconnect ``on_changes`` gets ``everything=True``, because what changed
    while offline was not announced to this console.
    """

    def __init__(
        self,
        db: Database,
        on_changes: Callable[[Changes], None],
        on_state: Callable[[bool, str], None],
        *,
        coalesce: float = 0.25,
        retry: tuple[float, float] = (0.5, 15.0),
    ) -> None:
        if db.is_sqlite:
            raise StoreError("only a PostgreSQL database announces changes")
        self._db = db
        self._on_changes = on_changes
        self._on_state = on_state
        self._coalesce = coalesce
        self._retry = retry
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: Any = None
        self.listening = threading.Event()
        """Set while a connection is listening (tests wait for it)."""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cm-console listener", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        delay = self._retry[0]
        online = True
        first = True
        while not self._stop.is_set():
            try:
                conn = self._db.listen_connection()
            except StoreError as exc:
                if online:
                    online = False
                    self._on_state(False, str(exc))
                self._stop.wait(delay)
                delay = min(delay * 2, self._retry[1])
                continue
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                self.listening.set()
                delay = self._retry[0]
                if not online:
                    online = True
                    self._on_state(True, "")
                if not first:
                    self._on_changes(Changes(everything=True))
                first = False
                self._listen(conn)
            except Exception as exc:  # noqa: BLE001 - any failure of the connection: reconnect
                self.listening.clear()
                if self._stop.is_set():
                    break
                log.info("change listener lost its connection: %s", exc)
                online = False
                self._on_state(False, str(exc))
            finally:
                self.listening.clear()
                try:
                    conn.close()
                except Exception:
                    log.debug("closing the listener connection failed", exc_info=True)
            self._stop.wait(delay)

    def _listen(self, conn: Any) -> None:
        pending: list[Changes] = []
        first_at = 0.0
        while not self._stop.is_set():
            timeout = 1.0 if not pending else max(0.0, first_at + self._coalesce - time.monotonic())
            for note in conn.notifies(timeout=timeout, stop_after=64):
                parsed = parse_notification(note.payload, self._db.origin)
                if parsed is not None:
                    if not pending:
                        first_at = time.monotonic()
                    pending.append(parsed)
            if pending and time.monotonic() - first_at >= self._coalesce:
                batch, pending = merge(pending), []
                self._on_changes(batch)
            if not pending:
                # An idle wait ended: make sure the connection is still there.
                conn.execute("SELECT 1")
