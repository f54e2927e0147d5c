"""Painting the queue's cells: platform badge, state dot with title, age against the SLA, chips."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from cm_console.domain.priority import ReasonCode
from cm_console.domain.rules import State
from cm_console.domain.views import QueueItem
from cm_console.ui import icons, theme
from cm_console.ui.format import tr
from cm_console.ui.queue_model import Column, ItemRole, QueueModel

Index = QModelIndex | QPersistentModelIndex
SLA_WARNING = timedelta(hours=1)


def state_colour(state: State) -> QColor:
    c = theme.colours()
    return {
        State.UNANSWERED: c.danger,
        State.AWAITING: c.warning,
        State.STALLED: c.accent,
        State.NEW: c.ok,
    }.get(state, c.muted)


_HIGHLIGHTED = QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver
_SELECTED = QStyle.StateFlag.State_Selected
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText


def _background(painter: QPainter, option: QStyleOptionViewItem, widget: QWidget | None) -> None:
    # The view has painted the row's (alternating) background; the item's own panel only adds
    # the selection or the hover highlight, so a plain cell skips it (most cells of a screen).
    if not option.state & _HIGHLIGHTED:
        return
    style = widget.style() if widget is not None else QApplication.style()
    style.drawPrimitive(_PANEL, option, painter, widget)


def _text_colour(option: QStyleOptionViewItem, fallback: QColor) -> QColor:
    if option.state & _SELECTED:
        return option.palette.color(_HIGHLIGHTED_TEXT)
    return fallback


class _ItemDelegate(QStyledItemDelegate):
    def item(self, index: Index) -> QueueItem | None:
        value = index.data(ItemRole)
        return value if isinstance(value, QueueItem) else None


class TextDelegate(_ItemDelegate):
    """A cell of plain text (community, author, replies, assignee), drawn from the row's item.

    The same look as the default delegate's, for a fraction of the work: one question to the
    model per cell instead of one per role, and no text layout beyond eliding.
    """

    def __init__(
        self, column: Column, *, right: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._column = column
        align = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        self._align = int(align | Qt.AlignmentFlag.AlignVCenter)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget = option.widget
        _background(painter, option, widget)
        item = self.item(index)
        model = index.model()
        if item is None or not isinstance(model, QueueModel):
            return
        text = model.text(item, self._column)
        if not text:
            return
        style = widget.style() if widget is not None else QApplication.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect: QRect = option.rect.adjusted(margin, 0, -margin, 0)
        elided = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.save()
        painter.setPen(_text_colour(option, option.palette.color(QPalette.ColorRole.Text)))
        painter.drawText(rect, self._align, elided)
        painter.restore()


class PlatformDelegate(_ItemDelegate):
    """The platform badge, centred."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _background(painter, option, option.widget)
        item = self.item(index)
        if item is None:
            return
        size = 18
        rect = option.rect
        target = QRect(rect.center().x() - size // 2, rect.center().y() - size // 2, size, size)
        icons.platform_icon(item.platform).paint(painter, target)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(30, 28)


def draw_chips(
    painter: QPainter,
    option: QStyleOptionViewItem,
    tags: tuple[str, ...],
    left: int,
    right: int,
    *,
    align_right: bool = False,
) -> int:
    """Draw ``tags`` as rounded chips between ``left`` and ``right``; returns the width used."""
    c = theme.colours()
    rect: QRect = option.rect
    font = QFont(option.font)
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    metrics = QFontMetrics(font)
    height = metrics.height() + 4
    widths = [metrics.horizontalAdvance(t) + 12 for t in tags]
    total = sum(widths) + 4 * max(0, len(widths) - 1)
    x = right - total if align_right else left
    x = max(left, x)
    top = rect.center().y() - height // 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    used = 0
    for tag, width in zip(tags, widths, strict=True):
        if x + width > right:
            break
        chip = QRectF(x, top, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.chip_bg)
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.setPen(c.chip_text)
        painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), tag)
        x += width + 4
        used += width + 4
    painter.restore()
    return used


class TitleDelegate(_ItemDelegate):
    """A state dot, the title, and marks for flagged items and pending sends (and the tags,
    when their own column is hidden)."""

    def __init__(self, inline_tags: Any = lambda: False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inline_tags = inline_tags

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _background(painter, option, option.widget)
        item = self.item(index)
        if item is None:
            return
        c = theme.colours()
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(state_colour(item.state))
        painter.drawEllipse(QRectF(rect.left() + 6, rect.center().y() - 4, 8, 8))
        x = rect.left() + 20
        font = option.font
        metrics = QFontMetrics(font)
        suffix = ""
        if item.pending_ops:
            suffix = "  " + tr("sending…")
        flag_w = 18 if item.flagged else 0
        tags_w = 0
        if item.tags and self._inline_tags():
            tags_w = draw_chips(
                painter, option, item.tags, x + 80, rect.right() - flag_w - 4, align_right=True
            )
        available = rect.right() - x - flag_w - tags_w - metrics.horizontalAdvance(suffix) - 6
        title = metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, max(20, available))
        painter.setFont(font)
        painter.setPen(_text_colour(option, option.palette.color(QPalette.ColorRole.Text)))
        text_rect = QRect(x, rect.top(), rect.right() - x, rect.height())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), title)
        x += metrics.horizontalAdvance(title)
        if suffix:
            painter.setPen(_text_colour(option, c.muted))
            painter.drawText(
                QRect(x, rect.top(), rect.right() - x, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter),
                suffix,
            )
        if item.flagged:
            target = QRect(rect.right() - 18, rect.center().y() - 7, 14, 14)
            icons.icon("flag", c.warning).paint(painter, target)
        painter.restore()


class WaitingDelegate(_ItemDelegate):
    """How long the item has waited, coloured against the first-response target."""

    def __init__(self, now: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now

    def colour(self, item: QueueItem, now: datetime) -> QColor:
        c = theme.colours()
        if any(r.code is ReasonCode.PAST_SLA for r in item.reasons):
            return c.danger
        if (
            item.state is State.UNANSWERED
            and item.sla_due_at is not None
            and item.sla_due_at - now < SLA_WARNING
        ):
            return c.warning
        return c.muted

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _background(painter, option, option.widget)
        item = self.item(index)
        if item is None:
            return
        rect: QRect = option.rect.adjusted(4, 0, -8, 0)
        painter.save()
        colour = self.colour(item, self._now())
        painter.setPen(_text_colour(option, colour))
        font = option.font
        if colour == theme.colours().danger:
            font.setBold(True)
        painter.setFont(font)
        model = index.model()
        text = model.text(item, Column.WAITING) if isinstance(model, QueueModel) else None
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), text or ""
        )
        painter.restore()


class ChipsDelegate(_ItemDelegate):
    """Tags as small rounded chips."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _background(painter, option, option.widget)
        item = self.item(index)
        if item is None or not item.tags:
            return
        rect: QRect = option.rect
        draw_chips(painter, option, item.tags, rect.left() + 4, rect.right() - 4)
