"""What a solve returns: the plan, in the scenario's own ids and words."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lp.highs import ERROR, INFEASIBLE, OPTIMAL, TIME_LIMIT, Status
from .scenario import Scenario

__all__ = ["ERROR", "INFEASIBLE", "OPTIMAL", "TIME_LIMIT", "Binding", "Problem", "ResourceUse", "Result", "Status",
           "StatusQuo", "UnitsAt"]


FULL_SCORE_TOL = 1e-6  # score points: a status quo this close to 100 leaves no gap to close


@dataclass(frozen=True)
class ResourceUse:
    id: str
    used: float
    capacity: float
    shadow_price: float  # score points per unit of capacity
    basis: str
    used_by_period: tuple[float, ...] | None = None  # for the "employed" basis

    @property
    def share(self) -> float:
        return self.used / self.capacity if self.capacity > 0 else 0.0


@dataclass(frozen=True)
class Binding:
    """A constraint that holds the score back (non-zero shadow price)."""

    kind: str  # availability, region_cap, resource, rule (requires rules too), camp, camp_limit
    key: str  # capability, resource, rule id, or the camp's region id
    label: str  # the capability, resource, rule or camp's name
    shadow_price: float  # score points per unit of the constraint's right-hand side
    message: str = ""  # in a planner's words, where the label alone does not say it ("camp Mopti is full: ...")


@dataclass(frozen=True)
class Problem:
    """One constraint that had to give in an infeasible scenario."""

    kind: str  # "rule", "resource", "camp", or "numbers" when the scenario's scale defeats the diagnosis
    key: str  # the rule or resource id, the camp's region id
    message: str
    shortfall: float
    region: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class UnitsAt:
    """Units of capabilities at bases in periods (basing, or moves out of a base): parallel index arrays."""

    capability: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    base: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    period: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    units: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def rows(self, s: Scenario) -> list[dict]:
        return [
            {"capability": s.capabilities[c].id, "base": s.regions[h].id, "period": s.periods[p].id,
             "units": float(u)}
            for c, h, p, u in zip(self.capability.tolist(), self.base.tolist(), self.period.tolist(),
                                  self.units.tolist())
        ]


@dataclass(frozen=True)
class StatusQuo:
    """The same scenario with no new units and no repatriation (MODEL.md v2, refinement 7)."""

    score: float
    task_scores: dict[str, float | None]
    satisfaction: np.ndarray | None = field(default=None, repr=False, compare=False)  # (T, R, P) as solved


@dataclass(frozen=True)
class Result:
    status: Status  # a word ("optimal") is taken as its Status
    message: str
    scenario: Scenario = field(repr=False)
    score: float = 0.0
    objective: float = 0.0
    task_scores: dict[str, float | None] = field(default_factory=dict)
    generate: dict[str, float] = field(default_factory=dict)
    # allocation as parallel index arrays into the scenario's lists
    alloc_capability: np.ndarray = field(default_factory=lambda: np.zeros(0, int), repr=False)
    alloc_region: np.ndarray = field(default_factory=lambda: np.zeros(0, int), repr=False)
    alloc_task: np.ndarray = field(default_factory=lambda: np.zeros(0, int), repr=False)
    alloc_period: np.ndarray = field(default_factory=lambda: np.zeros(0, int), repr=False)
    alloc_units: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    alloc_base: np.ndarray | None = field(default=None, repr=False)  # with stationing: the base of each row
    repatriate: dict[str, float] = field(default_factory=dict)
    basing: UnitsAt = field(default_factory=UnitsAt, repr=False)
    moves: UnitsAt = field(default_factory=UnitsAt, repr=False)
    status_quo: StatusQuo | None = None
    status_quo_reason: str | None = None  # why there is no status quo
    resources: dict[str, ResourceUse] = field(default_factory=dict)
    satisfaction: np.ndarray | None = field(default=None, repr=False)  # (T, R, P), nan = no demand
    binding: tuple[Binding, ...] = ()
    diagnosis: tuple[Problem, ...] = ()
    mip_gap: float | None = None
    warnings: tuple[str, ...] = ()
    solve_seconds: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "status", Status(self.status))

    @property
    def ok(self) -> bool:
        """A plan exists: optimal, or the best whole-unit plan found when the time limit hit.

        An LP stopped by its time limit has no plan (no satisfaction to read).
        """
        return self.status == OPTIMAL or (self.status == TIME_LIMIT and self.satisfaction is not None)

    @property
    def gap_closed(self) -> float | None:
        """The share of the status quo's gap to 100 that the plan closes (None: no status quo, or it scores 100).

        In [0, 1]: the status quo is one of the plans the planner chose from, so a plan a hair
        below it (the tie-break's tolerance) closes nothing rather than a negative share. A
        status quo within :data:`FULL_SCORE_TOL` of 100 scores 100 (a plan is read from its
        columns rounded to 1e-9, which costs a full score up to 1e-7 points).
        """
        sq = self.status_quo
        if sq is None or not self.ok or sq.score >= 100.0 - FULL_SCORE_TOL:
            return None
        return min(1.0, max(0.0, (self.score - sq.score) / (100.0 - sq.score)))

    def units_array(self) -> np.ndarray:
        """Units employed as a dense (C, R, T, P) array."""
        s = self.scenario
        out = np.zeros((len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods)))
        np.add.at(
            out,
            (self.alloc_capability, self.alloc_region, self.alloc_task, self.alloc_period),
            self.alloc_units,
        )
        return out

    def allocation_rows(self) -> list[dict]:
        """One row per employment cell; with stationing each row names its ``base`` too."""
        s = self.scenario
        rows = [
            {
                "capability": s.capabilities[c].id,
                "region": s.regions[r].id,
                "task": s.tasks[t].id,
                "period": s.periods[p].id,
                "units": float(u),
            }
            for c, r, t, p, u in zip(
                self.alloc_capability.tolist(), self.alloc_region.tolist(),
                self.alloc_task.tolist(), self.alloc_period.tolist(), self.alloc_units.tolist(),
            )
        ]
        if self.alloc_base is not None:
            for row, h in zip(rows, self.alloc_base.tolist()):
                row["base"] = s.regions[h].id
        return rows

    def to_json(self) -> dict:
        """The ``solve --json`` object of MODEL.md (plus a few extra keys)."""
        s = self.scenario
        out = {
            "status": self.status.value,
            "message": self.message,
            "score": _round(self.score),
            "objective": _round(self.objective),
            "task_scores": {k: _round(v) for k, v in self.task_scores.items()},
            "generate": {k: _round(v) for k, v in self.generate.items()},
            "repatriate": {k: _round(v) for k, v in self.repatriate.items()},
            "allocation": [dict(row, units=_round(row["units"])) for row in self.allocation_rows()],
            "basing": [dict(row, units=_round(row["units"])) for row in self.basing.rows(s)],
            "moves": [dict(row, units=_round(row["units"])) for row in self.moves.rows(s)],
            "status_quo": None if self.status_quo is None else {
                "score": _round(self.status_quo.score),
                "task_scores": {k: _round(v) for k, v in self.status_quo.task_scores.items()},
            },
            "status_quo_reason": self.status_quo_reason,
            "gap_closed": _round(self.gap_closed),
            "resources": {
                q.id: {
                    "used": _round(q.used),
                    "capacity": q.capacity,
                    "shadow_price": _round(q.shadow_price),
                    "basis": q.basis,
                }
                for q in self.resources.values()
            },
            "binding": [
                {"kind": b.kind, "id": b.key, "label": b.label, "shadow_price": _round(b.shadow_price),
                 **({"message": b.message} if b.message else {})}
                for b in self.binding
            ],
            "diagnosis": [
                {"kind": d.kind, "id": d.key, "region": d.region, "period": d.period,
                 "shortfall": _round(d.shortfall), "message": d.message}
                for d in self.diagnosis
            ],
            "solve_seconds": round(self.solve_seconds, 6),
        }
        if self.satisfaction is not None:
            out["satisfaction"] = {
                t.id: {
                    r.id: [_round(v) for v in self.satisfaction[ti, ri]]
                    for ri, r in enumerate(s.regions)
                    if not np.isnan(self.satisfaction[ti, ri, 0])
                }
                for ti, t in enumerate(s.tasks)
            }
        if self.mip_gap is not None:
            out["mip_gap"] = self.mip_gap
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def _round(v, digits=10):
    """Ten significant digits: enough for any reader, free of float noise."""
    return None if v is None else float(f"{float(v):.{digits}g}")
