"""Background work keeps the window responsive; drafts survive; dialogs do their job."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from cm_console import app as app_module
from cm_console.domain.views import QueueQuery, View
from cm_console.ui.accounts_dialog import AccountsDialog
from cm_console.ui.main import freeze_after_first_load, prepare
from cm_console.ui.main_window import MainWindow
from cm_console.ui.tasks import TaskRunner, TaskState
from tests.gui.conftest import ui_services


class LatencyProbe:
    """A 5 ms timer on the GUI thread; records how late each tick fires."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.clock = QElapsedTimer()
        self.worst_ms = 0.0
        self.ticks = 0
        self._last = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self._last = self.clock.elapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst_ms = max(self.worst_ms, now - self._last - 5)
        self._last = now
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


def test_gui_thread_keeps_ticking_during_a_sync(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    # A sync with real work: new replies on the simulated platform to pull and ingest.
    for item in workspace.triage.queue(QueueQuery(view=View.UNANSWERED))[:5]:
        workspace.triage.reply(item.id, "Een antwoord vanuit de test.")
    probe = LatencyProbe()
    probe.start()
    started = time.perf_counter()
    with qtbot.waitSignal(window.sync.synced, timeout=60_000) as blocker:
        window.sync.sync_now()
    elapsed_ms = (time.perf_counter() - started) * 1000
    probe.stop()
    report = blocker.args[0]
    assert report.ok
    assert sum(len(a.drain.sent) for a in report.accounts if a.drain) == 5
    # The GUI thread kept running its event loop while the sync worked in the background.
    assert probe.ticks >= max(3, elapsed_ms / 5 / 10)
    # Not a performance target (see tests/perf): a guard against a frozen window.
    assert probe.worst_ms < 1000, f"the GUI thread stalled {probe.worst_ms:.0f} ms"


def test_start_up_objects_leave_garbage_collection_after_the_first_load(
    qtbot,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
    tmp_path: Path,
) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    prepare(settings)
    win = MainWindow(ui_services(workspace, settings))
    win.skip_exit_warning = True
    qtbot.addWidget(win)
    gc.unfreeze()
    try:
        freeze_after_first_load(win)
        assert gc.get_freeze_count() == 0
        with qtbot.waitSignal(win.queue.loaded, timeout=10_000):
            win.start_without_sync()
        # The window's own objects are among those a full collection no longer walks.
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        with qtbot.waitSignal(win.queue.loaded, timeout=10_000):
            win.queue.reload()
        # Once, not at every load (frozen objects that are freed leave the count).
        assert gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
        win.sync.stop()
        assert win.tasks.wait(10_000)


def test_task_runner_delivers_results_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    seen: list[tuple[int, bool]] = []
    gui_thread = QApplication.instance().thread()  # type: ignore[union-attr]

    def work(state: TaskState) -> int:
        state.progress(1, "half")
        return 42

    def done(result: int) -> None:
        seen.append((result, QApplication.instance().thread() is gui_thread))  # type: ignore[union-attr]

    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
        runner.run(work, done, writer=True, label="answer")
    assert seen == [(42, True)]
    errors: list[Exception] = []
    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
        runner.run(lambda _s: 1 / 0, None, errors.append)
    assert isinstance(errors[0], ZeroDivisionError)
    assert runner.wait(5000)


class Canary:
    """Stands in for a widget a task closes over: notes the thread it is freed on."""

    freed_on: ClassVar[list[str]] = []

    def __del__(self) -> None:
        Canary.freed_on.append(threading.current_thread().name)


def test_what_a_task_closes_over_is_freed_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    Canary.freed_on.clear()
    results: list[object] = []

    def submit(n: int) -> None:
        canary, other = Canary(), Canary()

        def work(_state: TaskState) -> int:
            held = canary  # a local of the work's frame too, as a traceback would keep it
            time.sleep(0.002 * (n % 5))
            if n % 3 == 0:
                raise ValueError(f"task {n} failed with {held!r:.0}")
            return n

        runner.run(work, lambda r: results.append((r, other)), results.append)

    for n in range(30):
        submit(n)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert runner.wait(5000)
    results.clear()
    gc.collect()
    assert len(Canary.freed_on) == 60
    assert set(Canary.freed_on) == {threading.main_thread().name}


def test_draft_autosaves_and_is_restored(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
    tmp_path: Path,
) -> None:
    detail = window.thread_pane.detail
    assert detail is not None
    thread_id = detail.item.id
    window.composer.editor.setFocus()
    qtbot.keyClicks(window.composer.editor, "Een concept dat niet verloren mag gaan")
    qtbot.waitUntil(lambda: workspace.triage.draft(thread_id) is not None, timeout=5000)
    assert workspace.triage.draft(thread_id).text == "Een concept dat niet verloren mag gaan"
    # A second console (as after a crash and restart) shows the draft again.
    settings = QSettings(str(tmp_path / "ui2.ini"), QSettings.Format.IniFormat)
    second = MainWindow(ui_services(workspace, settings))
    second.skip_exit_warning = True
    qtbot.addWidget(second)
    second.show()
    with qtbot.waitSignal(second.queue.loaded, timeout=10_000):
        second.start_without_sync()
    row = second.queue_model.row_of(thread_id)
    assert row is not None
    second.table.select_row(row)
    qtbot.waitUntil(lambda: second.composer.thread_id == thread_id, timeout=5000)
    assert second.composer.editor.toPlainText() == "Een concept dat niet verloren mag gaan"
    second.tasks.wait(5000)


def test_accounts_dialog_adds_an_account_after_testing_it(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    changed: list[bool] = []
    dialog = AccountsDialog(workspace.accounts, window.tasks, lambda: changed.append(True), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    dialog.add_button.click()
    form = dialog.form
    form.platform.setCurrentIndex(form.platform.findData("demo"))
    # The demo connector declares no URL, user or secret: those fields are hidden.
    assert form.url.isHidden()
    assert form.secret.isHidden()
    form.name.setText("intranet-2")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    assert workspace.store.accounts.get("intranet-2") is not None
    assert changed
    form.name.setText("bad/name")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "no '/'" in dialog.message.text(), timeout=5000)
    assert workspace.store.accounts.get("bad/name") is None
