"""The audit log page: what the console posted, tagged or changed, by whom and when; filters and
export to CSV."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.model import LocalUser
from cm_console.services.team import AuditEntry, AuditQuery, TeamService, write_audit_csv
from cm_console.ui.format import from_qdatetime, when
from cm_console.ui.tasks import TaskRunner, TaskState

Index = QModelIndex | QPersistentModelIndex

LIMIT = 2000


class AuditModel(QAbstractTableModel):
    """Audit entries, newest first: when, who, what, which conversation, details."""

    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditEntry] = []
        self._users: dict[int, str] = {}

    def set_entries(self, entries: list[AuditEntry], users: list[LocalUser]) -> None:
        self.beginResetModel()
        self.entries = entries
        self._users = {u.id: u.name for u in users}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        labels = (
            self.tr("When"),
            self.tr("Who"),
            self.tr("What"),
            self.tr("Conversation"),
            self.tr("Details"),
        )
        return labels[section] if 0 <= section < len(labels) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return when(entry.at)
            if column == 1:
                return entry.user or self.tr("(unknown)")
            if column == 2:
                return self.action_label(entry.action)
            if column == 3:
                return entry.thread_title or entry.thread_key or entry.account or ""
            if column == 4:
                return self.details(entry)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (3, 4):
            return entry.thread_key or json.dumps(entry.detail, ensure_ascii=False)
        return None

    def action_label(self, action: str) -> str:
        labels = {
            "status": self.tr("Status changed"),
            "assign": self.tr("Assigned"),
            "flag": self.tr("Flag changed"),
            "tag": self.tr("Tagged"),
            "untag": self.tr("Tag removed"),
            "prompt": self.tr("Colleague asked"),
            "queue_reply": self.tr("Reply queued"),
            "queue_dm": self.tr("Direct message queued"),
            "queue_set_tags": self.tr("Platform tags queued"),
            "sent_reply": self.tr("Reply sent"),
            "sent_dm": self.tr("Direct message sent"),
            "sent_set_tags": self.tr("Platform tags set"),
            "sent_as": self.tr("Sent under identity"),
            "outbox_discard": self.tr("Discarded from the outbox"),
            "outbox_retry": self.tr("Sent again"),
            "identity": self.tr("Own identity set"),
            "identity_removed": self.tr("Own identity removed"),
            "account_add": self.tr("Account added"),
            "account_remove": self.tr("Account removed"),
            "account_settings": self.tr("Account settings changed"),
            "community_settings": self.tr("Community settings changed"),
            "setting": self.tr("Setting changed"),
            "saved_reply": self.tr("Saved reply saved"),
            "saved_reply_removed": self.tr("Saved reply removed"),
            "saved_replies_replaced": self.tr("Saved replies replaced"),
        }
        return labels.get(action, action)

    def details(self, entry: AuditEntry) -> str:
        d = entry.detail
        if entry.action == "status":
            return str(d.get("status", ""))
        if entry.action in ("tag", "untag"):
            return str(d.get("tag", ""))
        if entry.action == "assign":
            who = d.get("assignee_id")
            return self._users.get(who, self.tr("nobody")) if who is not None else self.tr("nobody")
        if entry.action == "flag":
            return str(d.get("note") or "") if d.get("flagged") else self.tr("flag removed")
        if entry.action == "sent_as":
            identity = str(d.get("identity", ""))
            shown = self.tr("shared account") if identity == "shared" else identity
            return f"{shown} · {d.get('console', '')}"
        return ", ".join(f"{k}: {v}" for k, v in d.items() if v not in (None, ""))


class AuditPage(QWidget):
    """Filters above the log; export what is shown as CSV.

    Signals:
        loaded(int): the entries were (re)loaded; how many.
    """

    loaded = Signal(int)

    def __init__(self, team: TeamService, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self._team = team
        self._tasks = tasks
        self._generation = 0
        self.model = AuditModel(self)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Audit log"), self)
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)  # as the other pages' titles
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        layout.addWidget(title)
        bar = QHBoxLayout()
        self.user = QComboBox(self)
        self.user.setObjectName("auditUser")
        self.user.setAccessibleName(self.tr("Who"))
        self.action = QComboBox(self)
        self.action.setObjectName("auditAction")
        self.action.setAccessibleName(self.tr("What"))
        self.use_since = QCheckBox(self.tr("Since"), self)
        self.since = QDateEdit(self)
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("d MMM yyyy")  # as the dates in the log
        self.since.setDate(QDate.currentDate().addDays(-30))
        self.since.setEnabled(False)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setObjectName("auditExport")
        for widget in (self.user, self.action, self.use_since, self.since):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 110), (2, 190), (3, 260)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        self._filling = False
        for combo in (self.user, self.action):
            combo.currentIndexChanged.connect(self._on_filter)
        self.use_since.toggled.connect(self._on_filter)
        self.since.dateChanged.connect(self._on_filter)
        self.refresh_button.clicked.connect(self.load)
        self.export_button.clicked.connect(self._on_export)
        self._users: list[LocalUser] = []
        self._fill_filters([], [])

    def query(self) -> AuditQuery:
        user = self.user.currentData()
        action = self.action.currentData()
        since = None
        if self.use_since.isChecked():
            since = from_qdatetime(self.since.dateTime())
        return AuditQuery(
            since=since,
            user=user if isinstance(user, str) else None,
            action=action if isinstance(action, str) else None,
            limit=LIMIT,
        )

    def load(self) -> None:
        """(Re)load the entries the filters select, and the filter choices."""
        self._generation += 1
        generation = self._generation
        team = self._team
        query = self.query()

        def work(_state: TaskState) -> tuple[list[AuditEntry], list[LocalUser], list[str]]:
            return team.audit(query), team.users(), team.audit_actions()

        def done(result: tuple[list[AuditEntry], list[LocalUser], list[str]]) -> None:
            if generation != self._generation:
                return
            entries, users, actions = result
            self._users = users
            self._fill_filters(users, actions)
            self.model.set_entries(entries, users)
            shown = len(entries)
            text = self.tr("%n entr(y/ies)", None, shown)
            if shown >= LIMIT:
                text += " · " + self.tr("the newest only; narrow the filters or export")
            self.status.setText(text)
            self.loaded.emit(shown)

        self._tasks.run(work, done, lambda exc: self.status.setText(str(exc)), label="audit")

    def _fill_filters(self, users: list[LocalUser], actions: list[str]) -> None:
        self._filling = True
        try:
            for combo, items, everyone in (
                (self.user, [(u.name, u.name) for u in users], self.tr("Everyone")),
                (
                    self.action,
                    [(self.model.action_label(a), a) for a in actions],
                    self.tr("Every action"),
                ),
            ):
                chosen = combo.currentData()
                combo.clear()
                combo.addItem(everyone, None)
                for label, value in items:
                    combo.addItem(label, value)
                found = combo.findData(chosen) if chosen is not None else 0
                combo.setCurrentIndex(max(0, found))
        finally:
            self._filling = False

    def _on_filter(self, *_args: object) -> None:
        if not self._filling:
            self.load()

    def _on_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit log"), "audit.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write the entries the filters select (all of them, not only those shown) as CSV."""
        team = self._team
        query = self.query()
        full = AuditQuery(since=query.since, user=query.user, action=query.action, limit=None)

        def work(_state: TaskState) -> int:
            entries = team.audit(full)
            with open(path, "w", encoding="utf-8", newline="") as out:
                write_audit_csv(entries, out)
            return len(entries)

        def done(count: int) -> None:
            self.status.setText(
                self.tr("%n entr(y/ies) exported to %1", None, count).replace("%1", path)
            )

        self._tasks.run(work, done, lambda exc: self.status.setText(str(exc)), label="export")
