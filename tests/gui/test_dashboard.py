"""The dashboard page on the demo workspace: real widgets, real store, offscreen."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from cm_console import app as app_module
from cm_console.services.insights import InsightsQuery, InsightsService
from cm_console.ui import theme
from cm_console.ui.audit import AuditPage
from cm_console.ui.dashboard import DashboardPage, card_background, pct
from cm_console.ui.main import prepare
from cm_console.ui.main_window import MainWindow
from cm_console.ui.planner import PlannerPage
from cm_console.ui.review import ReviewPage
from cm_console.ui.tasks import TaskRunner
from tests.gui.conftest import ui_services


def _insights(ws: app_module.Workspace) -> InsightsService:
    return InsightsService(ws.store, ws.clock, lambda: "Europe/Amsterdam")


@pytest.fixture
def page(qtbot, workspace: app_module.Workspace) -> Iterator[DashboardPage]:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    dashboard = DashboardPage(_insights(workspace), tasks)
    qtbot.addWidget(dashboard)
    dashboard.resize(1280, 800)
    with qtbot.waitSignal(dashboard.loaded, timeout=30_000):
        dashboard.show()
    yield dashboard
    assert tasks.wait(10_000), "background tasks still running after the test"


def test_importing_the_dashboard_does_not_import_pyqtgraph() -> None:
    code = (
        "import sys, cm_console.ui.main_window, cm_console.ui.dashboard;"
        "print('pyqtgraph' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


def test_kpis_and_community_table_show_the_report(
    page: DashboardPage, workspace: app_module.Workspace, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    expected = _insights(workspace).report(page.query())
    counts = expected.overall.counts
    assert page.kpi_unanswered.value.text() == pct(counts.unanswered_rate)
    assert page.kpi_dialogue.value.text() == pct(counts.dialogue_ratio_employees)
    assert page.kpi_load.value.text() == pct(expected.load.top_share)
    model = page.community_model
    qtmodeltester.check(model)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == [c.name for c in expected.communities]
    news = names.index("Management news")
    assert model.index(news, model.columnCount() - 1).data() == "Only broadcasts"
    assert "conversation" in page.subtitle.text()


def test_hover_reads_out_values(page: DashboardPage) -> None:
    report = page.report
    assert report is not None
    tuesday_ten = report.heatmap[1][10]
    text = page.heatmap_card.chart.hover_at(10.4, 1.6)
    assert text == f"Tue 10:00–11:00: {tuesday_ten} posts"
    assert page.heatmap_card.readout.text() == text
    last = len(report.series) - 1
    series_text = page.response_card.chart.hover_at(last, 1.0)
    day = report.series[last].bucket.label
    label = QLocale().toString(QDate(day.year, day.month, day.day), "d MMM")
    assert series_text.startswith(f"{label}: Median ")
    assert "Median" in series_text
    first = report.communities[0]
    assert page.community_card.chart.hover_at(0.5, 0.1).startswith(first.name)
    top = report.load.top[0]
    assert page.load_card.chart.hover_at(1.0, 0.0).startswith(top.name)
    assert page.heatmap_card.chart.hover_at(30, 30) == ""


def test_filters_by_account_community_and_period(qtbot, page: DashboardPage) -> None:  # type: ignore[no-untyped-def]
    assert page.account_box.count() == 2  # all accounts, demo
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.account_box.setCurrentIndex(page.account_box.findData("demo"))
    news = next(
        i
        for i in range(page.community_box.count())
        if page.community_box.itemText(i) == "Management news"
    )
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.community_box.setCurrentIndex(news)
    assert page.report is not None
    counts = page.report.overall.counts
    assert counts.roots > 0
    assert counts.team_roots == counts.roots, "the news channel is the team's broadcasts"
    assert page.community_model.rowCount() == 1
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.period_box.setCurrentIndex(3)  # twelve months
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.step_box.setCurrentIndex(1)  # per month
    assert page.report is not None
    assert len(page.report.series) in (12, 13)
    assert page.query().container_id is not None


def test_each_chart_exports_png_and_csv(page: DashboardPage, tmp_path: Path) -> None:
    for card in page.cards:
        png = tmp_path / f"{card.key}.png"
        assert card.export_png(png)
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 300
        data = tmp_path / f"{card.key}.csv"
        card.export_csv(data)
        rows = list(csv.reader(data.open(encoding="utf-8")))
        assert len(rows) > 1, card.key
    heatmap = list(csv.reader((tmp_path / "activity.csv").open(encoding="utf-8")))
    assert heatmap[0][:3] == ["weekday", "00:00", "01:00"]
    assert [r[0] for r in heatmap[1:]] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    series = list(csv.reader((tmp_path / "first-response.csv").open(encoding="utf-8")))
    assert series[0][:3] == ["period_start", "roots", "team_roots"]


def _centre_colour(widget) -> str:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    return image.pixelColor(5, image.height() // 2).name()


def test_dark_palette_colours_the_charts(qtbot, workspace: app_module.Workspace) -> None:  # type: ignore[no-untyped-def]
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    theme.apply(application, theme.ThemeMode.DARK)
    try:
        tasks = TaskRunner()
        dashboard = DashboardPage(_insights(workspace), tasks)
        qtbot.addWidget(dashboard)
        dashboard.resize(1280, 800)
        with qtbot.waitSignal(dashboard.loaded, timeout=30_000):
            dashboard.show()
        plot = dashboard.heatmap_card.chart.plot
        assert plot.backgroundBrush().color().name() == card_background().name() == "#252a31"
        assert _centre_colour(dashboard.heatmap_card) == "#252a31"
        assert tasks.wait(10_000)
    finally:
        theme.apply(application, theme.ThemeMode.LIGHT)


@pytest.fixture
def full_window(qtbot, workspace: app_module.Workspace, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    settings.setValue("theme", "light")
    prepare(settings)
    services = ui_services(workspace, settings)
    services.insights = _insights(workspace)
    services.planner = workspace.planner
    win = MainWindow(services)
    win.skip_exit_warning = True
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.queue.loaded, timeout=10_000):
        win.start_without_sync()
    yield win
    win.sync.stop()
    assert win.tasks.wait(10_000), "background tasks still running after the test"


def test_window_has_dashboard_and_planner_spaces(qtbot, full_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    titles = [a.text() for a in full_window.rail.actions()]
    assert titles == ["Queue", "Dashboard", "Planner", "Review", "Audit log"]
    # Start-up builds the queue only: each other space is built when it is first shown.
    for page_class in (DashboardPage, PlannerPage, ReviewPage, AuditPage):
        assert full_window.findChild(page_class) is None
    dashboard = full_window.page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    assert full_window.findChild(DashboardPage) is dashboard
    loaded: list[bool] = []
    dashboard.loaded.connect(lambda *_: loaded.append(True))
    full_window.show_page("dashboard")
    # The page appears at once: metrics and the chart library load in the background.
    assert full_window.current_page == "dashboard"
    assert not loaded
    qtbot.waitUntil(lambda: bool(loaded), timeout=30_000)
    planner = full_window.page("planner")
    assert isinstance(planner, PlannerPage)
    with qtbot.waitSignal(planner.loaded, timeout=30_000):
        full_window.show_page("planner")
    assert full_window.current_page == "planner"


def test_report_query_defaults_to_twelve_weeks(page: DashboardPage) -> None:
    query = page.query()
    assert isinstance(query, InsightsQuery)
    assert query.until is not None and query.since is not None
    assert (query.until - query.since).days == 84
