"""Solving off the GUI thread.

Requests are debounced (a slider drag asks many times a second) and handed to
the window's :class:`~ui.jobs.JobRunner`: one solve runs at a time, only the
latest request waits behind it, and a result that is no longer the newest is
dropped, so the window never shows a stale plan and never queues a backlog.
After a plan is shown, the "one more unit of this resource adds…" re-solves
run as a job of their own, which the next request supersedes at once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from planner.model import build_model
from planner.result import OPTIMAL
from planner.scenario import Scenario
from planner.solve import solve_model
from planner.summary import marginal_gain

from .jobs import JobRunner

DEBOUNCE_MS = 15
PRICED = 1e-9  # a shadow price above this makes a marginal gain worth telling


def _solve_job(scenario: Scenario, provisional: bool):
    def job(progress):
        model = build_model(scenario.with_integer_units(False) if provisional else scenario)
        return ("provisional" if provisional else "plan"), solve_model(model), model

    return job


def _gains_job(result, model):
    def job(progress):
        priced = [q.id for q in model.scenario.resources if result.resources[q.id].shadow_price > PRICED]
        gains = []
        for i, resource_id in enumerate(priced):
            if not progress(i / len(priced)):
                return "stale", None, None
            gains.append(marginal_gain(model, result, resource_id))
        return "gains", gains, None

    return job


class SolveController(QObject):
    """Runs the latest requested solve in a worker thread and reports it."""

    resultReady = Signal(object, object)  # Result, LinearModel
    gainsReady = Signal(object)  # list[MarginalGain] for the latest result
    solveFailed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._runner = JobRunner(self)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.busyChanged.connect(self.busyChanged)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_pending)
        self._pending: Scenario | None = None
        self._pending_provisional = False
        self.provisional = False  # the last plan reported is the continuous one shown during a drag

    @property
    def busy(self) -> bool:
        """A solve waits, runs, or its marginal gains are being worked out."""
        return self._pending is not None or self._timer.isActive() or self._runner.busy

    def request(self, scenario: Scenario, immediate: bool = False, provisional: bool = False) -> None:
        """Ask for a solve of ``scenario``; newer requests replace older ones.

        ``provisional``: while a slider is dragged, a whole-units scenario is
        solved with continuous units (fast, and marked provisional); the
        request made on release brings the whole-units plan.
        """
        self._pending = scenario
        self._pending_provisional = bool(provisional and scenario.integer_units)
        if immediate:
            self._timer.stop()
            self._start_pending()
        else:
            self._timer.start()

    def _start_pending(self):
        if self._pending is not None:
            scenario, self._pending = self._pending, None
            self._runner.submit(_solve_job(scenario, self._pending_provisional))

    def _on_finished(self, outcome):
        what, value, model = outcome
        if what in ("plan", "provisional"):
            self.provisional = what == "provisional"
            self.resultReady.emit(value, model)
            if value.status == OPTIMAL and self._pending is None and not self.provisional:
                self._runner.submit(_gains_job(value, model))
        elif what == "gains":
            self.gainsReady.emit(value)

    def _on_failed(self, exc):  # a solver failure reaches the window, not a dead thread
        self.solveFailed.emit(f"{type(exc).__name__}: {exc}")

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (for closing and for tests)."""
        self._timer.stop()
        return self._runner.wait(msecs)
