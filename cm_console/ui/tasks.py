"""Background work: one task runner on QThreadPool (an I/O pool and a one-thread writer pool).

Work functions are plain Python that take a :class:`TaskState` (cancel flag and progress);
they never touch widgets. Results come back on GUI-thread slots through queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskState:
    """What a running task can see: whether it was cancelled, and a way to report progress."""

    def __init__(self, emit_progress: Callable[[int, str], None]) -> None:
        self._cancelled = threading.Event()
        self._emit = emit_progress

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def is_cancelled(self) -> bool:
        """For APIs that want a callable (``cancel=state.is_cancelled``)."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self, done: int, text: str = "") -> None:
        self._emit(done, text)


class _Signals(QObject):
    """Lives in the GUI thread; the worker emits, the GUI thread receives (queued)."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, str)


class TaskHandle(Generic[T]):
    """A submitted task: cancel it, or ask whether it is still running."""

    def __init__(self, label: str, state: TaskState) -> None:
        self.label = label
        self.state = state
        self.done = False

    def cancel(self) -> None:
        self.state.cancel()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskState], Any], state: TaskState, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._state = state
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn(self._state)
        except Exception as exc:  # delivered to the GUI thread, which decides what to show
            log.debug("background task failed", exc_info=True)
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class TaskRunner(QObject):
    """Runs work off the GUI thread.

    Reads and network work go to the I/O pool; writes to the database go to a pool with one
    thread, so the console has a single writer and writes happen in the order they were asked.

    Signals:
        busy_changed(bool): whether any task is running.
        progressed(str, int, str): a task's label, amount done and text.
    """

    busy_changed = Signal(bool)
    progressed = Signal(str, int, str)

    def __init__(self, parent: QObject | None = None, io_threads: int = 4) -> None:
        super().__init__(parent)
        self._io = QThreadPool(self)
        self._io.setMaxThreadCount(io_threads)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._running: dict[int, tuple[TaskHandle[Any], _Signals]] = {}
        self._next = 0

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        fn: Callable[[TaskState], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        writer: bool = False,
        label: str = "",
    ) -> TaskHandle[T]:
        """Run ``fn(state)`` in the background; ``on_done``/``on_error`` run on the GUI thread."""
        signals = _Signals()  # created here, so it belongs to the GUI thread
        key = self._next
        self._next += 1
        state = TaskState(signals.progressed.emit)
        handle: TaskHandle[T] = TaskHandle(label, state)
        was_busy = self.busy
        self._running[key] = (handle, signals)

        def finished(result: object) -> None:
            self._finish(key)
            if on_done is not None and not state.cancelled:
                on_done(result)  # type: ignore[arg-type]

        def failed(exc: object) -> None:
            self._finish(key)
            if on_error is not None:
                on_error(exc)  # type: ignore[arg-type]
            else:
                log.error("%s failed: %s", label or "background task", exc)

        signals.finished.connect(finished)
        signals.failed.connect(failed)
        signals.progressed.connect(lambda n, text: self.progressed.emit(label, n, text))
        pool = self._writer if writer else self._io
        pool.start(_Runnable(fn, state, signals))
        if not was_busy:
            self.busy_changed.emit(True)
        return handle

    def _finish(self, key: int) -> None:
        entry = self._running.pop(key, None)
        if entry is not None:
            entry[0].done = True
        if not self._running:
            self.busy_changed.emit(False)

    def cancel_all(self) -> None:
        for handle, _signals in list(self._running.values()):
            handle.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every task ended (shutdown and tests); True when all did."""
        return bool(self._io.waitForDone(msecs) and self._writer.waitForDone(msecs))
