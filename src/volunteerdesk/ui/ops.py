"""Background operations: run a function off the GUI thread, deliver its result on it.

``Ops.run(fn, on_result, on_error)`` queues ``fn`` on a thread pool of ONE worker, so
database work is serialised; the result (or the exception) comes back to the main thread
through a queued signal. No ``processEvents()`` loops anywhere.
"""

from __future__ import annotations

import logging
import sys
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

# While the worker runs Python, the GUI thread waits for the interpreter lock each time Qt
# calls into Python (a slot, a paint, a model's data); CPython hands the lock over only
# every "switch interval", 5 ms by default. One repaint makes dozens of such calls, so
# the window stuttered while a page loaded. 1 ms keeps it smooth and costs the worker
# little.
SWITCH_INTERVAL_S = 0.001


class _Relay(QObject):
    """Lives in the main thread; a signal emitted from the worker is queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, float)

    def __init__(self, ops: Ops, on_result, on_error, on_progress=None) -> None:
        super().__init__()
        self._ops = ops
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress
        self.succeeded.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)
        self.progressed.connect(self._deliver_progress)

    @Slot(str, float)
    def _deliver_progress(self, message: str, fraction: float) -> None:
        if self._on_progress is not None:
            self._on_progress(message, fraction)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        self._ops._finished(self)
        callback = self._on_result
        self._forget()
        if callback is not None:
            callback(result)

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        self._ops._finished(self)
        callback = self._on_error
        self._forget()
        if callback is not None:
            callback(error)
        else:
            log.error("Background operation failed: %s", error)

    def _forget(self) -> None:
        """Drop the callbacks here, on the GUI thread: they may hold the last reference
        to a dialog, and a widget must never be destroyed from the worker thread."""
        self._on_result = self._on_error = self._on_progress = None


class _Job(QRunnable):
    """Runs on the worker. It holds its relay only weakly (Ops keeps it alive until the
    result is delivered), so the relay and its callbacks are freed on the GUI thread."""

    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = weakref.ref(relay)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure reaches the user
            from ..core.errors import plain_error  # imported here: start-up stays light

            told = plain_error(exc)  # a lost server or a full disk, said in words
            told.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit("failed", told)
            return
        self._emit("succeeded", result)

    def _emit(self, which: str, value: object) -> None:
        relay = self._relay()
        if relay is None:  # shut down: nobody is waiting for it
            return
        try:
            getattr(relay, which).emit(value)
        except RuntimeError:  # the application is closing: nobody is left to tell
            log.debug("Background result dropped: the receiver is gone")


class Ops(QObject):
    """The application's background runner; one per main window, passed to each page."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one database worker: operations never overlap
        self._pending: set[_Relay] = set()
        self._retired: list[_Relay] = []
        self._closed = False
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))

    @property
    def pending(self) -> int:
        return len(self._pending)

    def run(
        self,
        fn: Callable[[], Any],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue ``fn``; later call ``on_result(value)`` or ``on_error(exc)`` on this thread."""
        if self._closed:
            return
        relay = _Relay(self, on_result, on_error)
        self._pending.add(relay)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, relay))

    def run_with_progress(
        self,
        fn: Callable[[Callable[[str, float], None]], Any],
        on_progress: Callable[[str, float], None],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Like ``run``; ``fn(progress)`` may call ``progress(message, fraction)`` as it goes."""
        if self._closed:
            return
        relay = _Relay(self, on_result, on_error, on_progress)
        self._pending.add(relay)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        ref = weakref.ref(relay)

        def progress(message: str, fraction: float) -> None:
            held = ref()
            if held is not None:
                held.progressed.emit(message, fraction)

        self._pool.start(_Job(lambda: fn(progress), relay))

    def _finished(self, relay: _Relay) -> None:
        # Kept until the next delivery, so the worker's brief hold on it (while emitting)
        # is never the last reference: it is always freed here, on the GUI thread.
        self._retired = [relay]
        self._pending.discard(relay)
        if not self._pending:
            self.busy_changed.emit(False)

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Accept no more work, wait for the running job, and drop undelivered results."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        for relay in self._pending:
            relay._on_result = relay._on_error = relay._on_progress = None
        self._pending.clear()
