"""GUI test fixtures: a demo workspace at a fixed instant and a main window over it.

Every GUI test must leave no background task running (napari-style guard): the window's task
runner is drained and checked after each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings

from cm_console import app as app_module
from cm_console import config
from cm_console.services.settings import SettingsService
from cm_console.ui.context import UiServices
from cm_console.ui.main import prepare
from cm_console.ui.main_window import MainWindow

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[app_module.Workspace]:
    """A demo workspace (synced, with some triage history) whose clock stands at NOW."""
    paths = config.Paths(tmp_path / "profile")
    ws = app_module.open_workspace(
        f"sqlite:///{tmp_path / 'demo.sqlite3'}", paths, app_module.fixed_clock(NOW)
    )
    ws.demo.create()
    yield ws
    ws.close()


def ui_services(ws: app_module.Workspace, settings: QSettings) -> UiServices:
    return UiServices(
        triage=ws.triage,
        accounts=ws.accounts,
        sync=ws.sync,
        outbox=ws.outbox,
        prompting=ws.prompting,
        settings=SettingsService(ws.store, ws.clock),
        clock=ws.clock,
        ui_settings=settings,
        database_label=ws.database_label,
        is_demo=True,
        review=ws.review,
    )


@pytest.fixture
def window(qtbot, workspace: app_module.Workspace, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window on the demo workspace, shown and loaded (no periodic sync)."""
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    settings.setValue("theme", "light")
    prepare(settings)
    win = MainWindow(ui_services(workspace, settings))
    win.skip_exit_warning = True
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.default_layout()
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.queue.loaded, timeout=10_000):
        win.start_without_sync()
    qtbot.waitUntil(lambda: win.thread_pane.detail is not None, timeout=10_000)
    yield win
    # pytest-qt has closed the window (and may delete it while events are processed here).
    for _ in range(100):  # answers of the last tasks (and the work they start) arrive meanwhile
        if not shiboken6.isValid(win.tasks) or not win.tasks.busy:
            break
        assert win.tasks.wait(10_000), "background tasks still running after the test"
        qtbot.wait(20)
    else:
        raise AssertionError("the window kept starting background work after the test")
