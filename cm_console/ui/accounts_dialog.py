"""Accounts: add, test and remove platform accounts, showing only what each connector declares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cm_console.connectors.base import Connector, LoginMethod
from cm_console.domain.model import Secret
from cm_console.services.accounts import AccountOverview, AccountService
from cm_console.ui import icons
from cm_console.ui.format import tr, when
from cm_console.ui.tasks import TaskRunner, TaskState

Index = QModelIndex | QPersistentModelIndex


class AccountsModel(QAbstractListModel):
    """Configured accounts with their sync state."""

    OverviewRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AccountOverview] = []

    def set_rows(self, rows: list[AccountOverview]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.account.name} — {row.display_name}"
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.platform_icon(row.account.platform)
        if role == self.OverviewRole:
            return row
        return None


class _NewAccountForm(QWidget):
    """The fields one connector needs, built from its :class:`ConnectorInfo`."""

    def __init__(
        self, connectors: list[tuple[str, type[Connector]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._connectors = dict(connectors)
        form = QFormLayout(self)
        self.platform = QComboBox(self)
        for platform_id, cls in connectors:
            self.platform.addItem(
                icons.platform_icon(platform_id), cls.info.display_name, platform_id
            )
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(tr("a short name, e.g. intranet or hr-slack"))
        self.url = QLineEdit(self)
        self.user = QLineEdit(self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.options: dict[str, QLineEdit] = {}
        self.options_box = QGroupBox(tr("Platform options"), self)
        self.options_form = QFormLayout(self.options_box)
        self.url_label = QLabel(self)
        self.user_label = QLabel(self)
        self.secret_label = QLabel(self)
        self.login_hint = QLabel(self)
        self.login_hint.setWordWrap(True)
        self.login_hint.setObjectName("muted")
        form.addRow(tr("&Platform:"), self.platform)
        form.addRow(tr("&Name:"), self.name)
        form.addRow(self.url_label, self.url)
        form.addRow(self.user_label, self.user)
        form.addRow(self.secret_label, self.secret)
        form.addRow(self.options_box)
        form.addRow(self.login_hint)
        self.platform.currentIndexChanged.connect(self._on_platform)
        self._on_platform()

    def connector(self) -> type[Connector]:
        return self._connectors[str(self.platform.currentData())]

    def _on_platform(self, *_args: object) -> None:
        info = self.connector().info
        for widget, label, text in (
            (self.url, self.url_label, info.url_label),
            (self.user, self.user_label, info.user_label),
            (self.secret, self.secret_label, info.secret_label),
        ):
            widget.setVisible(text is not None)
            label.setVisible(text is not None)
            label.setText(f"{text}:" if text else "")
        self.url.setText(info.default_url or "")
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self.options = {}
        for spec in info.options:
            edit = QLineEdit(self.options_box)
            edit.setPlaceholderText(spec.default or "")
            edit.setToolTip(spec.help)
            self.options[spec.key] = edit
            self.options_form.addRow(f"{spec.key}:", edit)
        self.options_box.setVisible(bool(info.options))
        methods = [m for m in info.login_methods if m in (LoginMethod.BROWSER, LoginMethod.DEVICE)]
        self.login_hint.setText(
            tr(
                "This platform can also sign in through your browser; use 'cm-console account "
                "add --login browser' for that."
            )
            if methods
            else ""
        )

    def values(self) -> dict[str, Any]:
        info = self.connector().info
        secret = self.secret.text()
        return {
            "platform": info.id,
            "name": self.name.text().strip(),
            "url": self.url.text().strip() or None,
            "user": self.user.text().strip() or None,
            "secret": Secret(secret) if info.needs_secret and secret else None,
            "options": {k: e.text().strip() for k, e in self.options.items() if e.text().strip()},
        }


class AccountsDialog(QDialog):
    """Lists accounts; adds (after a connection test), tests and removes them."""

    def __init__(
        self,
        accounts: AccountService,
        tasks: TaskRunner,
        on_changed: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Accounts"))
        self.resize(760, 480)
        self._accounts = accounts
        self._tasks = tasks
        self._on_changed = on_changed
        self.model = AccountsModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.details = QLabel(self)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.form = _NewAccountForm(
            [(pid, cls) for pid, cls in accounts.factory.registry.items()], self
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.details)
        self.stack.addWidget(self.form)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.add_button = QPushButton(icons.icon("add"), tr("&Add account…"), self)
        self.test_button = QPushButton(tr("&Test connection"), self)
        self.remove_button = QPushButton(icons.icon("remove"), tr("&Remove"), self)
        self.save_button = QPushButton(tr("&Connect and save"), self)
        self.save_button.setVisible(False)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.test_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(self.stack, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.add_button.clicked.connect(self._on_add)
        self.save_button.clicked.connect(self._on_save)
        self.test_button.clicked.connect(self._on_test)
        self.remove_button.clicked.connect(self._on_remove)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self.reload()

    def reload(self) -> None:
        self._tasks.run(
            lambda _s: self._accounts.overview(),
            self._on_loaded,
            self._show_error,
            label="accounts",
        )

    def _on_loaded(self, rows: list[AccountOverview]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.list.setCurrentIndex(self.model.index(0, 0))
        else:
            self._on_add()

    def _selected(self) -> AccountOverview | None:
        index = self.list.currentIndex()
        value = index.data(AccountsModel.OverviewRole) if index.isValid() else None
        return value if isinstance(value, AccountOverview) else None

    def _on_current(self, *_args: object) -> None:
        row = self._selected()
        self.stack.setCurrentWidget(self.details)
        self.save_button.setVisible(False)
        if row is None:
            self.details.setText("")
            return
        acc = row.account
        lines = [f"{acc.name} ({row.display_name})"]
        if acc.url:
            lines.append(acc.url)
        if acc.username:
            lines.append(tr("User: %1").replace("%1", acc.username))
        if row.sync is not None and row.sync.last_success_at is not None:
            lines.append(tr("Last sync: %1").replace("%1", when(row.sync.last_success_at)))
        if row.sync is not None and row.sync.last_error:
            lines.append(tr("Last error: %1").replace("%1", row.sync.last_error))
        if row.pending_ops:
            lines.append(tr("%n operation(s) waiting in the outbox", None, row.pending_ops))
        for key, value in sorted(acc.options.items()):
            lines.append(f"{key} = {value}")
        self.details.setText("\n".join(lines))

    def _on_add(self) -> None:
        self.list.clearSelection()
        self.stack.setCurrentWidget(self.form)
        self.save_button.setVisible(True)
        self.form.name.setFocus()

    def _on_save(self) -> None:
        values = self.form.values()
        self.message.setText(tr("Connecting…"))
        self.save_button.setEnabled(False)

        def work(_state: TaskState) -> object:
            return self._accounts.add(**values)

        def done(_account: object) -> None:
            self.save_button.setEnabled(True)
            self.message.setText(tr("Account added. The first sync starts now."))
            self.form.secret.clear()
            self._on_changed()
            self.reload()

        def failed(exc: Exception) -> None:
            self.save_button.setEnabled(True)
            self._show_error(exc)

        self._tasks.run(work, done, failed, writer=True, label="add account")

    def _on_test(self) -> None:
        row = self._selected()
        if row is None:
            return
        self.message.setText(tr("Testing %1…").replace("%1", row.account.name))
        self._tasks.run(
            lambda _s: self._accounts.test_connection(row.account.name),
            lambda name: self.message.setText(tr("Connected as %1.").replace("%1", str(name))),
            self._show_error,
            label="test connection",
        )

    def _on_remove(self) -> None:
        row = self._selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Remove account"),
            tr(
                "Remove %1 and everything synced for it? Its secret is removed from the keyring "
                "too. Nothing on the platform changes."
            ).replace("%1", row.account.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._tasks.run(
            lambda _s: self._accounts.remove(row.account.name),
            self._after_remove,
            self._show_error,
            writer=True,
            label="remove account",
        )

    def _after_remove(self, _result: object) -> None:
        self._on_changed()
        self.reload()

    def _show_error(self, exc: Exception) -> None:
        self.message.setText(str(exc))
