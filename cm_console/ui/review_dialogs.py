"""Dialogs of the Review page: annotate a post, record a decision, export a selection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.review import Decision
from cm_console.reports.export import ExportFormat, ExportOptions
from cm_console.ui.review_model import decision_label


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class AnnotationDialog(QDialog):
    """Write an annotation on one post (or on the conversation as a whole)."""

    def __init__(self, subject: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Annotate"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label(subject, self))
        self.editor = QPlainTextEdit(self)
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(
            self.tr("What should the next reader know about this post? (Ctrl+Enter saves)")
        )
        self.editor.setPlainText(text)
        layout.addWidget(self.editor)
        self.buttons = _buttons(self, self.tr("Save annotation"))
        layout.addWidget(self.buttons)
        self.editor.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return
        super().keyPressEvent(event)

    def value(self) -> str:
        return self.editor.toPlainText().strip()


@dataclass(frozen=True)
class DecisionChoice:
    decision: Decision
    note: str


class DecisionDialog(QDialog):
    """Keep, escalate or resolve, with a note for the record (1, 2, 3 pick)."""

    def __init__(
        self, title: str, current: Decision | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Decide"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label(title, self))
        self.group = QButtonGroup(self)
        hints = {
            Decision.KEEP: self.tr("Nothing to act on: the conversation stays as it is"),
            Decision.ESCALATE: self.tr("Someone else has to act (legal, HR, a manager)"),
            Decision.RESOLVE: self.tr("Acted on and closed"),
        }
        self.options: dict[Decision, QRadioButton] = {}
        for number, decision in enumerate(Decision, start=1):
            button = QRadioButton(f"&{number}  {decision_label(decision)}", self)
            button.setToolTip(hints[decision])
            self.group.addButton(button, number)
            self.options[decision] = button
            row = QVBoxLayout()
            row.setSpacing(0)
            row.addWidget(button)
            hint = _plain_label(hints[decision], self)
            hint.setObjectName("muted")
            hint.setContentsMargins(24, 0, 0, 4)
            row.addWidget(hint)
            layout.addLayout(row)
        self.options[current or Decision.KEEP].setChecked(True)
        layout.addWidget(_plain_label(self.tr("Note for the record (optional):"), self))
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        layout.addWidget(self.note)
        layout.addWidget(_buttons(self, self.tr("Record decision")))

    def choose(self, decision: Decision) -> None:
        self.options[decision].setChecked(True)

    def value(self) -> DecisionChoice:
        decision = next(d for d, b in self.options.items() if b.isChecked())
        return DecisionChoice(decision, self.note.toPlainText().strip())


@dataclass(frozen=True)
class ExportChoice:
    format: ExportFormat
    path: Path
    options: ExportOptions
    selected_only: bool


class ExportDialog(QDialog):
    """Export the selection or the whole list: format, redaction and the file."""

    def __init__(
        self,
        selected: int,
        shown: int,
        folder: Path,
        language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export for review"))
        self.setMinimumWidth(520)
        self._folder = folder
        self._language = language
        layout = QVBoxLayout(self)

        scope = QGroupBox(self.tr("Conversations"), self)
        scope_layout = QVBoxLayout(scope)
        self.selected = QRadioButton(
            self.tr("The %n selected conversation(s)", None, selected), scope
        )
        self.shown = QRadioButton(self.tr("All %n conversation(s) in the list", None, shown), scope)
        self.selected.setEnabled(selected > 0)
        (self.selected if selected > 0 else self.shown).setChecked(True)
        scope_layout.addWidget(self.selected)
        scope_layout.addWidget(self.shown)
        layout.addWidget(scope)

        kind = QGroupBox(self.tr("Format"), self)
        kind_layout = QVBoxLayout(kind)
        self.formats: dict[ExportFormat, QRadioButton] = {}
        descriptions = {
            ExportFormat.PDF: self.tr("&PDF document, to print or send"),
            ExportFormat.HTML: self.tr("&HTML page, opens in any browser"),
            ExportFormat.CSV: self.tr("&CSV, one row per post, for a spreadsheet"),
            ExportFormat.PACKET: self.tr(
                "&Review packet, for a reviewer's console (annotations come back)"
            ),
        }
        self.format_group = QButtonGroup(self)
        for fmt, text in descriptions.items():
            button = QRadioButton(text, kind)
            self.format_group.addButton(button)
            kind_layout.addWidget(button)
            self.formats[fmt] = button
            button.toggled.connect(self._on_format_toggled)
        layout.addWidget(kind)

        privacy = QGroupBox(self.tr("Privacy"), self)
        privacy_layout = QVBoxLayout(privacy)
        self.pseudonymise = QCheckBox(
            self.tr("P&seudonymise people (Person A, Person B…)"), privacy
        )
        self.strip_contacts = QCheckBox(
            self.tr("Remove e-&mail addresses and phone numbers"), privacy
        )
        self.pseudonymise.toggled.connect(self._on_pseudonymise_toggled)
        privacy_layout.addWidget(self.pseudonymise)
        privacy_layout.addWidget(self.strip_contacts)
        layout.addWidget(privacy)

        form = QFormLayout()
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setAccessibleName(self.tr("File"))
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self._on_browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("&File:"), row)
        layout.addLayout(form)
        self.buttons = _buttons(self, self.tr("Export"))
        layout.addWidget(self.buttons)
        self.formats[ExportFormat.PDF].setChecked(True)
        self._on_format_toggled(True)

    def _current_format(self) -> ExportFormat:
        return next((f for f, b in self.formats.items() if b.isChecked()), ExportFormat.PDF)

    def _on_format_toggled(self, on: bool) -> None:
        if not on:
            return
        fmt = self._current_format()
        current = Path(self.path.text().strip()) if self.path.text().strip() else None
        stem = current.stem if current is not None else "review"
        folder = current.parent if current is not None else self._folder
        self.path.setText(str(folder / f"{stem}{fmt.suffix}"))

    def _on_pseudonymise_toggled(self, on: bool) -> None:
        # Pseudonyms are pointless next to the people's own e-mail addresses.
        if on:
            self.strip_contacts.setChecked(True)
        self.strip_contacts.setEnabled(not on)

    def _on_browse(self) -> None:
        fmt = self._current_format()
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.path.text(), f"*{fmt.suffix}"
        )
        if chosen:
            self.path.setText(chosen)

    def choose_format(self, fmt: ExportFormat) -> None:
        self.formats[fmt].setChecked(True)

    def value(self) -> ExportChoice:
        return ExportChoice(
            format=self._current_format(),
            path=Path(self.path.text().strip()).expanduser(),
            options=ExportOptions(
                pseudonymise=self.pseudonymise.isChecked(),
                strip_contacts=self.strip_contacts.isChecked(),
                language=self._language,
            ),
            selected_only=self.selected.isChecked(),
        )
