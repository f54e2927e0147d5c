"""The Review page with real widgets (offscreen): keyboard session, dialogs, exports read back,
packet import, flagging from the queue with a reason, and a screenshot at 1280×800."""

from __future__ import annotations

from pathlib import Path

import pypdf
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.review import CopyState, Decision, FlagReason
from cm_console.domain.views import QueueQuery, View
from cm_console.reports.export import ExportFormat
from cm_console.ui.dialogs import FlagDialog
from cm_console.ui.main_window import MainWindow
from cm_console.ui.review import ReviewPage
from cm_console.ui.review_dialogs import AnnotationDialog, DecisionDialog, ExportDialog
from cm_console.ui.review_model import Column, ItemRole, ReviewModel
from tests.e2e.test_cli_export import pdf_text
from tests.gui.conftest import NOW
from tests.gui.test_keyboard_triage import answer_dialog as _answer_dialog
from tests.gui.test_keyboard_triage import press


def answer_dialog(qtbot, act, kind=QDialog) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Act on the next modal dialog of ``kind``. Should the test's own steps fail inside it, the
    dialog is closed (so its exec() returns) and the failure is handed back to assert on."""
    failures: list[BaseException] = []

    def guarded(dialog: QDialog) -> None:
        try:
            act(dialog)
        except BaseException as exc:
            failures.append(exc)
            dialog.reject()

    _answer_dialog(qtbot, guarded, kind)
    return failures


def flag_more(ws: app_module.Workspace) -> list[int]:
    """Two more flagged threads with reasons and complete copies (the demo flags one, whose
    copy waits for the next sync)."""
    items = ws.triage.queue(QueueQuery(view=View.ALL), limit=80)
    ids = [i.id for i in items if i.reply_count >= 2 and not i.flagged][:2]
    ws.review.flag(ids[:1], "Persoonlijke aanval op een collega", FlagReason.CONDUCT)
    ws.review.flag(ids[1:], "Klantgegevens in beeld", FlagReason.PRIVACY)
    assert sorted(ws.review.complete_copies(ids).copied) == sorted(ids)
    return ids


def settle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Wait until no background work is left (the answers of earlier steps have arrived)."""
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)


def open_review(qtbot, window: MainWindow) -> ReviewPage:  # type: ignore[no-untyped-def]
    page = window.review_page
    assert page is not None
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page("review")
    qtbot.waitUntil(lambda: page.detail is not None, timeout=10_000)
    page.table.setFocus()
    return page


def test_review_model(qapp, qtmodeltester, workspace: app_module.Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = flag_more(workspace)
    workspace.review.decide(ids[:1], Decision.ESCALATE, "")
    model = ReviewModel(workspace.clock)
    model.set_items(workspace.review.flagged())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    row = model.row_of(ids[0])
    assert row is not None
    assert model.index(row, Column.DECISION).data() == "Escalate"
    assert model.index(row, Column.REASON).data() == "Conduct"
    assert model.index(row, 0).data(ItemRole).thread_id == ids[0]
    model.update_items(workspace.review.items(ids[1:]))
    model.set_items([])
    qtmodeltester.check(model, force_py=True)


def test_a_review_session_with_the_keyboard(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, workspace: app_module.Workspace, tmp_path: Path
) -> None:
    ids = flag_more(workspace)
    queue_row = window.table.currentIndex().row()
    queue_thread = window.thread_pane.detail.item.id  # type: ignore[union-attr]
    page = open_review(qtbot, window)
    assert page.model.rowCount() == 3
    assert "3 flagged" in page.counts.text() and "3 without a decision" in page.counts.text()
    pending = next(i for i in workspace.review.flagged() if i.copy_state is CopyState.PENDING)
    assert pending.flag_note == "Toon aan HR: vraag over cao-regeling"

    # j/k move through the flagged threads, not the queue behind the page.
    first = page.current_id()
    press(qtbot, page.table, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.item.thread_id != first)
    press(qtbot, page.table, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.item.thread_id == first)
    assert window.table.currentIndex().row() == queue_row
    assert window.thread_pane.detail.item.id == queue_thread  # type: ignore[union-attr]

    target = ids[0]
    page.table.select_row(page.model.row_of(target))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.item.thread_id == target)
    assert "Conduct" in page.flag_box.text()
    assert "Persoonlijke aanval" in page.flag_box.text()
    assert "Complete copy kept" in page.banner.text()

    # n/p choose a post; a annotates it.
    press(qtbot, page.table, Qt.Key.Key_N)
    assert page.current_post == 1
    post = page.detail.posts[1].post  # type: ignore[union-attr]

    def annotate(dialog: QDialog) -> None:
        assert isinstance(dialog, AnnotationDialog)
        qtbot.keyClicks(dialog.editor, "Toon is scherp; bespreken met de teamleider")
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    failed = answer_dialog(qtbot, annotate, AnnotationDialog)
    press(qtbot, page.table, Qt.Key.Key_A)
    assert not failed, failed
    qtbot.waitUntil(lambda: workspace.review.detail(target).annotations_for(post.remote_id) != [])
    settle(qtbot, window)
    notes = workspace.review.detail(target).annotations_for(post.remote_id)
    assert [(n.text, n.author) for n in notes] == [
        ("Toon is scherp; bespreken met de teamleider", workspace.review.user.name)
    ]
    assert "Toon is scherp" in page.browser.toPlainText()

    # d records a decision.
    def decide(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        dialog.options[Decision.ESCALATE].click()
        qtbot.keyClicks(dialog.note, "Naar HR")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    settle(qtbot, window)
    failed = answer_dialog(qtbot, decide, DecisionDialog)
    press(qtbot, page.table, Qt.Key.Key_D)
    assert not failed, failed
    qtbot.waitUntil(lambda: workspace.review.items([target])[0].decision is not None)
    settle(qtbot, window)
    decided = workspace.review.items([target])[0].decision
    assert decided is not None and (decided.decision, decided.note) == (
        Decision.ESCALATE,
        "Naar HR",
    )
    qtbot.waitUntil(page.decide_buttons[Decision.ESCALATE].isChecked, timeout=5000)
    row = page.model.row_of(target)
    assert page.model.index(row, Column.DECISION).data() == "Escalate"  # type: ignore[arg-type]

    # Removing an annotation from the reading pane (its link) keeps a tombstone.
    uid = notes[0].uid
    page.browser.anchorClicked.emit(QUrl(f"cmc-review:remove/{uid}"))
    qtbot.waitUntil(lambda: workspace.review.detail(target).annotations_for(post.remote_id) == [])
    settle(qtbot, window)
    assert workspace.review.detail(target).annotations_for(post.remote_id) == []
    assert "Toon is scherp" not in page.browser.toPlainText()

    # Filters: the decision combo narrows the list; / goes to the words filter.
    settle(qtbot, window)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.decision.setCurrentIndex(page.decision.findData("undecided"))
    assert target not in page.model.ids() and page.model.rowCount() == 2
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.decision.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reason.setCurrentIndex(page.reason.findData("privacy"))
    assert page.model.ids() == ids[1:]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reason.setCurrentIndex(0)
    press(qtbot, page.table, Qt.Key.Key_Slash)
    assert page.search.hasFocus()
    page.table.setFocus()

    # x exports: a pseudonymised PDF of the whole list, read back.
    path = tmp_path / "review.pdf"

    def export(dialog: QDialog) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.choose_format(ExportFormat.PDF)
        dialog.shown.click()
        dialog.pseudonymise.click()
        assert dialog.strip_contacts.isChecked() and not dialog.strip_contacts.isEnabled()
        dialog.path.setText(str(path))
        dialog.accept()

    failed = answer_dialog(qtbot, export, ExportDialog)
    with qtbot.waitSignal(page.exported, timeout=30_000) as exported:
        press(qtbot, page.table, Qt.Key.Key_X)
    assert not failed, failed
    assert exported.args[0].threads == 3
    text = pdf_text(pypdf.PdfReader(path))
    assert "Person A" in text and "Escalate by" in text and "Naar HR" in text
    people = {p for tid in page.model.ids() for p in workspace.review.detail(tid).people}
    assert people and not [p.display_name for p in people if p.display_name in text]


def test_flag_from_the_queue_asks_a_reason_and_keeps_a_complete_copy(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, workspace: app_module.Workspace
) -> None:
    window.table.setFocus()
    thread_id = window.thread_pane.detail.item.id  # type: ignore[union-attr]

    def flag(dialog: QDialog) -> None:
        assert isinstance(dialog, FlagDialog)
        dialog.reason_box.setCurrentIndex(dialog.reason_box.findData("hr"))
        qtbot.keyClicks(dialog.note, "Vraag over ziekteverlof, HR laten kijken")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    failed = answer_dialog(qtbot, flag, FlagDialog)
    press(qtbot, window.table, Qt.Key.Key_F)
    assert not failed, failed
    qtbot.waitUntil(
        lambda: any(
            i.thread_id == thread_id and i.copy_state is CopyState.COMPLETE
            for i in workspace.review.flagged()
        ),
        timeout=10_000,
    )
    item = workspace.review.items([thread_id])[0]
    assert (item.flag_reason, item.flag_note) == (
        FlagReason.HR,
        "Vraag over ziekteverlof, HR laten kijken",
    )
    page = open_review(qtbot, window)
    assert thread_id in page.model.ids()


def test_importing_a_packet_from_a_reviewer(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, workspace: app_module.Workspace, tmp_path: Path
) -> None:
    # Another console flags a thread, annotates and decides, and sends a packet.
    other = app_module.open_workspace(
        f"sqlite:///{tmp_path / 'other.sqlite3'}",
        config.Paths(tmp_path / "other"),
        app_module.fixed_clock(NOW),
        user_name="Marieke Verhoef",
    )
    try:
        other.demo.create()
        ids = flag_more(other)
        other.review.annotate(ids[0], "Gezien door de vertrouwenspersoon")
        other.review.decide(ids[:1], Decision.RESOLVE, "")
        packet = tmp_path / "packet.json"
        other.review.export(ids, ExportFormat.PACKET, packet)
        titles = {i.title for i in other.review.items(ids)}
    finally:
        other.close()

    page = open_review(qtbot, window)

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(packet))
        dialog.accept()

    failed = answer_dialog(qtbot, choose, QFileDialog)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        press(qtbot, page.table, Qt.Key.Key_I)
    assert not failed, failed
    listed = {page.model.item(r).title: page.model.item(r) for r in range(page.model.rowCount())}  # type: ignore[union-attr]
    assert titles <= set(listed)
    resolved = [listed[t] for t in titles if listed[t].decision is not None]
    assert len(resolved) == 1 and resolved[0].decision.decision is Decision.RESOLVE  # type: ignore[union-attr]
    assert all(listed[t].imported for t in titles)
    # The read-only account shows up in the sidebar with the others.
    qtbot.waitUntil(
        lambda: any(
            "review-demo" in str(window.sidebar_model.index(r, 0).data())
            or any(
                "review-demo"
                in str(window.sidebar_model.index(c, 0, window.sidebar_model.index(r, 0)).data())
                for c in range(window.sidebar_model.rowCount(window.sidebar_model.index(r, 0)))
            )
            for r in range(window.sidebar_model.rowCount())
        ),
        timeout=10_000,
    )


def test_review_page_renders_at_1280_by_800(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, workspace: app_module.Workspace, tmp_path: Path
) -> None:
    ids = flag_more(workspace)
    workspace.review.annotate(ids[0], "Toon is scherp maar niet persoonlijk.")
    workspace.review.decide(ids[1:], Decision.ESCALATE, "Doorgezet")
    page = open_review(qtbot, window)
    page.default_layout()
    page.table.select_row(page.model.row_of(ids[0]))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.item.thread_id == ids[0])
    image = window.grab().toImage()
    path = tmp_path / "review.png"
    assert image.save(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1280, 40) for y in range(0, 800, 40)}
    assert len(colours) > 8, "the page painted something"
