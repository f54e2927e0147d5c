"""Asking a colleague from the window: suggestions first, then a mention through the outbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from cm_console import app as app_module
from cm_console.ui.dialogs import PeoplePicker, PromptDialog
from cm_console.ui.main_window import MainWindow
from tests.gui.test_keyboard_triage import answer_dialog, press


def test_prompt_with_suggestions(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    detail = window.thread_pane.detail
    assert detail is not None
    thread_id = detail.item.id
    expected = workspace.prompting.suggestions(thread_id)
    assert expected
    chosen: list[str] = []

    def pick(dialog: QDialog) -> None:
        assert isinstance(dialog, PeoplePicker)
        first = dialog.list.currentIndex()
        assert first.data().startswith("★ ")  # suggested colleagues come first, with reasons
        assert "\n" in first.data()
        person = dialog.person()
        assert person is not None
        chosen.append(person.handle)
        answer_dialog(qtbot, confirm, PromptDialog)
        press(qtbot, dialog.filter, Qt.Key.Key_Return)

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, PromptDialog)
        assert f"@{chosen[0]}" in dialog.text.toPlainText()
        press(qtbot, dialog.text, Qt.Key.Key_Tab)
        dialog.accept()

    answer_dialog(qtbot, pick, PeoplePicker)
    with qtbot.waitSignal(window.triage.changed, timeout=10_000):
        press(qtbot, window.table, Qt.Key.Key_P)
    assert chosen == [expected[0].person.handle]
    ladder = workspace.prompting.ladder(thread_id)
    assert [p.handle for p in ladder.prompts] == chosen
    ops = [op for op in workspace.outbox.operations() if op.thread_id == thread_id]
    assert ops
    assert ops[0].payload["mentions"][0]["handle"] == chosen[0]
    qtbot.waitUntil(window.thread_pane.ladder.isVisible, timeout=5000)
    assert chosen[0] in window.thread_pane.ladder.text().lower() or (
        expected[0].person.display_name in window.thread_pane.ladder.text()
    )
