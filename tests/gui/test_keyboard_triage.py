"""A whole triage session with the keyboard only, checked against the store."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from cm_console import app as app_module
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.rules import TriageStatus
from cm_console.domain.views import QueueQuery, View
from cm_console.ui.main_window import MainWindow


def answer_dialog(
    qtbot,
    act: Callable[[QDialog], None],  # type: ignore[no-untyped-def]
    kind: type[QDialog] = QDialog,
) -> None:
    """Act on the next modal dialog of ``kind`` once it is open (the test drives it like a
    user)."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(20, handle)
            return
        act(dialog)

    QTimer.singleShot(0, handle)


def press(
    qtbot,
    widget: QWidget,
    key: Qt.Key,  # type: ignore[no-untyped-def]
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    # After a dialog closes, its parent window must be the active one again for shortcuts,
    # as it is on a desktop.
    top = widget.window()
    if not top.isActiveWindow():
        top.activateWindow()
        qtbot.waitUntil(top.isActiveWindow, timeout=2000)
    qtbot.keyClick(widget, key, modifier)


def current_id(window: MainWindow) -> int:
    detail = window.thread_pane.detail
    assert detail is not None
    return detail.item.id


def wait_detail(qtbot, window: MainWindow, thread_id: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: (
            window.thread_pane.detail is not None and window.thread_pane.detail.item.id == thread_id
        ),
        timeout=5000,
    )


def test_keyboard_triage_session(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    table = window.table
    window.activateWindow()
    table.setFocus()
    ids = window.queue_model.ids()
    assert len(ids) > 10
    assert current_id(window) == ids[0]

    # j and k move through the queue; the thread pane follows.
    press(qtbot, table, Qt.Key.Key_J)
    wait_detail(qtbot, window, ids[1])
    press(qtbot, table, Qt.Key.Key_J)
    wait_detail(qtbot, window, ids[2])
    press(qtbot, table, Qt.Key.Key_K)
    wait_detail(qtbot, window, ids[1])

    # r: reply in the composer, Ctrl+Enter sends through the outbox, Esc goes back.
    target = ids[1]
    press(qtbot, table, Qt.Key.Key_R)
    assert window.composer.editor.hasFocus()
    qtbot.keyClicks(window.composer.editor, "Dank je, ik zoek het uit!")
    with qtbot.waitSignal(window.triage.changed, timeout=5000):
        press(qtbot, window.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    ops = [op for op in workspace.outbox.operations() if op.thread_id == target]
    assert [(op.kind, op.payload["text"]) for op in ops] == [
        (OpKind.REPLY, "Dank je, ik zoek het uit!")
    ]
    # Sent right away (the demo platform is online), and shown in the thread.
    qtbot.waitUntil(
        lambda: workspace.outbox.get(ops[0].op_id).state is OpState.SENT, timeout=10_000
    )
    qtbot.waitUntil(
        lambda: any("ik zoek het uit" in p.text for p in workspace.triage.show(target).posts),
        timeout=5000,
    )
    press(qtbot, window.composer.editor, Qt.Key.Key_Escape)
    assert table.hasFocus()

    # t: tag the current conversation.
    window.table.select_row(0)
    wait_detail(qtbot, window, window.queue_model.ids()[0])
    tagged = current_id(window)

    def tag(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.tag, "escalated")  # type: ignore[attr-defined]
        press(qtbot, dialog.tag, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    answer_dialog(qtbot, tag)
    with qtbot.waitSignal(window.triage.changed, timeout=5000):
        press(qtbot, table, Qt.Key.Key_T)
    assert "escalated" in workspace.triage.show(tagged).item.tags

    # s: snooze until tomorrow morning (the preset chosen by default) with Enter.
    qtbot.waitUntil(lambda: window.queue.model.row_of(tagged) is not None, timeout=5000)
    window.table.select_row(window.queue.model.row_of(tagged))
    wait_detail(qtbot, window, tagged)
    answer_dialog(qtbot, lambda d: press(qtbot, d.focusWidget() or d, Qt.Key.Key_Return))
    with qtbot.waitSignal(window.triage.changed, timeout=5000):
        press(qtbot, table, Qt.Key.Key_S)
    item = workspace.triage.show(tagged).item
    assert item.status is TriageStatus.SNOOZED
    assert item.snooze_until is not None
    qtbot.waitUntil(lambda: window.queue.model.row_of(tagged) is None, timeout=5000)

    # e: done on the current item.
    qtbot.waitUntil(
        lambda: len(table.selected_ids()) == 1 and table.selected_ids()[0] != tagged, timeout=5000
    )
    done_one = table.selected_ids()[0]
    wait_detail(qtbot, window, done_one)
    with qtbot.waitSignal(window.triage.changed, timeout=5000):
        press(qtbot, table, Qt.Key.Key_E)
    assert workspace.triage.show(done_one).item.status is TriageStatus.DONE
    qtbot.waitUntil(lambda: window.queue.model.row_of(done_one) is None, timeout=5000)

    # Bulk: select three rows with Shift+Down, then e marks all three done.
    qtbot.waitUntil(lambda: window.queue.model.rowCount() > 5, timeout=5000)
    window.table.select_row(0)
    press(qtbot, table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    bulk = table.selected_ids()
    assert len(bulk) == 3
    with qtbot.waitSignal(window.triage.changed, timeout=5000):
        press(qtbot, table, Qt.Key.Key_E)
    for tid in bulk:
        assert workspace.triage.show(tid).item.status is TriageStatus.DONE
    done_view = {i.id for i in workspace.triage.queue(QueueQuery(view=View.DONE))}
    assert {done_one, *bulk} <= done_view
    queue_now = set(workspace.triage.queue_ids(QueueQuery()))
    assert not ({done_one, tagged, *bulk} & queue_now)

    # /: the filter takes focus; typing filters in SQL; Enter returns to the queue.
    press(qtbot, table, Qt.Key.Key_Slash)
    assert window.search.hasFocus()
    titles = [i.title for i in workspace.triage.queue(QueueQuery())]
    word = next(w for t in titles for w in t.split() if len(w) >= 6 and w.isalpha())
    qtbot.keyClicks(window.search, word)
    expected = workspace.triage.queue_ids(QueueQuery(search=word))
    assert 0 < len(expected) < len(ids)
    qtbot.waitUntil(lambda: window.queue_model.ids() == expected, timeout=5000)
    press(qtbot, window.search, Qt.Key.Key_Return)
    assert table.hasFocus()
