"""Triage actions from the window: ask what is needed, run the service off the GUI thread, and
report what changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QDialog, QWidget

from cm_console.connectors.base import Capability
from cm_console.domain.model import Person
from cm_console.domain.rules import TriageStatus
from cm_console.services.prompting import ExpertSuggestion
from cm_console.services.triage import ActionResult, ChangeSet, ThreadDetail
from cm_console.ui.context import UiServices
from cm_console.ui.dialogs import (
    AssignDialog,
    FlagDialog,
    PeoplePicker,
    PromptDialog,
    SnoozeDialog,
    TagDialog,
)
from cm_console.ui.format import guess_language, suggestion_text, tr
from cm_console.ui.tasks import TaskRunner, TaskState
from cm_console.ui.thread_view import confirm_link


class TriageController(QObject):
    """Carries out triage actions on the selection.

    Signals:
        changed(ChangeSet): an action finished; views refresh what it touched.
        message(str): something to tell the user in the status bar.
        sent(int): a reply or prompt was queued for this account id (send it now if online).
    """

    changed = Signal(object)
    message = Signal(str)
    sent = Signal(int)

    def __init__(
        self,
        services: UiServices,
        tasks: TaskRunner,
        selection: Callable[[], list[int]],
        detail: Callable[[], ThreadDetail | None],
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._services = services
        self._triage = services.triage
        self._tasks = tasks
        self._selection = selection
        self._detail = detail
        self._parent = parent_widget

    def _run(
        self,
        label: str,
        work: Callable[[], ActionResult | None],
        done_text: Callable[[ActionResult], str] | None = None,
    ) -> None:
        def task(_state: TaskState) -> ActionResult | None:
            return work()

        def done(result: ActionResult | None) -> None:
            if result is None:
                return
            self.changed.emit(result.changes)
            if done_text is not None:
                self.message.emit(done_text(result))
            if result.operation is not None:
                self.sent.emit(result.operation.account_id)

        self._tasks.run(
            task, done, lambda exc: self.message.emit(str(exc)), writer=True, label=label
        )

    def _ids(self) -> list[int]:
        return self._selection()

    # --- actions -------------------------------------------------------------------------------

    def done(self) -> None:
        ids = self._ids()
        if ids:
            self._run(
                "done",
                lambda: self._triage.done(ids),
                lambda r: tr("%n conversation(s) done", None, r.count),
            )

    def reopen(self) -> None:
        ids = self._ids()
        if ids:
            self._run(
                "reopen",
                lambda: self._triage.reopen(ids),
                lambda r: tr("%n conversation(s) back in the queue", None, r.count),
            )

    def snooze(self) -> None:
        ids = self._ids()
        if not ids:
            return
        dialog = SnoozeDialog(self._services.clock(), self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        self._run(
            "snooze",
            lambda: self._triage.snooze(ids, until=choice.until, until_reply=choice.until_reply),
            lambda r: tr("%n conversation(s) snoozed", None, r.count),
        )

    def tag(self) -> None:
        ids = self._ids()
        if not ids:
            return
        detail = self._detail()
        current = list(detail.item.tags) if detail is not None and len(ids) == 1 else []
        can_push = detail is not None and Capability.REMOTE_TAGS in detail.capabilities
        known = [t for t, _n in self._triage.tags()]
        dialog = TagDialog(known, current, self._parent, can_push=can_push)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        tag, remove, push = dialog.value()
        if not tag:
            return
        self._run(
            "tag",
            lambda: self._triage.tag(ids, tag, remove=remove, on_platform=push),
            lambda r: tr("Tag updated on %n conversation(s)", None, r.count),
        )

    def assign(self) -> None:
        ids = self._ids()
        if not ids:
            return
        dialog = AssignDialog(self._services.settings.users(), self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        who = dialog.value()
        self._run(
            "assign",
            lambda: self._triage.assign(ids, who),
            lambda r: tr("%n conversation(s) assigned", None, r.count),
        )

    def flag(self) -> None:
        ids = self._ids()
        if not ids:
            return
        detail = self._detail()
        dialog = FlagDialog(detail.item.flag_note if detail else None, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        note = dialog.value() or None
        self._run(
            "flag",
            lambda: self._triage.flag(ids, note),
            lambda r: tr("%n conversation(s) flagged for review", None, r.count),
        )

    def prompt(self) -> None:
        """Ask a colleague: suggestions first (computed off the GUI thread), then the ask."""
        detail = self._detail()
        if detail is None:
            return
        item = detail.item
        prompting = self._services.prompting
        triage = self._triage

        def work(_state: TaskState) -> tuple[list[Person], list[ExpertSuggestion]]:
            people = [p for p in triage.people(item.account_id) if not p.is_team]
            return people, prompting.suggestions(item.id)

        self._tasks.run(
            work,
            lambda result: self._ask(detail, *result),
            lambda exc: self.message.emit(str(exc)),
            label="suggestions",
        )

    def _ask(
        self, detail: ThreadDetail, people: list[Person], suggestions: list[ExpertSuggestion]
    ) -> None:
        item = detail.item
        now = self._services.clock()
        suggested = [(s.person, suggestion_text(s.reasons, s.community, now)) for s in suggestions]
        picker = PeoplePicker(people, tr("Who could answer this?"), self._parent, suggested)
        if picker.exec() != QDialog.DialogCode.Accepted or picker.person() is None:
            return
        person = picker.person()
        assert person is not None
        dialog = PromptDialog(
            person,
            community=item.container,
            url=item.url,
            language=guess_language(item.title),
            can_mention=Capability.MENTION in detail.capabilities,
            can_dm=Capability.DM in detail.capabilities,
            parent=self._parent,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        via, text = dialog.value()
        self._run(
            "prompt",
            lambda: self._services.prompting.prompt(item.id, person.id, via=via, text=text),
            lambda _r: tr("Asked %1; the message is in the outbox").replace(
                "%1", person.display_name
            ),
        )

    def pick_mention(self) -> str | None:
        """Ask for a colleague and return the text that mentions them (``@handle``)."""
        detail = self._detail()
        if detail is None:
            return None
        people = self._triage.people(detail.item.account_id)
        picker = PeoplePicker(people, tr("Mention a colleague"), self._parent)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return None
        person = picker.person()
        return f"@{person.handle} " if person is not None else None

    def open_external(self) -> None:
        detail = self._detail()
        if detail is None or not detail.item.url:
            return
        url = QUrl(detail.item.url)
        if confirm_link(self._parent, url):
            from PySide6.QtGui import QDesktopServices  # noqa: PLC0415

            QDesktopServices.openUrl(url)

    def reply(self, thread_id: int, text: str) -> None:
        self._run(
            "reply",
            lambda: self._triage.reply(thread_id, text),
            lambda _r: tr("Reply queued; sending…"),
        )

    def save_draft(self, thread_id: int, text: str, on_saved: Callable[[], Any]) -> None:
        def work(_state: TaskState) -> None:
            self._triage.save_draft(thread_id, text)

        self._tasks.run(
            work,
            lambda _r: on_saved(),
            lambda exc: self.message.emit(str(exc)),
            writer=True,
            label="draft",
        )

    def bulk(self, ids: Sequence[int], status: TriageStatus) -> None:
        """Done or re-open a list of conversations in one go."""
        if status is TriageStatus.DONE:
            self._run("done", lambda: self._triage.done(list(ids)))
        else:
            self._run("reopen", lambda: self._triage.reopen(list(ids)))


__all__ = ["ChangeSet", "TriageController"]
