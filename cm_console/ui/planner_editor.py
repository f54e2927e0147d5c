"""The planner's form: a conversation starter (post or poll), its time and its response plan.

Also the words the planner uses for a starter's status and for what is wrong with a plan.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.planning import (
    DutyMember,
    PlanProblem,
    Starter,
    StarterKind,
    StarterPlan,
    StarterStatus,
)
from cm_console.domain.views import SavedReply
from cm_console.services.planner import PlanTarget, Suggestion
from cm_console.ui import theme
from cm_console.ui.format import from_qdatetime, to_qdatetime


def status_label(status: StarterStatus) -> str:
    return {
        StarterStatus.SCHEDULED: QCoreApplication.translate("Planner", "Scheduled"),
        StarterStatus.SENDING: QCoreApplication.translate("Planner", "Sending…"),
        StarterStatus.SENT: QCoreApplication.translate("Planner", "Sent"),
        StarterStatus.PROBLEM: QCoreApplication.translate("Planner", "Needs attention"),
        StarterStatus.CANCELLED: QCoreApplication.translate("Planner", "Cancelled"),
    }[status]


def problem_text(problem: PlanProblem) -> str:
    return {
        PlanProblem.EMPTY_TEXT: QCoreApplication.translate(
            "Planner", "Write the post (or the poll's question) first."
        ),
        PlanProblem.TITLE_TOO_LONG: QCoreApplication.translate("Planner", "The title is too long."),
        PlanProblem.TOO_FEW_OPTIONS: QCoreApplication.translate(
            "Planner", "A poll needs at least two options."
        ),
        PlanProblem.TOO_MANY_OPTIONS: QCoreApplication.translate(
            "Planner", "A poll can have at most ten options."
        ),
        PlanProblem.DUPLICATE_OPTIONS: QCoreApplication.translate(
            "Planner", "Two poll options are the same."
        ),
    }[problem]


class StarterEditor(QFrame):
    """The form for a new starter, or a scheduled one being changed.

    Signals:
        submitted(object): a :class:`StarterPlan` to schedule (or save, in edit mode).
        cancel_requested(int): the starter to cancel.
        suggest_requested(int, object): account id and container id (or None).
        account_changed(int): another account was chosen (its people are needed).
    """

    submitted = Signal(object)
    cancel_requested = Signal(int)
    suggest_requested = Signal(int, object)
    account_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.editing: Starter | None = None
        self._targets: list[PlanTarget] = []
        self._duty: dict[str, DutyMember] = {}
        self.heading = QLabel(self.tr("New conversation starter"), self)
        self.heading.setObjectName("cardTitle")
        self.account_box = QComboBox(self)
        self.account_box.setAccessibleName(self.tr("Account"))
        self.community_box = QComboBox(self)
        self.community_box.setAccessibleName(self.tr("Community"))
        self.community_box.setMinimumWidth(180)
        self.kind_box = QComboBox(self)
        self.kind_box.addItem(self.tr("Post"), StarterKind.POST.value)
        self.kind_box.addItem(self.tr("Poll"), StarterKind.POLL.value)
        self.kind_box.setAccessibleName(self.tr("Type"))
        self.when_edit = QDateTimeEdit(self)
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when_edit.setAccessibleName(self.tr("When"))
        self.suggest_button = QPushButton(self.tr("Suggest a time"), self)
        self.suggest_button.setToolTip(
            self.tr("The next busiest hour of the community's last eight weeks")
        )
        self.suggestion = QLabel("", self)
        self.suggestion.setObjectName("cardMuted")
        self.suggestion.setWordWrap(True)
        self.suggestion.hide()
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("Title (forums); optional on chat platforms"))
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(self.tr("The post — or the poll's question"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(64)
        self.text_edit.setMaximumHeight(120)
        self.options_edit = QPlainTextEdit(self)
        self.options_edit.setPlaceholderText(self.tr("One option per line"))
        self.options_edit.setTabChangesFocus(True)
        self.options_edit.setMinimumHeight(64)
        self.options_edit.setMaximumHeight(110)
        self.poll_note = QLabel("", self)
        self.poll_note.setObjectName("cardMuted")
        self.poll_note.setWordWrap(True)
        self.duty_edit = QLineEdit(self)
        self.duty_edit.setPlaceholderText(self.tr("Who answers: console users or colleagues"))
        self.duty_model = QStringListModel(self)
        completer = QCompleter(self.duty_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.duty_edit.setCompleter(completer)
        self.replies_model = QStandardItemModel(self)
        self.replies_view = QListView(self)
        self.replies_view.setModel(self.replies_model)
        self.replies_view.setAccessibleName(self.tr("Prepared saved replies"))
        self.replies_view.setMaximumHeight(84)
        # Drawn from the palette: the default check indicator vanishes on the dark palette.
        self.replies_view.setStyleSheet(
            "QListView::indicator { width: 12px; height: 12px; border-radius: 3px;"
            " border: 1px solid palette(mid); background: palette(base); }"
            "QListView::indicator:checked { background: palette(highlight);"
            " border-color: palette(highlight); }"
        )
        self.notes_edit = QLineEdit(self)
        self.notes_edit.setPlaceholderText(self.tr("Expected questions, hints for those on duty"))
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.schedule_button = QPushButton(self.tr("Schedule"), self)
        self.schedule_button.setDefault(True)
        self.schedule_button.setObjectName("primary")
        self.cancel_button = QPushButton(self.tr("Cancel starter"), self)
        self.new_button = QPushButton(self.tr("Clear"), self)

        top = QHBoxLayout()
        top.addWidget(self.account_box)
        top.addWidget(self.community_box, 1)
        top.addWidget(self.kind_box)
        timing = QHBoxLayout()
        timing.addWidget(self.when_edit, 1)
        timing.addWidget(self.suggest_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Where"), top)
        form.addRow(self.tr("When"), timing)
        form.addRow("", self.suggestion)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Text"), self.text_edit)
        self.options_label = QLabel(self.tr("Options"), self)
        form.addRow(self.options_label, self.options_edit)
        form.addRow("", self.poll_note)
        form.addRow(self.tr("On duty"), self.duty_edit)
        form.addRow(self.tr("Saved replies"), self.replies_view)
        form.addRow(self.tr("Notes"), self.notes_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.schedule_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addLayout(buttons)

        self.account_box.currentIndexChanged.connect(self._on_account_changed)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._update_kind())
        self.schedule_button.clicked.connect(self._on_schedule)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.new_button.clicked.connect(lambda _checked=False: self.clear())
        self.suggest_button.clicked.connect(self._on_suggest)
        self._update_kind()
        self.cancel_button.hide()

    # --- filling --------------------------------------------------------------------------------

    def set_form(self, targets: list[PlanTarget], replies: list[SavedReply]) -> None:
        self._targets = targets
        self.account_box.blockSignals(True)
        self.account_box.clear()
        for target in targets:
            self.account_box.addItem(target.account.name, target.account.id)
        self.account_box.blockSignals(False)
        self.replies_model.clear()
        for reply in replies:
            item = QStandardItem(f"{reply.name} ({reply.language})")
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(reply.id, Qt.ItemDataRole.UserRole)
            self.replies_model.appendRow(item)
        enabled = bool(targets)
        for widget in (self.schedule_button, self.suggest_button, self.text_edit):
            widget.setEnabled(enabled)
        if not enabled:
            self.message.setText(
                self.tr("None of your accounts' platforms lets the console start conversations.")
            )
        self._on_account_changed(self.account_box.currentIndex())
        self._set_editable(self.editing is None or self.editing.status is StarterStatus.SCHEDULED)

    def set_people(self, people: list[DutyMember]) -> None:
        self._duty = {m.name.casefold(): m for m in people}
        self.duty_model.setStringList([m.name for m in people])

    def target(self) -> PlanTarget | None:
        account_id = self.account_box.currentData()
        return next((t for t in self._targets if t.account.id == account_id), None)

    def _on_account_changed(self, _index: int) -> None:
        target = self.target()
        self.community_box.clear()
        if target is None:
            return
        for container in target.containers:
            self.community_box.addItem(container.name, container.id)
        self._update_kind()
        self.account_changed.emit(target.account.id)

    def _update_kind(self) -> None:
        poll = self.kind_box.currentData() == StarterKind.POLL.value
        self.options_edit.setVisible(poll)
        self.options_label.setVisible(poll)
        self.poll_note.setVisible(poll)
        target = self.target()
        if target is not None and target.native_polls:
            note = self.tr("Sent as a %1 poll.").replace("%1", target.platform_name)
        else:
            note = self.tr(
                "This platform has no polls: the options are numbered and people vote by "
                "reacting with the number."
            )
        self.poll_note.setText(note)

    def clear(self, at: datetime | None = None) -> None:
        """A blank form for a new starter (at ``at``, or tomorrow 10:00)."""
        self.editing = None
        self.heading.setText(self.tr("New conversation starter"))
        self.schedule_button.setText(self.tr("Schedule"))
        self.cancel_button.hide()
        for edit in (self.title_edit, self.duty_edit, self.notes_edit):
            edit.clear()
        self.text_edit.clear()
        self.options_edit.clear()
        self.suggestion.clear()
        self.suggestion.hide()
        self.message.clear()
        self.kind_box.setCurrentIndex(0)
        for row in range(self.replies_model.rowCount()):
            item = self.replies_model.item(row)
            if item is not None:
                item.setCheckState(Qt.CheckState.Unchecked)
        if at is not None:
            self.set_when(at)
        self._set_editable(True)

    def set_when(self, at: datetime) -> None:
        self.when_edit.setDateTime(to_qdatetime(at).toLocalTime())

    def edit(self, starter: Starter) -> None:
        """Show a starter: editable while scheduled, read-only once it left."""
        self.editing = starter
        scheduled = starter.status is StarterStatus.SCHEDULED
        self.heading.setText(self.tr("Scheduled starter") if scheduled else self.tr("Starter (%1)"))
        if not scheduled:
            self.heading.setText(self.heading.text().replace("%1", status_label(starter.status)))
        index = self.account_box.findData(starter.account_id)
        if index >= 0:
            self.account_box.setCurrentIndex(index)
        index = self.community_box.findData(starter.container_id)
        if index >= 0:
            self.community_box.setCurrentIndex(index)
        self.kind_box.setCurrentIndex(1 if starter.kind is StarterKind.POLL else 0)
        self.set_when(starter.scheduled_at)
        self.title_edit.setText(starter.title)
        self.text_edit.setPlainText(starter.text)
        self.options_edit.setPlainText("\n".join(starter.poll_options))
        self.duty_edit.setText(", ".join(m.name for m in starter.on_duty))
        self.notes_edit.setText(starter.notes)
        chosen = set(starter.saved_reply_ids)
        for row in range(self.replies_model.rowCount()):
            item = self.replies_model.item(row)
            if item is not None:
                on = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.schedule_button.setText(self.tr("Save changes"))
        self.cancel_button.setVisible(scheduled)
        self.message.clear()
        self._set_editable(scheduled)

    def _set_editable(self, on: bool) -> None:
        for widget in (
            self.account_box,
            self.community_box,
            self.kind_box,
            self.when_edit,
            self.suggest_button,
            self.title_edit,
            self.text_edit,
            self.options_edit,
            self.duty_edit,
            self.notes_edit,
            self.replies_view,
            self.schedule_button,
        ):
            widget.setEnabled(on and bool(self._targets))

    # --- reading --------------------------------------------------------------------------------

    def duty(self) -> tuple[DutyMember, ...]:
        names = [n.strip() for n in self.duty_edit.text().split(",") if n.strip()]
        out = []
        for name in names:
            member = self._duty.get(name.casefold())
            out.append(member if member is not None else DutyMember(name))
        return tuple(out)

    def plan(self) -> StarterPlan | None:
        target = self.target()
        container = self.community_box.currentData()
        if target is None or not isinstance(container, int):
            return None
        poll = self.kind_box.currentData() == StarterKind.POLL.value
        replies = []
        for row in range(self.replies_model.rowCount()):
            item = self.replies_model.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                replies.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return StarterPlan(
            account_id=target.account.id,
            container_id=container,
            kind=StarterKind.POLL if poll else StarterKind.POST,
            title=self.title_edit.text(),
            text=self.text_edit.toPlainText(),
            scheduled_at=from_qdatetime(self.when_edit.dateTime()),
            poll_options=tuple(self.options_edit.toPlainText().splitlines()) if poll else (),
            on_duty=self.duty(),
            saved_reply_ids=tuple(replies),
            notes=self.notes_edit.text(),
        )

    def _on_schedule(self) -> None:
        plan = self.plan()
        if plan is not None:
            self.submitted.emit(plan)

    def _on_cancel(self) -> None:
        if self.editing is not None:
            self.cancel_requested.emit(self.editing.id)

    def _on_suggest(self) -> None:
        target = self.target()
        if target is not None:
            self.suggest_requested.emit(target.account.id, self.community_box.currentData())

    def show_suggestion(self, suggestion: Suggestion) -> None:
        self.suggestion.show()
        if suggestion.at is None:
            self.suggestion.setText(self.tr("No activity in the last weeks to suggest a time."))
            return
        self.set_when(suggestion.at)
        days = [
            self.tr("Monday"),
            self.tr("Tuesday"),
            self.tr("Wednesday"),
            self.tr("Thursday"),
            self.tr("Friday"),
            self.tr("Saturday"),
            self.tr("Sunday"),
        ]
        slots = ", ".join(
            self.tr("%1 %2:00 (%3 posts)")
            .replace("%1", days[d])
            .replace("%2", f"{h:02d}")
            .replace("%3", str(n))
            for d, h, n in suggestion.busiest
        )
        where = self.tr("this community") if suggestion.community_only else self.tr("this account")
        self.suggestion.setText(
            self.tr("Busiest hours in %1: %2").replace("%1", where).replace("%2", slots)
        )

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {theme.colours().danger.name()};")
        self.message.setText(text)

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {theme.colours().ok.name()};")
        self.message.setText(text)
