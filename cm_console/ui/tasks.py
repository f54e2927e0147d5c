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
    """Lives in the GUI thread as long as its runner; workers emit, the GUI thread receives
    (queued). One per runner, so a worker never holds the last reference to a QObject."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, str)


class TaskHandle(Generic[T]):
    """A submitted task: cancel it, or ask whether it is still running."""

    def __init__(self, label: str, state: TaskState) -> None:
        self.label = label
        self.state = state
        self.done = False

    def cancel(self) -> None:
        self.state.cancel()


class _Task:
    """What the GUI thread keeps of a running task until its answer arrives.

    The work function and the callbacks often close over widgets. Only the GUI thread lets go
    of them (when the answer arrives), so a widget is never destroyed in a pool thread.
    """

    __slots__ = ("fn", "handle", "on_done", "on_error")

    def __init__(
        self,
        fn: Callable[[TaskState], Any],
        handle: TaskHandle[Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        self.fn = fn
        self.handle = handle
        self.on_done = on_done
        self.on_error = on_error


class _Runnable(QRunnable):
    def __init__(self, key: int, task: _Task, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._key = key
        self._task: _Task | None = task
        self._signals = signals

    def run(self) -> None:
        task, self._task = self._task, None
        assert task is not None
        fn, state = task.fn, task.handle.state
        del task
        try:
            result = fn(state)
        except Exception as exc:  # delivered to the GUI thread, which decides what to show
            log.debug("background task failed", exc_info=True)
            # The traceback's frames hold the work function's locals (widgets among them):
            # they must not travel to, and be freed in, whichever thread drops the last one.
            error = _without_tracebacks(exc)
            del exc, fn, state
            self._emit(self._signals.failed, error)
        else:
            del fn, state
            self._emit(self._signals.finished, result)

    def _emit(self, signal: Any, value: object) -> None:
        try:
            signal.emit(self._key, value)
        except RuntimeError:  # the runner was destroyed meanwhile: nobody is waiting
            log.debug("a background task ended after its runner")


def _without_tracebacks(exc: BaseException) -> BaseException:
    """``exc`` with its traceback, and those of the exceptions it chains, dropped."""
    seen: set[int] = set()
    current: BaseException | None = exc
    pending = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.__traceback__ = None
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return exc


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
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.progressed.connect(self._on_progressed)
        self._running: dict[int, _Task] = {}
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
        key = self._next
        self._next += 1
        progressed = self._signals.progressed
        state = TaskState(lambda n, text: progressed.emit(key, n, text))
        handle: TaskHandle[T] = TaskHandle(label, state)
        was_busy = self.busy
        task = _Task(fn, handle, on_done, on_error)
        self._running[key] = task
        pool = self._writer if writer else self._io
        pool.start(_Runnable(key, task, self._signals))
        if not was_busy:
            self.busy_changed.emit(True)
        return handle

    def _on_finished(self, key: int, result: object) -> None:
        task = self._finish(key)
        if task is not None and task.on_done is not None and not task.handle.state.cancelled:
            task.on_done(result)

    def _on_failed(self, key: int, exc: object) -> None:
        task = self._finish(key)
        if task is None:
            return
        if task.on_error is not None:
            task.on_error(exc)  # type: ignore[arg-type]
        else:
            log.error("%s failed: %s", task.handle.label or "background task", exc)

    def _on_progressed(self, key: int, done: int, text: str) -> None:
        task = self._running.get(key)
        if task is not None:
            self.progressed.emit(task.handle.label, done, text)

    def _finish(self, key: int) -> _Task | None:
        task = self._running.pop(key, None)
        if task is not None:
            task.handle.done = True
        if not self._running:
            self.busy_changed.emit(False)
        return task

    def cancel_all(self) -> None:
        for task in list(self._running.values()):
            task.handle.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every task ended (shutdown and tests); True when all did."""
        return bool(self._io.waitForDone(msecs) and self._writer.waitForDone(msecs))
