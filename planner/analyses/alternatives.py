"""Near-optimal alternatives: the whole-unit plans within a few tenths of a point of the best.

Plans a hair apart in score can buy quite different forces (two utility
helicopters and one attack helicopter, or one and two). Listing every set of
generated and repatriated units within a tolerance of the best shows which
choices the data decides (the same in every such plan) and which it leaves
open (they differ among plans the score cannot tell apart).

The list is exact: :func:`planner.lp.whole.near_optimal` enumerates every
whole vector of ``g`` and ``z`` whose best completion scores within the
tolerance, best first, over warm LPs. Each is then reported as the planner
would report a plan with those units fixed (stage 1, then stage 2's
tie-break: no idle purchases, no make-work).

Alternatives are about whole units: a scenario that plans fractional units
(``settings.integer_units`` false) is analysed as if the setting were on,
and the result says so (``whole_units_assumed``); a fractional plan has a
continuum of neighbours, not a list.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..lp.highs import ERROR, HAVE_HIGHSPY, INFEASIBLE, OPTIMAL, TIME_LIMIT, check_time_limit
from ..lp.stages import stage1_model
from ..lp.whole import ColdRelaxation, WarmRelaxation, near_optimal, whole_range
from ..model import LinearModel, build_model
from ..result import Result
from ..scenario import Scenario
from ..solve import StartBases, solve_model, stage1_method
from ._common import (
    AnalysisError, InfeasibleScenario, ProgressFn, Reporter, check_progress, check_whole, num,
)

#: Most alternatives listed.
MAX_COUNT = 100
#: Most points below the best an alternative may score (the whole scale).
MAX_WITHIN = 100.0
#: Seconds for the whole analysis unless told otherwise.
TIME_LIMIT_SECONDS = 120.0


@dataclass(frozen=True)
class Alternative:
    """One set of generated and repatriated units within the tolerance, and its plan.

    rank: 1 for the best (the plan ``solve`` reports), then by score. generate,
    repatriate: units per capability id (whole numbers; absent = 0). score:
    of the plan tidied by stage 2 with these units fixed; gap: points below
    the best (>= 0). resources: each resource's use (``Result.resources``).
    generate_change, repatriate_change: units more (positive) or fewer
    (negative) than the best, per capability id, where they differ.
    extends: the rank of a better-ranked listed plan that this one only adds
    new units to (the same repatriations) for no more score: idle or harmful
    purchases, listed because they are within the tolerance (None otherwise).
    result: the full plan.
    """

    rank: int
    generate: dict[str, int]
    repatriate: dict[str, int]
    score: float
    gap: float
    task_scores: dict[str, float | None]
    resources: dict[str, float]
    generate_change: dict[str, int]
    repatriate_change: dict[str, int]
    extends: int | None = None
    result: Result = field(default=None, repr=False, compare=False)

    @property
    def is_best(self) -> bool:
        return self.rank == 1

    def to_json(self) -> dict:
        return {
            "rank": self.rank, "score": num(self.score), "gap": num(self.gap),
            "generate": dict(self.generate), "repatriate": dict(self.repatriate),
            "task_scores": {k: num(v) for k, v in self.task_scores.items()},
            "resources": {k: num(v) for k, v in self.resources.items()},
            "generate_change": dict(self.generate_change), "repatriate_change": dict(self.repatriate_change),
            "extends": self.extends,
        }


@dataclass(frozen=True)
class Alternatives:
    """The whole-unit plans within ``within`` points of the best, best first, at most ``count``.

    complete: every such plan is listed (False when there were more than
    ``count``, or the search ran out of time: ``message`` says which).
    whole_units_assumed: the scenario plans fractional units; the analysis
    made them whole (as ``solve --integer`` does). nodes: LPs the search solved.
    """

    scenario: Scenario = field(repr=False, compare=False)
    within: float
    count: int
    alternatives: tuple[Alternative, ...]
    complete: bool
    message: str
    whole_units_assumed: bool
    nodes: int = 0
    seconds: float = 0.0

    @property
    def best(self) -> Alternative:
        return self.alternatives[0]

    @property
    def varying(self) -> tuple[str, ...]:
        """Capability ids whose generated or repatriated units differ among the listed plans."""
        return tuple(c.id for c in self.scenario.capabilities
                     if len({(a.generate.get(c.id, 0), a.repatriate.get(c.id, 0)) for a in self.alternatives}) > 1)

    @property
    def decided(self) -> tuple[str, ...]:
        """Capability ids generated or repatriated alike in every listed plan (and in some of them at all)."""
        vary = set(self.varying)
        best = self.best
        return tuple(c.id for c in self.scenario.capabilities if c.id not in vary
                     and (best.generate.get(c.id, 0) or best.repatriate.get(c.id, 0)))

    def to_json(self) -> dict:
        return {
            "analysis": "alternatives", "scenario": self.scenario.name, "within": num(self.within),
            "count": self.count, "complete": self.complete, "message": self.message,
            "whole_units_assumed": self.whole_units_assumed, "varying": list(self.varying),
            "decided": list(self.decided), "alternatives": [a.to_json() for a in self.alternatives],
            "nodes": self.nodes, "seconds": round(self.seconds, 6),
        }


def check_within(value) -> float:
    """``within`` as a float, or AnalysisError unless it is a finite number of points in [0, 100]."""
    number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not number or not math.isfinite(float(value)) or not 0.0 <= float(value) <= MAX_WITHIN:
        raise AnalysisError(f"choose a number of points between 0 and {MAX_WITHIN:g} (e.g. 0.1)",
                            parameter="within", value=value)
    return float(value)


def alternatives(scenario: Scenario, within: float = 0.1, count: int = 10, progress: ProgressFn | None = None,
                 time_limit: float = TIME_LIMIT_SECONDS) -> Alternatives:
    """The distinct sets of whole generated and repatriated units within ``within`` points of the best.

    Parameters
    ----------
    scenario : Scenario
        Analysed with whole units; one without ``integer_units`` is analysed
        as if it had it (``whole_units_assumed`` says so).
    within : float
        Points of the 0-100 score below the best an alternative may score
        (0 to 100; 0 lists the plans tied with the best).
    count : int
        Most alternatives to list, the best included (1 to :data:`MAX_COUNT`).
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.
    time_limit : float
        Seconds for the whole analysis; a search stopped by it lists the
        plans found so far (still the best, in order) and says it is not complete.

    Raises
    ------
    AnalysisError
        Naming the parameter: ``within`` or ``count`` out of range.
    InfeasibleScenario
        If the scenario has no whole-unit plan, with the diagnosis.
    """
    check_progress(progress)
    within = check_within(within)
    count = check_whole("count", count, 1, MAX_COUNT)
    try:
        time_limit = check_time_limit(time_limit)
    except (TypeError, ValueError):
        raise AnalysisError("choose a number of seconds above 0", parameter="time_limit", value=time_limit) from None
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    assumed = not scenario.integer_units
    s = scenario.with_integer_units(True) if assumed else scenario
    model = build_model(s)
    starts = StartBases()  # each plan with its units fixed starts from the last one's basis
    best = solve_model(model, time_limit=time_limit, status_quo=False, starts=starts)
    if best.status == INFEASIBLE:
        raise InfeasibleScenario(best, "with whole units" if assumed else None)
    if best.status != OPTIMAL:
        raise AnalysisError(f"the best whole-unit plan was not found: {best.message}")
    report(0.1)

    whole = np.flatnonzero(model.integrality)
    lo, hi = whole_range(model.lower[whole], model.upper[whole])
    if HAVE_HIGHSPY:
        hm = stage1_model(model, method=stage1_method(model), time_limit=_left(deadline))
        relax = WarmRelaxation(hm, whole, model.lower, model.upper, deadline=deadline)
    else:
        relax = ColdRelaxation(-model.score_coef, model.A, model.b, model.lower, model.upper, whole,
                               method=stage1_method(model), time_limit=_left(deadline))
    search = report.part(0.1, 0.6)
    found = near_optimal(relax, -model.score_coef, whole, lo, hi, within=within, count=count,
                         time_limit=_left(deadline), check=lambda nodes, plans: search(plans / (count + 1)))
    if found.status == ERROR and not found.plans:
        raise AnalysisError(f"the search for alternatives failed: {found.message}")
    if found.status == INFEASIBLE:  # solve found a plan: a disagreement of tolerances, said plainly
        raise AnalysisError("the search for alternatives found no whole-unit plan, though the planner did")

    best_vector = _vector(model, best)
    vectors = [np.round(p.values) for p in found.plans]
    others = [v for v in vectors if not np.array_equal(v, best_vector)]
    vectors = others[:count - 1]  # the best is always listed, first
    fixed = report.part(0.6, 1.0)
    results = [best]
    for k, v in enumerate(vectors):
        fixed(k / max(len(vectors), 1))
        plan = solve_model(_with_units_fixed(model, whole, v), time_limit=_left(deadline), status_quo=False,
                           starts=starts)
        if plan.ok:
            results.append(plan)
    fixed(1.0)
    complete = (found.complete and found.status == OPTIMAL and len(others) == len(vectors)
                and len(results) == len(vectors) + 1)
    if found.status == TIME_LIMIT:
        message = f"time limit of {time_limit:g} s reached: the plans found by then, best first; there may be more"
    elif not found.complete or len(others) > len(vectors):
        message = f"more than {count} plans lie within {within:g} points: the best {count} are listed"
    elif not complete:
        message = "some alternatives could not be re-solved with their units fixed and are left out"
    else:
        message = f"every whole-unit plan within {within:g} points of the best"
    # by score (ties within solver noise: fewer units first)
    order = sorted(range(1, len(results)), key=lambda i: (-round(results[i].score, 7), _units(results[i]), i))
    listed = [best] + [results[i] for i in order]
    alts = _with_extends([_alternative(s, rank, r, best) for rank, r in enumerate(listed, start=1)])
    return Alternatives(scenario=s, within=within, count=count, alternatives=alts, complete=complete,
                        message=message, whole_units_assumed=assumed, nodes=found.nodes,
                        seconds=time.perf_counter() - t0)


def _left(deadline: float) -> float:
    return max(1.0, deadline - time.perf_counter())


def _vector(model: LinearModel, result: Result) -> np.ndarray:
    """The whole columns (g, then z) of a reported plan."""
    s = model.scenario
    g = [result.generate.get(c.id, 0.0) for c in s.capabilities]
    z = [result.repatriate.get(s.capabilities[c].id, 0.0) for c in model.zc.tolist()]
    return np.round(np.array(g + z, float))


def _with_units_fixed(model: LinearModel, whole: np.ndarray, v: np.ndarray) -> LinearModel:
    lower, upper = model.lower.copy(), model.upper.copy()
    lower[whole] = upper[whole] = v
    return dataclasses.replace(model, lower=lower, upper=upper)


def _units(result: Result) -> float:
    return sum(result.generate.values()) + sum(result.repatriate.values())


def _whole_units(units: dict[str, float]) -> dict[str, int]:
    return {k: int(round(u)) for k, u in units.items() if round(u) != 0}


def _change(now: dict[str, int], best: dict[str, int], ids) -> dict[str, int]:
    return {c: now.get(c, 0) - best.get(c, 0) for c in ids if now.get(c, 0) != best.get(c, 0)}


def _extends(a: Alternative, b: Alternative) -> bool:
    """Whether ``a`` is ``b`` with more new units, the same repatriations and no more score."""
    more = all(a.generate.get(c, 0) >= u for c, u in b.generate.items()) and a.generate != b.generate
    return more and a.repatriate == b.repatriate and a.score <= b.score + 1e-9 * max(1.0, b.score)


def _with_extends(alts: list[Alternative]) -> tuple[Alternative, ...]:
    out = []
    for i, a in enumerate(alts):
        base = next((b.rank for b in alts[:i] if _extends(a, b)), None)
        out.append(dataclasses.replace(a, extends=base))
    return tuple(out)


def _alternative(s: Scenario, rank: int, r: Result, best: Result) -> Alternative:
    ids = [c.id for c in s.capabilities]
    g, z = _whole_units(r.generate), _whole_units(r.repatriate)
    g0, z0 = _whole_units(best.generate), _whole_units(best.repatriate)
    return Alternative(
        rank=rank, generate=g, repatriate=z, score=float(r.score), gap=max(0.0, float(best.score - r.score)),
        task_scores=dict(r.task_scores), resources={q: float(u.used) for q, u in r.resources.items()},
        generate_change=_change(g, g0, ids), repatriate_change=_change(z, z0, ids), result=r,
    )


__all__ = ["MAX_COUNT", "Alternative", "Alternatives", "alternatives", "check_within"]
