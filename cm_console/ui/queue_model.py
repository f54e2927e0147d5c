"""The queue as an id-backed table model: the view's ids in display order, rows loaded by page.

Sorting and filtering happen in SQL (the controller asks the service for a new id list and hands
it over); the model only keeps the ids and a small cache of pages of rows, so a view of a
hundred thousand items costs a list of integers and a few pages of frozen queue items.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from cm_console.domain.views import QueueItem, SortKey
from cm_console.ui import icons
from cm_console.ui.format import age, state_label

PAGE = 100
MAX_PAGES = 64

ItemRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, ItemRole)`` gives the row's :class:`QueueItem`."""
IdRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    PLATFORM = 0
    COMMUNITY = 1
    TITLE = 2
    AUTHOR = 3
    WAITING = 4
    REPLIES = 5
    TAGS = 6
    ASSIGNEE = 7


SORT_KEYS: dict[Column, SortKey] = {
    Column.PLATFORM: SortKey.PLATFORM,
    Column.COMMUNITY: SortKey.CONTAINER,
    Column.TITLE: SortKey.TITLE,
    Column.AUTHOR: SortKey.AUTHOR,
    Column.WAITING: SortKey.WAITING,
    Column.REPLIES: SortKey.REPLIES,
    Column.ASSIGNEE: SortKey.ASSIGNEE,
}


class QueueModel(QAbstractTableModel):
    """Rows of the current view.

    Signals:
        sort_requested(SortKey, bool): the user clicked a header; the controller re-queries.
    """

    sort_requested = Signal(object, bool)

    def __init__(
        self,
        load: Callable[[Sequence[int]], list[QueueItem]],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._now = now
        self._ids: list[int] = []
        self._rows: dict[int, int] = {}
        self._pages: OrderedDict[int, dict[int, QueueItem]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- feeding ---------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show ``ids`` (already in display order)."""
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = {tid: row for row, tid in enumerate(self._ids)}
        self._pages.clear()
        self.endResetModel()

    def append_ids(self, ids: Sequence[int]) -> None:
        """Add ``ids`` after the rows shown (the rest of a view whose first rows came first)."""
        if not ids:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids.extend(ids)
        self._rows.update((tid, row) for row, tid in enumerate(ids, start=first))
        self.endInsertRows()

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, thread_id: int) -> int | None:
        return self._rows.get(thread_id)

    def refresh(self, thread_ids: Sequence[int] | None = None) -> None:
        """Reload rows (all, or just ``thread_ids``) after a change, keeping the id list."""
        if thread_ids is None:
            self._pages.clear()
            if self._ids:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1)
                )
            return
        for tid in thread_ids:
            row = self._rows.get(tid)
            if row is None:
                continue
            self._pages.pop(row // PAGE, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def item(self, row: int) -> QueueItem | None:
        """The item at ``row`` (loads its page on first use)."""
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE
            ids = self._ids[start : start + PAGE]
            page = {item.id: item for item in self._load(ids)}
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    # --- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.PLATFORM: "",
                Column.COMMUNITY: self.tr("Community"),
                Column.TITLE: self.tr("Conversation"),
                Column.AUTHOR: self.tr("Started by"),
                Column.WAITING: self.tr("Waiting"),
                Column.REPLIES: self.tr("Replies"),
                Column.TAGS: self.tr("Tags"),
                Column.ASSIGNEE: self.tr("Assignee"),
            }[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.PLATFORM:
            return self.tr("Platform")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._ids) and 0 <= column < len(Column)):
            return None
        if role == IdRole:
            return self._ids[row]
        item = self.item(row)
        if item is None:
            return None
        if role == ItemRole:
            return item
        col = Column(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == Qt.ItemDataRole.DecorationRole and col is Column.PLATFORM:
            return icons.platform_icon(item.platform)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, col)
        if role == Qt.ItemDataRole.FontRole and col is Column.TITLE and item.pending_ops:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Column.REPLIES, Column.WAITING):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: QueueItem, col: Column) -> str | None:
        if col is Column.COMMUNITY:
            return item.container
        if col is Column.TITLE:
            return item.title
        if col is Column.AUTHOR:
            return item.author
        if col is Column.WAITING:
            since = item.waiting_since or item.last_activity_at
            return age(self._now() - since)
        if col is Column.REPLIES:
            return str(item.reply_count)
        if col is Column.TAGS:
            return ", ".join(item.tags)
        if col is Column.ASSIGNEE:
            return item.assignee or ""
        return None

    def _tooltip(self, item: QueueItem, col: Column) -> str | None:
        if col is Column.PLATFORM:
            return f"{item.account} · {item.platform}"
        if col is Column.TITLE:
            return f"{item.title}\n{state_label(item.state)} · {item.key}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if column < 0:
            key = SortKey.PRIORITY
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
