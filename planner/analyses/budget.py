"""Budget curve: the score against one resource's capacity, and what a cut costs."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..lp import UNIT_EPS
from ..model import build_model
from ..scenario import Scenario
from ..summary import capacity_step, format_amount, format_points, format_units
from ._common import (
    MAX_POINTS, AnalysisError, ProgressFn, Reporter, check_progress, check_whole, known, num, require_plan,
)
from ._sweep import SweepSolver


@dataclass(frozen=True)
class BudgetPoint:
    """The plan at one capacity.

    score: None where no plan meets the floors, presence rules and fielded
    resources at this capacity. marginal: score points per unit of capacity
    gained from the point before (None for the first point). shadow_price:
    points per unit from the LP duals at this point (the slope just above it).
    dropped / added: new units fewer / more than the current plan generates,
    per capability id.
    """

    capacity: float
    feasible: bool
    score: float | None
    task_scores: dict[str, float | None]
    generate: dict[str, float]
    marginal: float | None
    shadow_price: float | None
    dropped: dict[str, float]
    added: dict[str, float]
    repatriate: dict[str, float] = field(default_factory=dict)  # existing units sent home, per capability

    def to_json(self) -> dict:
        return {
            "capacity": num(self.capacity), "feasible": self.feasible, "score": num(self.score),
            "task_scores": {k: num(v) for k, v in self.task_scores.items()},
            "generate": {k: num(v) for k, v in self.generate.items()},
            "marginal": num(self.marginal), "shadow_price": num(self.shadow_price),
            "dropped": {k: num(v) for k, v in self.dropped.items()},
            "added": {k: num(v) for k, v in self.added.items()},
            "repatriate": {k: num(v) for k, v in self.repatriate.items()},
        }


@dataclass(frozen=True)
class BudgetCurve:
    """Score against the capacity of ``resource``, from 0 to twice the current capacity.

    points are in increasing capacity; ``points[current_index]`` is the
    scenario as it stands. step is a round amount to talk about ("another
    $1M"): ``marginal * step`` is what one more step buys.
    """

    scenario: Scenario = field(repr=False, compare=False)
    resource: str
    resource_name: str
    unit: str
    basis: str
    current_capacity: float
    current_index: int
    step: float
    points: tuple[BudgetPoint, ...]
    seconds: float = 0.0

    @property
    def current(self) -> BudgetPoint:
        return self.points[self.current_index]

    @property
    def capacities(self) -> np.ndarray:
        return np.array([p.capacity for p in self.points])

    @property
    def scores(self) -> np.ndarray:
        """Scores as an array, NaN where infeasible."""
        return np.array([np.nan if p.score is None else p.score for p in self.points])

    def to_json(self) -> dict:
        return {
            "analysis": "budget_curve", "scenario": self.scenario.name,
            "resource": self.resource, "resource_name": self.resource_name, "unit": self.unit,
            "basis": self.basis, "current_capacity": num(self.current_capacity),
            "current_index": self.current_index, "step": num(self.step),
            "points": [p.to_json() for p in self.points], "seconds": round(self.seconds, 6),
        }


def default_resource(s: Scenario) -> str:
    """The budget to vary: the first resource on the "generated" basis (a budget for new
    units), else the first on the "in_service" basis (a budget that also carries the
    existing force, so a cut can fall on old units or new ones)."""
    for basis in ("generated", "in_service"):
        for q in s.resources:
            if q.basis == basis:
                return q.id
    raise AnalysisError("the scenario has no budget on the 'generated' or 'in_service' basis; "
                        "name the resource to vary")


def _upper(model, s: Scenario, qi: int, capacity: float) -> float:
    if capacity > 0:
        return 2.0 * capacity
    # Nothing to double: go up to what every possible new unit would use.
    u = model.use[:, qi]
    max_new = np.array([c.max_new for c in s.capabilities], float)
    top = float(u @ (model.existing + max_new)) if s.resources[qi].basis != "generated" else float(u @ max_new)
    return top if top > 0 else 1.0


def budget_curve(scenario: Scenario, resource_id: str | None = None, points: int = 21,
                 progress: ProgressFn | None = None) -> BudgetCurve:
    """Score against a resource's capacity, from 0 to twice its current value.

    Parameters
    ----------
    scenario : Scenario
    resource_id : str, optional
        Default: the first resource on the "generated" basis (the adaptation budget).
    points : int
        Evenly spaced capacities (2 to :data:`MAX_POINTS`); the current
        capacity is always one of them (added if the grid misses it).
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.

    The model is built once; each point changes the resource's rows of the
    right-hand side and re-solves from the previous point's basis.

    Raises
    ------
    AnalysisError
        Naming the parameter: an unknown resource, a number of points out of
        range; or no resource to vary.
    InfeasibleScenario
        If no capacity on the curve allows a plan (checked first, at the
        largest). Where only some capacities have no plan, their points say
        so instead (``feasible`` False).
    """
    check_progress(progress)
    points = check_whole("points", points, 2, MAX_POINTS)
    s = scenario
    rid = default_resource(s) if resource_id is None else resource_id
    ids = [r.id for r in s.resources]
    if rid not in ids:
        raise AnalysisError(f"unknown resource {known(ids)}", parameter="resource_id", value=rid)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    q = s.resource(rid)
    qi = ids.index(rid)
    model = build_model(s)
    rows = model.block("resource", rid).rows
    cap0 = float(q.capacity)
    caps = np.linspace(0.0, _upper(model, s, qi, cap0), points)
    if not np.any(np.isclose(caps, cap0, rtol=1e-12, atol=0.0)):
        caps = np.sort(np.append(caps, cap0))
    current_index = int(np.argmin(np.abs(caps - cap0)))
    caps[current_index] = cap0

    solver = SweepSolver(model)
    # More capacity only loosens the resource's rows: without a plan at the
    # largest capacity there is none anywhere on the curve.
    solver.set_rhs(_rhs(model, rows, caps[-1] - cap0))
    require_plan(solver.solve(), model)
    sols = []
    for i, cap in enumerate(caps):  # each from the last one's basis (dual simplex)
        solver.set_rhs(_rhs(model, rows, cap - cap0))
        sols.append(solver.solve())
        report((i + 1) / len(caps))

    cur = sols[current_index]
    g0 = cur.generate if cur.ok else np.zeros(len(s.capabilities))
    out = []
    prev = None
    for i, (cap, pt) in enumerate(zip(caps, sols)):
        out.append(_point(s, model, rows, cap, pt, prev, caps[i - 1] if i else None, g0))
        prev = pt
    return BudgetCurve(s, rid, q.name, q.unit, q.basis, cap0, current_index, capacity_step(cap0),
                       tuple(out), time.perf_counter() - t0)


def _rhs(model, rows, change: float) -> np.ndarray:
    """The model's right-hand side with the resource's rows moved by ``change``."""
    b = model.b.copy()
    b[rows] += change
    return b


def _point(s, model, rows, cap, pt, prev, prev_cap, g0) -> BudgetPoint:
    task_ids = [t.id for t in s.tasks]
    if not pt.ok:
        return BudgetPoint(float(cap), False, None, {t: None for t in task_ids}, {}, None, None, {}, {})
    marginal = None
    if prev is not None and prev.ok and cap > prev_cap:
        marginal = (pt.score - prev.score) / (cap - prev_cap)
    shadow = None if pt.duals is None else max(float(-pt.duals[rows].sum()), 0.0) + 0.0
    diff = pt.generate - g0
    ids = [c.id for c in s.capabilities]
    z = np.round(np.clip(pt.v[model.z_slice], 0.0, None), 9) if model.zc.size else np.zeros(0)
    home = np.bincount(model.zc, z, minlength=len(ids)) if model.zc.size else np.zeros(len(ids))
    return BudgetPoint(
        capacity=float(cap), feasible=True, score=pt.score,
        task_scores={t: (None if np.isnan(v) else float(v)) for t, v in zip(task_ids, pt.task_scores)},
        generate={c: float(u) for c, u in zip(ids, pt.generate) if u > UNIT_EPS},
        marginal=marginal, shadow_price=shadow,
        dropped={c: float(-d) for c, d in zip(ids, diff) if d < -UNIT_EPS},
        added={c: float(d) for c, d in zip(ids, diff) if d > UNIT_EPS},
        repatriate={c: float(u) for c, u in zip(ids, home) if u > UNIT_EPS},
    )


def describe_cut(curve: BudgetCurve, capacity: float) -> str:
    """One sentence on moving the resource to ``capacity``.

    "A cut in the Force adaptation budget to $40.0M costs 0.77 points (69.6 to
    68.8) and drops 3.8 Utility helicopter and 3.4 ISR unmanned aerial system."
    Dropped / generated units are counted against the current plan. A
    capacity that is not on the curve is solved for (once).
    """
    s = curve.scenario
    capacity = float(capacity)
    if not (math.isfinite(capacity) and capacity >= 0):
        raise AnalysisError("choose a finite amount >= 0", parameter="capacity", value=capacity)
    q = s.resource(curve.resource)
    cur = curve.current
    amount = format_amount(capacity, curve.unit)
    match = [p for p in curve.points if np.isclose(p.capacity, capacity, rtol=1e-9, atol=1e-12)]
    if match:
        point = match[0]
    else:
        model = build_model(s)
        rows = model.block("resource", curve.resource).rows
        solver = SweepSolver(model)
        solver.set_rhs(_rhs(model, rows, capacity - curve.current_capacity))
        pt = solver.solve()
        cur_g = np.array([cur.generate.get(c.id, 0.0) for c in s.capabilities])
        point = _point(s, model, rows, capacity, pt, None, None, cur_g)
    if not cur.feasible:
        if not point.feasible:
            return f"Neither the current {q.name} nor {amount} allows a plan that meets every rule."
        return f"At {amount} a plan exists (score {point.score:.1f}); at the current {q.name} none does."
    if not point.feasible:
        return (f"At {amount} no plan meets every floor, presence rule and fielded resource "
                f"(the current {format_amount(curve.current_capacity, curve.unit)} scores {cur.score:.1f}).")
    delta = point.score - cur.score
    if np.isclose(capacity, curve.current_capacity, rtol=1e-12, atol=0.0):
        return f"{amount} is the current {q.name}: score {cur.score:.1f}."
    if capacity < curve.current_capacity:
        head = (f"A cut in the {q.name} to {amount} costs {format_points(max(-delta, 0.0))} points "
                f"({cur.score:.1f} to {point.score:.1f})")
    else:
        head = (f"Raising the {q.name} to {amount} adds {format_points(max(delta, 0.0))} points "
                f"({cur.score:.1f} to {point.score:.1f})")
    drops = _units_list(s, point.dropped)
    adds = _units_list(s, point.added)
    if drops and adds:
        text = f"{head}, drops {drops} and generates {adds} instead."
    elif drops:
        text = f"{head} and drops {drops}."
    elif adds:
        text = f"{head} and generates {adds} more."
    else:
        text = f"{head}; the same new capabilities are generated."
    home = {c: u - cur.repatriate.get(c, 0.0) for c, u in point.repatriate.items()}
    home = {c: u for c, u in home.items() if u > UNIT_EPS}
    if home:
        text = text[:-1] + f", and repatriates {_units_list(s, home)} of the existing force to pay for it."
    return text + _task_changes(s, cur, point)


# A task's change of score worth naming beside a budget step, and at most this many tasks.
TASK_CHANGE_SHOWN = 0.05
TASK_CHANGES = 3


def _task_changes(s: Scenario, before: BudgetPoint, after: BudgetPoint) -> str:
    """" Protection of civilians −4.2, Political process −1.0 (task scores)." where the score of
    the mandate hides which tasks move: the largest changes first."""
    moved = []
    for t in s.tasks:
        a, b = before.task_scores.get(t.id), after.task_scores.get(t.id)
        if a is not None and b is not None and abs(b - a) >= TASK_CHANGE_SHOWN:
            moved.append((abs(b - a), t.name.split(" (")[0], b - a))
    if not moved:
        return ""
    moved.sort(key=lambda m: -m[0])
    return " By task: " + ", ".join(f"{name} {d:+.1f}" for _, name, d in moved[:TASK_CHANGES]) + "."


def _units_list(s: Scenario, units: dict[str, float]) -> str:
    parts = [f"{format_units(u)} {s.capability(c).name}" for c, u in units.items()]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


__all__ = ["BudgetCurve", "BudgetPoint", "budget_curve", "default_resource", "describe_cut"]
