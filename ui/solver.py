"""Solving off the GUI thread.

Requests are debounced (a slider drag asks many times a second), only one
solve runs at a time, and only the latest request is kept while it runs:
a result that is no longer the newest is dropped, so the window never shows
a stale plan and never queues a backlog.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from planner.model import build_model
from planner.scenario import Scenario
from planner.solve import solve_model
from planner.summary import marginal_gain

DEBOUNCE_MS = 15


class _Signals(QObject):
    solved = Signal(int, object, object)  # generation, Result, LinearModel
    gains = Signal(int, object)  # generation, list[MarginalGain]
    failed = Signal(int, str)
    done = Signal()


class _SolveJob(QRunnable):
    def __init__(self, generation: int, scenario: Scenario, signals: _Signals, is_current):
        super().__init__()
        self.setAutoDelete(True)
        self._gen, self._scenario, self._signals, self._is_current = generation, scenario, signals, is_current

    def run(self):
        try:
            model = build_model(self._scenario)
            result = solve_model(model)
            self._signals.solved.emit(self._gen, result, model)
            if result.status == "optimal" and self._is_current(self._gen):
                gains = []
                for q in self._scenario.resources:
                    if not self._is_current(self._gen):
                        break
                    if result.resources[q.id].shadow_price > 1e-9:
                        gains.append(marginal_gain(model, result, q.id))
                else:
                    self._signals.gains.emit(self._gen, gains)
        except Exception as exc:  # a solver failure must reach the window, not kill a thread
            self._signals.failed.emit(self._gen, f"{type(exc).__name__}: {exc}")
        finally:
            self._signals.done.emit()


class SolveController(QObject):
    """Runs the latest requested solve in a worker thread and reports it."""

    resultReady = Signal(object, object)  # Result, LinearModel
    gainsReady = Signal(object)  # list[MarginalGain] for the latest result
    solveFailed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.solved.connect(self._on_solved)
        self._signals.gains.connect(self._on_gains)
        self._signals.failed.connect(self._on_failed)
        self._signals.done.connect(self._finish)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_pending)
        self._generation = 0
        self._running = False
        self._pending: Scenario | None = None

    @property
    def generation(self) -> int:
        return self._generation

    def request(self, scenario: Scenario, immediate: bool = False) -> None:
        """Ask for a solve of ``scenario``; newer requests replace older ones."""
        self._generation += 1
        self._pending = scenario
        if immediate:
            self._timer.stop()
            self._start_pending()
        else:
            self._timer.start()

    def _is_current(self, generation: int) -> bool:
        return generation == self._generation

    def _start_pending(self):
        if self._running or self._pending is None:
            return
        scenario, self._pending = self._pending, None
        self._running = True
        self.busyChanged.emit(True)
        self._pool.start(_SolveJob(self._generation, scenario, self._signals, self._is_current))

    def _finish(self):
        self._running = False
        if self._pending is not None:
            self._start_pending()
        else:
            self.busyChanged.emit(False)

    def _on_solved(self, generation, result, model):
        if generation == self._generation:
            self.resultReady.emit(result, model)

    def _on_gains(self, generation, gains):
        if generation == self._generation:
            self.gainsReady.emit(gains)

    def _on_failed(self, generation, message):
        if generation == self._generation:
            self.solveFailed.emit(message)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (for closing and for tests)."""
        self._timer.stop()
        return self._pool.waitForDone(msecs)
