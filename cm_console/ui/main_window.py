"""The main window: layout and wiring. Features live in their own widgets and controllers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from cm_console.connectors.base import Capability
from cm_console.domain.outbox import PENDING_STATES
from cm_console.domain.views import QueueQuery, SortKey, View
from cm_console.services.prompting import Ladder
from cm_console.services.sync import SyncReport
from cm_console.services.triage import ChangeSet, ThreadDetail
from cm_console.ui import icons, theme
from cm_console.ui.actions import Actions
from cm_console.ui.composer import Composer
from cm_console.ui.context import UiServices
from cm_console.ui.delegates import (
    ChipsDelegate,
    PlatformDelegate,
    TextDelegate,
    TitleDelegate,
    WaitingDelegate,
)
from cm_console.ui.dialogs import ShortcutsDialog
from cm_console.ui.format import tr, view_label
from cm_console.ui.pages import install_pages
from cm_console.ui.presence import attach_team
from cm_console.ui.queue_controller import QueueController
from cm_console.ui.queue_model import Column, IdRole, QueueModel
from cm_console.ui.sidebar import SavedView, Sidebar, SidebarModel
from cm_console.ui.status_bar import StatusBar
from cm_console.ui.sync_controller import SyncController
from cm_console.ui.tasks import TaskRunner, TaskState
from cm_console.ui.thread_view import ThreadPane
from cm_console.ui.triage_controller import TriageController

if TYPE_CHECKING:
    from cm_console.ui.audit import AuditPage
    from cm_console.ui.review import ReviewPage

SAVED_VIEWS_KEY = "saved_views"


@dataclass
class _Page:
    """A space on the rail: its button, and its widget once built (``make`` builds it)."""

    action: QAction
    widget: QWidget | None = None
    make: Callable[[], QWidget] | None = None


class QueueView(QTableView):
    """The queue table: whole rows, multi-selection for bulk actions, sorting in SQL."""

    def __init__(self, model: QueueModel, now: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue")
        self.setModel(model)
        self.setAccessibleName(tr("Queue"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        # No initial sort: the queue arrives ordered by priority from SQL.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        for column, width in (
            (Column.PLATFORM, 32),
            (Column.COMMUNITY, 118),
            (Column.AUTHOR, 118),
            (Column.WAITING, 62),
            (Column.REPLIES, 62),
            (Column.TAGS, 120),
            (Column.ASSIGNEE, 96),
        ):
            self.setColumnWidth(column, width)
        header.setMinimumSectionSize(28)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._column_actions: dict[Column, QAction] = {}
        for column in (
            Column.COMMUNITY,
            Column.AUTHOR,
            Column.WAITING,
            Column.REPLIES,
            Column.TAGS,
            Column.ASSIGNEE,
        ):
            action = QAction(str(model.headerData(column, Qt.Orientation.Horizontal)), header)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, c=column: self.setColumnHidden(c, not on))
            header.addAction(action)
            self._column_actions[column] = action
        self._auto_hidden = False
        self.setItemDelegateForColumn(Column.PLATFORM, PlatformDelegate(self))
        self.setItemDelegateForColumn(
            Column.TITLE, TitleDelegate(lambda: self.isColumnHidden(Column.TAGS), self)
        )
        self.setItemDelegateForColumn(Column.WAITING, WaitingDelegate(now, self))
        for column in (Column.COMMUNITY, Column.AUTHOR, Column.ASSIGNEE):
            self.setItemDelegateForColumn(column, TextDelegate(column, parent=self))
        self.setItemDelegateForColumn(
            Column.REPLIES, TextDelegate(Column.REPLIES, right=True, parent=self)
        )
        self.setItemDelegateForColumn(Column.TAGS, ChipsDelegate(self))

    def resizeEvent(self, event: Any) -> None:
        # Narrow queues show tags inside the title cell instead of their own columns.
        narrow = self.viewport().width() < 820
        if narrow != self._auto_hidden:
            self._auto_hidden = narrow
            for column in (Column.TAGS, Column.ASSIGNEE):
                self.setColumnHidden(column, narrow or not self._column_actions[column].isChecked())
        super().resizeEvent(event)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        ids = [self.model().index(r, 0).data(IdRole) for r in rows]
        return [i for i in ids if isinstance(i, int)]

    def step(self, step: int) -> None:
        rows = self.model().rowCount()
        if not rows:
            return
        current = self.currentIndex().row() if self.currentIndex().isValid() else -1
        row = max(0, min(rows - 1, current + step))
        self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model().index(row, Column.TITLE)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)


class MainWindow(QMainWindow):
    """Sidebar, queue, thread and composer; menus, toolbar and status bar.

    Signals:
        page_changed(str): another space (queue, dashboard, planner, review) is shown.
        closing(): the window is closing (the person confirmed): stop timers and listeners.
    """

    page_changed = Signal(str)
    closing = Signal()

    def __init__(self, services: UiServices, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks or TaskRunner(self)
        title = tr("cm-console — demo workspace") if services.is_demo else tr("cm-console")
        self.setWindowTitle(title)
        self.setWindowIcon(icons.app_icon())
        self.act = Actions(self)
        now = services.clock
        self.queue_model = QueueModel(services.triage.items, now, self)
        self.queue = QueueController(services.triage, self.tasks, self.queue_model, self)
        self.sidebar_model = SidebarModel(self)
        self.sidebar = Sidebar(self.sidebar_model, self)
        self.table = QueueView(self.queue_model, now, self)
        self.thread_pane = ThreadPane(now, self)
        self.composer = Composer(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.sync = SyncController(services, self.tasks, self.status, self)
        self.triage = TriageController(
            services, self.tasks, self.table.selected_ids, lambda: self.thread_pane.detail, self
        )
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("Filter by words…  ( / )"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Filter"))
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._detail_generation = 0
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(
            lambda: self._load_detail(self._current_id) if self._current_id is not None else None
        )
        self._layout()
        self._menus()
        self._connect()
        self._restore_state()
        # Team mode: colleagues' claims and changes, and the audit log as a space of its own.
        self.team = attach_team(self)
        if self.team is not None:
            self.team.changed.connect(self._on_changed)
            self.add_page(
                "audit", self.tr("Audit log"), "audit", self._make_audit_page, "Ctrl+Shift+5"
            )

    # --- layout --------------------------------------------------------------------------------

    def _layout(self) -> None:
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.thread_pane)
        right.addWidget(self.composer)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        self.right_splitter = right
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.table)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.addWidget(self.sidebar)
        self.main_splitter.addWidget(centre)
        self.main_splitter.addWidget(right)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setStretchFactor(2, 2)
        # Spaces: the triage queue first; insights, planning and review add their own pages.
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.rail = QToolBar(tr("Spaces"), self)
        self.rail.setObjectName("spacesRail")
        self.rail.setMovable(False)
        self.rail.setIconSize(QSize(22, 22))
        self.rail.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.rail)
        self._page_group = QActionGroup(self)
        self._page_group.setExclusive(True)
        self._pages: dict[str, _Page] = {}
        self.add_page("queue", tr("Queue"), "queue", self.main_splitter, "Ctrl+Shift+1")
        install_pages(self)
        if self.services.review is not None:
            self.add_page("review", tr("Review"), "review", self._make_review_page, "Ctrl+Shift+4")
        bar = QToolBar(tr("Main"), self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.addWidget(self.search)
        bar.addAction(self.act.sync)
        bar.addSeparator()
        for action in (
            self.act.reply,
            self.act.prompt,
            self.act.tag,
            self.act.assign,
            self.act.snooze,
            self.act.flag,
            self.act.done,
            self.act.open_external,
        ):
            bar.addAction(action)
        spacer = QWidget(self)
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding,
            spacer.sizePolicy().verticalPolicy().Preferred,
        )
        bar.addWidget(spacer)
        bar.addAction(self.act.outbox)
        bar.addAction(self.act.settings)
        self.addToolBar(bar)
        self.search.setMinimumWidth(260)
        self.setTabOrder(self.search, self.sidebar)
        self.setTabOrder(self.sidebar, self.table)
        self.setTabOrder(self.table, self.thread_pane.browser)
        self.setTabOrder(self.thread_pane.browser, self.composer.editor)

    def _menus(self) -> None:
        a = self.act
        file_menu = self.menuBar().addMenu(tr("&File"))
        for action in (a.sync, a.outbox, a.accounts, a.settings):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        conv = self.menuBar().addMenu(tr("&Conversation"))
        for action in (a.next, a.previous, *a.triage(), a.mention):
            conv.addAction(action)
        view_menu = self.menuBar().addMenu(tr("&View"))
        for number, view in enumerate(
            (
                View.QUEUE,
                View.UNANSWERED,
                View.STALLED,
                View.AWAITING,
                View.MINE,
                View.SNOOZED,
                View.FLAGGED,
                View.DONE,
                View.ALL,
            ),
            start=1,
        ):
            action = QAction(view_label(view), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, v=view: self.show_view(v))
            a.views.append(action)
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(a.search)
        view_menu.addAction(a.save_view)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(a.shortcuts)
        help_menu.addAction(a.about)
        for action in (a.focus_queue,):
            self.addAction(action)

    def _connect(self) -> None:
        a = self.act
        a.next.triggered.connect(lambda: self.table.step(1))
        a.previous.triggered.connect(lambda: self.table.step(-1))
        a.reply.triggered.connect(self.composer.editor.setFocus)
        a.tag.triggered.connect(self.triage.tag)
        a.prompt.triggered.connect(self.triage.prompt)
        a.snooze.triggered.connect(self.triage.snooze)
        a.flag.triggered.connect(self.triage.flag)
        a.done.triggered.connect(self.triage.done)
        a.reopen.triggered.connect(self.triage.reopen)
        a.assign.triggered.connect(self.triage.assign)
        a.open_external.triggered.connect(self.triage.open_external)
        a.mention.triggered.connect(self._on_mention)
        a.why.triggered.connect(self.thread_pane.why.toggle)
        a.search.triggered.connect(self._focus_search)
        a.focus_queue.triggered.connect(self.table.setFocus)
        a.sync.triggered.connect(self._on_sync_clicked)
        a.shortcuts.triggered.connect(
            lambda: ShortcutsDialog(self.act.shortcut_list(), self).exec()
        )
        a.accounts.triggered.connect(self._on_accounts)
        a.settings.triggered.connect(self._on_settings)
        a.outbox.triggered.connect(self._on_outbox)
        a.save_view.triggered.connect(self._on_save_view)
        a.quit.triggered.connect(self.close)
        a.about.triggered.connect(self._on_about)
        self.status.outbox_clicked.connect(self._on_outbox)
        self.sidebar.query_selected.connect(self.queue.set_query)
        self.search.textChanged.connect(self.queue.set_search)
        self.search.returnPressed.connect(self.table.setFocus)
        self.queue.loaded.connect(self._on_queue_loaded)
        self.queue.completed.connect(self._on_queue_completed)
        self.queue.counts_loaded.connect(self.sidebar_model.set_counts)
        self.queue.failed.connect(lambda text: self.status.showMessage(text, 8000))
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.triage.changed.connect(self._on_changed)
        self.triage.message.connect(lambda text: self.status.showMessage(text, 6000))
        self.triage.sent.connect(self.sync.send_now)
        self.sync.synced.connect(self._on_synced)
        self.composer.send_requested.connect(self.triage.reply)
        self.composer.draft_changed.connect(
            lambda tid, text: self.triage.save_draft(tid, text, self.composer.mark_saved)
        )
        self.composer.mention_requested.connect(self._on_mention)
        self.composer.escape_pressed.connect(self.table.setFocus)
        self.tasks.busy_changed.connect(lambda _b: None)
        self._update_actions()

    # --- loading -------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the sidebar and the queue, then begin background sync."""
        self.start_without_sync()
        interval = int(self.services.settings.app()["sync_interval_minutes"])
        self.sync.start(interval)

    def start_without_sync(self) -> None:
        """Load the sidebar and the queue from the local store only."""
        self._reload_structure()  # counts the sidebar once it is built
        self.sidebar.select_query(QueueQuery())
        self.queue.reload(counts=False)
        self.sync.refresh_status()

    def _reload_structure(self) -> None:
        triage = self.services.triage
        settings = self.services.settings

        def work(_state: TaskState) -> tuple[Any, Any, Any, Any]:
            stored = settings.app_raw(SAVED_VIEWS_KEY) or []
            saved = [
                SavedView(
                    v["name"],
                    QueueQuery(
                        **{
                            **v["query"],
                            "view": View(v["query"]["view"]),
                            "sort": SortKey(v["query"]["sort"]),
                        }
                    ),
                )
                for v in stored
            ]
            return triage.accounts(), triage.tags(), saved, triage.saved_replies()

        def done(result: tuple[Any, Any, Any, Any]) -> None:
            accounts, tags, saved, replies = result
            current = self.queue.query
            self.sidebar_model.rebuild(accounts, tags, saved)
            self.sidebar.select_query(current)
            self.composer.set_saved_replies(replies)
            self.queue.refresh_counts()

        self.tasks.run(work, done, lambda exc: self.status.showMessage(str(exc)), label="sidebar")

    def _on_queue_loaded(self) -> None:
        self._select_when_complete = False
        row = self._wanted_row
        current = self._current_id
        found = self.queue_model.row_of(current) if current is not None else None
        if found is not None:
            self.table.select_row(found)
        elif not self.queue.complete and row >= self.queue_model.rowCount():
            # The rows around the selection are still on their way.
            self._select_when_complete = True
            return
        elif self.queue_model.rowCount():
            self.table.select_row(min(row, self.queue_model.rowCount() - 1))
        else:
            self.thread_pane.show_empty()
            self.composer.set_thread(None, "")
        self._update_actions()

    def _on_queue_completed(self) -> None:
        if self._select_when_complete:
            self._select_when_complete = False
            self._on_queue_loaded()
        count = self.queue_model.rowCount()
        self.status.showMessage(tr("%n conversation(s)", None, count), 3000)

    _wanted_row = 0
    _current_id: int | None = None
    _select_when_complete = False

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        tid = current.data(IdRole) if current.isValid() else None
        if isinstance(tid, int):
            self._current_id = tid
            self._wanted_row = current.row()
            # After the queue has painted: the thread's reads would otherwise compete with the
            # paint for the interpreter, and a burst of j/k presses reads only the last one.
            self._detail_timer.start()

    def _load_detail(self, thread_id: int) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        triage = self.services.triage

        prompting = self.services.prompting

        def work(_state: TaskState) -> tuple[ThreadDetail, dict[str, str | None], Ladder]:
            return (
                triage.show(thread_id),
                triage.template_values(thread_id),
                prompting.ladder(thread_id),
            )

        def done(result: tuple[ThreadDetail, dict[str, str | None], Ladder]) -> None:
            if generation != self._detail_generation:
                return
            detail, values, ladder = result
            same = self.composer.thread_id == thread_id
            self.thread_pane.show_detail(detail)
            self.thread_pane.show_ladder(ladder)
            if not same:
                draft = detail.draft
                moved = (detail.item.reply_count - draft.base_reply_count) if draft else 0
                self.composer.set_thread(
                    thread_id,
                    draft.text if draft else "",
                    values=values,
                    can_reply=Capability.REPLY in detail.capabilities,
                    moved_on=max(0, moved),
                )
            self._update_actions()

        self.tasks.run(work, done, lambda exc: self.status.showMessage(str(exc)), label="thread")

    # --- reacting to changes -------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.queue or changes.outbox:
            self.queue.reload()
        else:
            self.queue_model.refresh(list(changes.thread_ids))
        if changes.tags or changes.accounts:
            self._reload_structure()
        if self._current_id in changes.thread_ids:
            self._load_detail(self._current_id)
        if changes.outbox:
            self.sync.refresh_status()

    def _on_synced(self, report: SyncReport) -> None:
        if report.thread_ids:
            self.queue.reload()
            if self._current_id in report.thread_ids:
                self._load_detail(self._current_id)
        else:
            self.queue.refresh_counts()
        self._reload_structure()

    def _on_accounts_changed(self) -> None:
        self._reload_structure()
        self.queue.reload()
        self.sync.sync_now()

    def _update_actions(self, *_args: object) -> None:
        has = bool(self.table.selected_ids()) or self.thread_pane.detail is not None
        for action in self.act.triage():
            action.setEnabled(has)
        caps = self.thread_pane.detail.capabilities if self.thread_pane.detail else frozenset()
        self.act.prompt.setEnabled(has and bool(caps & {Capability.MENTION, Capability.DM}))
        self.act.reply.setEnabled(has and Capability.REPLY in caps)

    # --- pages ---------------------------------------------------------------------------------

    def add_page(
        self,
        key: str,
        title: str,
        icon_name: str,
        page: QWidget | Callable[[], QWidget],
        shortcut: str | None = None,
    ) -> QAction:
        """Add a space (a page of the window) with its button on the left rail.

        ``page`` is the widget, or a function that makes it: such a page is built (and its
        module's work done) the first time it is shown, so start-up only builds the queue.
        """
        action = QAction(icons.icon(icon_name, theme.colours().icon), title, self)
        action.setCheckable(True)
        action.setToolTip(f"{title} ({shortcut})" if shortcut else title)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False, k=key: self.show_page(k))
        self._page_group.addAction(action)
        self.rail.addAction(action)
        if isinstance(page, QWidget):
            self.pages.addWidget(page)
            self._pages[key] = _Page(action, widget=page)
        else:
            self._pages[key] = _Page(action, make=page)
        if len(self._pages) == 1:
            action.setChecked(True)
        return action

    def page(self, key: str) -> QWidget:
        """The page ``key``, built now if it has not been shown yet."""
        entry = self._pages[key]
        if entry.widget is None:
            assert entry.make is not None
            entry.widget = entry.make()
            self.pages.addWidget(entry.widget)
        return entry.widget

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        self.pages.setCurrentWidget(widget)
        self._pages[key].action.setChecked(True)
        self.page_changed.emit(key)

    @property
    def current_page(self) -> str:
        current = self.pages.currentWidget()
        return next((k for k, p in self._pages.items() if p.widget is current), "queue")

    @property
    def review_page(self) -> ReviewPage | None:
        """The review space (built on first use); None without the review service."""
        if "review" not in self._pages:
            return None
        return cast("ReviewPage", self.page("review"))

    @property
    def audit_page(self) -> AuditPage | None:
        """The audit log space (team mode; built on first use)."""
        if "audit" not in self._pages:
            return None
        return cast("AuditPage", self.page("audit"))

    def _make_review_page(self) -> QWidget:
        from cm_console.ui.review import ReviewPage  # noqa: PLC0415 - built on first use

        assert self.services.review is not None
        page = ReviewPage(self.services.review, self.tasks, self.services.clock, self)
        page.changed.connect(self._on_changed)
        page.message.connect(lambda text: self.status.showMessage(text, 8000))
        self.page_changed.connect(lambda key: page.reload() if key == "review" else None)
        self.triage.changed.connect(lambda _c: page.reload() if page.isVisible() else None)
        self.sync.synced.connect(lambda _r: page.reload() if page.isVisible() else None)
        return page

    def _make_audit_page(self) -> QWidget:
        from cm_console.ui.audit import AuditPage  # noqa: PLC0415 - built on first use

        assert self.team is not None
        page = AuditPage(self.team.team, self.tasks, self)
        self.page_changed.connect(lambda key: page.load() if key == "audit" else None)
        return page

    # --- small flows ---------------------------------------------------------------------------

    def show_view(self, view: View) -> None:
        query = QueueQuery(view=view)
        self.sidebar.select_query(query)
        self.queue.set_query(query)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_mention(self) -> None:
        text = self.triage.pick_mention()
        if text:
            self.composer.insert(text)

    # The dialogs are imported when first opened: start-up only loads what the queue needs.

    def _on_accounts(self) -> None:
        from cm_console.ui.accounts_dialog import AccountsDialog  # noqa: PLC0415

        AccountsDialog(self.services.accounts, self.tasks, self._on_accounts_changed, self).exec()

    def _on_settings(self) -> None:
        from cm_console.ui.settings_dialog import SettingsDialog  # noqa: PLC0415

        SettingsDialog(
            settings=self.services.settings,
            accounts=self.services.accounts,
            triage=self.services.triage,
            ui_settings=self.services.ui_settings,
            tasks=self.tasks,
            on_changed=self._on_accounts_changed,
            parent=self,
        ).exec()

    def _on_sync_clicked(self) -> None:
        self.sync.sync_now()

    def _on_outbox_changed(self) -> None:
        self.queue.reload()
        self.sync.refresh_status()

    def _on_outbox(self) -> None:
        from cm_console.ui.outbox_dialog import OutboxDialog  # noqa: PLC0415

        OutboxDialog(self.services.outbox, self.tasks, self._on_outbox_changed, self).exec()

    def _on_save_view(self) -> None:
        name, ok = QInputDialog.getText(self, tr("Save view"), tr("Name of this view:"))
        if not ok or not name.strip():
            return
        query = self.queue.query
        settings = self.services.settings
        entry = {"name": name.strip(), "query": {**asdict(query), "user_id": None}}

        def work(_state: TaskState) -> None:
            stored = [
                v for v in settings.app_raw(SAVED_VIEWS_KEY) or [] if v["name"] != entry["name"]
            ]
            settings.set_app_raw(SAVED_VIEWS_KEY, [*stored, json.loads(json.dumps(entry))])

        self.tasks.run(
            work,
            lambda _r: self._reload_structure(),
            lambda exc: self.status.showMessage(str(exc)),
            writer=True,
            label="saved view",
        )

    def _on_about(self) -> None:
        from cm_console.ui.about import AboutDialog  # noqa: PLC0415

        AboutDialog(self).exec()

    # --- window state --------------------------------------------------------------------------

    def _restore_state(self) -> None:
        ui = self.services.ui_settings
        geometry = ui.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
            self.default_layout()
        for key, splitter in (
            ("window/main", self.main_splitter),
            ("window/right", self.right_splitter),
        ):
            state = ui.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        header = ui.value("window/queue_header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)

    def default_layout(self) -> None:
        """Splitter proportions for the current window width (first start, screenshots)."""
        width = self.width()
        sidebar = 200 if width < 1600 else 240
        thread = int((width - sidebar) * 0.42)
        self.main_splitter.setSizes([sidebar, width - sidebar - thread, thread])
        height = self.height()
        self.right_splitter.setSizes([int(height * 0.72), int(height * 0.28)])

    def _save_state(self) -> None:
        ui = self.services.ui_settings
        ui.setValue("window/geometry", self.saveGeometry())
        ui.setValue("window/main", self.main_splitter.saveState())
        ui.setValue("window/right", self.right_splitter.saveState())
        ui.setValue("window/queue_header", self.table.horizontalHeader().saveState())
        ui.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.composer.flush_draft()
        pending = sum(
            n for state, n in self.services.outbox.counts().items() if state in PENDING_STATES
        )
        if pending and not getattr(self, "skip_exit_warning", False):
            answer = QMessageBox.warning(
                self,
                tr("Messages still waiting"),
                tr(
                    "%n message(s) are still waiting in the outbox. They are sent the next time "
                    "the console or 'cm-console sync' runs. Quit anyway?",
                    None,
                    pending,
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._save_state()
        self.closing.emit()
        self.sync.stop()
        self.tasks.cancel_all()
        self.tasks.wait(10_000)
        event.accept()
