"""The planner page: schedule a starter, have it sent once at its time, see how it did."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.planning import StarterStatus
from cm_console.ui.format import to_qdatetime
from cm_console.ui.planner import PlannerPage
from cm_console.ui.tasks import TaskRunner
from tests.gui.conftest import NOW


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def page(qtbot, workspace: app_module.Workspace) -> Iterator[tuple[PlannerPage, list[int]]]:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    sent_for: list[int] = []
    planner_page = PlannerPage(workspace.planner, tasks, sent_for.append, workspace.clock)
    qtbot.addWidget(planner_page)
    planner_page.resize(1280, 800)
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.show()
    qtbot.waitUntil(lambda: planner_page.editor.community_box.count() > 0, timeout=10_000)
    yield planner_page, sent_for
    assert tasks.wait(10_000), "background tasks still running after the test"


def _fill(page: PlannerPage, community: str, at: datetime, *, poll: tuple[str, ...] = ()) -> None:
    editor = page.editor
    editor.community_box.setCurrentIndex(editor.community_box.findText(community))
    editor.kind_box.setCurrentIndex(1 if poll else 0)
    editor.title_edit.setText("Which laptop should be our next standard?")
    editor.text_edit.setPlainText("We're choosing the next standard laptop. Which would you pick?")
    editor.options_edit.setPlainText("\n".join(poll))
    editor.duty_edit.setText("Sven Jansen, anouk")
    editor.when_edit.setDateTime(to_qdatetime(at))
    item = editor.replies_model.item(0)
    assert item is not None
    item.setCheckState(Qt.CheckState.Checked)


def test_schedules_a_poll_with_a_response_plan(
    qtbot, page: tuple[PlannerPage, list[int]], workspace: app_module.Workspace, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    planner_page, _ = page
    at = NOW + timedelta(hours=3)
    _fill(planner_page, "IT-helpdesk", at, poll=("Lenovo X1", "Dell XPS", "MacBook Air"))
    assert "Demo intranet poll" in planner_page.editor.poll_note.text()
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.editor.schedule_button.click()
    model = planner_page.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    starter = model.rows[0]
    assert starter.status is StarterStatus.SCHEDULED
    assert starter.scheduled_at == at
    assert starter.poll_options == ("Lenovo X1", "Dell XPS", "MacBook Air")
    assert [m.name for m in starter.on_duty] == ["Sven Jansen", "Anouk de Vries"]
    assert all(m.person_id is not None for m in starter.on_duty)
    assert len(starter.saved_reply_ids) == 1
    assert model.index(0, 4).data() == "Scheduled"
    op = workspace.store.outbox.get(starter.op_id)
    assert op is not None
    assert (op.kind, op.state, op.next_attempt_at) == (OpKind.POST, OpState.QUEUED, at)
    assert "Scheduled for" in planner_page.editor.message.text()


def test_invalid_poll_is_explained_in_words(qtbot, page: tuple[PlannerPage, list[int]]) -> None:  # type: ignore[no-untyped-def]
    planner_page, _ = page
    _fill(planner_page, "IT-helpdesk", NOW + timedelta(hours=3), poll=("Only one",))
    planner_page.editor.schedule_button.click()
    qtbot.waitUntil(
        lambda: planner_page.editor.message.text() == "A poll needs at least two options.",
        timeout=10_000,
    )
    assert planner_page.model.rowCount() == 0


def test_suggests_a_time_from_the_heatmap(
    qtbot, page: tuple[PlannerPage, list[int]], workspace: app_module.Workspace
) -> None:  # type: ignore[no-untyped-def]
    planner_page, _ = page
    editor = planner_page.editor
    editor.community_box.setCurrentIndex(editor.community_box.findText("IT-helpdesk"))
    editor.suggest_button.click()
    qtbot.waitUntil(lambda: editor.suggestion.text().startswith("Busiest hours"), timeout=10_000)
    account = workspace.store.accounts.get("demo")
    assert account is not None
    expected = workspace.planner.suggest(account.id, editor.community_box.currentData())
    assert expected.at is not None
    assert editor.when_edit.dateTime().toMSecsSinceEpoch() == int(expected.at.timestamp() * 1000)


def test_starter_is_sent_once_at_its_time_and_measured(
    qtbot, page: tuple[PlannerPage, list[int]], workspace: app_module.Workspace, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    planner_page, _ = page
    at = NOW + timedelta(hours=2)
    _fill(planner_page, "IT-helpdesk", at)
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.editor.schedule_button.click()
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    paths = config.Paths(tmp_path / "profile")

    def sync_at(instant: datetime) -> None:
        ws = app_module.open_workspace(url, paths, app_module.fixed_clock(instant))
        try:
            report = ws.sync.sync("demo")
            assert report.ok, report
        finally:
            ws.close()

    sync_at(at - timedelta(minutes=30))  # before its time: stays in the outbox
    starter = workspace.planner.starters()[0]
    assert starter.status is StarterStatus.SCHEDULED
    sync_at(at + timedelta(minutes=1))  # due: sent
    sync_at(at + timedelta(hours=6))  # again: nothing more is sent; colleagues answered
    copies = [
        w
        for w in workspace.store.simulation.writes("demo")
        if w["kind"] == "thread" and w["marker"] == starter.op_id
    ]
    assert len(copies) == 1, "the simulated platform holds exactly one copy"
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.reload()
    row = planner_page.model.rows[0]
    assert row.status is StarterStatus.SENT
    assert row.outcome is not None
    assert (row.outcome.replies, row.outcome.responders) == (3, 3)
    assert row.outcome.first_reply_hours == pytest.approx(35 / 60)
    planner_page.table.selectRow(0)
    assert planner_page.details.replies[1].text() == "3"
    assert planner_page.details.first[1].text() == "35 min"
    assert row.outcome.thread_key in planner_page.details.plan.text()
    assert not planner_page.editor.schedule_button.isEnabled(), "a sent starter is read-only"


def test_asks_the_console_to_send_when_a_starter_falls_due(
    qtbot, workspace: app_module.Workspace
) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(NOW)
    tasks = TaskRunner()
    sent_for: list[int] = []
    planner_page = PlannerPage(workspace.planner, tasks, sent_for.append, clock)
    qtbot.addWidget(planner_page)
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.show()
    qtbot.waitUntil(lambda: planner_page.editor.community_box.count() > 0, timeout=10_000)
    _fill(planner_page, "HR & Verlof", NOW + timedelta(seconds=1))
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.editor.schedule_button.click()
    assert planner_page._due_timer.isActive()
    clock.at = NOW + timedelta(seconds=2)
    account = workspace.store.accounts.get("demo")
    assert account is not None
    qtbot.waitUntil(lambda: sent_for == [account.id], timeout=10_000)
    planner_page._due_timer.stop()
    assert tasks.wait(10_000)


def test_cancel_a_scheduled_starter(qtbot, page: tuple[PlannerPage, list[int]], workspace) -> None:  # type: ignore[no-untyped-def]
    planner_page, _ = page
    _fill(planner_page, "Ideeënbus", NOW + timedelta(days=2))
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.editor.schedule_button.click()
    planner_page.table.selectRow(0)
    assert planner_page.editor.cancel_button.isVisible()
    with qtbot.waitSignal(planner_page.loaded, timeout=20_000):
        planner_page.editor.cancel_button.click()
    assert planner_page.model.rows[0].status is StarterStatus.CANCELLED
    op = workspace.store.outbox.get(planner_page.model.rows[0].op_id)
    assert op is not None and op.state is OpState.CANCELLED
