"""Pareto frontier between two tasks, by the epsilon-constraint method."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..lp import UNIT_EPS
from ..model import build_model
from ..scenario import Scenario
from ._common import (
    MAX_POINTS, AnalysisError, ProgressFn, Reporter, check_progress, check_whole, generate_dict, num,
    require_plan, task_index, task_weights,
)
from ._sweep import SweepSolver

# A task score held at an optimum may give this much (points) for the next stage.
HOLD = 1e-9


@dataclass(frozen=True)
class ParetoPoint:
    """One plan on (or, for the current plan, near) the frontier.

    epsilon: the floor on task b's score it was solved for (None for the
    current plan). score: the overall score under the scenario's weights.
    """

    epsilon: float | None
    score_a: float
    score_b: float
    score: float
    task_scores: dict[str, float | None]
    generate: dict[str, float]

    def to_json(self) -> dict:
        return {
            "epsilon": num(self.epsilon), "score_a": num(self.score_a), "score_b": num(self.score_b),
            "score": num(self.score), "task_scores": {k: num(v) for k, v in self.task_scores.items()},
            "generate": {k: num(v) for k, v in self.generate.items()},
        }


@dataclass(frozen=True)
class ParetoFrontier:
    """The best task-a score for each floor on task b, from b's lowest useful floor to its optimum.

    points go from the plan best for task a (``points[0].score_a == best_a``)
    to the plan best for task b (``points[-1].score_b == best_b``). Each point
    is then the best plan overall (scenario weights) among those with the
    same two task scores, and among those the one with fewest new units.
    current: the scenario's own optimum; ``current_gap`` is how many points
    task a could gain with task b held at the current plan's score (0: the
    current plan is on the frontier).
    """

    scenario: Scenario = field(repr=False, compare=False)
    task_a: str
    task_b: str
    name_a: str
    name_b: str
    best_a: float
    best_b: float
    points: tuple[ParetoPoint, ...]
    current: ParetoPoint
    current_gap: float
    seconds: float = 0.0

    @property
    def current_on_frontier(self) -> bool:
        return self.current_gap <= 1e-6

    def to_json(self) -> dict:
        return {
            "analysis": "pareto", "scenario": self.scenario.name, "task_a": self.task_a,
            "task_b": self.task_b, "name_a": self.name_a, "name_b": self.name_b,
            "best_a": num(self.best_a), "best_b": num(self.best_b),
            "points": [p.to_json() for p in self.points], "current": self.current.to_json(),
            "current_gap": num(self.current_gap), "current_on_frontier": self.current_on_frontier,
            "seconds": round(self.seconds, 6),
        }


def pareto(scenario: Scenario, task_a: str, task_b: str, points: int = 15,
           progress: ProgressFn | None = None) -> ParetoFrontier:
    """The trade-off between two tasks' scores.

    For each epsilon in task b's feasible range: maximise task a's score
    subject to task b's score >= epsilon (a bound on b's score column, i.e.
    an extra row on the built model); then, holding both, the best overall
    score under the scenario's weights; then the fewest new units.

    Parameters
    ----------
    scenario : Scenario
    task_a, task_b : str
        Two different task ids; both must have demand.
    points : int
        Points on the frontier (2 to :data:`MAX_POINTS`), evenly spaced in
        task b's score.
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.

    Raises
    ------
    AnalysisError
        Naming the parameter: an unknown or repeated task, one without
        demand, a number of points out of range.
    InfeasibleScenario
        If the scenario has no plan, before the frontier is traced.
    """
    check_progress(progress)
    points = check_whole("points", points, 2, MAX_POINTS)
    s = scenario
    ia = task_index(s, "task_a", task_a)
    ib = task_index(s, "task_b", task_b)
    if ia == ib:
        raise AnalysisError("choose two different tasks", parameter="task_b", value=task_b)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    model = build_model(s)
    solver = SweepSolver(model)
    for name, tid, i in (("task_a", task_a, ia), ("task_b", task_b, ib)):
        if solver.full[i] <= 0:
            raise AnalysisError("the task has no demand: it has no score to trade", parameter=name, value=tid)
    w0 = task_weights(s)
    T = len(s.tasks)
    e_a, e_b = np.eye(T)[ia], np.eye(T)[ib]

    cur = solver.solve_weights(w0)
    require_plan(cur, model)
    c0 = solver._coef.copy()

    def maximise(e, tie_break=False):
        solver.set_task_objective(e)
        p = solver.solve(tie_break=tie_break)
        if not p.ok:
            raise AnalysisError(f"the frontier could not be solved: {p.status}")
        return p

    def held(value):
        return value - HOLD * max(abs(value), 1.0)

    # ends of task b's range: b at the plan best for a, b at its own best
    a_star = float(maximise(e_a).y[ia])
    solver.set_task_floor(ia, held(a_star))
    b_lo = float(maximise(e_b).y[ib])
    solver.set_task_floor(ia, None)
    b_star = float(maximise(e_b).y[ib])
    b_lo = min(b_lo, b_star)
    report(0.1)

    def frontier_point(eps):
        solver.set_task_floor(ib, held(eps))
        a = float(maximise(e_a).y[ia])
        solver.set_task_floor(ia, held(a))
        solver.set_weights(w0)
        p = solver.solve()
        solver.set_task_floor(ia, None)
        solver.set_task_floor(ib, None)
        if not p.ok:
            raise AnalysisError(f"the frontier could not be solved: {p.status}")
        return p

    out = []
    eps_values = np.linspace(b_lo, b_star, points)
    for k, eps in enumerate(eps_values):
        p = frontier_point(float(eps))
        out.append(_point(s, p, float(eps), ia, ib, c0, solver))
        report(0.1 + 0.85 * (k + 1) / points)

    # how far the current plan is from the frontier
    solver.set_task_floor(ib, held(float(cur.y[ib])))
    a_at_cur = float(maximise(e_a).y[ia])
    solver.set_task_floor(ib, None)
    current = _point(s, cur, None, ia, ib, c0, solver)
    report(1.0)
    return ParetoFrontier(
        scenario=s, task_a=task_a, task_b=task_b, name_a=s.tasks[ia].name, name_b=s.tasks[ib].name,
        best_a=out[0].score_a, best_b=out[-1].score_b, points=tuple(out), current=current,
        current_gap=max(a_at_cur - current.score_a, 0.0), seconds=time.perf_counter() - t0,
    )


def _point(s, p, eps, ia, ib, c0, solver) -> ParetoPoint:
    ts = p.task_scores
    return ParetoPoint(
        epsilon=eps, score_a=float(ts[ia]), score_b=float(ts[ib]),
        score=float(c0[solver.y_task] @ ts[solver.y_task]),
        task_scores={t.id: (None if np.isnan(v) else float(v)) for t, v in zip(s.tasks, ts)},
        generate=generate_dict(s, p.generate, UNIT_EPS),
    )


__all__ = ["ParetoFrontier", "ParetoPoint", "pareto"]
