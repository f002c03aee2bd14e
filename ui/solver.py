"""Solving off the GUI thread.

Requests are debounced (a slider drag asks many times a second) and handed to
one solve thread, which always takes the newest request when it is free: no
request waits behind an older one, and the thread never waits for the GUI to
show what it found. Results reach the GUI thread through a single slot: when
several finish before the GUI gets to them, only the newest is delivered, so
the GUI thread never queues stale work. A result whose request has been
superseded is dropped, except during a drag, where the newest finished plan
is shown while the next one is solved, so the charts follow the slider.

A drag's solves start from the basis the last solve ended with (``WarmSolver``):
a few dozen simplex iterations from the last optimum; every plan that stays on
screen is solved cold, as the command line solves it.

The window's first plan may come from a head start (``ui.head_start``): solved in
another process while the window loaded, with its marginal gains.

After a plan is shown, the "one more unit of this resource adds…" re-solves
run on a runner of their own: they never hold up the next solve, and a new
request cancels them (what they find then is dropped).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from planner.result import OPTIMAL
from planner.scenario import Scenario

from .jobs import JobRunner

DEBOUNCE_MS = 15
# After a head start's plan is shown, the solver's modules load this much later (once the
# plan is painted) for the first edit.
WARM_UP_MS = 400
SOLVER_MODULES = ("planner.solve", "planner.summary")


def solve_request(scenario: Scenario, relaxed: bool, starts=None):
    """:func:`planner.solve.solve_plan`, its module loaded with the first solve."""
    from planner.solve import solve_plan

    return solve_plan(scenario, relaxed, starts)


class SolveAbandoned(Exception):
    """The window is closing: the solve it no longer waits for was not started."""


class WarmSolver:
    """The solve thread's ``solve(scenario, relaxed)``, and ``live`` for a drag's solves.

    A plan that stays on screen is solved cold, exactly as ``solve`` on the command line
    solves it. A drag's plans start from the last plan's basis (``StartBases``): the same
    optimum, a few dozen simplex iterations away instead of thousands; where the tie-break
    leaves several equally good vertices a warm start may end on another of them, so the
    plan on screen when the drag ends is solved cold again (the window asks on release).
    Every solve here leaves its basis for the next drag; a head start's plan (solved in
    another process) leaves none, and the first drag after it starts cold.
    """

    def __init__(self, head_start=None):
        self._starts = None  # made at the first solve (its module loads with the solver's)
        self._head = head_start  # ui.head_start.HeadStart: the first request's plan, solved elsewhere
        self._taken = None  # the head start whose plan was shown: its gains are read, then it is closed
        self._closing = False
        self.head_used = False  # the first plan came from the head start

    def _memory(self):
        if self._starts is None:
            from planner.solve import StartBases

            self._starts = StartBases()
        return self._starts

    def __call__(self, scenario: Scenario, relaxed: bool):
        self._close_taken()
        head = self._head  # kept where end_head_start sees it while its answer is awaited
        result = head.result_for(scenario, relaxed) if head is not None else None
        self._head = None
        if result is not None:  # no model: nothing here has loaded the solver, nor needs to yet
            self.head_used = True
            self._taken = head
            return result, None, _HeadStartGains(head, result)
        if head is not None and self._closing:
            raise SolveAbandoned("the window is closing")
        from planner.solve import StartBases

        cold = StartBases()  # starts from nothing; what it leaves is kept for the next drag
        result, model = solve_request(scenario, relaxed, cold)
        self._memory().keep(model, cold.get(model))
        return result, model

    def live(self, scenario: Scenario, relaxed: bool):
        self._close_taken()
        head, self._head = self._head, None
        if head is not None:  # a drag before the first plan: it is not that plan
            head.close()
        return solve_request(scenario, relaxed, self._memory())

    def _close_taken(self) -> None:
        """A newer request: the shown head start's gains are no longer wanted (a request
        cancels them) and its process, if it still runs, ends."""
        taken, self._taken = self._taken, None
        if taken is not None:
            taken.close()

    def end_head_start(self, closing: bool = False) -> None:
        """End the head start's process, whether or not its plan was taken. closing: the
        window is closing, and a first plan its head start did not give is not solved."""
        self._closing = self._closing or closing
        for head in (self._head, self._taken):  # each read once: the solve thread may clear them
            if head is not None:
                head.close()


class _HeadStartGains:
    """The gains job of a head start's plan: its process's answer, else worked out here."""

    def __init__(self, head, result):
        self._head, self._result = head, result

    def __call__(self, progress):
        gains = self._head.gains(progress)
        if gains is not None or progress(0.0) is False:
            return gains
        from planner.model import build_model  # the process could not say: as for any other plan

        return _gains_job(self._result, build_model(self._result.scenario))(progress)

    def discard(self) -> None:
        """The plan is not shown, or not one with gains: the process is not needed."""
        self._head.close()


def _gains_job(result, model):
    def job(progress):
        from planner.summary import marginal_gains

        return marginal_gains(model, result, progress)

    return job


def _load_solver_modules():
    """Import the solver's modules on a thread of their own, so that the first edit after a
    head start's plan waits only for its solve (only imports: nothing else is shared)."""
    def load():
        import importlib

        for module in SOLVER_MODULES:
            importlib.import_module(module)

    threading.Thread(target=load, name="solver-imports", daemon=True).start()


class _Request:
    __slots__ = ("generation", "scenario", "relaxed", "live")

    def __init__(self, generation: int, scenario: Scenario, relaxed: bool, live: bool):
        self.generation, self.scenario, self.relaxed, self.live = generation, scenario, relaxed, live


class _Mailbox(QObject):
    """What the solve thread and the GUI thread share: the newest request waiting for the
    thread, the newest outcome waiting for the GUI (each slot keeps only the newest)."""

    delivered = Signal()  # an outcome waits in the slot (emitted once until it is taken)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lock = threading.Lock()
        self.request: _Request | None = None
        self.outcome = None  # (request, result or exception, model, gains job or None)
        self.running = False

    def post(self, outcome) -> bool:
        """Leave ``outcome`` for the GUI (an older one nobody took is dropped); from the
        solve thread. True when no request waits: the thread has stopped."""
        with self.lock:
            waiting = self.outcome is not None
            self.outcome = outcome
            done = self.request is None
            if done:
                self.running = False  # before the GUI hears of it: it sees the thread idle
        if not waiting:
            self.delivered.emit()
        return done

    def take(self):
        with self.lock:
            outcome, self.outcome = self.outcome, None
        return outcome


class _SolveLoop(QRunnable):
    """Solves the newest request until none waits."""

    def __init__(self, mailbox: _Mailbox, solve):
        super().__init__()
        self.setAutoDelete(True)
        self._mailbox, self._solve = mailbox, solve

    def run(self):
        box = self._mailbox
        while True:
            with box.lock:
                request, box.request = box.request, None
            solve = (getattr(self._solve, "live", None) if request.live else None) or self._solve
            try:
                result, model, *gains = solve(request.scenario, request.relaxed)
                outcome = (request, result, model, gains[0] if gains else None)
            except BaseException as exc:  # reported to the window, which decides what to say
                outcome = (request, exc, None, None)
            if box.post(outcome):
                return


class SolveController(QObject):
    """Runs the latest requested solve in a worker thread and reports it."""

    resultReady = Signal(object, object)  # Result, LinearModel (None for a head start's plan)
    gainsReady = Signal(object)  # list[MarginalGain] for the latest result
    solveFailed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent=None, solve=None):
        super().__init__(parent)
        solve = WarmSolver() if solve is None else solve
        self._solve = solve
        self._box = _Mailbox(self)
        self._box.delivered.connect(self._on_delivered)
        self._runner = _SolveRunner(self._box, solve, self)
        self._gains = JobRunner(self)
        self._gains.finished.connect(self._on_gains)
        self._gains.busyChanged.connect(lambda _busy: self._update_busy())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_pending)
        self._pending: Scenario | None = None
        self._pending_live = False
        self._generation = 0  # of the newest request handed to the solve thread
        self._shown = 0  # of the newest result reported
        self._busy = False
        self.provisional = False  # the last plan reported is the continuous one shown during a drag
        self.live = False  # the last plan reported is one of a drag's

    @property
    def head_start_used(self) -> bool:
        """The first plan shown came from the head start (solved in another process)."""
        return isinstance(self._solve, WarmSolver) and self._solve.head_used

    @property
    def busy(self) -> bool:
        """A solve waits, runs, or its marginal gains are being worked out."""
        return (self._pending is not None or self._timer.isActive() or self._runner.busy
                or self._gains.busy or self._box.outcome is not None)

    def request(self, scenario: Scenario, immediate: bool = False, provisional: bool = False) -> None:
        """Ask for a solve of ``scenario``; newer requests replace older ones.

        ``provisional``: the request comes from a drag. A whole-units scenario is
        then solved with continuous units (fast, and marked provisional; the
        request made on release brings the whole-units plan), and the newest
        finished plan is shown even when a newer request is already on its way.
        """
        self._gains.cancel()  # the gains of the plan on screen are no longer wanted
        self._pending = scenario
        self._pending_live = bool(provisional)
        if immediate:
            self._timer.stop()
            self._start_pending()
        elif not (provisional and self._timer.isActive()):
            # Typing waits for a pause (each change restarts the wait); a drag does not: a
            # slider moved every 16 ms would restart a 15 ms wait for ever, and nothing
            # would be solved until the drag ended. Its newest position goes at the wait's end.
            self._timer.start()
        self._update_busy()

    def _start_pending(self):
        if self._pending is None:
            return
        scenario, self._pending = self._pending, None
        self._generation += 1
        live = self._pending_live
        self._runner.submit(_Request(self._generation, scenario, live and scenario.integer_units, live))
        self._update_busy()

    def _newest(self, request: _Request) -> bool:
        return request.generation == self._generation and self._pending is None

    def _on_delivered(self):
        outcome = self._box.take()
        if outcome is None:
            return
        request, value, model, gains = outcome
        newest = self._newest(request)
        if request.generation > self._shown and (newest or request.live):
            if isinstance(value, BaseException):
                if newest and not isinstance(value, SolveAbandoned):  # a failure reaches the window
                    self.solveFailed.emit(f"{type(value).__name__}: {value}")
            else:
                self._shown = request.generation
                self.provisional, self.live = request.relaxed, request.live
                self.resultReady.emit(value, model)
                if newest and value.status == OPTIMAL and not request.relaxed:
                    self._gains.submit(gains or _gains_job(value, model))
                    gains = None
                if model is None:  # the head start's plan: this process has not loaded the solver
                    QTimer.singleShot(WARM_UP_MS, _load_solver_modules)
        if gains is not None:  # a head start's gains nobody will read
            gains.discard()
        self._update_busy()

    def _on_gains(self, gains):
        if gains is not None:
            self.gainsReady.emit(gains)

    def _update_busy(self):
        busy = self.busy
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the workers are idle (for closing and for tests)."""
        self._timer.stop()
        self._gains.cancel()
        if isinstance(self._solve, WarmSolver):  # a head start still solving ends now
            self._solve.end_head_start()
        return self._runner.wait(msecs) and self._gains.wait(msecs)

    def shutdown(self, msecs: int = 30000) -> bool:
        """:meth:`wait`, for a window that is closing: a first plan its head start has not
        given yet is not solved here either."""
        if isinstance(self._solve, WarmSolver):
            self._solve.end_head_start(closing=True)
        return self.wait(msecs)


class _SolveRunner(QObject):
    """The solve thread: started when a request comes and none runs."""

    def __init__(self, mailbox: _Mailbox, solve, parent=None):
        super().__init__(parent)
        self._box, self._solve = mailbox, solve
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    @property
    def busy(self) -> bool:
        with self._box.lock:
            return self._box.running or self._box.request is not None

    def submit(self, request: _Request) -> None:
        box = self._box
        with box.lock:
            box.request = request  # an older request not started yet is dropped here
            start = not box.running
            box.running = True
        if start:
            self._pool.start(_SolveLoop(box, self._solve))

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
