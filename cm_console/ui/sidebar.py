"""The left sidebar: views with live counts, communities per account, tags and saved views."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from cm_console.domain.model import Account, Container
from cm_console.domain.views import QueueQuery, View, ViewCounts
from cm_console.ui import icons, theme
from cm_console.ui.format import tr, view_label
from cm_console.ui.plain_text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
QueryRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2

VIEWS = (
    View.QUEUE,
    View.UNANSWERED,
    View.STALLED,
    View.AWAITING,
    View.MINE,
    View.SNOOZED,
    View.FLAGGED,
    View.DONE,
    View.ALL,
)
_VIEW_ICONS = {
    View.QUEUE: "queue",
    View.UNANSWERED: "unanswered",
    View.STALLED: "stalled",
    View.AWAITING: "awaiting",
    View.MINE: "assign",
    View.SNOOZED: "snooze",
    View.FLAGGED: "flag",
    View.DONE: "done",
    View.ALL: "all",
}


class Kind(enum.Enum):
    SECTION = "section"
    VIEW = "view"
    ACCOUNT = "account"
    CONTAINER = "container"
    TAG = "tag"
    SAVED = "saved"


@dataclass(eq=False)
class Node:
    kind: Kind
    label: str
    query: QueueQuery | None = None
    count: int | None = None
    key: object = None
    icon: str | None = None
    platform: str | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0


@dataclass(frozen=True)
class SavedView:
    """A named filter the user kept."""

    name: str
    query: QueueQuery


class SidebarModel(QAbstractItemModel):
    """Sections of the sidebar as a tree model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node(Kind.SECTION, "")
        self._views: dict[View, Node] = {}
        self._containers: dict[int, Node] = {}
        self._tags: dict[str, Node] = {}
        self._layout: object = None
        self.rebuild([], [], [])

    # --- content -----------------------------------------------------------------------------

    def rebuild(
        self,
        accounts: list[tuple[Account, list[Container]]],
        tags: list[tuple[str, int]],
        saved: list[SavedView],
    ) -> None:
        """Lay out the tree again when accounts, communities, tags or saved views changed;
        when only the tags' counts did (after most syncs), update those in place."""
        layout = (
            tuple(
                (a.id, a.name, a.platform, tuple((c.id, c.name) for c in containers))
                for a, containers in accounts
            ),
            tuple(tag for tag, _count in tags),
            tuple((v.name, v.query) for v in saved),
        )
        if layout == self._layout:
            for tag, count in tags:
                self._set_count(self._tags[tag], count)
            return
        self._layout = layout
        self.beginResetModel()
        root = Node(Kind.SECTION, "")
        views = root.add(Node(Kind.SECTION, tr("Views")))
        self._views = {}
        for view in VIEWS:
            self._views[view] = views.add(
                Node(
                    Kind.VIEW,
                    view_label(view),
                    QueueQuery(view=view),
                    key=view,
                    icon=_VIEW_ICONS[view],
                )
            )
        self._containers = {}
        if accounts:
            section = root.add(Node(Kind.SECTION, tr("Communities")))
            for account, containers in accounts:
                acc = section.add(
                    Node(
                        Kind.ACCOUNT,
                        account.name,
                        QueueQuery(view=View.QUEUE, account=account.name),
                        key=account.id,
                        platform=account.platform,
                    )
                )
                for container in sorted(containers, key=lambda c: c.name.lower()):
                    self._containers[container.id] = acc.add(
                        Node(
                            Kind.CONTAINER,
                            container.name,
                            QueueQuery(view=View.QUEUE, container_id=container.id),
                            key=container.id,
                            icon="community",
                        )
                    )
        self._tags = {}
        if tags:
            section = root.add(Node(Kind.SECTION, tr("Tags")))
            for tag, count in tags:
                self._tags[tag] = section.add(
                    Node(
                        Kind.TAG,
                        tag,
                        QueueQuery(view=View.ALL, tag=tag),
                        count=count,
                        key=tag,
                        icon="tag",
                    )
                )
        if saved:
            section = root.add(Node(Kind.SECTION, tr("Saved views")))
            for s in saved:
                section.add(Node(Kind.SAVED, s.name, s.query, key=s.name, icon="saved-view"))
        self._root = root
        self.endResetModel()

    def set_counts(self, counts: ViewCounts, per_container: dict[int, int]) -> None:
        """Update the live counts without disturbing the selection."""
        for view, node in self._views.items():
            self._set_count(node, counts[view])
        for cid, node in self._containers.items():
            self._set_count(node, per_container.get(cid, 0))

    def _set_count(self, node: Node, count: int) -> None:
        if node.count == count:
            return
        node.count = count
        idx = self.createIndex(node.row(), 0, node)
        self.dataChanged.emit(idx, idx, [CountRole, Qt.ItemDataRole.DisplayRole])

    def view_index(self, view: View) -> QModelIndex:
        node = self._views[view]
        return self.createIndex(node.row(), 0, node)

    def index_for(self, query: QueueQuery) -> QModelIndex:
        """The entry that shows ``query`` (ignoring search and sort), or an invalid index."""
        plain = replace(query, search=None, sort=QueueQuery().sort, descending=True, user_id=None)
        stack = list(self._root.children)
        while stack:
            node = stack.pop()
            if node.query is not None and node.query == plain:
                return self.createIndex(node.row(), 0, node)
            stack.extend(node.children)
        return QModelIndex()

    # --- Qt model API ------------------------------------------------------------------------

    def _node(self, index: Index) -> Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        up = node.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == CountRole:
            return node.count
        if role == QueryRole:
            return node.query
        if role == Qt.ItemDataRole.DecorationRole:
            if node.platform is not None:
                return icons.platform_icon(node.platform)
            if node.icon is not None:
                return icons.icon(node.icon, theme.colours().icon)
            return None
        if role == Qt.ItemDataRole.FontRole and node.kind is Kind.SECTION:
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
            return font
        if role == Qt.ItemDataRole.ToolTipRole and node.count is not None:
            return plain_tooltip(f"{node.label}: {node.count}")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._node(index).kind is Kind.SECTION:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _CountDelegate(QStyledItemDelegate):
    """Draws the count right-aligned and muted next to the label."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        count = index.data(CountRole)
        if count is None:
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            full = QStyleOptionViewItem(option)
            self.initStyleOption(full, index)
            full.text = ""
            full.icon = QIcon()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, widget)
        narrowed = QStyleOptionViewItem(option)
        room = QFontMetrics(option.font).horizontalAdvance(str(count)) + 18
        narrowed.rect = option.rect.adjusted(0, 0, -room, 0)
        super().paint(painter, narrowed, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(
            option.palette.color(QPalette.ColorRole.HighlightedText)
            if selected
            else theme.colours().muted
        )
        rect: QRect = option.rect.adjusted(0, 0, -10, 0)
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), str(count)
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 40, max(size.height(), 24))


class Sidebar(QTreeView):
    """The sidebar view.

    Signals:
        query_selected(QueueQuery): the user picked a view, community, tag or saved view.
    """

    query_selected = Signal(object)

    def __init__(self, model: SidebarModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setItemDelegate(_CountDelegate(self))
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAccessibleName(tr("Views and communities"))
        self._model = model
        model.modelReset.connect(self.expandAll)
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self.expandAll()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        query = current.data(QueryRole) if current.isValid() else None
        if isinstance(query, QueueQuery):
            self.query_selected.emit(query)

    def select_query(self, query: QueueQuery) -> None:
        """Highlight the entry for ``query`` without re-emitting."""
        index = self._model.index_for(query)
        if index.isValid():
            self.blockSignals(True)
            self.selectionModel().setCurrentIndex(
                index, self.selectionModel().SelectionFlag.ClearAndSelect
            )
            self.blockSignals(False)
