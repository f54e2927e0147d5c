"""Starting the window: the application object, language, theme, then the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from cm_console import __version__
from cm_console.ui import i18n, icons, theme
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


def run(make_services: Callable[[QSettings], UiServices], settings_path: Path) -> int:
    """Open the main window and run until it closes; returns the exit code."""
    settings = ui_settings(settings_path)
    app = prepare(settings)
    window = MainWindow(make_services(settings))
    window.show()
    window.start()
    return app.exec()
