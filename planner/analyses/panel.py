"""Stakeholder panel: the compromise plan and what it costs each member."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..lp import UNIT_EPS
from ..model import build_model
from ..result import Result
from ..scenario import Scenario
from ._common import ProgressFn, Reporter, by_id, check_progress, generate_dict, num, require_plan
from ._sweep import SweepSolver, score_coefficients
from .smaa import panel_matrix

# Solver noise: a regret this close to 0 is 0.
REGRET_NOISE = 1e-7


@dataclass(frozen=True)
class MemberOutcome:
    """One panel member: their best plan and the compromise, both scored with their weights.

    regret = own_score - compromise_score >= 0: the points the compromise
    costs them. weights are normalised (a task they left out weighs 0).
    """

    id: str
    name: str
    weights: dict[str, float]
    own_score: float
    compromise_score: float
    regret: float
    own_task_scores: dict[str, float | None]
    own_generate: dict[str, float]

    def to_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "weights": {k: num(v) for k, v in self.weights.items()},
            "own_score": num(self.own_score), "compromise_score": num(self.compromise_score),
            "regret": num(self.regret),
            "own_task_scores": {k: num(v) for k, v in self.own_task_scores.items()},
            "own_generate": {k: num(v) for k, v in self.own_generate.items()},
        }


@dataclass(frozen=True)
class PanelAnalysis:
    """The compromise plan (the mean of the members' normalised weights) and each member's regret.

    compromise_result is the full plan (allocation, resources) under the
    compromise weights, for the views that show a plan.
    """

    scenario: Scenario = field(repr=False, compare=False)
    compromise_weights: dict[str, float]
    compromise_score: float
    compromise_task_scores: dict[str, float | None]
    compromise_generate: dict[str, float]
    members: tuple[MemberOutcome, ...]
    compromise_result: Result = field(repr=False, compare=False)
    seconds: float = 0.0

    @property
    def max_regret(self) -> float:
        return max((m.regret for m in self.members), default=0.0)

    @property
    def mean_regret(self) -> float:
        return float(np.mean([m.regret for m in self.members])) if self.members else 0.0

    def to_json(self) -> dict:
        return {
            "analysis": "panel", "scenario": self.scenario.name,
            "compromise_weights": {k: num(v) for k, v in self.compromise_weights.items()},
            "compromise_score": num(self.compromise_score),
            "compromise_task_scores": {k: num(v) for k, v in self.compromise_task_scores.items()},
            "compromise_generate": {k: num(v) for k, v in self.compromise_generate.items()},
            "members": [m.to_json() for m in self.members],
            "max_regret": num(self.max_regret), "mean_regret": num(self.mean_regret),
            "seconds": round(self.seconds, 6),
        }


def score_under(solver_full: np.ndarray, weights, task_scores: np.ndarray) -> float:
    """A plan's score under other weights: its task scores weighed by them.

    The same as summing :func:`planner.summary.pair_contributions` of the plan
    with the weights replaced.
    """
    c = score_coefficients(solver_full, weights)
    has = solver_full > 0
    return float(c[has] @ task_scores[has])


def panel_analysis(scenario: Scenario, progress: ProgressFn | None = None) -> PanelAnalysis:
    """The compromise of ``scenario.panel`` and each member's regret.

    The compromise weights are the mean of the members' normalised weights (a
    task a member leaves out weighs 0 for them). Each member's regret is their
    own optimum's score minus the compromise plan's score, both under the
    member's weights.

    Raises
    ------
    AnalysisError
        If the scenario has no panel.
    InfeasibleScenario
        If the scenario has no plan.
    """
    check_progress(progress)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    s = scenario
    M = panel_matrix(s)  # raises without a panel
    compromise = M.mean(0)
    model = build_model(s)
    solver = SweepSolver(model)
    comp = solver.solve_weights(compromise)
    require_plan(comp, model)
    comp_result = solver.result(comp)
    report(1.0 / (len(M) + 1))
    task_ids = [t.id for t in s.tasks]
    members = []
    for k, (member, w) in enumerate(zip(s.panel, M)):
        own = solver.solve_weights(w)
        own_score = float(own.score)
        comp_score = score_under(solver.full, w, comp.task_scores)
        regret = own_score - comp_score
        if abs(regret) < REGRET_NOISE:
            regret = 0.0
        members.append(MemberOutcome(
            id=member.id, name=member.name, weights=by_id(task_ids, w), own_score=own_score,
            compromise_score=comp_score, regret=regret,
            own_task_scores={t: (None if np.isnan(v) else float(v)) for t, v in zip(task_ids, own.task_scores)},
            own_generate=generate_dict(s, own.generate, UNIT_EPS),
        ))
        report((k + 2) / (len(M) + 1))
    return PanelAnalysis(
        scenario=s, compromise_weights=by_id(task_ids, compromise), compromise_score=float(comp.score),
        compromise_task_scores={t: (None if np.isnan(v) else float(v)) for t, v in zip(task_ids, comp.task_scores)},
        compromise_generate=generate_dict(s, comp.generate, UNIT_EPS), members=tuple(members),
        compromise_result=comp_result, seconds=time.perf_counter() - t0,
    )


__all__ = ["MemberOutcome", "PanelAnalysis", "panel_analysis", "score_under"]
