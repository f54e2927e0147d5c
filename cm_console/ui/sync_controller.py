"""Background sync from the window: periodic and on demand, with offline detection."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, QTimer, Signal

from cm_console.domain.outbox import OpState
from cm_console.domain.review import is_imported
from cm_console.services.accounts import AccountOverview
from cm_console.services.sync import SyncReport
from cm_console.ui.context import UiServices
from cm_console.ui.format import tr
from cm_console.ui.status_bar import StatusBar
from cm_console.ui.tasks import TaskHandle, TaskRunner, TaskState

OFFLINE_CODES = frozenset({"offline", "network", "connect", "connect_timeout", "tls"})


class SyncController(QObject):
    """Runs syncs in the I/O pool and keeps the status bar current.

    Signals:
        synced(SyncReport): a sync finished (views refresh the threads it changed).
    """

    synced = Signal(object)

    def __init__(
        self,
        services: UiServices,
        tasks: TaskRunner,
        status: StatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._status = status
        self._running: TaskHandle[SyncReport] | None = None
        self._again = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        status.cancel_clicked.connect(self.cancel)

    def start(self, interval_minutes: int) -> None:
        """Sync now, then every ``interval_minutes`` (0: only on demand)."""
        if interval_minutes > 0:
            self.timer.start(interval_minutes * 60_000)
        self.sync_now()

    def stop(self) -> None:
        self.timer.stop()
        self.cancel()

    def cancel(self) -> None:
        if self._running is not None:
            self._running.cancel()

    @property
    def running(self) -> bool:
        return self._running is not None

    def sync_now(self, account: str | None = None, *, pull: bool = True) -> None:
        """Pull and send (or only send, for a reply just queued)."""
        if self._running is not None:
            self._again = True
            return
        sync = self._services.sync
        self._status.set_busy(True, tr("Syncing…") if pull else tr("Sending…"))

        def work(state: TaskState) -> SyncReport:
            return sync.sync(
                account,
                cancel=state.is_cancelled,
                progress=lambda name, pages: state.progress(pages, name),
                pull=pull,
            )

        self._running = self._tasks.run(work, self._on_done, self._on_failed, label="sync")

    def send_now(self, account_id: int) -> None:
        name = next(
            (
                a.account.name
                for a in self._services.accounts.overview()
                if a.account.id == account_id
            ),
            None,
        )
        if name is not None and not self._status.offline:
            self.sync_now(name, pull=False)

    def _on_done(self, report: SyncReport) -> None:
        self._running = None
        self._status.set_busy(False)
        offline = [a for a in report.accounts if a.error_code in OFFLINE_CODES]
        self._status.set_online(
            not offline, "\n".join(a.error or "" for a in offline) if offline else ""
        )
        errors = [a.error for a in report.accounts if a.error and a not in offline]
        if errors:
            self._status.showMessage(errors[0] or "", 10_000)
        self.synced.emit(report)
        self.refresh_status()
        if self._again:
            self._again = False
            self.sync_now()

    def _on_failed(self, exc: Exception) -> None:
        self._running = None
        self._status.set_busy(False)
        self._status.showMessage(str(exc), 10_000)
        self.refresh_status()

    def refresh_status(self) -> None:
        services = self._services

        def work(_state: TaskState) -> tuple[object, dict[OpState, int]]:
            return services.accounts.overview(), services.outbox.counts()

        def done(result: tuple[object, dict[OpState, int]]) -> None:
            rows, counts = result
            # Accounts holding review packets have no platform: they are never synced.
            synced = [r for r in cast(list[AccountOverview], rows) if not is_imported(r.account)]
            self._status.set_accounts(synced, services.clock())
            pending = sum(
                counts.get(s, 0) for s in (OpState.QUEUED, OpState.SENDING, OpState.UNKNOWN)
            )
            attention = counts.get(OpState.FAILED, 0) + counts.get(OpState.NEEDS_ATTENTION, 0)
            self._status.set_outbox(pending, attention)

        self._tasks.run(
            work, done, lambda exc: self._status.showMessage(str(exc), 5000), label="status"
        )
