"""Work off the GUI thread: one runner for the live solves and the analyses.

A job is a function ``job(progress) -> result`` that runs in a worker thread;
``progress(fraction)`` reports how far it got and returns False once the job
is no longer wanted (a newer one was submitted, or Cancel was pressed), so a
long job stops at its next check. One job runs at a time; a job submitted
while another runs waits, and a later submission replaces it. Only the latest
job's outcome is reported: a superseded job's result is dropped, so the
window never shows stale work and never queues a backlog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Job = Callable[[Callable[[float], bool]], object]


class _Signals(QObject):
    progressed = Signal(int, float)  # generation, fraction
    finished = Signal(int, object)  # generation, result
    failed = Signal(int, object)  # generation, exception
    ended = Signal(int)  # generation (whatever the outcome)


class _Runnable(QRunnable):
    def __init__(self, generation: int, job: Job, signals: _Signals, stop: threading.Event):
        super().__init__()
        self.setAutoDelete(True)
        self._generation, self._job, self._signals, self._stop = generation, job, signals, stop

    def run(self):
        def progress(fraction: float) -> bool:
            if not self._stop.is_set():
                self._signals.progressed.emit(self._generation, float(fraction))
            return not self._stop.is_set()

        try:
            result = self._job(progress)
            self._signals.finished.emit(self._generation, result)
        except BaseException as exc:  # reported to the window, which decides what to say
            self._signals.failed.emit(self._generation, exc)
        finally:
            self._signals.ended.emit(self._generation)


class JobRunner(QObject):
    """Runs the latest submitted job in a worker thread and reports its outcome.

    Signals carry only the latest job's outcome: ``progressed(fraction)``,
    ``finished(result)``, ``failed(exception)``; ``busyChanged(bool)`` when the
    worker starts or goes idle.
    """

    progressed = Signal(float)
    finished = Signal(object)
    failed = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.progressed.connect(self._on_progressed)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.ended.connect(self._on_ended)
        self._generation = 0
        self._pending: Job | None = None
        self._running = False
        self._stop = threading.Event()

    @property
    def generation(self) -> int:
        """Grows with every submission; a job's outcome counts only while it is the latest."""
        return self._generation

    @property
    def busy(self) -> bool:
        return self._running or self._pending is not None

    def submit(self, job: Job) -> int:
        """Run ``job`` as soon as the worker is free; it supersedes every earlier job."""
        self._generation += 1
        self._stop.set()  # the running job, if any, is no longer wanted
        self._pending = job
        self._start_pending()
        return self._generation

    def cancel(self) -> None:
        """Drop the waiting job and ask the running one to stop; nothing more is reported."""
        self._generation += 1
        self._pending = None
        self._stop.set()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (for closing and for tests)."""
        return self._pool.waitForDone(msecs)

    def _start_pending(self):
        if self._running or self._pending is None:
            return
        job, self._pending = self._pending, None
        self._stop = threading.Event()
        self._running = True
        self.busyChanged.emit(True)
        self._pool.start(_Runnable(self._generation, job, self._signals, self._stop))

    def _on_progressed(self, generation, fraction):
        if generation == self._generation:
            self.progressed.emit(fraction)

    def _on_finished(self, generation, result):
        if generation == self._generation:
            self.finished.emit(result)

    def _on_failed(self, generation, exc):
        if generation == self._generation:
            self.failed.emit(exc)

    def _on_ended(self, generation):
        self._running = False
        if self._pending is not None:
            self._start_pending()
        else:
            self.busyChanged.emit(False)
