"""The Review page: flagged threads read offline, annotated, decided and exported.

Keyboard first, like the queue: j/k move through the list, n/p through the posts of the
conversation, a annotates the current post, d records a decision, x exports, i imports a
review packet and / filters. The page claims these keys while it has the focus, so they never
reach the queue's shortcuts behind it.

Work runs in the task runner: reads in the I/O pool, writes in the writer pool, exports (PDF
included) in the I/O pool. The reading pane is the hardened viewer of the thread pane.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.review import (
    CopyState,
    Decision,
    FlagReason,
    ReviewDetail,
    ReviewFilter,
    ReviewItem,
)
from cm_console.reports.export import ExportFormat
from cm_console.services.review import ReviewService
from cm_console.services.triage import ChangeSet
from cm_console.ui import icons, theme
from cm_console.ui.format import when
from cm_console.ui.pdf import render_pdf
from cm_console.ui.review_dialogs import AnnotationDialog, DecisionDialog, ExportDialog
from cm_console.ui.review_model import (
    ChipDelegate,
    Column,
    ConversationDelegate,
    IdRole,
    ReviewModel,
    decision_label,
    reason_label,
)
from cm_console.ui.review_pane import ReviewBrowser, render_review
from cm_console.ui.tasks import TaskRunner, TaskState

UNDECIDED = "undecided"


def _tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("Review", text, disambiguation, n)


# --- the page ------------------------------------------------------------------------------------


class ReviewTable(QTableView):
    """The review list: whole rows, multi-selection for exports and bulk decisions."""

    def __init__(self, model: ReviewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewList")
        self.setModel(model)
        self.setAccessibleName(_tr("Flagged conversations"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(48)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.CONVERSATION, QHeaderView.ResizeMode.Stretch)
        # The conversation column takes what the others leave: never a sideways scroll that
        # hides the start of the titles.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for column, width in (
            (Column.REASON, 104),
            (Column.DECISION, 92),
            (Column.FLAGGED, 58),
            (Column.NOTES, 64),
        ):
            self.setColumnWidth(column, width)
        self.setItemDelegateForColumn(Column.CONVERSATION, ConversationDelegate(self))
        self.setItemDelegateForColumn(Column.REASON, ChipDelegate(Column.REASON, self))
        self.setItemDelegateForColumn(Column.DECISION, ChipDelegate(Column.DECISION, self))

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        ids = [self.model().index(r, 0).data(IdRole) for r in rows]
        return [i for i in ids if isinstance(i, int)]

    def select_row(self, row: int) -> None:
        index = self.model().index(row, Column.CONVERSATION)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)


class ReviewPage(QWidget):
    """Flagged threads, the reading pane, annotations, decisions, export and import.

    Signals:
        changed(ChangeSet): the page changed threads (imports add threads and an account).
        message(str): something to tell the user in the status bar.
        detail_loaded(int): the reading pane shows this thread.
        exported(object): an export finished (its :class:`ExportSummary`).
    """

    changed = Signal(object)
    message = Signal(str)
    detail_loaded = Signal(int)
    loaded = Signal()
    exported = Signal(object)

    def __init__(
        self,
        review: ReviewService,
        tasks: TaskRunner,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.review = review
        self.tasks = tasks
        self.query = ReviewFilter()
        self.detail: ReviewDetail | None = None
        self.current_post = 0
        self._generation = 0
        self._wanted: int | None = None
        self.model = ReviewModel(now, self)
        self.table = ReviewTable(self.model, self)
        self._build()
        self._connect()
        self.show_empty()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        c = theme.colours()
        header = QFrame(self)
        header.setObjectName("reviewHeader")
        top = QHBoxLayout(header)
        top.setContentsMargins(14, 10, 14, 10)
        top.setSpacing(8)
        heading = QLabel(_tr("Review"), header)
        heading.setObjectName("pageTitle")
        self.counts = QLabel(header)
        self.counts.setObjectName("muted")
        self.search = QLineEdit(header)
        self.search.setPlaceholderText(_tr("Filter by words…  ( / )"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_tr("Filter"))
        self.search.addAction(
            icons.icon("search", c.icon), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search.setMinimumWidth(220)
        self.reason = QComboBox(header)
        self.reason.setAccessibleName(_tr("Reason"))
        self.reason.addItem(_tr("Every reason"), None)
        for reason in FlagReason:
            self.reason.addItem(reason_label(reason), reason.value)
        self.decision = QComboBox(header)
        self.decision.setAccessibleName(_tr("Decision"))
        self.decision.addItem(_tr("Every decision"), None)
        self.decision.addItem(_tr("Undecided"), UNDECIDED)
        for decision in Decision:
            self.decision.addItem(decision_label(decision), decision.value)
        self.import_button = QPushButton(icons.icon("add", c.icon), _tr("Import packet…"), header)
        self.import_button.setToolTip(_tr("Import a review packet with its annotations (I)"))
        self.export_button = QPushButton(icons.icon("outbox", c.icon), _tr("Export…"), header)
        self.export_button.setToolTip(_tr("Export to PDF, HTML, CSV or a review packet (X)"))
        top.addWidget(heading)
        top.addWidget(self.counts)
        top.addStretch(1)
        top.addWidget(self.search)
        top.addWidget(self.reason)
        top.addWidget(self.decision)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)

        right = QWidget(self)
        pane = QVBoxLayout(right)
        pane.setContentsMargins(14, 10, 14, 6)
        pane.setSpacing(6)
        self.title = QLabel(right)
        self.title.setObjectName("threadTitle")
        self.meta = QLabel(right)
        self.meta.setObjectName("threadMeta")
        self.flag_box = QLabel(right)
        self.flag_box.setObjectName("flagNote")
        self.banner = QLabel(right)
        self.banner.setObjectName("reviewBanner")
        for label in (self.title, self.meta, self.flag_box, self.banner):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setMinimumWidth(50)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.decision_label = QLabel(right)
        self.decision_label.setTextFormat(Qt.TextFormat.PlainText)
        self.decision_label.setObjectName("decisionState")
        bar.addWidget(self.decision_label, 1)
        self.decide_buttons: dict[Decision, QPushButton] = {}
        for decision in Decision:
            button = QPushButton(decision_label(decision), right)
            button.setCheckable(True)
            button.setToolTip(_tr("Record a decision (D)"))
            button.clicked.connect(lambda _=False, d=decision: self._on_decide_clicked(d))
            self.decide_buttons[decision] = button
            bar.addWidget(button)
        self.annotate_button = QPushButton(icons.icon("reply", c.icon), _tr("Annotate"), right)
        self.annotate_button.setToolTip(_tr("Annotate the current post (A)"))
        bar.addWidget(self.annotate_button)
        self.browser = ReviewBrowser(right)
        self.browser.setAccessibleName(_tr("Flagged conversation"))
        pane.addWidget(self.title)
        pane.addWidget(self.meta)
        pane.addWidget(self.flag_box)
        pane.addWidget(self.banner)
        pane.addLayout(bar)
        pane.addWidget(self.browser, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.hints = QLabel(
            _tr(
                "J/K conversations · N/P posts · A annotate · D decide · X export · "
                "I import a packet · / filter"
            ),
            self,
        )
        self.hints.setObjectName("keyHints")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hints)
        self._style()
        for widget in (self.table, self.browser):
            widget.installEventFilter(self)
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.browser)

    def _style(self) -> None:
        c = theme.colours()
        line = "#2E333B" if c.dark else "#E5E7EB"
        self.setStyleSheet(
            f"QFrame#reviewHeader {{ border-bottom: 1px solid {line}; }}"
            "QLabel#pageTitle { font-size: 15pt; font-weight: 600; }"
            f"QLabel#flagNote {{ background: {'#2A2440' if c.dark else '#EEF2FF'}; "
            "border-radius: 6px; padding: 6px 10px; }"
            "QLabel#reviewBanner { border-radius: 6px; padding: 6px 10px; }"
            "QLabel#decisionState { font-weight: 600; }"
            f"QLabel#keyHints {{ color: {c.muted.name()}; padding: 4px 14px; "
            f"border-top: 1px solid {line}; }}"
            "QTableView#reviewList { border: none; }"
        )

    def default_layout(self) -> None:
        width = max(self.width(), 900)
        self.splitter.setSizes([int(width * 0.47), width - int(width * 0.47)])

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.search.textChanged.connect(self._on_filter_changed)
        self.search.returnPressed.connect(self.table.setFocus)
        self.reason.currentIndexChanged.connect(self._on_filter_changed)
        self.decision.currentIndexChanged.connect(self._on_filter_changed)
        self.import_button.clicked.connect(lambda _checked=False: self.import_packet())
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        self.annotate_button.clicked.connect(lambda _checked=False: self.annotate())
        self.browser.action_requested.connect(self._on_browser_action)
        self.browser.link_refused.connect(
            lambda target: self.message.emit(
                _tr("Links like this are never opened: %1").replace("%1", target)
            )
        )

    # --- keyboard ------------------------------------------------------------------------------

    def _keys(self) -> dict[int, Callable[[], None]]:
        return {
            Qt.Key.Key_J: lambda: self.step(1),
            Qt.Key.Key_K: lambda: self.step(-1),
            Qt.Key.Key_N: lambda: self.step_post(1),
            Qt.Key.Key_P: lambda: self.step_post(-1),
            Qt.Key.Key_A: self.annotate,
            Qt.Key.Key_D: self.decide,
            Qt.Key.Key_X: self.export,
            Qt.Key.Key_I: self.import_packet,
            Qt.Key.Key_Slash: self.focus_search,
        }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window's queue shortcuts (J, K, A, …) would fire even on this page: claim the
        # page's keys first (ShortcutOverride), then act on the key press itself.
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            action = self._keys().get(event.key())
            if action is not None and modifiers == Qt.KeyboardModifier.NoModifier:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    action()
                return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.table.setFocus()

    # --- loading -------------------------------------------------------------------------------

    def _on_filter_changed(self, *_args: object) -> None:
        reason = self.reason.currentData()
        decision = self.decision.currentData()
        self.query = ReviewFilter(
            reason=FlagReason(reason) if reason else None,
            decision=Decision(decision) if decision not in (None, UNDECIDED) else None,
            undecided=decision == UNDECIDED,
            search=self.search.text().strip() or None,
        )
        self.reload()

    def reload(self) -> None:
        """Load the list for the current filter (keeping the current thread when it stays)."""
        self._generation += 1
        generation = self._generation
        query = self.query
        review = self.review

        def work(_state: TaskState) -> tuple[list[ReviewItem], dict[str, int]]:
            return review.items(review.ids(query)), review.counts()

        def done(result: tuple[list[ReviewItem], dict[str, int]]) -> None:
            if generation != self._generation:
                return
            items, counts = result
            wanted = self._wanted if self._wanted is not None else self.current_id()
            self.model.set_items(items)
            self.counts.setText(
                _tr("%n flagged", None, counts["flagged"])
                + " · "
                + _tr("%n without a decision", None, counts["undecided"])
            )
            row = self.model.row_of(wanted) if wanted is not None else None
            if row is None and self.model.rowCount():
                row = 0
            if row is not None:
                self.table.select_row(row)
            else:
                self.show_empty()
            self._wanted = None
            self.loaded.emit()

        self.tasks.run(work, done, self._on_failed, label="review list")

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        value = index.data(IdRole) if index.isValid() else None
        return value if isinstance(value, int) else None

    def step(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        self.table.select_row(max(0, min(rows - 1, current + step)))

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        tid = current.data(IdRole) if current.isValid() else None
        if isinstance(tid, int):
            self.load_detail(tid, keep_post=False)

    def load_detail(self, thread_id: int, *, keep_post: bool = True) -> None:
        review = self.review

        def work(_state: TaskState) -> ReviewDetail:
            return review.detail(thread_id)

        def done(detail: ReviewDetail) -> None:
            if self.current_id() != thread_id:
                return
            same = self.detail is not None and self.detail.item.thread_id == thread_id
            if not (keep_post and same):
                self.current_post = 0
            self.show_detail(detail)
            self.model.update_items([detail.item])
            self.detail_loaded.emit(thread_id)

        self.tasks.run(work, done, self._on_failed, label="review thread")

    def show_empty(self) -> None:
        self.detail = None
        self.title.setText(_tr("No flagged conversations"))
        self.meta.setText(
            _tr("Flag a conversation in the queue (F), or import a review packet (I).")
        )
        self.flag_box.setVisible(False)
        self.banner.setVisible(False)
        for button in (*self.decide_buttons.values(), self.annotate_button):
            button.setEnabled(False)
        self.decision_label.setText("")
        self.browser.clear()

    def show_detail(self, detail: ReviewDetail) -> None:
        self.detail = detail
        item = detail.item
        self.current_post = max(0, min(self.current_post, len(detail.posts) - 1))
        self.title.setText(item.title or _tr("(untitled)"))
        started = _tr("started %1").replace("%1", when(item.created_at))
        self.meta.setText(" · ".join(b for b in (item.container, item.author, started) if b))
        flagged = (
            _tr("Flagged %1 · %2")
            .replace("%1", when(item.flagged_at) if item.flagged_at else "—")
            .replace("%2", reason_label(item.flag_reason))
        )
        self.flag_box.setText(flagged + (f"\n{item.flag_note}" if item.flag_note else ""))
        self.flag_box.setVisible(True)
        self._show_banner(item)
        decision = item.decision
        if decision is None:
            self.decision_label.setText(_tr("No decision yet"))
        else:
            self.decision_label.setText(
                _tr("%1 by %2, %3")
                .replace("%1", decision_label(decision.decision))
                .replace("%2", decision.reviewer)
                .replace("%3", when(decision.decided_at))
            )
        for button in (*self.decide_buttons.values(), self.annotate_button):
            button.setEnabled(True)
        for choice, button in self.decide_buttons.items():
            button.setChecked(decision is not None and decision.decision is choice)
        self._render()

    def _show_banner(self, item: ReviewItem) -> None:
        dark = theme.colours().dark
        if item.upstream_deleted_at is not None or item.copy_state is CopyState.GONE:
            text = _tr(
                "Deleted on the platform (noticed %1). This is the copy kept when it was flagged."
            ).replace("%1", when(item.upstream_deleted_at) if item.upstream_deleted_at else "—")
            colours = ("#4C1D1D", "#FECACA") if dark else ("#FEE2E2", "#991B1B")
        elif item.copy_state is CopyState.PENDING:
            text = _tr(
                "Complete copy pending: it is fetched at the next sync. Shown is what the "
                "console has so far."
            )
            colours = ("#4A3A12", "#FDE68A") if dark else ("#FEF3C7", "#92400E")
        elif item.imported:
            text = _tr("From a review packet: a read-only copy, never synced.")
            colours = ("#1E2A5A", "#C7D2FE") if dark else ("#E0E7FF", "#3730A3")
        else:
            text = _tr("Complete copy kept %1: readable offline, whatever the platform does.")
            text = text.replace("%1", when(item.copied_at) if item.copied_at else "")
            colours = ("#14432F", "#A7F3D0") if dark else ("#DCFCE7", "#166534")
        self.banner.setText(text)
        self.banner.setStyleSheet(f"background: {colours[0]}; color: {colours[1]};")
        self.banner.setVisible(True)

    def _render(self) -> None:
        if self.detail is None:
            return
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(render_review(self.detail, self.current_post))
        self.browser.verticalScrollBar().setValue(scroll)

    def step_post(self, step: int) -> None:
        if self.detail is None or not self.detail.posts:
            return
        self.current_post = max(0, min(len(self.detail.posts) - 1, self.current_post + step))
        self._render()
        self.browser.scrollToAnchor(f"post-{self.current_post}")

    # --- actions -------------------------------------------------------------------------------

    def _write(
        self,
        label: str,
        work: Callable[[], object],
        thread_id: int | None,
        done_text: str | None = None,
    ) -> None:
        def task(_state: TaskState) -> object:
            return work()

        def done(_result: object) -> None:
            if thread_id is not None:
                self.load_detail(thread_id)
            self.reload()
            if done_text:
                self.message.emit(done_text)

        self.tasks.run(task, done, self._on_failed, writer=True, label=label)

    def _on_decide_clicked(self, decision: Decision) -> None:
        # A click toggles the button; its state follows the recorded decision, not the click.
        current = self.detail.item.decision if self.detail else None
        for choice, button in self.decide_buttons.items():
            button.setChecked(current is not None and current.decision is choice)
        self.decide(decision)

    def annotate(self, post_index: int | None = None) -> None:
        """Annotate the current post (or the one at ``post_index``)."""
        detail = self.detail
        if detail is None or not detail.posts:
            return
        if post_index is not None:
            self.current_post = max(0, min(len(detail.posts) - 1, post_index))
            self._render()
        post = detail.posts[self.current_post].post
        subject = (
            _tr("Annotation on post #%1 by %2")
            .replace("%1", str(self.current_post + 1))
            .replace("%2", post.author)
        )
        dialog = AnnotationDialog(subject, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.value():
            return
        text, thread_id, remote_id = dialog.value(), detail.item.thread_id, post.remote_id
        review = self.review
        self._write("annotate", lambda: review.annotate(thread_id, text, remote_id), thread_id)

    def remove_annotation(self, uid: str) -> None:
        if self.detail is None:
            return
        review, thread_id = self.review, self.detail.item.thread_id
        self._write("remove annotation", lambda: review.remove_annotation(uid), thread_id)

    def decide(self, preset: Decision | None = None) -> None:
        """Record a decision on the selected conversations (or the one shown)."""
        detail = self.detail
        ids = self.table.selected_ids() or ([detail.item.thread_id] if detail else [])
        if not ids or detail is None:
            return
        title = detail.item.title if len(ids) == 1 else _tr("%n conversation(s)", None, len(ids))
        current = detail.item.decision.decision if detail.item.decision else None
        dialog = DecisionDialog(title, preset or current, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.value()
        review = self.review
        self._write(
            "decide",
            lambda: review.decide(ids, choice.decision, choice.note),
            detail.item.thread_id,
            _tr("%1 recorded on %n conversation(s)", None, len(ids)).replace(
                "%1", decision_label(choice.decision)
            ),
        )

    def export(self) -> None:
        """Export the selection or the whole list, as the dialog says (x)."""
        selected = self.table.selected_ids()
        shown = self.model.ids()
        if not shown:
            self.message.emit(_tr("Nothing to export: the list is empty"))
            return
        folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        language = "nl" if QLocale().name().startswith("nl") else "en"
        dialog = ExportDialog(len(selected), len(shown), folder, language, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.value()
        ids = selected if choice.selected_only and selected else shown
        review = self.review
        zone = datetime.now().astimezone().tzinfo

        def work(_state: TaskState) -> object:
            pdf = render_pdf if choice.format is ExportFormat.PDF else None
            return review.export(
                ids, choice.format, choice.path, choice.options, pdf=pdf, zone=zone
            )

        def done(summary: Any) -> None:
            self.message.emit(
                _tr("Exported %n conversation(s) to %1", None, summary.threads).replace(
                    "%1", str(summary.path)
                )
            )
            self.exported.emit(summary)

        self.message.emit(_tr("Exporting…"))
        self.tasks.run(work, done, self._on_failed, label="export")

    def import_packet(self, path: str | None = None) -> None:
        """Import a review packet (asks for the file when none is given)."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _tr("Import a review packet"), str(Path.home()), "*.json"
            )
            if not path:
                return
        review = self.review

        def work(_state: TaskState) -> Any:
            return review.import_packet(path)

        def done(result: Any) -> None:
            self.message.emit(
                _tr("Imported %n conversation(s) with their annotations", None, result.threads)
            )
            if result.thread_ids:
                self._wanted = min(result.thread_ids)
            self.reload()
            self.changed.emit(
                ChangeSet(frozenset(result.thread_ids), queue=True, accounts=bool(result.accounts))
            )

        self.tasks.run(work, done, self._on_failed, writer=True, label="import packet")

    def _on_browser_action(self, action: str, argument: str) -> None:
        if action == "annotate" and argument.isdigit():
            self.annotate(int(argument))
        elif action == "remove":
            self.remove_annotation(argument)

    def _on_failed(self, exc: Exception) -> None:
        self.message.emit(str(exc))
