"""The dashboard's charts (pyqtgraph), themed from the palette in force.

This module imports pyqtgraph (~1 s), so the dashboard imports it only when the page is first
shown, in the background. Charts take plain lists, never services; each one describes the point
under the mouse in words (``hovered``), which the card shows as its read-out line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from cm_console.ui import theme
from cm_console.ui.dashboard import card_background

pg.setConfigOptions(antialias=True, foreground="k")


def _blend(a: QColor, b: QColor, t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


@dataclass(frozen=True)
class Line:
    """One line of a time series: its name, values (None = no data), colour and style."""

    name: str
    values: Sequence[float | None]
    colour: QColor
    dashed: bool = False


@dataclass(frozen=True)
class BarGroup:
    """One bar per category, in one colour (e.g. "Unanswered rate")."""

    name: str
    values: Sequence[float | None]
    colour: QColor
    colours: Sequence[QColor] | None = None
    """A colour per bar (e.g. team members in another colour); ``colour`` for the legend."""


class Chart(QWidget):
    """A themed plot without pan, zoom or context menu: a dashboard chart, not a workbench.

    Signals:
        hovered(str): words for the point under the mouse ('' when it left the data).
    """

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = theme.colours()
        self.plot = pg.PlotWidget(background=card_background())
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setAntialiasing(True)
        self.plot.getPlotItem().getViewBox().setDefaultPadding(0.02)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(c.muted if not c.dark else QColor("#4B5563")))
            axis.setTextPen(pg.mkPen(c.muted))
            axis.setTickFont(font)
        self.plot.showGrid(x=False, y=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.setMinimumHeight(220)

    @property
    def view(self) -> pg.ViewBox:
        return self.plot.getPlotItem().getViewBox()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.view.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit("")
            self.on_hover(None)
            return
        point = self.view.mapSceneToView(scene_pos)
        self.hovered.emit(self.on_hover((point.x(), point.y())))

    def hover_at(self, x: float, y: float) -> str:
        """The read-out for data coordinates (x, y): what hovering there shows."""
        text = self.on_hover((x, y))
        self.hovered.emit(text)
        return text

    def on_hover(self, point: tuple[float, float] | None) -> str:
        return ""

    def grid_pen(self) -> pg.QtGui.QPen:
        c = theme.colours()
        colour = QColor("#374151") if c.dark else QColor("#E5E7EB")
        return pg.mkPen(colour, width=1)


def _percent_ticks(maximum: float = 1.0) -> list[list[tuple[float, str]]]:
    steps = [i / 4 * maximum for i in range(5)]
    return [[(v, f"{v * 100:.0f} %") for v in steps]]


class SeriesChart(Chart):
    """Lines over the period's buckets (median and p90 time to first response…)."""

    def __init__(self, unit: str, suffix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unit = unit
        self._suffix = suffix
        self._labels: list[str] = []
        self._lines: list[Line] = []
        self.plot.showGrid(x=False, y=True, alpha=0.12)
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=self.grid_pen())
        self._cursor.setZValue(-5)
        self._cursor.hide()
        self.plot.addItem(self._cursor, ignoreBounds=True)

    def set_series(self, labels: Sequence[str], lines: Sequence[Line]) -> None:
        self._labels = list(labels)
        self._lines = list(lines)
        for item in list(self.plot.listDataItems()):
            self.plot.removeItem(item)
        xs = list(range(len(labels)))
        top = 0.0
        for line in lines:
            ys = [math.nan if v is None else v for v in line.values]
            if all(v is None for v in line.values):
                continue  # nothing to draw (and pyqtgraph warns on an all-NaN line)
            top = max([top, *(v for v in line.values if v is not None)])
            pen = pg.mkPen(
                line.colour,
                width=2.2,
                style=Qt.PenStyle.DashLine if line.dashed else Qt.PenStyle.SolidLine,
            )
            item = self.plot.plot(
                xs,
                ys,
                pen=pen,
                connect="finite",
                symbol="o",
                symbolSize=5,
                symbolPen=pg.mkPen(line.colour),
                symbolBrush=line.colour,
                name=line.name,
            )
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
        step = max(1, math.ceil(len(labels) / 9))
        self.plot.getAxis("bottom").setTicks(
            [[(i, labels[i]) for i in range(0, len(labels), step)], []]
        )
        self.plot.setYRange(0, max(1.0, top * 1.15), padding=0.02)
        self.plot.setXRange(-0.3, max(0.3, len(labels) - 0.7), padding=0)
        self.plot.getAxis("left").setLabel(self._unit, color=theme.colours().muted.name())

    def on_hover(self, point: tuple[float, float] | None) -> str:
        if point is None or not self._labels:
            self._cursor.hide()
            return ""
        index = round(point[0])
        if not 0 <= index < len(self._labels):
            self._cursor.hide()
            return ""
        self._cursor.setPos(index)
        self._cursor.show()
        parts = []
        for line in self._lines:
            value = line.values[index] if index < len(line.values) else None
            shown = "–" if value is None else f"{value:.1f}{self._suffix}"
            parts.append(f"{line.name} {shown}")
        return f"{self._labels[index]}: " + " · ".join(parts)


class BarsChart(Chart):
    """Horizontal bars per category (communities, responders), one colour per group."""

    def __init__(
        self, *, percent: bool, value_format: str = "{:.0f}", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._percent = percent
        self._format = value_format
        self._categories: list[str] = []
        self._groups: list[BarGroup] = []
        self._extra: list[str] = []
        self.plot.getAxis("left").setWidth(150)
        self.view.invertY(True)

    def set_bars(
        self,
        categories: Sequence[str],
        groups: Sequence[BarGroup],
        extra: Sequence[str] | None = None,
    ) -> None:
        """``extra`` adds a word per category to the read-out (e.g. "team")."""
        self._categories = list(categories)
        self._groups = list(groups)
        self._extra = list(extra or [])
        self.plot.clear()
        n = max(1, len(groups))
        muted = theme.colours().muted
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        height = 0.78 / n
        top = 0.0
        for k, group in enumerate(groups):
            values = [0.0 if v is None else v for v in group.values]
            top = max([top, *values])
            item = pg.BarGraphItem(
                x0=[0.0] * len(values),
                y0=[i - 0.39 + k * height for i in range(len(values))],
                width=values,
                height=height * 0.92,
                brushes=[pg.mkBrush(c) for c in group.colours]
                if group.colours
                else [pg.mkBrush(group.colour)] * len(values),
                pen=pg.mkPen(None),
            )
            self.plot.addItem(item)
            for i, value in enumerate(group.values):
                label = pg.TextItem(self._value(value), color=muted, anchor=(0, 0.5))
                label.setFont(font)
                label.setPos((value or 0.0), i - 0.39 + (k + 0.46) * height)
                self.plot.addItem(label)
        metrics_width = max(
            (self.fontMetrics().horizontalAdvance(c) for c in categories), default=60
        )
        self.plot.getAxis("left").setWidth(min(190, max(80, metrics_width + 14)))
        self.plot.getAxis("left").setTicks(
            [[(i, self._elide(c)) for i, c in enumerate(categories)], []]
        )
        if self._percent:
            self.plot.setXRange(0, 1.08, padding=0.01)
            self.plot.getAxis("bottom").setTicks(_percent_ticks())
        else:
            self.plot.getAxis("bottom").setTicks(None)
            self.plot.setXRange(0, max(1.0, top * 1.12), padding=0.01)
        self.plot.setYRange(-0.6, max(0.6, len(categories) - 0.4), padding=0)

    def _elide(self, text: str) -> str:
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, 180)

    def _value(self, value: float | None) -> str:
        if value is None:
            return "–"
        return f"{value * 100:.0f} %" if self._percent else self._format.format(value)

    def on_hover(self, point: tuple[float, float] | None) -> str:
        if point is None:
            return ""
        index = round(point[1])
        if not 0 <= index < len(self._categories):
            return ""
        parts = [f"{g.name} {self._value(g.values[index])}" for g in self._groups]
        extra = (
            f" ({self._extra[index]})" if index < len(self._extra) and self._extra[index] else ""
        )
        return f"{self._categories[index]}{extra}: " + " · ".join(parts)


class HeatmapChart(Chart):
    """Activity per weekday (rows, Monday on top) and hour (columns), as rounded cells."""

    def __init__(self, weekdays: Sequence[str], unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weekdays = list(weekdays)
        self._unit = unit
        self._grid: list[list[int]] = []
        self.view.invertY(True)
        self.plot.getAxis("left").setWidth(40)
        self.plot.getAxis("left").setTicks([[(d + 0.5, w) for d, w in enumerate(self._weekdays)]])
        self.plot.getAxis("bottom").setTicks([[(h + 0.5, f"{h:02d}") for h in range(0, 24, 3)]])
        self.plot.setXRange(0, 24, padding=0.005)
        self.plot.setYRange(0, 7, padding=0.01)

    def set_grid(self, grid: Sequence[Sequence[int]]) -> None:
        self._grid = [list(row) for row in grid]
        self.plot.clear()
        c = theme.colours()
        empty = QColor("#273040") if c.dark else QColor("#F3F4F6")
        peak = max((v for row in self._grid for v in row), default=0)
        x0, y0, brushes = [], [], []
        for d, row in enumerate(self._grid):
            for h, value in enumerate(row):
                x0.append(h + 0.06)
                y0.append(d + 0.08)
                share = math.sqrt(value / peak) if peak else 0.0
                brushes.append(pg.mkBrush(_blend(empty, c.accent, share) if value else empty))
        if x0:
            self.plot.addItem(
                pg.BarGraphItem(
                    x0=x0,
                    y0=y0,
                    width=0.88,
                    height=0.84,
                    brushes=brushes,
                    pen=pg.mkPen(None),
                )
            )
        self.plot.setXRange(0, 24, padding=0.005)
        self.plot.setYRange(0, 7, padding=0.01)

    def on_hover(self, point: tuple[float, float] | None) -> str:
        if point is None or not self._grid:
            return ""
        hour, day = math.floor(point[0]), math.floor(point[1])
        if not (0 <= day < len(self._grid) and 0 <= hour < 24):
            return ""
        value = self._grid[day][hour]
        return f"{self._weekdays[day]} {hour:02d}:00–{(hour + 1) % 24:02d}:00: {value} {self._unit}"
