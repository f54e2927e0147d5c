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
from cm_console.ui.plain_text import plain_tooltip

PAGE = 50
"""Rows whose items are read together: more than a window 1,440 pixels tall shows, so a view's
first page (read in the background with its ids) paints the whole first screen."""
MAX_PAGES = 128
"""Pages of items kept (6,400 rows); the least recently shown are dropped first."""

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


_COLUMNS = tuple(Column)
_N_COLUMNS = len(_COLUMNS)

# Qt asks data() for several roles of every cell it paints: the roles as plain integers, and
# the answers that never change, are looked up once here rather than on each call.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ITEM = int(ItemRole)
_ID = int(IdRole)
_ITEM_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _ITEM})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset({Column.REPLIES, Column.WAITING})
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

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

    def set_ids(self, ids: Sequence[int], first_page: Sequence[QueueItem] = ()) -> None:
        """Show ``ids`` (already in display order).

        Args:
            first_page: the items of the first :data:`PAGE` ids, when the caller read them
                already (off the GUI thread), so painting the top rows reads nothing.
        """
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = dict(zip(self._ids, range(len(self._ids)), strict=True))
        self._pages.clear()
        if first_page:
            self._pages[0] = {item.id: item for item in first_page}
        self.endResetModel()

    def append_ids(self, ids: Sequence[int]) -> None:
        """Add ``ids`` after the rows shown (the rest of a view whose first rows came first)."""
        if not ids:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids.extend(ids)
        self._rows.update(zip(ids, range(first, first + len(ids)), strict=True))
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
        return 0 if parent.isValid() else _N_COLUMNS

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

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called thousands of times a paint: the cheap refusals come first, and the row's item
        # is only looked up for a role that shows it.
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        ids = self._ids
        if not (0 <= row < len(ids) and 0 <= column < _N_COLUMNS):
            return None
        if role == _ID:
            return ids[row]
        col = _COLUMNS[column]
        if role == _ALIGNMENT:
            return _RIGHT if col in _RIGHT_ALIGNED else None
        if role not in _ITEM_ROLES:
            return None
        item = self.item(row)
        if item is None:
            return None
        if role == _ITEM:
            return item
        if role == _DISPLAY:
            return self.text(item, col)
        if role == _DECORATION:
            return icons.platform_icon(item.platform) if col is Column.PLATFORM else None
        if role == _TOOLTIP:
            return self._tooltip(item, col)
        if role == _FONT and col is Column.TITLE and item.pending_ops:
            return self._bold
        return None

    def text(self, item: QueueItem, col: Column) -> str | None:
        """What the cell of ``item`` in ``col`` says."""
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
            return plain_tooltip(f"{item.account} · {item.platform}")
        if col is Column.TITLE:
            return plain_tooltip(f"{item.title}\n{state_label(item.state)} · {item.key}")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if column < 0:
            key = SortKey.PRIORITY
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
