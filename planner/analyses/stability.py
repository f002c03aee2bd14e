"""Weight stability: how far each task's weight can move before the plan changes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..lp import UNIT_EPS
from ..model import build_model, normalised_weights
from ..scenario import Scenario
from ._common import (
    MAX_POINTS, AnalysisError, ProgressFn, Reporter, check_choice, check_progress, check_whole, generate_dict,
    generated_ids, num, require_plan, task_weights,
)
from ._sweep import SweepSolver, check_executor, process_pool, run_jobs, scenario_payload, usable_cpus
from .parametric import Line, WalkFailed, lp_probe, lp_switch, units_of, whole_probe, whole_switches

CRITERIA = ("set", "units")
METHODS = ("exact", "grid")
# Most changes followed between two neighbouring grid shares.
MAX_CHANGES = 50
# With no executor given, the tasks go to local processes when the run is foreseen to take
# longer than this (a worker takes about a second to start): each task about one solve like
# the first per grid share, and this many for its switches.
PARALLEL_ABOVE_S = 3.0
SWITCHES_FORESEEN = 4


@dataclass(frozen=True)
class Breakpoint:
    """A share where the plan changes: the generated capabilities (ids) and units either side.

    share and weight as in :class:`WeightRange`; score: the optimal score there (the same on
    both sides), None from the grid method (whose share is only within its tolerance).
    """

    share: float
    weight: float
    score: float | None
    before: tuple[str, ...] | None
    after: tuple[str, ...] | None
    before_units: dict[str, float]
    after_units: dict[str, float]

    @property
    def added(self) -> tuple[str, ...]:
        """Capabilities generated after the share and not before (in the scenario's order)."""
        return tuple(c for c in (self.after or ()) if c not in (self.before or ()))

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(c for c in (self.before or ()) if c not in (self.after or ()))

    def to_json(self) -> dict:
        return {
            "share": num(self.share), "weight": num(self.weight), "score": num(self.score),
            "before": None if self.before is None else list(self.before),
            "after": None if self.after is None else list(self.after),
            "added": list(self.added), "dropped": list(self.dropped),
            "before_units": {k: num(v) for k, v in self.before_units.items()},
            "after_units": {k: num(v) for k, v in self.after_units.items()},
        }


@dataclass(frozen=True)
class WeightRange:
    """One task's stability interval (a bar of the tornado chart).

    Shares are of the total weight (0-1); weights are in the scenario's own
    units (the total stays as it is: the other tasks are rescaled in
    proportion). Between ``low_share`` and ``high_share`` the plan keeps the
    same generated capabilities; the change is at that end (exact method) or
    within ``tolerance`` beyond it (grid method), unless that end is open (0
    or 1 reached without a change).
    below / above: the generated capabilities just beyond each end (None for
    an open end). The samples (``shares``) cover the whole range 0-1 with the
    optimal ``scores`` under the moved weights, the score of those plans
    under the scenario's own weights (``scores_at_current_weights``: what
    planning for the moved weight costs if the current weights are right),
    and the generated capabilities of each; the exact method adds each
    breakpoint's share (with the plan just after it).

    With the exact method (the default) ``low_share`` and ``high_share`` are
    the exact switch shares, and ``breakpoints`` lists every share found
    where the plan changes, in order (outside the range too); the grid
    method lists its two ends.
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
    breakpoints: tuple[Breakpoint, ...] = ()

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
            "breakpoints": [b.to_json() for b in self.breakpoints],
        }


@dataclass(frozen=True)
class WeightStability:
    """Per task, the weight range over which the plan's generated capabilities stay the same.

    ranges are in the scenario's task order (sort by ``high_share -
    low_share`` for a tornado chart). method: "exact" or "grid"; method_text
    says in words what was used and how exact it is (with whole units, what
    the branch and bound checked); grid_tasks: the tasks the exact method
    left to the grid (bases it could not follow). ``tolerance`` is the grid
    method's (unused by the exact one).
    """

    scenario: Scenario = field(repr=False, compare=False)
    criterion: str
    tolerance: float
    current_score: float
    current_generated: tuple[str, ...]
    ranges: tuple[WeightRange, ...]
    seconds: float = 0.0
    method: str = "grid"
    method_text: str = ""
    whole_units: bool = False
    grid_tasks: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "analysis": "weight_stability", "scenario": self.scenario.name,
            "method": self.method, "method_text": self.method_text, "whole_units": self.whole_units,
            "grid_tasks": list(self.grid_tasks),
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


def weight_stability(scenario: Scenario, progress: ProgressFn | None = None, *, method: str = "exact",
                     tolerance: float = 0.005, grid: int = 21, criterion: str = "set",
                     executor=None) -> WeightStability:
    """How far each task's weight can move before the set of generated capabilities changes.

    Parameters
    ----------
    scenario : Scenario
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.
    method : "exact" or "grid"
        "exact" (default): each change seen at the grid's shares is placed at its exact share
        (:mod:`planner.analyses.parametric`): for an LP where the optimal bases of the two
        plans meet and their scores cross; with whole units where the two whole-unit plans'
        fixed LPs score the same, checked by a branch and bound there (no other whole-unit
        plan scores more). Every change found is a breakpoint of the range.
        "grid": each end narrowed by bisection to within ``tolerance``.
    tolerance : float
        "grid" only (unused by "exact", but checked): precision of each interval end, as a
        share of the total weight (0.005 = half a percentage point).
    grid : int
        Evenly spaced shares from 0 to 1 (2 to :data:`MAX_POINTS`) solved first (the samples of the
        score along the range); the changes are looked for between the nearest grid
        points where the plan differs. A change that reverts between two grid
        points is not seen, by either method.
    criterion : "set" or "units"
        "set": the same capabilities generated; "units": also the same numbers
        of new units (within 1e-6).
    executor : None, "serial", "process" or a concurrent.futures.Executor
        Where the tasks' ranges are worked out, one task per job: None runs
        them in local processes where there is more than one CPU and the run
        is foreseen to take more than :data:`PARALLEL_ABOVE_S` seconds (from the
        first solve's time: on the default scenario with whole units, a branch
        and bound at every share), else serially; an executor given (a process
        pool, a dask ``Client.get_executor()``) is used as it is. Each task
        starts from a solver of its own that has solved the current weights,
        wherever it runs: the answer never depends on the executor.

    Raises
    ------
    AnalysisError
        For a parameter out of range (naming it).
    InfeasibleScenario
        If the scenario has no plan (weights do not change feasibility),
        before any weight is moved.
    """
    check_progress(progress)
    check_choice("method", method, METHODS)
    check_choice("criterion", criterion, CRITERIA)
    if not 0 < tolerance < 0.5:  # NaN too
        raise AnalysisError("choose a share between 0 and 0.5, both excluded", parameter="tolerance",
                            value=tolerance)
    grid = check_whole("grid", grid, 2, MAX_POINTS)
    check_executor(executor)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    s = scenario
    if float(task_weights(s).sum()) <= 0:
        raise AnalysisError("every task weight is 0")
    t_first = time.perf_counter()
    first = _Start(s)
    t_first = time.perf_counter() - t_first
    require_plan(first.base, first.solver.model)
    settings = _Settings(method, grid, tolerance, criterion)
    T = len(s.tasks)
    if executor is None:  # by the work foreseen: about one solve like the first per share and switch
        foreseen = T * (grid + SWITCHES_FORESEEN) * t_first
        executor = "process" if foreseen > PARALLEL_ABOVE_S and T > 1 and usable_cpus() > 1 else "serial"
    if executor == "serial":
        done = []
        for i in range(T):
            part = report.part(i / T, (i + 1) / T)
            done.append(_task_range(first if i == 0 else _Start(s), i, settings, part))
            part(1.0)
    else:
        done = _task_ranges_elsewhere(s, settings, executor, report)
    ranges = tuple(r for r, _ in done)
    fell_back = [s.tasks[i].id for i, (_, grid_used) in enumerate(done) if grid_used]
    base, integer = first.base, first.solver.integer
    text = _method_text(method, integer, grid, tolerance, fell_back)
    return WeightStability(s, criterion, tolerance, base.score, _ids(s, base), ranges,
                           time.perf_counter() - t0, method=method, method_text=text,
                           whole_units=integer, grid_tasks=tuple(fell_back))


@dataclass(frozen=True)
class _Settings:
    method: str
    grid: int
    tolerance: float
    criterion: str


class _Start:
    """A solver of the scenario that has solved its current weights: where each task's walk starts."""

    def __init__(self, s: Scenario):
        self.w0 = task_weights(s)
        self.solver = SweepSolver(build_model(s))
        self.base = self.solver.solve_weights(self.w0)


def _task_range(start: _Start, i: int, settings: _Settings, part) -> tuple[WeightRange, bool]:
    """Task ``i``'s range from ``start`` (used up), and whether the grid method answered for it."""
    s, solver = start.solver.model.scenario, start.solver
    c0 = solver._coef.copy()  # score coefficients under the current weights

    def key(pt):
        if not pt.ok:
            return None
        if settings.criterion == "set":
            return tuple(pt.generate > UNIT_EPS)
        return tuple(np.round(np.where(pt.generate > UNIT_EPS, pt.generate, 0.0), 6))

    ctx = _Context(s, start.w0, float(start.w0.sum()), solver, start.base, c0, key, settings.grid,
                   settings.tolerance)
    if settings.method == "exact":
        try:
            return _exact_range(ctx, i, part), False
        except WalkFailed:
            return _grid_range(ctx, i, part), True
    return _grid_range(ctx, i, part), False


def task_range_job(payload, i: int, settings: _Settings) -> tuple[WeightRange, bool]:
    """In a worker: task ``i``'s range of the scenario in ``payload`` (see :func:`scenario_payload`)."""
    from ..fileio import scenario_from_dict

    return _task_range(_Start(scenario_from_dict(payload[1])), i, settings, lambda _fraction: None)


def _task_ranges_elsewhere(s: Scenario, settings: _Settings, executor, report: Reporter):
    """Every task's range, one job each on ``executor`` ("process": a local pool of its own)."""
    T = len(s.tasks)
    own = process_pool(min(T, usable_cpus())) if executor == "process" else None
    payload = scenario_payload(s)
    return run_jobs(own or executor, own, [(task_range_job, payload, i, settings) for i in range(T)],
                    [1] * T, report)


def _method_text(method: str, integer: bool, grid: int, tolerance: float, fell_back) -> str:
    if method == "grid":
        text = (f"the plan solved at {grid} shares per task, each end narrowed by bisection to within "
                f"{100 * tolerance:g} points of share")
    elif integer:
        text = (f"whole units: exact switch shares between the whole-unit plans a branch and bound finds at "
                f"{grid} shares per task, each switch where their fixed-units LPs score the same and checked "
                "by a branch and bound there; a change that reverts between two of those shares is not seen")
    else:
        text = (f"exact switch shares, from the optimal bases' reduced costs, of every change seen at {grid} "
                "shares per task; a change that reverts between two of those shares is not seen")
    if fell_back:
        text += f" (by the grid for {', '.join(fell_back)}: the bases could not be followed)"
    return text


@dataclass(frozen=True)
class _Context:
    s: Scenario
    w0: np.ndarray
    total: float
    solver: SweepSolver
    base: object
    c0: np.ndarray
    key: object
    grid: int
    tolerance: float

    def at_current(self, pt) -> float | None:
        """The score of a plan under the scenario's own weights."""
        return float(self.c0[self.solver.y_task] @ pt.task_scores[self.solver.y_task]) if pt.ok else None

    def line(self, i: int) -> Line:
        sv = self.solver
        c_lo = normalised_weights(moved_weights(self.w0, i, 0.0)) * sv.full
        c_hi = normalised_weights(moved_weights(self.w0, i, 1.0)) * sv.full
        a, d = c_lo[sv.y_task], (c_hi - c_lo)[sv.y_task]
        scale = max(float(a.sum()), float((a + d).sum()))
        return Line(a / scale, d / scale)


def _exact_range(ctx: _Context, i: int, part) -> WeightRange:
    sv, key = ctx.solver, ctx.key
    share0 = float(ctx.w0[i] / ctx.total)
    if sv.full[i] <= 0:  # no y column: the score coefficients do not move (until share 1, where all are 0)
        return _range(ctx, i, share0, [(share0, ctx.base)], [], None)
    line = ctx.line(i)

    def weights_at(t, i=i):
        return moved_weights(ctx.w0, i, t)

    shares = np.union1d(np.linspace(0.0, 1.0, ctx.grid), [share0])
    count = [0]

    def tick():
        count[0] += 1
        part(min(0.99, count[0] / (shares.size + 12.0)))

    def probe(t, start=None):
        p = (whole_probe(sv, weights_at, t, start) if sv.integer else lp_probe(sv, weights_at, line, t))
        tick()
        return p

    probes = []
    for sh in shares:  # in order: each solve starts near the last (whole units: from its plan)
        probes.append(probe(sh, units_of(sv, probes[-1]) if probes and sv.integer else None))
    changes = []  # (share, probe before, probe after), increasing
    for left, right in zip(probes[:-1], probes[1:]):
        if sv.integer:
            changes += whole_switches(sv, weights_at, line, left, right, key)
            continue
        for _ in range(MAX_CHANGES):
            if key(left.point) == key(right.point):
                break
            t, _same, left = lp_switch(probe, line, left, right, key)
            changes.append((t, _same, left))
    bps = [(t, a, b) for t, a, b in changes if key(a.point) != key(b.point)]
    samples = [(p.theta, p.point) for p in probes]
    return _range(ctx, i, share0, samples, bps, line)


def _range(ctx: _Context, i: int, share0: float, samples, bps, line) -> WeightRange:
    """A task's range from its samples and its breakpoints ``(share, probe before, probe after)``."""
    s, key = ctx.s, ctx.key
    task = s.tasks[i]
    k0 = key(ctx.base)
    below = [b for b in bps if b[0] < share0 or (b[0] == share0 and key(b[2].point) == k0)]
    above = [b for b in bps if b[0] > share0 or (b[0] == share0 and key(b[1].point) == k0 and b not in below)]
    lo_b = below[-1] if below else None
    hi_b = above[0] if above else None
    low = lo_b[0] if lo_b else 0.0
    high = hi_b[0] if hi_b else 1.0
    breakpoints = tuple(Breakpoint(
        share=float(t), weight=float(t * ctx.total), score=line.value(t, a.y),
        before=_ids(s, a.point), after=_ids(s, b.point),
        before_units=generate_dict(s, a.point.generate, UNIT_EPS),
        after_units=generate_dict(s, b.point.generate, UNIT_EPS)) for t, a, b in bps)
    points = sorted([(float(t), float(pt.score), pt) for t, pt in samples]
                    + [(bp.share, bp.score, b.point) for bp, (_t, _a, b) in zip(breakpoints, bps)],
                    key=lambda x: x[0])
    return WeightRange(
        task=task.id, name=task.name, weight=float(ctx.w0[i]), share=share0,
        low_share=float(low), high_share=float(high),
        low_weight=float(low * ctx.total), high_weight=float(high * ctx.total),
        low_open=lo_b is None, high_open=hi_b is None,
        below=None if lo_b is None else _ids(s, lo_b[1].point),
        above=None if hi_b is None else _ids(s, hi_b[2].point),
        has_demand=bool(ctx.solver.full[i] > 0),
        shares=tuple(t for t, _, _ in points), scores=tuple(sc for _, sc, _ in points),
        scores_at_current_weights=tuple(ctx.at_current(pt) for _, _, pt in points),
        generated=tuple(_ids(s, pt) for _, _, pt in points),
        breakpoints=breakpoints,
    )


def _grid_range(ctx: _Context, i: int, part) -> WeightRange:
    """A task's range by the grid and bisection (``method="grid"``)."""
    s, solver, w0, total, key, tolerance = ctx.s, ctx.solver, ctx.w0, ctx.total, ctx.key, ctx.tolerance
    task = s.tasks[i]
    key0 = key(ctx.base)
    share0 = float(w0[i] / total)
    shares = np.union1d(np.linspace(0.0, 1.0, ctx.grid), [share0])
    pts = []
    for k, sh in enumerate(shares):  # in order: each solve starts near the last
        pts.append(solver.solve_weights(moved_weights(w0, i, sh)))
        part(0.7 * (k + 1) / shares.size)
    keys = [key(p) for p in pts]
    at = int(np.searchsorted(shares, share0))
    steps = iter(range(1, 10_000))

    def same_plan(share):
        p = solver.solve_weights(moved_weights(w0, i, share))
        part(min(0.7 + 0.03 * next(steps), 0.99))
        return key(p) == key0, p

    lo_j = next((j for j in range(at - 1, -1, -1) if keys[j] != key0), None)
    hi_j = next((j for j in range(at + 1, shares.size) if keys[j] != key0), None)
    below = above = None
    bps = []
    if lo_j is None:
        low = 0.0
    else:
        low, p = _bisect(same_plan, shares[lo_j + 1], shares[lo_j], tolerance)
        below = p if p is not None else pts[lo_j]
        bps.append((low, below, ctx.base))
    if hi_j is None:
        high = 1.0
    else:
        high, p = _bisect(same_plan, shares[hi_j - 1], shares[hi_j], tolerance)
        above = p if p is not None else pts[hi_j]
        bps.append((high, ctx.base, above))
    breakpoints = tuple(Breakpoint(
        share=float(t), weight=float(t * total), score=None, before=_ids(s, a), after=_ids(s, b),
        before_units=generate_dict(s, a.generate, UNIT_EPS), after_units=generate_dict(s, b.generate, UNIT_EPS))
        for t, a, b in bps)
    return WeightRange(
        task=task.id, name=task.name, weight=float(w0[i]), share=share0,
        low_share=float(low), high_share=float(high),
        low_weight=float(low * total), high_weight=float(high * total),
        low_open=lo_j is None, high_open=hi_j is None,
        below=None if below is None else _ids(s, below), above=None if above is None else _ids(s, above),
        has_demand=bool(solver.full[i] > 0),
        shares=tuple(float(x) for x in shares),
        scores=tuple(p.score if p.ok else None for p in pts),
        scores_at_current_weights=tuple(ctx.at_current(p) for p in pts),
        generated=tuple(_ids(s, p) for p in pts),
        breakpoints=breakpoints,
    )


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


__all__ = ["METHODS", "Breakpoint", "WeightRange", "WeightStability", "moved_weights", "weight_stability"]
