"""A long view paints its first rows first; the rest follow without losing the selection."""

from __future__ import annotations

from cm_console import app as app_module
from cm_console.domain.views import QueueQuery, View
from cm_console.ui.main_window import MainWindow
from cm_console.ui.queue_model import PAGE


def test_first_rows_then_the_rest_in_the_same_order(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    everything = workspace.triage.queue_ids(QueueQuery(view=View.ALL))
    assert len(everything) > 6, "the demo workspace has more conversations than the first rows"
    window.queue.first_rows = 4
    shown: list[list[int]] = []
    window.queue.loaded.connect(lambda: shown.append(window.queue_model.ids()))
    with qtbot.waitSignal(window.queue.completed, timeout=10_000):
        window.sidebar.setCurrentIndex(window.sidebar_model.view_index(View.ALL))
    assert shown[0] == everything[:4], "the first rows painted on their own"
    assert window.queue_model.ids() == everything, "the rest appended below them, in order"
    assert window.queue.complete


def test_a_selection_further_down_survives_a_reload(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    with qtbot.waitSignal(window.queue.completed, timeout=10_000):
        window.sidebar.setCurrentIndex(window.sidebar_model.view_index(View.ALL))
    window.table.select_row(6)
    chosen = window.queue_model.ids()[6]
    window.queue.first_rows = 3
    with qtbot.waitSignal(window.queue.loaded, timeout=10_000):
        window.queue.reload()
    assert window.queue_model.rowCount() == 3
    assert not window.queue.complete
    qtbot.waitUntil(lambda: window.queue.complete, timeout=10_000)
    current = window.table.currentIndex()
    assert current.row() == 6
    assert window.queue_model.ids()[current.row()] == chosen
    assert window.thread_pane.detail is not None
    assert window.thread_pane.detail.item.id == chosen


def test_typing_a_filter_shows_only_the_newest_answer(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    with qtbot.waitSignal(window.queue.completed, timeout=10_000):
        window.sidebar.setCurrentIndex(window.sidebar_model.view_index(View.ALL))
    window.queue.first_rows = 2
    completed: list[tuple[str | None, list[int]]] = []
    window.queue.completed.connect(
        lambda: completed.append((window.queue.query.search, window.queue_model.ids()))
    )
    window.search.setFocus()
    qtbot.keyClicks(window.search, "laptop")
    qtbot.waitUntil(lambda: bool(completed) and completed[-1][0] == "laptop", timeout=10_000)
    expected = workspace.triage.queue_ids(QueueQuery(view=View.ALL, search="laptop"))
    assert len(expected) > 2, "the demo has several conversations about laptops"
    assert completed[-1][1] == expected
    # Every answer shown was complete and for what was typed at the time: no stale rows.
    for search, ids in completed:
        assert ids == workspace.triage.queue_ids(QueueQuery(view=View.ALL, search=search))


def test_the_top_rows_paint_without_a_read_on_the_gui_thread(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    model = window.queue_model
    reads: list[list[int]] = []
    load = model._load

    def counting(ids):  # type: ignore[no-untyped-def]
        reads.append(list(ids))
        return load(ids)

    model._load = counting
    with qtbot.waitSignal(window.queue.loaded, timeout=10_000):
        window.sidebar.setCurrentIndex(window.sidebar_model.view_index(View.ALL))
    everything = workspace.triage.queue_ids(QueueQuery(view=View.ALL))
    shown = min(model.rowCount(), PAGE)
    items = [model.item(row) for row in range(shown)]
    assert [item.id for item in items if item is not None] == everything[:shown]
    assert reads == [], "the first page came with the ids, read off the GUI thread"
    qtbot.waitUntil(lambda: window.queue.complete, timeout=10_000)


def test_fast_typing_asks_once_for_the_first_key_and_once_for_the_rest(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    workspace: app_module.Workspace,
) -> None:
    with qtbot.waitSignal(window.queue.completed, timeout=10_000):
        window.sidebar.setCurrentIndex(window.sidebar_model.view_index(View.ALL))
    triage = window.services.triage
    asked: list[str | None] = []
    queue_ids = triage.queue_ids

    def counting(query, limit=None):  # type: ignore[no-untyped-def]
        asked.append(query.search)
        return queue_ids(query, limit)

    triage.queue_ids = counting  # type: ignore[method-assign]
    window.search.setFocus()
    # Every key arrives before the first answer: the first asks at once, the rest wait for it.
    qtbot.keyClicks(window.search, "laptop ")
    qtbot.waitUntil(
        lambda: window.queue.query.search == "laptop " and window.queue.complete, timeout=10_000
    )
    assert asked[0] == "l", "the first key is not held back"
    assert "laptop " in asked
    assert len([a for a in asked if a != "laptop "]) == 1, asked
    expected = workspace.triage.queue_ids(QueueQuery(view=View.ALL, search="laptop "))
    assert window.queue_model.ids() == expected
    assert len(expected) > 2
