"""The status bar: per-account sync state, the outbox count, offline and long work in progress."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from cm_console.services.accounts import AccountOverview
from cm_console.ui import icons, theme
from cm_console.ui.format import age, tr
from cm_console.ui.plain_text import plain_tooltip


class StatusBar(QStatusBar):
    """Shows what the background is doing.

    Signals:
        outbox_clicked(): the user wants to see the outbox.
        cancel_clicked(): the user wants to stop the long task in progress.
    """

    outbox_clicked = Signal()
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = QLabel(self)
        self.accounts.setTextFormat(Qt.TextFormat.PlainText)
        self.network = QLabel(self)
        self.network.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.cancel = QToolButton(self)
        self.cancel.setText(tr("Cancel"))
        self.cancel.clicked.connect(self.cancel_clicked)
        self.outbox = QToolButton(self)
        self.outbox.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.outbox.setAutoRaise(True)
        self.outbox.clicked.connect(self.outbox_clicked)
        self.addWidget(self.accounts, 1)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel)
        self.addPermanentWidget(self.network)
        self.addPermanentWidget(self.outbox)
        self.set_busy(False)
        self.set_online(True)
        self.set_outbox(0, 0)

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel.setVisible(busy)
        if busy and text:
            self.showMessage(text, 4000)

    def set_online(self, online: bool, detail: str = "") -> None:
        c = theme.colours()
        name = "online" if online else "offline"
        self.network.setPixmap(icons.icon(name, c.ok if online else c.danger).pixmap(16, 16))
        self.network.setToolTip(
            detail or (tr("Online") if online else tr("Offline: working from the local store"))
        )
        self.offline = not online

    def set_outbox(self, pending: int, attention: int) -> None:
        c = theme.colours()
        colour = c.danger if attention else (c.accent if pending else c.icon)
        self.outbox.setIcon(icons.icon("outbox", colour))
        if attention:
            self.outbox.setText(tr("%n need(s) attention", None, attention))
        elif pending:
            self.outbox.setText(tr("%n waiting to send", None, pending))
        else:
            self.outbox.setText(tr("Outbox empty"))

    def set_accounts(self, rows: list[AccountOverview], now: datetime) -> None:
        parts = []
        for row in rows:
            sync = row.sync
            if sync is None or sync.last_success_at is None:
                state = tr("not synced yet")
            elif sync.running:
                state = tr("syncing…")
            else:
                state = tr("synced %1 ago").replace("%1", age(now - sync.last_success_at))
            if sync is not None and sync.last_error:
                state += " · " + tr("error")
            parts.append(f"{row.account.name}: {state}")
        self.accounts.setText("   ".join(parts) if parts else tr("No accounts yet"))
        self.accounts.setToolTip(
            plain_tooltip(
                "\n".join(
                    f"{r.account.name}: {r.sync.last_error}"
                    for r in rows
                    if r.sync is not None and r.sync.last_error
                )
            )
        )
