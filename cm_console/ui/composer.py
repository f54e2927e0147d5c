"""The composer: reply text with autosaved drafts, saved replies and mentions."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.templates import render
from cm_console.domain.views import SavedReply
from cm_console.ui import icons, theme
from cm_console.ui.format import tr

AUTOSAVE_MS = 800


class ReplyEditor(QPlainTextEdit):
    """Plain-text reply editor; Ctrl+Enter sends, Esc hands focus back to the queue.

    Signals:
        send_pressed(): Ctrl+Enter.
        escape_pressed(): Esc.
    """

    send_pressed = Signal()
    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.send_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    """Writes replies to the current thread.

    Signals:
        send_requested(int, str): thread id and text, when the user sends.
        draft_changed(int, str): thread id and text, after typing pauses (autosave).
        mention_requested(): the user wants to mention a colleague.
        escape_pressed(): Esc in the editor.
    """

    send_requested = Signal(int, str)
    draft_changed = Signal(int, str)
    mention_requested = Signal()
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thread_id: int | None = None
        self._values: Mapping[str, str | None] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 8)
        layout.setSpacing(4)
        self.editor = ReplyEditor(self)
        self.editor.setPlaceholderText(tr("Write a reply… (Ctrl+Enter sends, Esc goes back)"))
        self.editor.setAccessibleName(tr("Reply"))
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(70)
        bar = QHBoxLayout()
        self.saved = QToolButton(self)
        self.saved.setText(tr("Saved replies"))
        self.saved.setIcon(icons.icon("saved-view", theme.colours().icon))
        self.saved.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.saved.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_menu = QMenu(self.saved)
        self.saved.setMenu(self.saved_menu)
        self.mention = QToolButton(self)
        self.mention.setText(tr("Mention…"))
        self.mention.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.mention.clicked.connect(self.mention_requested)
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(50)
        self.send = QPushButton(icons.icon("reply", theme.colours().icon), tr("Send"), self)
        self.send.setDefault(False)
        self.send.setToolTip(tr("Send the reply (Ctrl+Enter). It goes through the outbox."))
        self.send.clicked.connect(self._on_send)
        bar.addWidget(self.saved)
        bar.addWidget(self.mention)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.send)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bar)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush_draft)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.send_pressed.connect(self._on_send)
        self.editor.escape_pressed.connect(self.escape_pressed)
        self.editor.installEventFilter(self)
        self.set_thread(None, "")

    # --- thread and draft ----------------------------------------------------------------------

    def set_thread(
        self,
        thread_id: int | None,
        draft: str,
        *,
        values: Mapping[str, str | None] | None = None,
        can_reply: bool = True,
        moved_on: int = 0,
    ) -> None:
        """Show ``thread_id``'s draft (saving the previous thread's first)."""
        self.flush_draft()
        self.thread_id = thread_id
        self._values = values or {}
        self._loading = True
        self.editor.setPlainText(draft)
        self._loading = False
        enabled = thread_id is not None and can_reply
        for widget in (self.editor, self.send, self.saved, self.mention):
            widget.setEnabled(enabled)
        if thread_id is not None and not can_reply:
            self.status.setText(tr("This platform does not take replies from the console."))
        elif moved_on > 0:
            self.status.setText(
                tr("%n new reply(ies) since your draft — read them before sending.", None, moved_on)
            )
        elif draft:
            self.status.setText(tr("Draft restored"))
        else:
            self.status.setText("")

    def flush_draft(self) -> None:
        """Save the draft now (typing paused, focus left, or the thread changes)."""
        if self._timer.isActive():
            self._timer.stop()
        if self.thread_id is not None and self.editor.document().isModified():
            self.editor.document().setModified(False)
            self.draft_changed.emit(self.thread_id, self.editor.toPlainText())

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._timer.start()

    def mark_saved(self) -> None:
        if self.editor.toPlainText():
            self.status.setText(tr("Draft saved"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush_draft()
        return super().eventFilter(watched, event)

    def _on_send(self) -> None:
        text = self.editor.toPlainText().strip()
        if self.thread_id is None or not text:
            return
        self._timer.stop()
        self.editor.document().setModified(False)
        thread_id = self.thread_id
        self._loading = True
        self.editor.clear()
        self._loading = False
        self.status.setText(tr("Queued in the outbox…"))
        self.send_requested.emit(thread_id, text)

    # --- inserting -----------------------------------------------------------------------------

    def insert(self, text: str) -> None:
        self.editor.insertPlainText(text)
        self.editor.setFocus()

    def set_saved_replies(
        self, replies: list[SavedReply], on_insert: Callable[[SavedReply], None] | None = None
    ) -> None:
        self.saved_menu.clear()
        if not replies:
            action = QAction(tr("No saved replies yet (Settings → Saved replies)"), self)
            action.setEnabled(False)
            self.saved_menu.addAction(action)
            return
        for index, reply in enumerate(replies):
            action = QAction(f"{reply.name} ({reply.language})", self)
            if index < 9:
                action.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            action.triggered.connect(lambda _=False, r=reply: self.insert_saved(r))
            self.saved_menu.addAction(action)

    def insert_saved(self, reply: SavedReply) -> None:
        """Insert a saved reply with its variables filled for the current thread."""
        self.insert(render(reply.body, self._values))
