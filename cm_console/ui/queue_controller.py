"""Keeps the queue model showing the current query: ids in the background, rows by page.

A view's first rows are asked for on their own (a page's worth is a fraction of the work of a
whole view of a hundred thousand conversations), with the items of the top page, so they paint at
once without the GUI thread reading the database; the rest of the ids
follow in a second query and are appended below them. That second query waits a moment, so
while someone types a filter or flips through views only the first rows of each are fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from cm_console.domain.views import QueueItem, QueueQuery, SortKey, View, ViewCounts
from cm_console.services.triage import TriageService
from cm_console.ui.queue_model import PAGE, QueueModel
from cm_console.ui.tasks import TaskRunner, TaskState

FIRST_ROWS = 200
"""Rows shown before the rest of the view is known (more than a tall window shows)."""
REST_DELAY_MS = 250
"""How long the first rows stay on their own before the rest is asked for."""
TYPING_REST_DELAY_MS = 700
"""The same while the filter is being typed: the rest of a filtered view waits until typing
pauses, so its query (the longest of a search) does not compete with the next key's rows."""


class QueueController(QObject):
    """Runs the current query off the GUI thread and hands the ids to the model.

    Only the newest request's answer is applied, so typing in the filter never shows stale rows.

    Signals:
        loaded(): the model shows the answer to the current query (perhaps only its first
            ``first_rows`` rows: see :attr:`complete`).
        completed(): the model holds every row of the answer.
        counts_loaded(ViewCounts, dict): sidebar counts and per-community queue counts.
        failed(str): a query failed (the message is for the status bar).
    """

    loaded = Signal()
    completed = Signal()
    counts_loaded = Signal(object, object)
    failed = Signal(str)

    def __init__(
        self,
        triage: TriageService,
        tasks: TaskRunner,
        model: QueueModel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._triage = triage
        self._tasks = tasks
        self.model = model
        self.query = QueueQuery()
        self._generation = 0
        self._complete = True
        self.first_rows = FIRST_ROWS
        self._rest: tuple[int, QueueQuery] | None = None
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_DELAY_MS)
        self._rest_timer.timeout.connect(self._load_rest)
        self._counting = False
        self._count_again = False
        self._searching = False
        self._pending_search: str | None = None
        model.sort_requested.connect(self._on_sort_requested)

    def set_query(self, query: QueueQuery) -> None:
        """Show ``query`` (keeping the current search text and sort order)."""
        self.query = replace(
            query, search=self.query.search, sort=self.query.sort, descending=self.query.descending
        )
        self.reload(counts=False)

    def set_search(self, text: str) -> None:
        """Filter by ``text`` as it is typed.

        The first key after a pause asks at once; keys that arrive while its rows are on their
        way are gathered, and the newest text is asked for when they have come. So a key shows
        its rows as soon as the database answers, and fast typing runs one query at a time.
        """
        self._pending_search = text
        if not self._searching:
            self._search_now()

    def _search_now(self) -> None:
        text, self._pending_search = self._pending_search, None
        if text is None:
            return
        self._searching = True
        # A trailing space is kept: it tells the search that the last word is complete.
        self.query = replace(self.query, search=text if text.strip() else None)
        self.reload(counts=False, rest_delay_ms=TYPING_REST_DELAY_MS, answered=self._searched)

    def _searched(self) -> None:
        self._searching = False
        self._search_now()

    def _on_sort_requested(self, key: SortKey, descending: bool) -> None:
        self.query = replace(self.query, sort=key, descending=descending)
        self.reload(counts=False)

    def sort_by_priority(self) -> None:
        self.query = replace(self.query, sort=SortKey.PRIORITY, descending=True)
        self.reload(counts=False)

    def reload(
        self,
        *,
        counts: bool = True,
        rest_delay_ms: int = REST_DELAY_MS,
        answered: Callable[[], None] | None = None,
    ) -> None:
        """Re-run the query; the answer replaces the rows when it arrives.

        Args:
            counts: also recount the sidebar (the data changed). Another view, filter or sort
                of the same data leaves the counts as they are.
            rest_delay_ms: how long the first rows stay on their own before the rest of a long
                answer is asked for.
            answered: called when the first rows' query has ended (applied, superseded by a
                newer query, or failed).
        """
        self._generation += 1
        generation = self._generation
        query = self.query
        first = self.first_rows
        self._rest_timer.stop()
        self._rest = None

        def work(_state: TaskState) -> tuple[list[int], list[QueueItem]]:
            ids = self._triage.queue_ids(query, first + 1)
            return ids, self._triage.items(ids[:PAGE])

        def done(answer: tuple[list[int], list[QueueItem]]) -> None:
            if generation != self._generation:
                if answered is not None:
                    answered()
                return  # a newer query is on its way
            ids, first_page = answer
            partial = len(ids) > first
            self._complete = not partial
            self.model.set_ids(ids[:first], first_page)
            self.loaded.emit()
            if partial:
                self._rest = (generation, query)
                self._rest_timer.start(rest_delay_ms)
            else:
                self.completed.emit()
            if answered is not None:
                answered()

        def failed(exc: Exception) -> None:
            self.failed.emit(str(exc))
            if answered is not None:
                answered()

        self._tasks.run(work, done, failed, label="queue")
        if counts:
            self.refresh_counts()

    def _load_rest(self) -> None:
        if self._rest is None:
            return
        generation, query = self._rest
        self._rest = None

        def work(_state: TaskState) -> list[int] | None:
            if generation != self._generation:
                return None  # superseded while waiting for a thread: skip the query
            return self._triage.queue_ids(query)

        def done(ids: list[int] | None) -> None:
            if ids is None or generation != self._generation:
                return
            shown = self.model.ids()
            self._complete = True
            if ids[: len(shown)] == shown:
                self.model.append_ids(ids[len(shown) :])
            else:  # the data changed between the two queries
                self.model.set_ids(ids)
                self.loaded.emit()
            self.completed.emit()

        self._tasks.run(work, done, lambda exc: self.failed.emit(str(exc)), label="queue")

    @property
    def complete(self) -> bool:
        """Whether the model holds every row of the current answer (not just the first)."""
        return self._complete

    def refresh_counts(self) -> None:
        """Reload the sidebar counts (at most one count query in flight)."""
        if self._counting:
            self._count_again = True
            return
        self._counting = True

        def work(_state: TaskState) -> tuple[ViewCounts, dict[int, int]]:
            return self._triage.counts(), self._triage.container_counts()

        def done(result: tuple[ViewCounts, dict[int, int]]) -> None:
            self._counting = False
            self.counts_loaded.emit(*result)
            if self._count_again:
                self._count_again = False
                self.refresh_counts()

        def failed(exc: Exception) -> None:
            self._counting = False
            self.failed.emit(str(exc))

        self._tasks.run(work, done, failed, label="counts")

    @property
    def view(self) -> View:
        return self.query.view
