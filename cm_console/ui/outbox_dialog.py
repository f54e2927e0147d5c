"""The outbox: what waits to be sent, what failed, and the user's say over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.outbox import CANCELLABLE, RETRYABLE_BY_USER, Operation
from cm_console.services.outbox import OutboxService
from cm_console.ui.format import op_state_label, tr, when
from cm_console.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex


class OutboxModel(QAbstractTableModel):
    """Operations, newest first."""

    OpRole = Qt.ItemDataRole.UserRole + 1
    HEADERS = ("What", "State", "Tries", "Created", "Problem", "Text")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Operation] = []

    def set_rows(self, rows: list[Operation]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return {
                0: tr("What"),
                1: tr("State"),
                2: tr("Tries"),
                3: tr("Created"),
                4: tr("Problem"),
                5: tr("Text"),
            }[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        op = self.rows[index.row()]
        if role == self.OpRole:
            return op
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        kinds = {
            "reply": tr("Reply"),
            "dm": tr("Direct message"),
            "set_tags": tr("Tags"),
            "reaction": tr("Reaction"),
            "post": tr("New post"),
        }
        values = (
            kinds.get(op.kind.value, op.kind.value),
            op_state_label(op.state),
            str(op.attempts),
            when(op.created_at) if op.created_at else "",
            op.last_error or "",
            " ".join(str(op.payload.get("text", "")).split())[:200],
        )
        return values[column] if 0 <= column < len(values) else None


class OutboxDialog(QDialog):
    """Lists operations; retry what failed, discard what should not go out."""

    def __init__(
        self,
        outbox: OutboxService,
        tasks: TaskRunner,
        on_changed: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Outbox"))
        self.resize(860, 420)
        self._outbox = outbox
        self._tasks = tasks
        self._on_changed = on_changed
        self.model = OutboxModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.retry = QPushButton(tr("&Retry"), self)
        self.discard = QPushButton(tr("&Discard"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.discard)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retry.clicked.connect(lambda: self._act(self._outbox.retry))
        self.discard.clicked.connect(lambda: self._act(self._outbox.discard))
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        self._tasks.run(
            lambda _s: self._outbox.operations(),
            self._loaded,
            lambda exc: self.message.setText(str(exc)),
            label="outbox",
        )

    def _loaded(self, rows: list[Operation]) -> None:
        self.model.set_rows(rows)
        self.message.setText(tr("%n operation(s)", None, len(rows)))
        self._update_buttons()

    def _selected(self) -> Operation | None:
        value = self.table.currentIndex().data(OutboxModel.OpRole)
        return value if isinstance(value, Operation) else None

    def _update_buttons(self, *_args: object) -> None:
        op = self._selected()
        self.retry.setEnabled(op is not None and op.state in RETRYABLE_BY_USER)
        self.discard.setEnabled(op is not None and op.state in CANCELLABLE)

    def _act(self, action: Callable[[str], Operation]) -> None:
        op = self._selected()
        if op is None:
            return
        self._tasks.run(
            lambda _s: action(op.op_id),
            self._after_action,
            lambda exc: self.message.setText(str(exc)),
            writer=True,
            label="outbox",
        )

    def _after_action(self, _result: object) -> None:
        self.reload()
        self._on_changed()
