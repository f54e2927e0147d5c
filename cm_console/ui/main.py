"""Starting the window: the application object, language, theme, then the main window."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from cm_console import __version__
from cm_console.ui import i18n, icons, theme, welcome
from cm_console.ui.context import UiServices
from cm_console.ui.main_window import MainWindow
from cm_console.ui.theme import ThemeMode


def application() -> QApplication:
    """The QApplication (created once)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("cm-console")
    app.setApplicationDisplayName("cm-console")
    app.setOrganizationName("cm-console")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("cm-console")
    return app


def ui_settings(path: Path) -> QSettings:
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def prepare(settings: QSettings) -> QApplication:
    """Application with the saved language and theme applied."""
    app = application()
    language = i18n.choose(str(settings.value("language", "") or ""))
    app.setProperty("cm_translators", i18n.install(app, language))
    try:
        mode = ThemeMode(str(settings.value("theme", ThemeMode.SYSTEM.value)))
    except ValueError:
        mode = ThemeMode.SYSTEM
    theme.apply(app, mode)
    app.setWindowIcon(icons.app_icon())
    return app


def run(
    make_services: Callable[[QSettings], UiServices],
    settings_path: Path,
    *,
    open_demo: welcome.OpenDemo | None = None,
    smoke_test: bool = False,
) -> int:
    """Open the main window and run until it closes; returns the exit code.

    A workspace without accounts opens with the welcome first (see ``ui/welcome.py``);
    ``open_demo`` is how it opens the demo workspace. ``smoke_test`` is for builds: see
    :func:`smoke_test_window`.
    """
    started = time.monotonic()
    settings = ui_settings(settings_path)
    app = prepare(settings)
    services = make_services(settings)
    if smoke_test:
        return smoke_test_window(app, MainWindow(services), started)
    window = MainWindow(welcome.first_run(services, open_demo))
    freeze_after_first_load(window)
    window.show()
    window.start()
    return app.exec()


def freeze_after_first_load(window: MainWindow) -> None:
    """Once the queue has loaded, leave the objects start-up made out of garbage collection.

    Python's full collections walk every object that may be part of a cycle; with the modules,
    Qt wrappers and caches of a running console that took over 100 ms, and a collection
    triggered in a sync worker holds the GIL the whole time, so the window froze that long.
    Frozen objects are still freed when their last reference goes; only the cycle search skips
    them, so later collections walk just what was made since.
    """

    def freeze() -> None:
        window.queue.loaded.disconnect(freeze)
        gc.freeze()

    window.queue.loaded.connect(freeze)


SMOKE_TEST_TIMEOUT_MS = 60_000


def smoke_test_window(app: QApplication, window: MainWindow, started: float) -> int:
    """Show the window, wait for the queue's first paint after it loaded, close; 0 when it did.

    Used by packaging/build_linux.sh on the built app (``CM_CONSOLE_SMOKE_TEST=1``): it proves
    the frozen program finds its Qt plugins, resources, connectors and migrations and paints.
    The line it prints is flushed at the first paint, so a caller can time start-up with it.
    """
    outcome = {"loaded": False, "painted": False}

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and outcome["loaded"] and not outcome["painted"]:
                outcome["painted"] = True
                rows = window.queue_model.rowCount()
                elapsed = time.monotonic() - started
                text = (
                    f"{rows} conversations painted, {elapsed:.2f} s into window start-up, "
                    f"{time.process_time():.2f} s CPU since the process started"
                )
                print(f"smoke test passed: {text}", flush=True)
                QTimer.singleShot(0, window.close)
            return False

    def loaded() -> None:
        outcome["loaded"] = True
        window.table.viewport().update()

    window.skip_exit_warning = True  # type: ignore[attr-defined]
    watcher = _FirstPaint(window)
    window.table.viewport().installEventFilter(watcher)
    window.queue.loaded.connect(loaded)
    QTimer.singleShot(SMOKE_TEST_TIMEOUT_MS, window.close)
    window.show()
    window.start_without_sync()
    app.exec()
    if not outcome["painted"]:
        elapsed = time.monotonic() - started
        print(f"smoke test failed: no painted queue after {elapsed:.1f} s", file=sys.stderr)
        return 1
    return 0
