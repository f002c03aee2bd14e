"""Scenario comparison: scores, new units and allocations side by side."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from collections.abc import Sequence

import numpy as np

from ..result import INFEASIBLE, Result, Status
from ..scenario import Scenario
from ._common import AnalysisError, InfeasibleScenario, ProgressFn, Reporter, check_progress, num

DEFAULT_TOLERANCE = 0.01  # units (summed over tasks and periods)


@dataclass(frozen=True)
class ScenarioOutcome:
    """One compared scenario's headline numbers (by id; missing ids are absent)."""

    name: str
    status: Status
    message: str
    score: float | None
    task_scores: dict[str, float | None]
    generate: dict[str, float]
    resources: dict[str, dict[str, float]]
    result: Result = field(repr=False, compare=False)

    def to_json(self) -> dict:
        return {
            "name": self.name, "status": self.status.value, "message": self.message, "score": num(self.score),
            "task_scores": {k: num(v) for k, v in self.task_scores.items()},
            "generate": {k: num(v) for k, v in self.generate.items()},
            "resources": {k: {kk: num(vv) for kk, vv in v.items()} for k, v in self.resources.items()},
        }


@dataclass(frozen=True)
class Difference:
    """One row of a comparison table: a value in each scenario (base first).

    differs[i] says whether scenario i + 1 differs from the base by more than
    the tolerance. A value is 0 where a scenario lacks the capability or
    region, None where it has no plan.
    """

    key: tuple[str, ...]
    values: tuple[float | None, ...]
    differs: tuple[bool, ...]

    @property
    def changed(self) -> bool:
        return any(self.differs)

    def to_json(self) -> dict:
        return {"key": list(self.key), "values": [num(v) for v in self.values], "differs": list(self.differs)}


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side, the first one the base.

    allocation: one row per (capability, region) that any scenario uses, with
    units summed over tasks and periods (unit-periods); capabilities and
    regions are those of all the scenarios (0 where a scenario lacks one). generate: new units per capability. task_scores: per task.
    Rows whose ``differs`` flags are set are the ones to highlight.
    """

    outcomes: tuple[ScenarioOutcome, ...]
    tolerance: float
    task_scores: tuple[Difference, ...]
    generate: tuple[Difference, ...]
    allocation: tuple[Difference, ...]
    seconds: float = 0.0

    @property
    def changed_allocation(self) -> tuple[Difference, ...]:
        return tuple(r for r in self.allocation if r.changed)

    def to_json(self) -> dict:
        return {
            "analysis": "compare", "tolerance": num(self.tolerance),
            "scenarios": [o.to_json() for o in self.outcomes],
            "task_scores": [r.to_json() for r in self.task_scores],
            "generate": [r.to_json() for r in self.generate],
            "allocation": [r.to_json() for r in self.allocation],
            "seconds": round(self.seconds, 6),
        }


def compare(base: Scenario | Result, others: Sequence[Scenario | Result], *,
            tolerance: float = DEFAULT_TOLERANCE, progress: ProgressFn | None = None) -> Comparison:
    """Compare a base scenario with others.

    Parameters
    ----------
    base, others : Scenario or Result
        A Scenario is solved here; a Result (from :func:`planner.solve_scenario`) is
        used as it is.
    tolerance : float
        Differences up to this much (units, score points) are not flagged.
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.

    Raises
    ------
    InfeasibleScenario
        If the base has no plan (every difference is measured from it),
        before the others are solved. Another scenario without a plan is
        compared as such: its values are None and its outcome carries the
        diagnosis.
    """
    from ..solve import solve_scenario

    check_progress(progress)
    if isinstance(others, (Scenario, Result)):
        others = [others]
    if not tolerance >= 0:  # NaN too
        raise AnalysisError("choose a number >= 0", parameter="tolerance", value=tolerance)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    items = [base, *others]
    results = []
    for k, item in enumerate(items):
        results.append(item if isinstance(item, Result) else solve_scenario(item))
        if k == 0 and results[0].status == INFEASIBLE:
            raise InfeasibleScenario(results[0], "the base scenario")
        report((k + 1) / len(items))
    outcomes = tuple(_outcome(r) for r in results)

    tasks = _union(r.scenario.tasks for r in results)
    caps = _union(r.scenario.capabilities for r in results)
    regions = _union(r.scenario.regions for r in results)

    def rows(keys, value_of, skip_zero=False):
        out = []
        for key in keys:
            vals = tuple(value_of(r, key) for r in results)
            if skip_zero and all(not v for v in vals):
                continue  # nobody uses this capability there
            b = vals[0]
            flags = tuple(
                (v is None) != (b is None) or (v is not None and b is not None and abs(v - b) > tolerance)
                for v in vals[1:]
            )
            out.append(Difference(key if isinstance(key, tuple) else (key,), vals, flags))
        return tuple(out)

    def task_score(r, tid):
        return r.task_scores.get(tid) if r.ok else None

    def generated(r, cid):
        return r.generate.get(cid, 0.0) if r.ok else None

    tables = {id(r): _allocation_table(r) for r in results}

    def units(r, key):
        return tables[id(r)].get(key, 0.0) if r.ok else None

    return Comparison(
        outcomes=outcomes, tolerance=float(tolerance),
        task_scores=rows(tasks, task_score), generate=rows(caps, generated),
        allocation=rows([(c, r) for c in caps for r in regions], units, skip_zero=True),
        seconds=time.perf_counter() - t0,
    )


def _union(lists) -> list[str]:
    return list(dict.fromkeys(item.id for lst in lists for item in lst))


def _allocation_table(r: Result) -> dict[tuple[str, str], float]:
    """Units by (capability id, region id), summed over tasks and periods."""
    if not r.ok:
        return {}
    s = r.scenario
    C, R = len(s.capabilities), len(s.regions)
    total = np.zeros(C * R)
    np.add.at(total, r.alloc_capability * R + r.alloc_region, r.alloc_units)
    return {(s.capabilities[i // R].id, s.regions[i % R].id): float(v) for i, v in enumerate(total) if v != 0}


def _outcome(r: Result) -> ScenarioOutcome:
    return ScenarioOutcome(
        name=r.scenario.name, status=r.status, message=r.message,
        score=r.score if r.ok else None,
        task_scores=dict(r.task_scores) if r.ok else {},
        generate=dict(r.generate) if r.ok else {},
        resources={q.id: {"used": q.used, "capacity": q.capacity} for q in r.resources.values()},
        result=r,
    )


__all__ = ["Comparison", "Difference", "ScenarioOutcome", "compare"]
