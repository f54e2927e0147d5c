"""The spaces beyond the queue: the dashboard and the planner, installed on the window's rail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from cm_console.ui.main_window import MainWindow


def install_pages(window: MainWindow) -> None:
    """Add a page for each service the composition root provided (each built on first use)."""
    services = window.services
    insights, planner = services.insights, services.planner
    if insights is not None:

        def dashboard() -> QWidget:
            from cm_console.ui.dashboard import DashboardPage  # noqa: PLC0415 - on first use

            return DashboardPage(insights, window.tasks, window)

        window.add_page(
            "dashboard",
            QCoreApplication.translate("MainWindow", "Dashboard"),
            "chart",
            dashboard,
            "Ctrl+Shift+2",
        )
    if planner is not None:

        def planner_page() -> QWidget:
            from cm_console.ui.planner import PlannerPage  # noqa: PLC0415 - on first use

            return PlannerPage(planner, window.tasks, window.sync.send_now, services.clock, window)

        window.add_page(
            "planner",
            QCoreApplication.translate("MainWindow", "Planner"),
            "calendar",
            planner_page,
            "Ctrl+Shift+3",
        )
