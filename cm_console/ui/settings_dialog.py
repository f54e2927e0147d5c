"""Settings: language and theme, sync interval, thresholds per account and community, business
hours and time zone, the community team, and saved replies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cm_console import config
from cm_console.domain.model import Account, Container
from cm_console.domain.templates import VARIABLES
from cm_console.domain.views import SavedReply
from cm_console.services.accounts import AccountService
from cm_console.services.settings import SettingsService
from cm_console.services.triage import TriageService
from cm_console.ui.format import tr
from cm_console.ui.i18n import LANGUAGES
from cm_console.ui.tasks import TaskRunner, TaskState
from cm_console.ui.theme import ThemeMode

Index = QModelIndex | QPersistentModelIndex
THRESHOLDS = (
    config.UNANSWERED_AFTER_HOURS,
    config.STALLED_AFTER_HOURS,
    config.ABANDONED_AFTER_DAYS,
    config.SLA_HOURS,
    config.BUSINESS_HOURS,
    config.TIMEZONE,
)


def setting_label(key: str) -> str:
    return {
        "unanswered_after_hours": tr("Unanswered after (hours)"),
        "stalled_after_hours": tr("Stalled after (hours, or auto)"),
        "abandoned_after_days": tr("Abandoned after (days)"),
        "sla_hours": tr("First-response target (business hours)"),
        "business_hours": tr("Business hours"),
        "timezone": tr("Time zone"),
        "team": tr("Community team (handles)"),
    }.get(key, key)


class _ThresholdForm(QWidget):
    """Editable values for one account or one community (empty = inherited/default)."""

    def __init__(self, keys: tuple[config.Setting[Any], ...], parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for setting in keys:
            edit = QLineEdit(self)
            edit.setToolTip(setting.help)
            self.edits[setting.key] = edit
            form.addRow(setting_label(setting.key) + ":", edit)

    def load(self, values: dict[str, Any], defaults: dict[str, str]) -> None:
        for key, edit in self.edits.items():
            value = values.get(key)
            edit.setText("" if value is None else str(value))
            edit.setPlaceholderText(defaults.get(key, ""))

    def values(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}


class SavedRepliesModel(QAbstractListModel):
    ReplyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SavedReply] = []

    def set_rows(self, rows: list[SavedReply]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        reply = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{reply.name} ({reply.language})"
        if role == self.ReplyRole:
            return reply
        return None


class SettingsDialog(QDialog):
    """All settings in one place; changes to triage settings recompute states locally."""

    def __init__(
        self,
        *,
        settings: SettingsService,
        accounts: AccountService,
        triage: TriageService,
        ui_settings: QSettings,
        tasks: TaskRunner,
        on_changed: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self.resize(720, 520)
        self._settings = settings
        self._accounts = accounts
        self._triage = triage
        self._ui = ui_settings
        self._tasks = tasks
        self._on_changed = on_changed
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general_tab(), tr("&General"))
        self.tabs.addTab(self._thresholds_tab(), tr("&Thresholds and team"))
        self.tabs.addTab(self._replies_tab(), tr("Saved &replies"))
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self._load()

    # --- general -------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.language = QComboBox(page)
        self.language.addItem(tr("Follow the system"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.theme = QComboBox(page)
        for mode, label in (
            (ThemeMode.SYSTEM, tr("Follow the system")),
            (ThemeMode.LIGHT, tr("Light")),
            (ThemeMode.DARK, tr("Dark")),
        ):
            self.theme.addItem(label, mode.value)
        self.interval = QSpinBox(page)
        self.interval.setRange(0, 240)
        self.interval.setSuffix(tr(" min"))
        self.interval.setSpecialValueText(tr("only on demand"))
        save = QPushButton(tr("&Apply"), page)
        save.clicked.connect(self._save_general)
        form.addRow(tr("&Language:"), self.language)
        form.addRow(tr("T&heme:"), self.theme)
        form.addRow(tr("Background &sync every:"), self.interval)
        note = QLabel(tr("Language and theme apply after a restart of the console."), page)
        note.setObjectName("muted")
        form.addRow(note)
        form.addRow(save)
        return page

    def _save_general(self) -> None:
        self._ui.setValue("language", self.language.currentData())
        self._ui.setValue("theme", self.theme.currentData())
        value = str(self.interval.value())
        self._tasks.run(
            lambda _s: self._settings.set_app("sync_interval_minutes", value),
            lambda _r: self._saved(),
            self._error,
            writer=True,
            label="settings",
        )

    # --- thresholds ----------------------------------------------------------------------------

    def _thresholds_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.account = QComboBox(page)
        self.scope = QComboBox(page)
        top.addWidget(QLabel(tr("Account:"), page))
        top.addWidget(self.account, 1)
        top.addWidget(QLabel(tr("Applies to:"), page))
        top.addWidget(self.scope, 1)
        self.threshold_form = _ThresholdForm((*THRESHOLDS, config.TEAM), page)
        hint = QLabel(
            tr(
                "Empty fields use the account's value or the default shown in grey. "
                "Changes recompute the queue from stored posts; nothing is fetched "
                "again."
            ),
            page,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        save = QPushButton(tr("&Save thresholds"), page)
        save.clicked.connect(self._save_thresholds)
        layout.addLayout(top)
        layout.addWidget(self.threshold_form)
        layout.addWidget(hint)
        layout.addWidget(save)
        layout.addStretch(1)
        self.account.currentIndexChanged.connect(self._on_account)
        self.scope.currentIndexChanged.connect(self._on_scope)
        return page

    def _on_account(self, *_args: object) -> None:
        data = self.account.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        if isinstance(data, tuple):
            account, containers = data
            self.scope.addItem(tr("the whole account"), None)
            for c in sorted(containers, key=lambda c: c.name.lower()):
                self.scope.addItem(c.name, c)
            del account
        self.scope.blockSignals(False)
        self._on_scope()

    def _on_scope(self, *_args: object) -> None:
        data = self.account.currentData()
        if not isinstance(data, tuple):
            return
        account: Account = data[0]
        container = self.scope.currentData()
        shown: tuple[config.Setting[Any], ...] = (*THRESHOLDS, config.TEAM)
        defaults = {s.key: s.format(s.default) for s in shown}
        defaults["timezone"] = config.system_timezone_name() or "UTC"
        if isinstance(container, Container):
            inherited = {**defaults, **{k: str(v) for k, v in account.options.items()}}
            self.threshold_form.load(dict(container.options), inherited)
            self.threshold_form.edits["team"].setEnabled(False)
        else:
            self.threshold_form.load(dict(account.options), defaults)
            self.threshold_form.edits["team"].setEnabled(True)

    def _save_thresholds(self) -> None:
        data = self.account.currentData()
        if not isinstance(data, tuple):
            return
        account: Account = data[0]
        container = self.scope.currentData()
        values = self.threshold_form.values()

        def work(_state: TaskState) -> None:
            if isinstance(container, Container):
                values.pop("team", None)
                self._accounts.update_container_options(account.name, container.id, values)
            else:
                self._accounts.update_options(account.name, values)

        self._tasks.run(
            work,
            self._saved_and_reload,
            self._error,
            writer=True,
            label="thresholds",
        )

    # --- saved replies -------------------------------------------------------------------------

    def _replies_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QHBoxLayout(page)
        self.replies = SavedRepliesModel(page)
        self.reply_list = QListView(page)
        self.reply_list.setModel(self.replies)
        editor = QWidget(page)
        form = QFormLayout(editor)
        self.reply_name = QLineEdit(editor)
        self.reply_lang = QComboBox(editor)
        for code, name in LANGUAGES.items():
            self.reply_lang.addItem(name, code)
        self.reply_body = QPlainTextEdit(editor)
        self.reply_body.setTabChangesFocus(True)
        variables = ", ".join("{" + v + "}" for v in VARIABLES)
        help_label = QLabel(
            tr("Variables: %1. A fallback after a bar: {author|there}.").replace("%1", variables),
            editor,
        )
        help_label.setWordWrap(True)
        help_label.setObjectName("muted")
        buttons = QHBoxLayout()
        new = QPushButton(tr("&New"), editor)
        save = QPushButton(tr("&Save reply"), editor)
        delete = QPushButton(tr("&Delete"), editor)
        for b in (new, save, delete):
            buttons.addWidget(b)
        form.addRow(tr("Name:"), self.reply_name)
        form.addRow(tr("Language:"), self.reply_lang)
        form.addRow(tr("Text:"), self.reply_body)
        form.addRow(help_label)
        form.addRow(buttons)
        layout.addWidget(self.reply_list, 1)
        layout.addWidget(editor, 2)
        self._reply_id: int | None = None
        self.reply_list.selectionModel().currentChanged.connect(self._on_reply)
        new.clicked.connect(self._new_reply)
        save.clicked.connect(self._save_reply)
        delete.clicked.connect(self._delete_reply)
        return page

    def _on_reply(self, current: QModelIndex, _previous: QModelIndex) -> None:
        reply = current.data(SavedRepliesModel.ReplyRole) if current.isValid() else None
        if not isinstance(reply, SavedReply):
            return
        self._reply_id = reply.id
        self.reply_name.setText(reply.name)
        self.reply_lang.setCurrentIndex(max(0, self.reply_lang.findData(reply.language)))
        self.reply_body.setPlainText(reply.body)

    def _new_reply(self) -> None:
        self._reply_id = None
        self.reply_list.clearSelection()
        self.reply_name.clear()
        self.reply_body.clear()
        self.reply_name.setFocus()

    def _save_reply(self) -> None:
        name, body = self.reply_name.text(), self.reply_body.toPlainText()
        lang, reply_id = str(self.reply_lang.currentData()), self._reply_id
        self._tasks.run(
            lambda _s: self._settings.save_reply(name, lang, body, reply_id),
            self._saved_and_reload,
            self._error,
            writer=True,
            label="saved reply",
        )

    def _delete_reply(self) -> None:
        if self._reply_id is None:
            return
        reply_id = self._reply_id
        self._tasks.run(
            lambda _s: self._settings.delete_reply(reply_id),
            self._after_delete,
            self._error,
            writer=True,
            label="saved reply",
        )

    # --- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        def work(_state: TaskState) -> tuple[Any, Any, Any]:
            return self._settings.app(), self._triage.accounts(), self._settings.saved_replies()

        self._tasks.run(work, self._loaded, self._error, label="settings")

    def _loaded(
        self, result: tuple[dict[str, Any], list[tuple[Account, list[Container]]], list[SavedReply]]
    ) -> None:
        app, accounts, replies = result
        self.language.setCurrentIndex(
            max(0, self.language.findData(str(self._ui.value("language", ""))))
        )
        self.theme.setCurrentIndex(
            max(0, self.theme.findData(str(self._ui.value("theme", ThemeMode.SYSTEM.value))))
        )
        self.interval.setValue(int(app["sync_interval_minutes"]))
        current = self.account.currentText()
        self.account.blockSignals(True)
        self.account.clear()
        for account, containers in accounts:
            self.account.addItem(account.name, (account, containers))
        self.account.blockSignals(False)
        self.account.setCurrentIndex(max(0, self.account.findText(current)))
        self._on_account()
        self.replies.set_rows(replies)

    def _saved_and_reload(self, _result: object = None) -> None:
        self._saved()
        self._load()

    def _after_delete(self, _result: object = None) -> None:
        self._new_reply()
        self._load()

    def _saved(self) -> None:
        self.message.setText(tr("Saved."))
        self._on_changed()

    def _error(self, exc: Exception) -> None:
        self.message.setText(str(exc))
