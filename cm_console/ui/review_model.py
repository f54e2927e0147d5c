"""The review list: flagged threads as an id-backed table model, and the delegates that paint
its rows (title over community, reason and decision as coloured chips)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from cm_console.domain.review import CopyState, Decision, FlagReason, ReviewItem
from cm_console.ui import icons, theme
from cm_console.ui.format import age

Index = QModelIndex | QPersistentModelIndex

ItemRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, ItemRole)`` gives the row's :class:`ReviewItem`."""
IdRole = Qt.ItemDataRole.UserRole + 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("Review", text)


def reason_label(reason: FlagReason | None) -> str:
    if reason is None:
        return _tr("No reason")
    return {
        FlagReason.CONDUCT: _tr("Conduct"),
        FlagReason.PRIVACY: _tr("Privacy"),
        FlagReason.CONFIDENTIAL: _tr("Confidential"),
        FlagReason.LEGAL: _tr("Legal"),
        FlagReason.HR: _tr("HR matter"),
        FlagReason.OTHER: _tr("Other"),
    }[reason]


def decision_label(decision: Decision | None) -> str:
    if decision is None:
        return _tr("Undecided")
    return {
        Decision.KEEP: _tr("Keep"),
        Decision.ESCALATE: _tr("Escalate"),
        Decision.RESOLVE: _tr("Resolve"),
    }[decision]


def decision_colours(decision: Decision | None) -> tuple[QColor, QColor]:
    """Background and text of a decision chip."""
    dark = theme.colours().dark
    table = {
        None: ("#3A3F47", "#E5E7EB") if dark else ("#F3F4F6", "#374151"),
        Decision.KEEP: ("#14432F", "#A7F3D0") if dark else ("#DCFCE7", "#166534"),
        Decision.ESCALATE: ("#4A2A12", "#FED7AA") if dark else ("#FFEDD5", "#9A3412"),
        Decision.RESOLVE: ("#1E2A5A", "#C7D2FE") if dark else ("#E0E7FF", "#3730A3"),
    }
    bg, fg = table[decision]
    return QColor(bg), QColor(fg)


def reason_colours(reason: FlagReason | None) -> tuple[QColor, QColor]:
    dark = theme.colours().dark
    if reason in (FlagReason.CONDUCT, FlagReason.LEGAL):
        return (
            (QColor("#4C1D1D"), QColor("#FECACA"))
            if dark
            else (
                QColor("#FEE2E2"),
                QColor("#991B1B"),
            )
        )
    if reason in (FlagReason.PRIVACY, FlagReason.CONFIDENTIAL):
        return (
            (QColor("#3B2A4F"), QColor("#E9D5FF"))
            if dark
            else (
                QColor("#F3E8FF"),
                QColor("#6B21A8"),
            )
        )
    if reason is FlagReason.HR:
        return (
            (QColor("#0F3A3A"), QColor("#99F6E4"))
            if dark
            else (
                QColor("#CCFBF1"),
                QColor("#115E59"),
            )
        )
    return (
        (QColor("#3A3F47"), QColor("#E5E7EB"))
        if dark
        else (
            QColor("#F3F4F6"),
            QColor("#374151"),
        )
    )


class Column(enum.IntEnum):
    CONVERSATION = 0
    REASON = 1
    DECISION = 2
    FLAGGED = 3
    NOTES = 4


class ReviewModel(QAbstractTableModel):
    """Flagged threads in display order, identified by thread id.

    The controller loads ids and items off the GUI thread and hands them over; the model keeps
    both (a review list holds tens or hundreds of threads, not the queue's hundred thousand).
    """

    def __init__(self, now: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._items: list[ReviewItem] = []
        self._rows: dict[int, int] = {}

    def set_items(self, items: Sequence[ReviewItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = {item.thread_id: row for row, item in enumerate(self._items)}
        self.endResetModel()

    def update_items(self, items: Sequence[ReviewItem]) -> None:
        """Replace rows whose thread is in ``items`` (others keep their place)."""
        for item in items:
            row = self._rows.get(item.thread_id)
            if row is None:
                continue
            self._items[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def ids(self) -> list[int]:
        return [item.thread_id for item in self._items]

    def row_of(self, thread_id: int) -> int | None:
        return self._rows.get(thread_id)

    def item(self, row: int) -> ReviewItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.CONVERSATION: self.tr("Flagged conversation"),
                Column.REASON: self.tr("Reason"),
                Column.DECISION: self.tr("Decision"),
                Column.FLAGGED: self.tr("Since"),
                Column.NOTES: self.tr("Notes"),
            }[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.NOTES:
            return self.tr("Annotations by reviewers")
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.FLAGGED:
            return self.tr("How long ago it was flagged")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._items) and 0 <= column < len(Column)):
            return None
        item = self._items[row]
        if role == IdRole:
            return item.thread_id
        if role == ItemRole:
            return item
        col = Column(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, col)
        if role == Qt.ItemDataRole.DecorationRole and col is Column.CONVERSATION:
            return icons.platform_icon(item.platform)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Column.FLAGGED, Column.NOTES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: ReviewItem, col: Column) -> str:
        if col is Column.CONVERSATION:
            return item.title or self.tr("(untitled)")
        if col is Column.REASON:
            return reason_label(item.flag_reason)
        if col is Column.DECISION:
            return decision_label(item.decision.decision if item.decision else None)
        if col is Column.FLAGGED:
            return age(self._now() - item.flagged_at) if item.flagged_at else ""
        return str(item.annotation_count) if item.annotation_count else ""

    def _tooltip(self, item: ReviewItem, col: Column) -> str | None:
        if col is Column.CONVERSATION:
            lines = [item.title, f"{item.container} · {item.account}"]
            if item.flag_note:
                lines.append(item.flag_note)
            return "\n".join(lines)
        if col is Column.DECISION and item.decision is not None:
            return (
                self.tr("%1 by %2")
                .replace("%1", decision_label(item.decision.decision))
                .replace("%2", item.decision.reviewer)
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --- painting ------------------------------------------------------------------------------------


def _background(painter: QPainter, option: QStyleOptionViewItem) -> None:
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)


def _selected(option: QStyleOptionViewItem) -> bool:
    return bool(option.state & QStyle.StateFlag.State_Selected)


def _item(index: Index) -> ReviewItem | None:
    value = index.data(ItemRole)
    return value if isinstance(value, ReviewItem) else None


def draw_chip(
    painter: QPainter, option: QStyleOptionViewItem, text: str, colours: tuple[QColor, QColor]
) -> None:
    """One rounded chip, left-aligned and vertically centred in the cell."""
    font = QFont(option.font)
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    metrics = QFontMetrics(font)
    rect: QRect = option.rect
    width = min(rect.width() - 8, metrics.horizontalAdvance(text) + 16)
    height = metrics.height() + 6
    chip = QRectF(rect.left() + 4, rect.center().y() - height / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colours[0])
    painter.drawRoundedRect(chip, height / 2, height / 2)
    painter.setPen(colours[1])
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 12)
    painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), shown)
    painter.restore()


class ConversationDelegate(QStyledItemDelegate):
    """Platform badge; the title over the community and who started it; marks for copies that
    are pending, deleted upstream or imported."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _background(painter, option)
        item = _item(index)
        if item is None:
            return
        c = theme.colours()
        rect: QRect = option.rect
        painter.save()
        icons.platform_icon(item.platform).paint(
            painter, QRect(rect.left() + 8, rect.center().y() - 9, 18, 18)
        )
        x = rect.left() + 34
        width = rect.right() - x - 6
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        title_metrics = QFontMetrics(bold)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        small_metrics = QFontMetrics(small)
        top = (
            rect.top() + (rect.height() - title_metrics.height() - small_metrics.height() - 2) // 2
        )
        mark, mark_colour = "", c.muted
        if item.upstream_deleted_at is not None or item.copy_state is CopyState.GONE:
            mark, mark_colour = _tr("deleted on the platform"), c.danger
        elif item.copy_state is CopyState.PENDING:
            mark, mark_colour = _tr("copy pending"), c.warning
        elif item.imported:
            mark = _tr("imported")
        selected = _selected(option)
        text_colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.setFont(bold)
        painter.setPen(text_colour)
        title = item.title or _tr("(untitled)")
        painter.drawText(
            QRect(x, top, width, title_metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, width),
        )
        painter.setFont(small)
        line_top = top + title_metrics.height() + 2
        mark_width = small_metrics.horizontalAdvance(mark) + 8 if mark else 0
        sub = " · ".join(b for b in (item.container, item.author) if b)
        painter.setPen(text_colour if selected else c.muted)
        painter.drawText(
            QRect(x, line_top, width - mark_width, small_metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            small_metrics.elidedText(sub, Qt.TextElideMode.ElideRight, max(10, width - mark_width)),
        )
        if mark:
            painter.setPen(text_colour if selected else mark_colour)
            painter.drawText(
                QRect(x + width - mark_width, line_top, mark_width, small_metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                mark,
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(240, metrics.height() * 2 + 18)


class ChipDelegate(QStyledItemDelegate):
    """The reason or the decision as a coloured chip."""

    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._column = column

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _background(painter, option)
        item = _item(index)
        if item is None:
            return
        if self._column is Column.REASON:
            colours = reason_colours(item.flag_reason)
        else:
            colours = decision_colours(item.decision.decision if item.decision else None)
        draw_chip(painter, option, str(index.data(Qt.ItemDataRole.DisplayRole) or ""), colours)
