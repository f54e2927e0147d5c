"""Small dialogs for triage actions: snooze, tag, assign, flag, people picker, prompt, shortcuts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.model import LocalUser, Person
from cm_console.ui.format import from_qdatetime, to_qdatetime, tr

Index = QModelIndex | QPersistentModelIndex


def _buttons(dialog: QDialog, ok_text: str | None = None) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    if ok_text:
        box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


@dataclass(frozen=True)
class SnoozeChoice:
    until: datetime | None
    until_reply: bool


class SnoozeDialog(QDialog):
    """Snooze until a time (presets or a custom moment) or until someone replies."""

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Snooze"))
        self._now = now.astimezone()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Hide the conversation from the queue until:"), self))
        self.group = QButtonGroup(self)
        self._presets: list[tuple[QRadioButton, datetime | None]] = []
        local = self._now
        tomorrow = datetime.combine(local.date() + timedelta(days=1), time(9), tzinfo=local.tzinfo)
        monday = datetime.combine(
            local.date() + timedelta(days=7 - local.weekday()), time(9), tzinfo=local.tzinfo
        )
        choices: list[tuple[str, datetime | None]] = [
            (tr("Someone replies"), None),
            (tr("In 3 hours"), local + timedelta(hours=3)),
            (tr("Tomorrow morning (9:00)"), tomorrow),
            (tr("Next Monday (9:00)"), monday),
            (tr("In a week"), local + timedelta(days=7)),
        ]
        for index, (label, moment) in enumerate(choices):
            button = QRadioButton(f"&{index + 1}  {label}", self)
            self.group.addButton(button, index)
            layout.addWidget(button)
            self._presets.append((button, moment))
        self.custom = QRadioButton(tr("&6  At:"), self)
        self.group.addButton(self.custom, len(choices))
        self.when = QDateTimeEdit(to_qdatetime(local + timedelta(days=2)), self)
        self.when.setCalendarPopup(True)
        self.when.setMinimumDateTime(to_qdatetime(local))
        self.when.dateTimeChanged.connect(lambda _dt: self.custom.setChecked(True))
        layout.addWidget(self.custom)
        layout.addWidget(self.when)
        self._presets[2][0].setChecked(True)
        layout.addWidget(_buttons(self, tr("Snooze")))

    def choice(self) -> SnoozeChoice:
        checked = self.group.checkedId()
        if checked == len(self._presets):
            return SnoozeChoice(from_qdatetime(self.when.dateTime()), False)
        moment = self._presets[checked][1]
        return SnoozeChoice(moment, moment is None)


class TagDialog(QDialog):
    """Add a tag (existing ones complete as you type), or remove one."""

    def __init__(
        self,
        known: Sequence[str],
        current: Sequence[str],
        parent: QWidget | None = None,
        *,
        can_push: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Tag"))
        form = QFormLayout(self)
        self.tag = QLineEdit(self)
        self.tag.setPlaceholderText(tr("e.g. follow-up, hr, incident"))
        completer = QCompleter(sorted(set(known)), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag.setCompleter(completer)
        form.addRow(tr("&Tag:"), self.tag)
        self.remove = QRadioButton(tr("&Remove this tag"), self)
        self.add = QRadioButton(tr("&Add this tag"), self)
        self.add.setChecked(True)
        form.addRow(self.add)
        form.addRow(self.remove)
        if current:
            hint = QLabel(tr("Current tags: %1").replace("%1", ", ".join(current)), self)
            hint.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(hint)
        self.push = QRadioButton(tr("Also set the tags on the &platform"), self)
        self.push.setAutoExclusive(False)
        self.push.setVisible(can_push)
        form.addRow(self.push)
        form.addRow(_buttons(self))

    def value(self) -> tuple[str, bool, bool]:
        return self.tag.text().strip(), self.remove.isChecked(), self.push.isChecked()


class AssignDialog(QDialog):
    """Assign to a console user, or clear the assignee."""

    def __init__(self, users: Sequence[LocalUser], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Assign"))
        form = QFormLayout(self)
        self.who = QComboBox(self)
        self.who.addItem(tr("Nobody"), None)
        for user in users:
            self.who.addItem(user.name, user.name)
        form.addRow(tr("&Assign to:"), self.who)
        form.addRow(_buttons(self))

    def value(self) -> str | None:
        data = self.who.currentData()
        return data if isinstance(data, str) else None


class FlagDialog(QDialog):
    """Flag for review, with a note for the reviewer."""

    def __init__(self, note: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Flag for review"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Why should a reviewer look at this conversation?"), self))
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setPlainText(note or "")
        layout.addWidget(self.note)
        layout.addWidget(_buttons(self, tr("Flag")))

    def value(self) -> str:
        return self.note.toPlainText().strip()


class PeopleModel(QAbstractListModel):
    """An account's people for the mention and prompt pickers; suggested colleagues first,
    each with the reason they are suggested."""

    PersonRole = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        people: Sequence[Person],
        parent: QWidget | None = None,
        suggested: Sequence[tuple[Person, str]] = (),
    ) -> None:
        super().__init__(parent)
        first = [(p, why) for p, why in suggested if not p.is_bot]
        seen = {p.id for p, _why in first}
        self._rows = first + [(p, "") for p in people if not p.is_bot and p.id not in seen]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person, why = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            extra = " · ".join(x for x in (person.title, person.department) if x)
            text = f"{person.display_name} (@{person.handle})" + (f" — {extra}" if extra else "")
            return f"★ {text}\n    {why}" if why else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return why or None
        if role == self.PersonRole:
            return person
        return None


class PeoplePicker(QDialog):
    """Pick a colleague: type to filter, arrows to move, Enter to choose."""

    def __init__(
        self,
        people: Sequence[Person],
        title: str,
        parent: QWidget | None = None,
        suggested: Sequence[tuple[Person, str]] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(520, 460)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(tr("Type a name, handle or department…"))
        self.model = PeopleModel(people, self, suggested)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self.accept)
        self.list.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(_buttons(self, tr("Choose")))
        self._on_filter("")

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.filter.hasFocus():
            self.list.keyPressEvent(event)
            return
        super().keyPressEvent(event)

    def person(self) -> Person | None:
        index = self.list.currentIndex()
        value = index.data(PeopleModel.PersonRole) if index.isValid() else None
        return value if isinstance(value, Person) else None


PROMPT_TEMPLATES = {
    "nl": {
        "mention": "@{handle} zou jij hier kunnen helpen? Jij weet hier vast meer van. Dank je!",
        "dm": "Hoi {first}, zou je naar deze vraag in {community} willen kijken? {url}",
    },
    "en": {
        "mention": "@{handle} could you help with this one? You probably know more about it. "
        "Thanks!",
        "dm": "Hi {first}, could you have a look at this question in {community}? {url}",
    },
}


class PromptDialog(QDialog):
    """Bring a colleague into the conversation: a public mention, or a direct message."""

    def __init__(
        self,
        person: Person,
        *,
        community: str,
        url: str | None,
        language: str,
        can_mention: bool,
        can_dm: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Ask %1").replace("%1", person.display_name))
        self._person = person
        self._context = {
            "handle": person.handle,
            "first": person.display_name.split()[0],
            "community": community,
            "url": url or "",
        }
        self._language = language if language in PROMPT_TEMPLATES else "en"
        layout = QVBoxLayout(self)
        self.mention = QRadioButton(tr("&Mention in the thread (the answer stays public)"), self)
        self.dm = QRadioButton(tr("Send a &direct message with a link"), self)
        self.mention.setEnabled(can_mention)
        self.dm.setEnabled(can_dm)
        (self.mention if can_mention else self.dm).setChecked(True)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        for button in (self.mention, self.dm):
            button.toggled.connect(self._fill)
            layout.addWidget(button)
        layout.addWidget(self.text)
        layout.addWidget(_buttons(self, tr("Send")))
        self._fill()

    def _fill(self, *_args: object) -> None:
        template = PROMPT_TEMPLATES[self._language]["mention" if self.mention.isChecked() else "dm"]
        self.text.setPlainText(template.format(**self._context))

    def value(self) -> tuple[str, str]:
        return ("mention" if self.mention.isChecked() else "dm"), self.text.toPlainText()


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut ("?")."""

    def __init__(
        self, shortcuts: Sequence[tuple[str, QKeySequence | str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.resize(460, 520)
        layout = QVBoxLayout(self)
        table = QTableWidget(len(shortcuts), 2, self)  # a fixed, short list
        table.setHorizontalHeaderLabels([tr("Action"), tr("Key")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (label, key) in enumerate(shortcuts):
            text = (
                key.toString(QKeySequence.SequenceFormat.NativeText)
                if isinstance(key, QKeySequence)
                else key
            )
            table.setItem(row, 0, QTableWidgetItem(label.replace("&", "")))
            table.setItem(row, 1, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
