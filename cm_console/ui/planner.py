"""The planner page: a calendar of conversation starters with their response plans.

A starter (a post or a poll) is scheduled through :class:`PlannerService`, which queues it in the
outbox for its time; the console's own sync — or ``cm-console sync`` — sends it once that time has
come. The page also asks the console to send when the next starter falls due, shows how sent
starters did (replies, people, time to first reply), and suggests a time from the community's
activity heatmap. Every service call runs in the task runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.model import utc
from cm_console.domain.planning import (
    Starter,
    StarterKind,
    StarterPlan,
    StarterStatus,
)
from cm_console.domain.views import SavedReply
from cm_console.services.planner import PlanInvalid, PlannerService, PlanTarget
from cm_console.ui import icons, theme
from cm_console.ui.dashboard import card_style, hours
from cm_console.ui.format import when
from cm_console.ui.planner_editor import StarterEditor, problem_text, status_label
from cm_console.ui.tasks import TaskRunner, TaskState

Index = QModelIndex | QPersistentModelIndex
MAX_TIMER_MS = 6 * 3600 * 1000
"""The due-timer re-arms at least this often (the window's periodic sync covers the rest)."""


def primary_button_style() -> str:
    c = theme.colours()
    return (
        f"QPushButton#primary {{ background: {c.accent.name()}; color: white; border: none;"
        " border-radius: 4px; padding: 5px 16px; font-weight: 600; }"
        f"QPushButton#primary:disabled {{ background: {c.muted.name()}; }}"
    )


def stat_style() -> str:
    c = theme.colours()
    background = "#22262D" if c.dark else "#F5F6FA"
    return (
        f"QFrame#stat {{ background: {background}; border: none; border-radius: 6px; }}"
        "QLabel#statValue { font-size: 14pt; font-weight: 600; }"
    )


class PlannerModel(QAbstractTableModel):
    """Starters, earliest first."""

    StarterRole = Qt.ItemDataRole.UserRole + 1
    COLUMNS = 9

    @staticmethod
    def headers() -> tuple[str, ...]:
        return (
            QCoreApplication.translate("PlannerModel", "When"),
            QCoreApplication.translate("PlannerModel", "Community"),
            QCoreApplication.translate("PlannerModel", "Type"),
            QCoreApplication.translate("PlannerModel", "Title"),
            QCoreApplication.translate("PlannerModel", "Status"),
            QCoreApplication.translate("PlannerModel", "On duty"),
            QCoreApplication.translate("PlannerModel", "Replies"),
            QCoreApplication.translate("PlannerModel", "People"),
            QCoreApplication.translate("PlannerModel", "First reply"),
        )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Starter] = []

    def set_rows(self, rows: Sequence[Starter]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, starter_id: int) -> int | None:
        return next((i for i, s in enumerate(self.rows) if s.id == starter_id), None)

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
        return None

    def _text(self, s: Starter, column: int) -> str:
        o = s.outcome
        if column == 0:
            return when(s.scheduled_at)
        if column == 1:
            return s.container
        if column == 2:
            return (
                QCoreApplication.translate("Planner", "Poll")
                if s.kind is StarterKind.POLL
                else QCoreApplication.translate("Planner", "Post")
            )
        if column == 3:
            return s.title or (s.text.splitlines() or [""])[0]
        if column == 4:
            return status_label(s.status)
        if column == 5:
            return ", ".join(m.name for m in s.on_duty)
        if o is None:
            return ""
        if column == 6:
            return str(o.replies)
        if column == 7:
            return str(o.responders)
        return hours(o.first_reply_hours) if o.first_reply_at else "–"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        starter = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(starter, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            c = theme.colours()
            colour = {
                StarterStatus.SENT: c.ok,
                StarterStatus.PROBLEM: c.danger,
                StarterStatus.CANCELLED: c.muted,
            }.get(starter.status)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.StarterRole:
            return starter
        return None


@dataclass
class _Form:
    """What the editor shows about the targets (accounts with communities)."""

    targets: list[PlanTarget]
    replies: list[SavedReply]


class StarterDetails(QWidget):
    """The selected starter: its plan, and once sent how it did (replies, people, first reply)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("", self)
        self.heading.setObjectName("cardTitle")
        self.heading.setWordWrap(True)
        self.meta = QLabel("", self)
        self.meta.setObjectName("cardMuted")
        self.meta.setWordWrap(True)
        self.stats = QWidget(self)
        stats = QHBoxLayout(self.stats)
        stats.setContentsMargins(0, 4, 0, 4)
        self.replies = self._stat(self.tr("Replies"))
        self.people = self._stat(self.tr("People"))
        self.first = self._stat(self.tr("First reply"))
        for box in (self.replies, self.people, self.first):
            stats.addWidget(box[0])
        self.plan = QLabel("", self)
        self.plan.setWordWrap(True)
        self.plan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.meta)
        layout.addWidget(self.stats)
        layout.addWidget(self.plan, 1)
        self.show_nothing()

    def _stat(self, caption: str) -> tuple[QFrame, QLabel]:
        box = QFrame(self)
        box.setObjectName("stat")
        value = QLabel("–", box)
        value.setObjectName("statValue")
        label = QLabel(caption, box)
        label.setObjectName("cardMuted")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(8, 4, 8, 4)
        inner.setSpacing(0)
        inner.addWidget(value)
        inner.addWidget(label)
        return box, value

    def show_nothing(self) -> None:
        self.heading.setText("")
        self.meta.setText(self.tr("Pick a starter to see its plan and how it did."))
        self.stats.hide()
        self.plan.setText("")

    def show_starter(self, starter: Starter, plan_text: str) -> None:
        self.heading.setText(starter.title or (starter.text.splitlines() or [""])[0])
        self.meta.setText(
            f"{starter.container} · {when(starter.scheduled_at)} · {status_label(starter.status)}"
        )
        outcome = starter.outcome
        self.stats.setVisible(outcome is not None)
        if outcome is not None:
            self.replies[1].setText(str(outcome.replies))
            self.people[1].setText(str(outcome.responders))
            self.first[1].setText(
                hours(outcome.first_reply_hours) if outcome.first_reply_at else "–"
            )
        self.plan.setText(plan_text)


class PlannerPage(QWidget):
    """Calendar, list and editor of conversation starters.

    Signals:
        loaded(): the list of starters was (re)loaded.
        scheduled(object): a starter was scheduled or changed.
    """

    loaded = Signal()
    scheduled = Signal(object)

    def __init__(
        self,
        planner: PlannerService,
        tasks: TaskRunner,
        send_now: Callable[[int], None],
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planner")
        self._planner = planner
        self._tasks = tasks
        self._send_now = send_now
        self._clock = clock
        self._started = False
        self._due_timer = QTimer(self)
        self._due_timer.setSingleShot(True)
        self._due_timer.timeout.connect(self._on_due)
        self._due_account: int | None = None
        self._build()

    def _build(self) -> None:
        title = QLabel(self.tr("Planner"), self)
        title.setObjectName("pageTitle")
        self.subtitle = QLabel(self.tr("Conversation starters and who answers them"), self)
        self.subtitle.setObjectName("pageSubtitle")
        self.new_button = QPushButton(icons.icon("add", theme.colours().icon), "", self)
        self.new_button.setText(self.tr("New starter"))
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignVCenter)

        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setMinimumHeight(240)
        weekend = QTextCharFormat()
        weekend.setForeground(QBrush(theme.colours().muted))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(day, weekend)
        self.details = StarterDetails(self)
        left = QFrame(self)
        left.setObjectName("card")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 10, 12, 10)
        calendar_title = QLabel(self.tr("Calendar"), left)
        calendar_title.setObjectName("cardTitle")
        details_title = QLabel(self.tr("Selected starter"), left)
        details_title.setObjectName("cardTitle")
        left_layout.addWidget(calendar_title)
        left_layout.addWidget(self.calendar)
        left_layout.addSpacing(6)
        left_layout.addWidget(details_title)
        left_layout.addWidget(self.details, 1)
        left.setMinimumWidth(300)
        left.setMaximumWidth(380)

        self.model = PlannerModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("starters")
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Conversation starters"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 140), (5, 150)):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.empty = QLabel(
            self.tr(
                "No conversation starters yet. Plan one below: a question or a poll that "
                "invites replies, with someone on duty to answer."
            ),
            self,
        )
        self.empty.setObjectName("cardMuted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        table_card = QFrame(self)
        table_card.setObjectName("card")
        table_layout = QVBoxLayout(table_card)
        table_layout.setContentsMargins(12, 10, 12, 10)
        starters_title = QLabel(self.tr("Starters"), table_card)
        starters_title.setObjectName("cardTitle")
        table_layout.addWidget(starters_title)
        table_layout.addWidget(self.empty, 1)
        table_layout.addWidget(self.table, 1)

        self.editor = StarterEditor(self)
        editor_scroll = QScrollArea(self)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setWidget(self.editor)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(table_card)
        right.addWidget(editor_scroll)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        right.setChildrenCollapsible(False)
        right.setHandleWidth(10)
        self.splitter = right

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(left)
        body.addWidget(right, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(12)
        outer.addLayout(header)
        outer.addLayout(body, 1)
        self.setStyleSheet(
            card_style()
            + "QWidget#planner, QScrollArea { background: transparent; }"
            + "QSplitter::handle { background: transparent; }"
            + primary_button_style()
            + stat_style()
        )

        self.new_button.clicked.connect(self._on_new)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.calendar.clicked.connect(self._on_date_clicked)
        self.editor.submitted.connect(self._on_submitted)
        self.editor.cancel_requested.connect(self._on_cancel)
        self.editor.suggest_requested.connect(self._on_suggest)
        self.editor.account_changed.connect(self._load_people)

    # --- loading -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self.start()

    def start(self) -> None:
        """Load the accounts, saved replies and starters (in the background)."""
        if self._started:
            return
        self._started = True
        planner = self._planner
        self.editor.clear(self._default_time())
        today = utc(self._clock()).astimezone()
        self.calendar.setSelectedDate(QDate(today.year, today.month, today.day))

        def work(_state: TaskState) -> _Form:
            return _Form(planner.targets(), planner.saved_replies())

        self._tasks.run(work, self._on_form, self._on_error, label="planner")
        self.reload()

    def _default_time(self) -> datetime:
        day = utc(self._clock()).astimezone() + timedelta(days=1)
        while day.weekday() >= 5:  # the next working day
            day += timedelta(days=1)
        return day.replace(hour=10, minute=0, second=0, microsecond=0)

    def reload(self) -> None:
        planner = self._planner
        self._tasks.run(
            lambda _s: planner.starters(), self._on_starters, self._on_error, label="planner"
        )

    def _on_form(self, form: _Form) -> None:
        self.editor.set_form(form.targets, form.replies)

    def _load_people(self, account_id: int) -> None:
        planner = self._planner
        self._tasks.run(
            lambda _s: planner.people_on_duty(account_id),
            self.editor.set_people,
            self._on_error,
            label="planner",
        )

    def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, PlanInvalid):
            self.editor.show_error(" ".join(problem_text(p) for p in exc.problems))
        else:
            self.editor.show_error(str(exc))

    def _on_starters(self, starters: list[Starter]) -> None:
        selected = self.selected()
        self.model.set_rows(starters)
        self.empty.setVisible(not starters)
        self.table.setVisible(bool(starters))
        self._mark_calendar(starters)
        scheduled = [s for s in starters if s.status is StarterStatus.SCHEDULED]
        sent = [s for s in starters if s.status is StarterStatus.SENT]
        self.subtitle.setText(
            self.tr("%1 scheduled · %2 sent · sent at their time by the outbox")
            .replace("%1", str(len(scheduled)))
            .replace("%2", str(len(sent)))
        )
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row is not None:
                self.table.selectRow(row)
        self._arm_due_timer(scheduled)
        self.loaded.emit()

    def _mark_calendar(self, starters: list[Starter]) -> None:
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        fmt = QTextCharFormat()
        fmt.setFontWeight(700)
        fmt.setForeground(QBrush(theme.colours().accent))
        for starter in starters:
            if starter.status is StarterStatus.CANCELLED:
                continue
            local = starter.scheduled_at.astimezone()
            self.calendar.setDateTextFormat(QDate(local.year, local.month, local.day), fmt)

    def _arm_due_timer(self, scheduled: list[Starter]) -> None:
        """Ask the console to send when the next starter falls due (the periodic sync would
        too, a few minutes later)."""
        self._due_timer.stop()
        now = utc(self._clock())
        upcoming = [s for s in scheduled if s.scheduled_at > now]
        if not upcoming:
            return
        first = min(upcoming, key=lambda s: s.scheduled_at)
        delay = int((first.scheduled_at - now).total_seconds() * 1000) + 1000
        self._due_account = first.account_id
        self._due_timer.start(min(delay, MAX_TIMER_MS))

    def _on_due(self) -> None:
        if self._due_account is not None and utc(self._clock()) >= min(
            (s.scheduled_at for s in self.model.rows if s.status is StarterStatus.SCHEDULED),
            default=utc(self._clock()),
        ):
            self._send_now(self._due_account)
            QTimer.singleShot(5000, self.reload)
        else:
            self.reload()

    # --- selection -----------------------------------------------------------------------------

    def selected(self) -> Starter | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        starter = index.data(PlannerModel.StarterRole)
        return starter if isinstance(starter, Starter) else None

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        starter = current.data(PlannerModel.StarterRole) if current.isValid() else None
        if not isinstance(starter, Starter):
            return
        self.editor.edit(starter)
        self.details.show_starter(starter, self.describe(starter))
        local = starter.scheduled_at.astimezone()
        self.calendar.setSelectedDate(QDate(local.year, local.month, local.day))

    def describe(self, starter: Starter) -> str:
        """The response plan and where the post went, in words."""
        lines = []
        if starter.on_duty:
            lines.append(
                self.tr("On duty: %1").replace("%1", ", ".join(m.name for m in starter.on_duty))
            )
        if starter.saved_reply_ids:
            lines.append(
                self.tr("%n saved reply(ies) prepared", None, len(starter.saved_reply_ids))
            )
        if starter.notes:
            lines.append(self.tr("Notes: %1").replace("%1", starter.notes))
        outcome = starter.outcome
        if outcome is not None:
            if outcome.first_reply_at is None:
                lines.append(self.tr("No reply yet"))
            else:
                lines.append(
                    self.tr("First reply after %1 of business hours").replace(
                        "%1", hours(outcome.first_reply_hours)
                    )
                )
            lines.append(self.tr("Thread: %1").replace("%1", outcome.thread_key))
            if outcome.url:
                lines.append(outcome.url)
        elif starter.error:
            lines.append(starter.error)
        return "\n".join(lines)

    def _on_date_clicked(self, day: QDate) -> None:
        for row, starter in enumerate(self.model.rows):
            local = starter.scheduled_at.astimezone()
            if (local.year, local.month, local.day) == (day.year(), day.month(), day.day()):
                self.table.selectRow(row)
                return
        if self.editor.editing is None:
            current = self.editor.when_edit.dateTime()
            self.editor.when_edit.setDateTime(QDateTime(day, current.time()))

    def _on_new(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        self.editor.clear(self._default_time())
        self.details.show_nothing()
        self.editor.text_edit.setFocus()

    # --- actions -------------------------------------------------------------------------------

    def _on_submitted(self, plan: StarterPlan) -> None:
        planner = self._planner
        editing = self.editor.editing

        def work(_state: TaskState) -> Starter:
            if editing is not None:
                return planner.update(editing.id, plan)
            return planner.schedule(plan)

        def done(starter: Starter) -> None:
            self.editor.clear(self._default_time())
            self.editor.show_info(
                self.tr("Scheduled for %1. The outbox sends it at that time.").replace(
                    "%1", when(starter.scheduled_at)
                )
            )
            self.scheduled.emit(starter)
            self.reload()

        self._tasks.run(work, done, self._on_error, writer=True, label="planner")

    def _on_cancel(self, starter_id: int) -> None:
        planner = self._planner

        def done(_starter: Starter) -> None:
            self.editor.clear(self._default_time())
            self.editor.show_info(self.tr("The starter was cancelled."))
            self.reload()

        self._tasks.run(
            lambda _s: planner.cancel(starter_id), done, self._on_error, writer=True, label="plan"
        )

    def _on_suggest(self, account_id: int, container_id: object) -> None:
        planner = self._planner
        container = container_id if isinstance(container_id, int) else None
        self._tasks.run(
            lambda _s: planner.suggest(account_id, container),
            self.editor.show_suggestion,
            self._on_error,
            label="planner",
        )
