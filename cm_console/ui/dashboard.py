"""The dashboard page: dialogue health per account, community and period (DESIGN.md §6).

Metrics come from :class:`~cm_console.services.insights.InsightsService` in the background; the
charts module (pyqtgraph, about a second to import) is imported the first time the page is
shown, also in the background, so the window never waits for either. Each chart exports its
picture (PNG) and its data (CSV).
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.calendar import zone
from cm_console.domain.metrics import Granularity, Summary
from cm_console.domain.model import Account, Container
from cm_console.services.insights import (
    CommunitySummary,
    InsightsQuery,
    InsightsReport,
    InsightsService,
    Table,
    communities_table,
    heatmap_table,
    responders_table,
    series_table,
    write_csv,
)
from cm_console.ui import icons, theme
from cm_console.ui.tasks import TaskRunner, TaskState

Index = QModelIndex | QPersistentModelIndex
CHARTS_MODULE = "cm_console.ui.charts"
PERIODS = (("4w", 28), ("12w", 84), ("6m", 182), ("12m", 365))


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def hours(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 1:
        return QCoreApplication.translate("Dashboard", "%1 min").replace("%1", f"{value * 60:.0f}")
    return QCoreApplication.translate("Dashboard", "%1 h").replace("%1", f"{value:.1f}")


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def card_background() -> QColor:
    """Cards are white on light grey; in the dark palette a step lighter than the window, so
    input fields (the darker base colour) still stand out inside them."""
    if theme.colours().dark:
        return QColor("#252A31")
    return QApplication.palette().color(QPalette.ColorRole.Base)


def card_style() -> str:
    """Cards on the window background, in the palette's colours."""
    c = theme.colours()
    palette = QApplication.palette()
    base = card_background().name()
    window = palette.color(QPalette.ColorRole.Window).name()
    line = "#2E333B" if c.dark else "#E5E7EB"
    return f"""
        QWidget#dashboardContent, QScrollArea#dashboardScroll {{ background: {window}; }}
        QFrame#card {{ background: {base}; border: 1px solid {line}; border-radius: 8px; }}
        QFrame#card QLabel {{ background: transparent; border: none; }}
        QLabel#cardTitle {{ font-weight: 600; }}
        QLabel#cardMuted, QLabel#kpiCaption, QLabel#kpiDetail, QLabel#pageSubtitle {{
            color: {c.muted.name()}; }}
        QLabel#kpiValue {{ font-size: 20pt; font-weight: 600; }}
        QLabel#pageTitle {{ font-size: 16pt; font-weight: 600; }}
        QLabel#readout {{ color: {c.muted.name()}; }}
        QFrame#card QToolButton::menu-indicator {{ image: none; width: 0px; }}
        QTableView#communities {{ border: none; background: {base}; }}
    """


class KpiTile(QFrame):
    """A headline number with its caption and a line of detail."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("kpiCaption")
        self.value = QLabel("–", self)
        self.value.setObjectName("kpiValue")
        self.detail = QLabel("", self)
        self.detail.setObjectName("kpiDetail")
        self.detail.setWordWrap(True)
        # Room for three lines: a tile's height does not follow its wrapped text, and the
        # longer Dutch details wrap to three lines at 1280 pixels.
        self.detail.setMinimumHeight(3 * self.detail.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(96)

    def show_value(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class ChartCard(QFrame):
    """A titled chart with a read-out line and export actions (PNG picture, CSV data).

    Signals:
        exported(str): a file was written.
    """

    exported = Signal(str)

    def __init__(self, key: str, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.key = key
        self.chart: Any = None
        self.table: Callable[[], Table] | None = None
        self.title = QLabel(title, self)
        self.title.setObjectName("cardTitle")
        self.subtitle = QLabel(subtitle, self)
        self.subtitle.setObjectName("cardMuted")
        self.legend = QLabel("", self)
        self.legend.setObjectName("cardMuted")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.menu_button = QToolButton(self)
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setToolTip(self.tr("Export"))
        self.menu_button.setAccessibleName(self.tr("Export %1").replace("%1", title))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        self.png_action = menu.addAction(self.tr("Save chart as PNG…"))
        self.csv_action = menu.addAction(self.tr("Save data as CSV…"))
        self.png_action.triggered.connect(lambda: self._ask_and_save("png"))
        self.csv_action.triggered.connect(lambda: self._ask_and_save("csv"))
        self.menu_button.setMenu(menu)
        self.placeholder = QLabel(self.tr("Loading chart…"), self)
        self.placeholder.setObjectName("cardMuted")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMinimumHeight(220)
        self.readout = QLabel(self.tr("Point at the chart to read its values."), self)
        self.readout.setObjectName("readout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.menu_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 10, 8)
        self.body.setSpacing(6)
        self.body.addLayout(header)
        self.body.addWidget(self.placeholder, 1)
        self.body.addWidget(self.readout)
        self.setFixedHeight(320)

    def set_legend(self, entries: list[tuple[str, QColor]]) -> None:
        """Coloured squares with the series names (our own words, so rich text is safe)."""
        self.legend.setText(
            "&nbsp;&nbsp;&nbsp;".join(
                f'<span style="color:{colour.name()}">■</span>&nbsp;{html.escape(name)}'
                for name, colour in entries
            )
        )

    def set_chart(self, chart: QWidget) -> None:
        self.chart = chart
        self.body.replaceWidget(self.placeholder, chart)
        self.placeholder.hide()
        chart.hovered.connect(self._on_hovered)  # type: ignore[attr-defined]

    def _on_hovered(self, text: str) -> None:
        self.readout.setText(text or self.idle_text())

    empty = False
    """No data in the period: the read-out says so instead of inviting to point."""

    def idle_text(self) -> str:
        if self.empty:
            return self.tr("Nothing in this period.")
        return self.tr("Point at the chart to read its values.")

    def set_empty(self, empty: bool) -> None:
        self.empty = empty
        self.readout.setText(self.idle_text())

    def export_png(self, path: str | Path) -> bool:
        """Save the card (title and chart) as a PNG picture."""
        return bool(self.grab().save(str(path), "PNG"))

    def export_csv(self, path: str | Path) -> None:
        """Save the chart's data as CSV."""
        if self.table is not None:
            write_csv(path, self.table())

    def _ask_and_save(self, kind: str) -> None:
        if kind == "png":
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save chart"), f"{self.key}.png", self.tr("PNG pictures (*.png)")
            )
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save data"), f"{self.key}.csv", self.tr("CSV files (*.csv)")
            )
        if not path:
            return
        if kind == "png":
            self.export_png(path)
        else:
            self.export_csv(path)
        self.exported.emit(path)


class CommunityModel(QAbstractTableModel):
    """Every metric per community (the table under the charts)."""

    SummaryRole = Qt.ItemDataRole.UserRole + 1
    COLUMNS = 13

    @staticmethod
    def headers() -> tuple[str, ...]:
        return (
            QCoreApplication.translate("CommunityModel", "Community"),
            QCoreApplication.translate("CommunityModel", "Account"),
            QCoreApplication.translate("CommunityModel", "Started"),
            QCoreApplication.translate("CommunityModel", "Median"),
            QCoreApplication.translate("CommunityModel", "p90"),
            QCoreApplication.translate("CommunityModel", "Unanswered"),
            QCoreApplication.translate("CommunityModel", "Dialogue"),
            QCoreApplication.translate("CommunityModel", "Team dialogue"),
            QCoreApplication.translate("CommunityModel", "Replies"),
            QCoreApplication.translate("CommunityModel", "People"),
            QCoreApplication.translate("CommunityModel", "Depth"),
            QCoreApplication.translate("CommunityModel", "Closed"),
            QCoreApplication.translate("CommunityModel", "Note"),
        )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CommunitySummary] = []

    def set_rows(self, rows: list[CommunitySummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.COLUMNS
        ):
            return self.headers()[section]
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 2 <= section < 2 + len(self.tips)
        ):
            return self.tips[section - 2]
        return None

    def _text(self, row: CommunitySummary, column: int) -> str:
        s: Summary = row.summary
        c = s.counts
        values = (
            row.name,
            row.account,
            str(c.roots),
            hours(s.median_hours),
            hours(s.p90_hours),
            pct(c.unanswered_rate),
            pct(c.dialogue_ratio_employees),
            pct(c.dialogue_ratio_team),
            number(c.replies_per_root),
            number(c.responders_per_thread),
            number(c.depth),
            pct(c.loop_closure_rate),
            QCoreApplication.translate("CommunityModel", "Only broadcasts")
            if row.broadcast_only
            else "",
        )
        return values[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2 and column < 12:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 12 and row.broadcast_only:
            return theme.colours().warning
        if role == self.SummaryRole:
            return row
        return None

    tips: tuple[str, ...] = ()
    """Header tooltips for the metric columns (set by the page, translated)."""


class DashboardPage(QWidget):
    """KPIs, four charts and a table per community, for the chosen account and period.

    Signals:
        loaded(): a report is shown with its charts.
        failed(str): the metrics could not be computed.
    """

    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self, insights: InsightsService, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._insights = insights
        self._tasks = tasks
        self._charts: ModuleType | None = None
        self._started = False
        self._generation = 0
        self.report: InsightsReport | None = None
        self._scopes: list[tuple[Account, list[Container]]] = []
        self._build()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self.tr("Dashboard"), self)
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel(self.tr("Loading…"), self)
        self.subtitle.setObjectName("pageSubtitle")
        self.account_box = QComboBox(self)
        self.account_box.setAccessibleName(self.tr("Account"))
        self.account_box.addItem(self.tr("All accounts"), None)
        self.community_box = QComboBox(self)
        self.community_box.setAccessibleName(self.tr("Community"))
        self.community_box.addItem(self.tr("All communities"), None)
        self.community_box.setMinimumWidth(170)
        self.period_box = QComboBox(self)
        self.period_box.setAccessibleName(self.tr("Period"))
        labels = {
            "4w": self.tr("Last 4 weeks"),
            "12w": self.tr("Last 12 weeks"),
            "6m": self.tr("Last 6 months"),
            "12m": self.tr("Last 12 months"),
        }
        for key, days in PERIODS:
            self.period_box.addItem(labels[key], days)
        self.period_box.setCurrentIndex(1)
        self.step_box = QComboBox(self)
        self.step_box.setAccessibleName(self.tr("Step"))
        self.step_box.addItem(self.tr("Per week"), Granularity.WEEK.value)
        self.step_box.addItem(self.tr("Per month"), Granularity.MONTH.value)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setIcon(icons.icon("sync", theme.colours().icon))
        self.refresh_button.setToolTip(self.tr("Refresh"))
        self.refresh_button.setAutoRaise(True)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        for widget in (
            self.account_box,
            self.community_box,
            self.period_box,
            self.step_box,
            self.refresh_button,
        ):
            header.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)

        self.kpi_response = KpiTile(self.tr("First response (business hours)"))
        self.kpi_unanswered = KpiTile(self.tr("Unanswered"))
        self.kpi_dialogue = KpiTile(self.tr("Dialogue ratio"))
        self.kpi_closure = KpiTile(self.tr("Loop closure"))
        self.kpi_load = KpiTile(self.tr("Responder load"))
        kpis = QHBoxLayout()
        kpis.setSpacing(10)
        for tile in self.tiles:
            kpis.addWidget(tile)

        self.response_card = ChartCard(
            "first-response",
            self.tr("Time to first response"),
            self.tr("Business hours, employee posts"),
        )
        self.community_card = ChartCard(
            "communities",
            self.tr("Dialogue per community"),
            self.tr("Unanswered rate and dialogue ratio, busiest communities"),
        )
        self.heatmap_card = ChartCard(
            "activity", self.tr("When people are active"), self.tr("Posts per weekday and hour")
        )
        self.load_card = ChartCard(
            "responders", self.tr("Who answers"), self.tr("Qualifying replies per person")
        )
        self.response_card.table = lambda: series_table(self._require_report())
        self.community_card.table = lambda: communities_table(self._require_report())
        self.heatmap_card.table = lambda: heatmap_table(self._require_report())
        self.load_card.table = lambda: responders_table(self._require_report())
        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.response_card, 0, 0)
        grid.addWidget(self.community_card, 0, 1)
        grid.addWidget(self.heatmap_card, 1, 0)
        grid.addWidget(self.load_card, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.community_model = CommunityModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("communities")
        self.table.setModel(self.community_model)
        self.table.setAccessibleName(self.tr("Metrics per community"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setWordWrap(False)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        columns.setMinimumSectionSize(56)
        tips = (
            self.tr("Conversations started in the period"),
            self.tr("Median time to the first reply, in business hours (employee posts)"),
            self.tr("90th percentile of the time to the first reply"),
            self.tr("Employee posts without a reply, not resolved or closed"),
            self.tr("Employee posts that got a reply"),
            self.tr("The team's posts that got a reply"),
            self.tr("Replies per conversation"),
            self.tr("Distinct people who replied, per answered conversation"),
            self.tr("Back-and-forth turns per answered conversation"),
            self.tr("Employee posts resolved or closed (loop closure)"),
        )
        self.community_model.tips = tips
        self.table.setMinimumHeight(220)
        table_card = QFrame(self)
        table_card.setObjectName("card")
        table_title = QLabel(self.tr("Communities"), table_card)
        table_title.setObjectName("cardTitle")
        table_layout = QVBoxLayout(table_card)
        table_layout.setContentsMargins(14, 10, 14, 10)
        table_layout.addWidget(table_title)
        table_layout.addWidget(self.table)

        content = QWidget(self)
        content.setObjectName("dashboardContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(18, 14, 18, 18)
        column.setSpacing(12)
        column.addLayout(header)
        column.addLayout(kpis)
        column.addLayout(grid)
        column.addWidget(table_card)
        scroll = QScrollArea(self)
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setStyleSheet(card_style())

        self.account_box.currentIndexChanged.connect(self._on_account_changed)
        self.community_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.period_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.step_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.reload)

    @property
    def tiles(self) -> list[KpiTile]:
        return [
            self.kpi_response,
            self.kpi_unanswered,
            self.kpi_dialogue,
            self.kpi_closure,
            self.kpi_load,
        ]

    @property
    def cards(self) -> list[ChartCard]:
        return [self.response_card, self.community_card, self.heatmap_card, self.load_card]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.setStyleSheet(card_style())
        super().changeEvent(event)

    # --- loading -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self.start()

    def start(self) -> None:
        """Load the filters, the charts module and the first report (all in the background)."""
        if self._started:
            return
        self._started = True
        insights = self._insights

        def load_charts(_state: TaskState) -> ModuleType:
            return importlib.import_module(CHARTS_MODULE)

        self._tasks.run(load_charts, self._on_charts_imported, self._on_failed, label="charts")
        self._tasks.run(
            lambda _s: insights.scopes(), self._on_scopes, self._on_failed, label="dashboard"
        )
        self.reload()

    def query(self) -> InsightsQuery:
        """The query the filters describe."""
        now = self._insights_now()
        days = int(self.period_box.currentData())
        account = self.account_box.currentData()
        container = self.community_box.currentData()
        return InsightsQuery(
            since=now - timedelta(days=days),
            until=now,
            account=account if isinstance(account, str) else None,
            container_id=container if isinstance(container, int) else None,
            granularity=Granularity(str(self.step_box.currentData())),
        )

    def _insights_now(self) -> datetime:
        return self._insights.now()

    def reload(self) -> None:
        """Compute the report for the current filters (older answers are dropped)."""
        if not self._started:
            return
        self._generation += 1
        generation = self._generation
        query = self.query()
        insights = self._insights
        self.subtitle.setText(self.tr("Computing…"))

        def done(report: InsightsReport) -> None:
            if generation == self._generation:
                self._on_report(report)

        self._tasks.run(lambda _s: insights.report(query), done, self._on_failed, label="dashboard")

    def _on_failed(self, exc: Exception) -> None:
        self.subtitle.setText(str(exc))
        self.failed.emit(str(exc))

    def _on_scopes(self, scopes: list[tuple[Account, list[Container]]]) -> None:
        self._scopes = scopes
        self.account_box.blockSignals(True)
        current = self.account_box.currentData()
        self.account_box.clear()
        self.account_box.addItem(self.tr("All accounts"), None)
        for account, _containers in scopes:
            self.account_box.addItem(account.name, account.name)
        index = self.account_box.findData(current)
        self.account_box.setCurrentIndex(max(0, index))
        self.account_box.blockSignals(False)
        self._fill_communities()

    def _fill_communities(self) -> None:
        account = self.account_box.currentData()
        self.community_box.blockSignals(True)
        self.community_box.clear()
        self.community_box.addItem(self.tr("All communities"), None)
        for acc, containers in self._scopes:
            if account is not None and acc.name != account:
                continue
            for container in containers:
                label = container.name if account is not None else f"{container.name} ({acc.name})"
                self.community_box.addItem(label, container.id)
        self.community_box.blockSignals(False)

    def _on_account_changed(self, _index: int) -> None:
        self._fill_communities()
        self.reload()

    def _on_charts_imported(self, module: ModuleType) -> None:
        self._charts = module
        charts = module
        weekdays = [
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        ]
        self.response_card.set_chart(charts.SeriesChart(self.tr("hours"), self.tr(" h")))
        self.community_card.set_chart(charts.BarsChart(percent=True))
        self.heatmap_card.set_chart(charts.HeatmapChart(weekdays, self.tr("posts")))
        self.load_card.set_chart(charts.BarsChart(percent=False))
        if self.report is not None:
            self._render_charts(self.report)

    # --- showing -------------------------------------------------------------------------------

    def _require_report(self) -> InsightsReport:
        if self.report is None:
            raise RuntimeError("no report yet")
        return self.report

    def _on_report(self, report: InsightsReport) -> None:
        self.report = report
        s = report.overall
        c = s.counts
        tz = report.time_zone
        local = zone(tz)
        first = report.since.astimezone(local).date().isoformat()
        last = report.until.astimezone(local).date().isoformat()
        self.subtitle.setText(
            self.tr("%1 – %2 · %3 · %n conversation(s) started", None, c.roots)
            .replace("%1", first)
            .replace("%2", last)
            .replace("%3", tz)
        )
        if s.median_hours is None:
            self.kpi_response.show_value("–", self.tr("No answered posts in this period"))
        else:
            self.kpi_response.show_value(
                self.tr("%1 median").replace("%1", hours(s.median_hours)),
                self.tr("p90 %1 · team median %2 · %3 within target")
                .replace("%1", hours(s.p90_hours))
                .replace("%2", hours(s.team_median_hours))
                .replace("%3", pct(s.within_sla_rate)),
            )
        self.kpi_unanswered.show_value(
            pct(c.unanswered_rate),
            self.tr("%n employee post(s) without a reply", None, c.employee_unanswered),
        )
        self.kpi_dialogue.show_value(
            pct(c.dialogue_ratio_employees),
            self.tr("employee posts answered · team posts %1").replace(
                "%1", pct(c.dialogue_ratio_team)
            ),
        )
        self.kpi_closure.show_value(
            pct(c.loop_closure_rate),
            self.tr("resolved or closed · depth %1 turns").replace("%1", number(c.depth)),
        )
        load = report.load
        self.kpi_load.show_value(
            pct(load.top_share),
            self.tr("of replies by the top 20 % · team %1").replace("%1", pct(load.team_share)),
        )
        self.community_model.set_rows(list(report.communities))
        if self._charts is not None:
            self._render_charts(report)

    def _render_charts(self, report: InsightsReport) -> None:
        charts = self._charts
        assert charts is not None
        c = theme.colours()
        locale = QLocale()
        labels = [
            locale.toString(
                QDate(p.bucket.label.year, p.bucket.label.month, p.bucket.label.day), "d MMM"
            )
            for p in report.series
        ]
        self.response_card.chart.set_series(
            labels,
            [
                charts.Line(
                    self.tr("Median"), [p.summary.median_hours for p in report.series], c.accent
                ),
                charts.Line(
                    self.tr("p90"),
                    [p.summary.p90_hours for p in report.series],
                    c.warning,
                    dashed=True,
                ),
                charts.Line(
                    self.tr("Team median"),
                    [p.summary.team_median_hours for p in report.series],
                    c.ok,
                ),
            ],
        )
        self.response_card.set_legend(
            [
                (self.tr("Median"), c.accent),
                (self.tr("p90"), c.warning),
                (self.tr("Team median"), c.ok),
            ]
        )
        self.community_card.set_legend(
            [(self.tr("Unanswered"), c.danger), (self.tr("Dialogue ratio"), c.accent)]
        )
        self.load_card.set_legend([(self.tr("Team"), c.ok), (self.tr("Colleagues"), c.accent)])
        top = list(report.communities[:8])
        self.community_card.chart.set_bars(
            [x.name for x in top],
            [
                charts.BarGroup(
                    self.tr("Unanswered"), [x.summary.counts.unanswered_rate for x in top], c.danger
                ),
                charts.BarGroup(
                    self.tr("Dialogue ratio"),
                    [x.summary.counts.dialogue_ratio for x in top],
                    c.accent,
                ),
            ],
            [self.tr("only broadcasts") if x.broadcast_only else "" for x in top],
        )
        self.heatmap_card.chart.set_grid(report.heatmap)
        self.response_card.set_empty(report.overall.median_hours is None)
        self.community_card.set_empty(not top)
        self.heatmap_card.set_empty(not any(map(any, report.heatmap)))
        people = list(report.load.top[:8])
        team = QColor(c.ok)
        self.load_card.chart.set_bars(
            [p.name for p in people],
            [
                charts.BarGroup(
                    self.tr("Replies"),
                    [float(p.replies) for p in people],
                    c.accent,
                    [team if p.is_team else c.accent for p in people],
                )
            ],
            [self.tr("team") if p.is_team else "" for p in people],
        )
        self.load_card.set_empty(not people)
        self.load_card.subtitle.setText(
            self.tr("%n people answered; Gini %1", None, report.load.responders).replace(
                "%1", "–" if report.load.gini is None else f"{report.load.gini:.2f}"
            )
        )
        self.loaded.emit()
