"""Weight stability: how far each task's weight can move before the plan changes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..lp import UNIT_EPS
from ..model import build_model
from ..scenario import Scenario
from ._common import (
    MAX_POINTS, AnalysisError, ProgressFn, Reporter, check_choice, check_progress, check_whole, generated_ids,
    num, require_plan, task_weights,
)
from ._sweep import SweepSolver

CRITERIA = ("set", "units")


@dataclass(frozen=True)
class WeightRange:
    """One task's stability interval (a bar of the tornado chart).

    Shares are of the total weight (0-1); weights are in the scenario's own
    units (the total stays as it is: the other tasks are rescaled in
    proportion). Between ``low_share`` and ``high_share`` the plan keeps the
    same generated capabilities; the change lies within ``tolerance`` beyond
    each end, unless that end is open (0 or 1 reached without a change).
    below / above: the generated capabilities just beyond each end (None for
    an open end). The samples (``shares``) cover the whole range 0-1 with the
    optimal ``scores`` under the moved weights, the score of those plans
    under the scenario's own weights (``scores_at_current_weights``: what
    planning for the moved weight costs if the current weights are right),
    and the generated capabilities of each.
    """

    task: str
    name: str
    weight: float
    share: float
    low_share: float
    high_share: float
    low_weight: float
    high_weight: float
    low_open: bool
    high_open: bool
    below: tuple[str, ...] | None
    above: tuple[str, ...] | None
    has_demand: bool
    shares: tuple[float, ...]
    scores: tuple[float | None, ...]
    scores_at_current_weights: tuple[float | None, ...]
    generated: tuple[tuple[str, ...] | None, ...]

    def to_json(self) -> dict:
        return {
            "task": self.task, "name": self.name, "weight": num(self.weight), "share": num(self.share),
            "low_share": num(self.low_share), "high_share": num(self.high_share),
            "low_weight": num(self.low_weight), "high_weight": num(self.high_weight),
            "low_open": self.low_open, "high_open": self.high_open,
            "below": None if self.below is None else list(self.below),
            "above": None if self.above is None else list(self.above),
            "has_demand": self.has_demand,
            "samples": [
                {"share": num(sh), "score": num(sc), "score_at_current_weights": num(sc0),
                 "generated": None if g is None else list(g)}
                for sh, sc, sc0, g in zip(self.shares, self.scores, self.scores_at_current_weights,
                                          self.generated)
            ],
        }


@dataclass(frozen=True)
class WeightStability:
    """Per task, the weight range over which the plan's generated capabilities stay the same.

    ranges are in the scenario's task order (sort by ``high_share -
    low_share`` for a tornado chart).
    """

    scenario: Scenario = field(repr=False, compare=False)
    criterion: str
    tolerance: float
    current_score: float
    current_generated: tuple[str, ...]
    ranges: tuple[WeightRange, ...]
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "analysis": "weight_stability", "scenario": self.scenario.name,
            "criterion": self.criterion, "tolerance": num(self.tolerance),
            "current_score": num(self.current_score), "current_generated": list(self.current_generated),
            "ranges": [r.to_json() for r in self.ranges], "seconds": round(self.seconds, 6),
        }


def moved_weights(w: np.ndarray, i: int, share: float) -> np.ndarray:
    """Weights with task i at ``share`` of the total, the others rescaled in proportion.

    The total stays the same; if the other tasks all weigh 0 they share the
    rest equally.
    """
    total = float(w.sum())
    out = np.empty_like(w, dtype=float)
    others = np.arange(w.size) != i
    rest = total - float(w[i])
    if rest > 0:
        out[others] = w[others] * (1.0 - share) * total / rest
    elif others.any():
        out[others] = (1.0 - share) * total / others.sum()
    out[i] = share * total
    return out


def weight_stability(scenario: Scenario, progress: ProgressFn | None = None, *, tolerance: float = 0.005,
                     grid: int = 21, criterion: str = "set") -> WeightStability:
    """How far each task's weight can move before the set of generated capabilities changes.

    Parameters
    ----------
    scenario : Scenario
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.
    tolerance : float
        Precision of each interval end, as a share of the total weight
        (0.005 = half a percentage point), found by bisection.
    grid : int
        Evenly spaced shares from 0 to 1 (2 to :data:`MAX_POINTS`) solved first (the samples of the
        score along the range); the ends are searched between the nearest grid
        points where the plan differs. A change that reverts between two grid
        points is not seen.
    criterion : "set" or "units"
        "set": the same capabilities generated; "units": also the same numbers
        of new units (within 1e-6).

    Raises
    ------
    AnalysisError
        For a parameter out of range (naming it).
    InfeasibleScenario
        If the scenario has no plan (weights do not change feasibility),
        before any weight is moved.
    """
    check_progress(progress)
    check_choice("criterion", criterion, CRITERIA)
    if not 0 < tolerance < 0.5:  # NaN too
        raise AnalysisError("choose a share between 0 and 0.5, both excluded", parameter="tolerance",
                            value=tolerance)
    grid = check_whole("grid", grid, 2, MAX_POINTS)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    s = scenario
    w0 = task_weights(s)
    total = float(w0.sum())
    if total <= 0:
        raise AnalysisError("every task weight is 0")
    model = build_model(s)
    solver = SweepSolver(model)
    base = solver.solve_weights(w0)
    require_plan(base, model)
    c0 = solver._coef.copy()  # score coefficients under the current weights

    def key(pt):
        if not pt.ok:
            return None
        if criterion == "set":
            return tuple(pt.generate > UNIT_EPS)
        return tuple(np.round(np.where(pt.generate > UNIT_EPS, pt.generate, 0.0), 6))

    key0 = key(base)
    T = len(s.tasks)
    ranges = []
    for i, task in enumerate(s.tasks):
        part = report.part(i / T, (i + 1) / T)
        share0 = float(w0[i] / total)
        shares = np.union1d(np.linspace(0.0, 1.0, grid), [share0])
        pts = []
        for k, sh in enumerate(shares):  # in order: each solve starts near the last
            pts.append(solver.solve_weights(moved_weights(w0, i, sh)))
            part(0.7 * (k + 1) / shares.size)
        keys = [key(p) for p in pts]
        at = int(np.searchsorted(shares, share0))
        steps = iter(range(1, 10_000))

        def same_plan(share, i=i, part=part, steps=steps):
            p = solver.solve_weights(moved_weights(w0, i, share))
            part(min(0.7 + 0.03 * next(steps), 0.99))
            return key(p) == key0, p

        lo_j = next((j for j in range(at - 1, -1, -1) if keys[j] != key0), None)
        hi_j = next((j for j in range(at + 1, shares.size) if keys[j] != key0), None)
        below = above = None
        if lo_j is None:
            low = 0.0
        else:
            low, p = _bisect(same_plan, shares[lo_j + 1], shares[lo_j], tolerance)
            below = _ids(s, p if p is not None else pts[lo_j])
        if hi_j is None:
            high = 1.0
        else:
            high, p = _bisect(same_plan, shares[hi_j - 1], shares[hi_j], tolerance)
            above = _ids(s, p if p is not None else pts[hi_j])
        part(1.0)
        ranges.append(WeightRange(
            task=task.id, name=task.name, weight=float(w0[i]), share=share0,
            low_share=float(low), high_share=float(high),
            low_weight=float(low * total), high_weight=float(high * total),
            low_open=lo_j is None, high_open=hi_j is None, below=below, above=above,
            has_demand=bool(solver.full[i] > 0),
            shares=tuple(float(x) for x in shares),
            scores=tuple(p.score if p.ok else None for p in pts),
            scores_at_current_weights=tuple(
                float(c0[solver.y_task] @ p.task_scores[solver.y_task]) if p.ok else None for p in pts),
            generated=tuple(_ids(s, p) for p in pts),
        ))
    return WeightStability(s, criterion, tolerance, base.score, _ids(s, base), tuple(ranges),
                           time.perf_counter() - t0)


def _bisect(same_plan, same: float, diff: float, tolerance: float):
    """Narrow the switch between ``same`` and ``diff`` (either order) to ``tolerance``.

    Returns the share nearest the switch that keeps the plan, and the plan
    found just past it (None if the grid point's is the nearest).
    """
    past = None
    while abs(diff - same) > tolerance:
        mid = 0.5 * (same + diff)
        keeps, p = same_plan(mid)
        if keeps:
            same = mid
        else:
            diff, past = mid, p
    return same, past


def _ids(s, pt):
    return generated_ids(s, pt.generate, UNIT_EPS) if pt.ok else None


__all__ = ["WeightRange", "WeightStability", "moved_weights", "weight_stability"]
