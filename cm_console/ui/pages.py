"""The spaces beyond the queue: the dashboard and the planner, installed on the window's rail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from cm_console.ui.dashboard import DashboardPage
from cm_console.ui.planner import PlannerPage

if TYPE_CHECKING:
    from cm_console.ui.main_window import MainWindow


def install_pages(window: MainWindow) -> None:
    """Add a page for each service the composition root provided."""
    services = window.services
    if services.insights is not None:
        window.add_page(
            "dashboard",
            QCoreApplication.translate("MainWindow", "Dashboard"),
            "chart",
            DashboardPage(services.insights, window.tasks, window),
            "Ctrl+Shift+2",
        )
    if services.planner is not None:
        window.add_page(
            "planner",
            QCoreApplication.translate("MainWindow", "Planner"),
            "calendar",
            PlannerPage(
                services.planner, window.tasks, window.sync.send_now, services.clock, window
            ),
            "Ctrl+Shift+3",
        )
