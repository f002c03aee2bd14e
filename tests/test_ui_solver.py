"""The live solves: a drag's stale results are dropped, only the newest reaches the
window, and the marginal-gain re-solves never hold up the next solve.

The solve is a stand-in that waits on gates the test opens, so every ordering is
made on purpose, without timing.
"""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from planner.result import OPTIMAL  # noqa: E402
from planner.scenario import blank_scenario  # noqa: E402
from ui import solver as solver_module  # noqa: E402
from ui.solver import SolveController  # noqa: E402

WAIT_MS = 10000


class _Plan:
    def __init__(self, scenario, status=OPTIMAL):
        self.scenario, self.status = scenario, status


class _Solves:
    """A solve that waits at each scenario's gate (open unless closed first) and logs what it solved."""

    def __init__(self, status=OPTIMAL):
        self.status = status
        self.gates: dict[float, threading.Event] = {}
        self.started: dict[float, threading.Event] = {}
        self.solved: list[float] = []

    def close(self, scenario):
        self.gates[_key(scenario)] = threading.Event()
        self.started[_key(scenario)] = threading.Event()

    def open(self, scenario):
        self.gates[_key(scenario)].set()

    def __call__(self, scenario, relaxed):
        key = _key(scenario)
        if key in self.gates:
            self.started[key].set()
            assert self.gates[key].wait(WAIT_MS / 1000)
        self.solved.append(key)
        return _Plan(scenario, self.status), None


def _key(scenario) -> float:
    return scenario.tasks[0].weight


def _scenarios(n):
    base = blank_scenario()
    return [base.with_task_weight(base.tasks[0].id, float(k + 1)) for k in range(n)]


@pytest.fixture
def shown(qtbot):
    made = []

    def make(solves):
        c = SolveController(solve=solves)
        c.shown = []
        c.resultReady.connect(lambda result, _model: c.shown.append(_key(result.scenario)))
        made.append(c)
        return c

    yield make
    for c in made:
        assert c.wait(WAIT_MS)


def test_a_drag_shows_only_the_newest_finished_result(qtbot, shown):
    solves = _Solves(status="stand-in")  # not optimal: no marginal gains
    controller = shown(solves)
    s1, s2, s3 = _scenarios(3)
    solves.close(s1)
    controller.request(s1, immediate=True, provisional=True)
    assert solves.started[1.0].wait(WAIT_MS / 1000)
    controller.request(s2, immediate=True, provisional=True)
    controller.request(s3, immediate=True, provisional=True)  # s2 never starts: s3 replaced it
    solves.open(s1)
    # The GUI thread is held up (no events processed) while s1 and then s3 finish:
    # the solve thread neither waits for it nor leaves it a backlog.
    assert controller._runner.wait(WAIT_MS)
    assert solves.solved == [1.0, 3.0]
    qtbot.waitUntil(lambda: not controller.busy, timeout=WAIT_MS)
    assert controller.shown == [3.0]  # s1's result was stale by the time the GUI got to it


def test_a_drag_shows_a_finished_plan_while_the_next_one_is_solved(qtbot, shown):
    solves = _Solves(status="stand-in")
    controller = shown(solves)
    s1, s2 = _scenarios(2)
    solves.close(s2)
    controller.request(s1, immediate=True, provisional=True)
    qtbot.waitUntil(lambda: controller.shown == [1.0], timeout=WAIT_MS)
    controller.request(s2, immediate=True, provisional=True)
    assert solves.started[2.0].wait(WAIT_MS / 1000)
    solves.open(s2)
    qtbot.waitUntil(lambda: controller.shown == [1.0, 2.0], timeout=WAIT_MS)


def test_a_superseded_result_outside_a_drag_is_dropped(qtbot, shown):
    solves = _Solves(status="stand-in")
    controller = shown(solves)
    s1, s2 = _scenarios(2)
    solves.close(s1)
    controller.request(s1, immediate=True)
    assert solves.started[1.0].wait(WAIT_MS / 1000)
    controller.request(s2, immediate=True)
    solves.open(s1)
    qtbot.waitUntil(lambda: not controller.busy, timeout=WAIT_MS)
    assert solves.solved == [1.0, 2.0]
    assert controller.shown == [2.0]


def test_marginal_gains_never_hold_up_the_next_solve_and_are_cancelled(qtbot, shown, monkeypatch):
    release = threading.Event()
    gains_started = threading.Event()
    asked = []

    def slow_gains_job(result, model):
        def job(progress):
            gains_started.set()
            assert release.wait(WAIT_MS / 1000)  # a re-solve that cannot be interrupted
            asked.append(progress(1.0))
            return ["gain"]

        return job

    monkeypatch.setattr(solver_module, "_gains_job", slow_gains_job)
    solves = _Solves()
    controller = shown(solves)
    gains = []
    controller.gainsReady.connect(gains.append)
    s1, s2 = _scenarios(2)
    controller.request(s1, immediate=True)
    qtbot.waitUntil(lambda: controller.shown == [1.0], timeout=WAIT_MS)
    assert gains_started.wait(WAIT_MS / 1000)
    controller.request(s2, immediate=True)
    # the next plan arrives while the gains of the last one are still being worked out
    qtbot.waitUntil(lambda: controller.shown == [1.0, 2.0], timeout=WAIT_MS)
    assert not release.is_set()
    release.set()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=WAIT_MS)  # s2's gains ran after s1's
    qtbot.waitUntil(lambda: not controller.busy, timeout=WAIT_MS)
    assert asked[0] is False  # s1's gains were told they are no longer wanted
    assert gains == [["gain"]]  # only s2's gains reached the window


def test_a_solver_failure_is_reported(qtbot, shown):
    def broken(scenario, relaxed):
        raise RuntimeError("HiGHS went away")

    controller = shown(broken)
    failures = []
    controller.solveFailed.connect(failures.append)
    controller.request(_scenarios(1)[0], immediate=True)
    qtbot.waitUntil(lambda: failures == ["RuntimeError: HiGHS went away"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not controller.busy, timeout=WAIT_MS)


def test_a_drag_faster_than_the_debounce_is_solved_while_it_lasts(qtbot, shown):
    # Moves closer together than DEBOUNCE_MS must not keep postponing the solve until the drag ends.
    solves = _Solves()
    c = shown(solves)
    scenarios = _scenarios(12)
    gap = max(1, solver_module.DEBOUNCE_MS * 2 // 3)
    for s in scenarios:
        c.request(s, provisional=True)
        qtbot.wait(gap)
    assert solves.solved, "nothing was solved during the drag"
    assert solves.solved[0] != _key(scenarios[-1])  # an earlier position, solved while the drag went on
    qtbot.waitUntil(lambda: c.shown and c.shown[-1] == _key(scenarios[-1]), timeout=WAIT_MS)
