"""Robustness (SMAA): how the plan holds up when the weights are uncertain."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..lp import UNIT_EPS
from ..model import build_model
from ..scenario import Scenario
from ._common import (
    AnalysisError, ProgressFn, Reporter, by_id, check_choice, check_progress, check_whole, member_weights,
    normalise, num, nums, require_plan, task_weights,
)
from ._sweep import (
    GAP_LIMIT, WHOLE_BRANCHED, WHOLE_GAP, WHOLE_PROVEN, WHOLE_WARMUP, SweepSolver, WholeOptions, _empty_arrays,
    _fill, basis_counts, score_coefficients, start_whole_pool, sweep_weights,
)

MODES = ("simplex", "around", "panel")
# Most weight vectors in one run: about two minutes on two cores for the
# bundled scenario (a few milliseconds a solve).
MAX_SAMPLES = 100_000
# Whole units: "fast" keeps a known plan within its certified gap, "exact" settles every
# sample (see smaa's whole_units).
WHOLE_MODES = ("fast", "exact")
DEFAULT_WHOLE_MODE = "fast"
DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class CapabilityRobustness:
    """How often, and how much of, a capability the sampled weights generate.

    mean_weights: the mean (normalised) weights of the samples that generate
    it, by task id (None if no sample does): "whoever wants this weighs the
    tasks like this".
    """

    id: str
    name: str
    probability: float
    mean_units: float
    units_quantiles: tuple[float, ...]
    current_units: float
    mean_weights: dict[str, float] | None

    def to_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "probability": num(self.probability),
            "mean_units": num(self.mean_units), "units_quantiles": nums(self.units_quantiles),
            "current_units": num(self.current_units),
            "mean_weights": None if self.mean_weights is None else {k: num(v) for k, v in self.mean_weights.items()},
        }


@dataclass(frozen=True)
class TaskRobustness:
    """The spread of a task's score over the samples (None: the task has no demand)."""

    id: str
    name: str
    current_score: float | None
    mean: float | None
    quantiles: tuple[float, ...] | None

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "current_score": num(self.current_score),
                "mean": num(self.mean), "quantiles": None if self.quantiles is None else nums(self.quantiles)}


@dataclass(frozen=True)
class PlanClass:
    """The samples whose plans generate the same set of capabilities.

    central_weights: the mean normalised weights of its samples (SMAA's
    central weight vector), by task id. mean_units: mean new units per
    generated capability.
    """

    generated: tuple[str, ...]
    count: int
    probability: float
    central_weights: dict[str, float]
    mean_units: dict[str, float]
    mean_score: float
    is_current: bool

    def to_json(self) -> dict:
        return {
            "generated": list(self.generated), "count": self.count, "probability": num(self.probability),
            "central_weights": {k: num(v) for k, v in self.central_weights.items()},
            "mean_units": {k: num(v) for k, v in self.mean_units.items()},
            "mean_score": num(self.mean_score), "is_current": self.is_current,
        }


@dataclass(frozen=True, eq=False)
class SmaaResult:
    """Robustness of the plan over sampled weight vectors.

    score_quantiles: the optimal score under the sampled weights. regret:
    per sample, that optimum minus the score the current plan gets under the
    same weights (how much choosing the current plan costs if those weights
    were right); regret_quantiles its spread. region_units: mean units per
    period of each capability in each region over the samples, (C, R).
    The per-sample arrays (rows in sample order) are kept for charts:
    ``weights`` (N, T, normalised), ``generate`` (N, C), ``task_scores``
    (N, T), ``scores`` (N,), ``regrets`` (N,); rows of failed solves are NaN.
    """

    scenario: Scenario = field(repr=False)
    mode: str
    samples: int
    solved: int
    spread: float | None
    seed: int | None
    quantiles: tuple[float, ...]
    current_weights: dict[str, float]
    current_score: float
    current_generated: tuple[str, ...]
    capabilities: tuple[CapabilityRobustness, ...]
    tasks: tuple[TaskRobustness, ...]
    score_quantiles: tuple[float, ...]
    regret_quantiles: tuple[float, ...]
    plan_classes: tuple[PlanClass, ...]
    region_units: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    generate: np.ndarray = field(repr=False)
    task_scores: np.ndarray = field(repr=False)
    scores: np.ndarray = field(repr=False)
    regrets: np.ndarray = field(repr=False)
    ran_on: str = "serial"
    seconds: float = 0.0
    method: str = "resolved"
    certified: int = 0
    current_basis_certified: int = 0
    basis_counts: tuple[int, ...] = ()
    # whole units without exact_resolve: how each sample was answered
    whole_proven: int = 0  # proven optimal by the LP relaxation's bound, no branch and bound
    whole_branched: int = 0  # solved by branch and bound
    whole_kept: int = 0  # a known plan kept, within its certified gap (fast mode)
    max_gap: float = 0.0  # the largest certified gap, score points
    gap_limit: float | None = None  # fast mode: gaps above this were solved by branch and bound
    gaps: np.ndarray | None = field(default=None, repr=False)  # (N,) certified gap per sample, points
    # (N,) how each sample was answered: 0 proven by the bound, 1 branch and bound, 2 kept, -1 failed
    whole_how: np.ndarray | None = field(default=None, repr=False)

    @property
    def method_text(self) -> str:
        """How the samples were answered, in a sentence."""
        if self.method in ("whole_fast", "whole_exact"):
            how = "fast" if self.method == "whole_fast" else "exact"
            text = (f"whole units ({how}): {self.whole_proven:,} of {self.samples:,} samples proven optimal "
                    f"by the LP bound, {self.whole_branched:,} solved by branch and bound")
            if self.method == "whole_fast":
                text += (f", {self.whole_kept:,} kept a known plan within {_points(self.max_gap)} of the "
                         f"optimum (gaps above {_points(self.gap_limit or 0.0)} solved)")
            return text
        if self.method == "certified":
            solved = self.samples - self.certified
            return (f"{self.certified:,} of {self.samples:,} samples certified by {len(self.basis_counts):,} "
                    f"optimal bases ({self.current_basis_certified:,} by the current plan's), "
                    f"{solved:,} solved")
        if self.method == "whole_units":
            return f"whole units: each of the {self.samples:,} samples solved by branch and bound (exact)"
        return f"each of the {self.samples:,} samples solved"

    @property
    def current_class_probability(self) -> float:
        return next((c.probability for c in self.plan_classes if c.is_current), 0.0)

    def to_json(self, include_samples: bool = False) -> dict:
        s = self.scenario
        out = {
            "analysis": "smaa", "scenario": s.name, "mode": self.mode, "samples": self.samples,
            "solved": self.solved, "spread": num(self.spread), "seed": self.seed,
            "quantiles": nums(self.quantiles),
            "current_weights": {k: num(v) for k, v in self.current_weights.items()},
            "current_score": num(self.current_score), "current_generated": list(self.current_generated),
            "current_class_probability": num(self.current_class_probability),
            "capabilities": [c.to_json() for c in self.capabilities],
            "tasks": [t.to_json() for t in self.tasks],
            "score_quantiles": nums(self.score_quantiles), "regret_quantiles": nums(self.regret_quantiles),
            "plan_classes": [c.to_json() for c in self.plan_classes],
            "region_units": {
                c.id: {r.id: num(self.region_units[ci, ri], 6) for ri, r in enumerate(s.regions)
                       if self.region_units[ci, ri] > UNIT_EPS}
                for ci, c in enumerate(s.capabilities)
            },
            "ran_on": self.ran_on, "seconds": round(self.seconds, 6),
            "method": self.method, "certified_samples": self.certified,
            "solved_samples": self.samples - self.certified,
            "current_basis_certified": self.current_basis_certified,
            "bases": len(self.basis_counts), "certified_by_basis": list(self.basis_counts),
            "whole_units": self._whole_json(),
        }
        if include_samples:
            out["sample_weights"] = [nums(row, 8) for row in self.weights]
            out["sample_generate"] = [nums(row, 8) for row in self.generate]
            out["sample_scores"] = nums(self.scores, 8)
            if self.gaps is not None:
                out["sample_gaps"] = nums(self.gaps, 10)
        return out

    def _whole_json(self) -> dict | None:
        """How whole units were answered (None: an LP scenario)."""
        if self.method == "whole_units":
            return {"method": "branch_and_bound", "proven_samples": 0, "branch_and_bound_samples": self.samples,
                    "gap_samples": 0, "max_gap_points": 0.0, "gap_limit_points": None}
        if self.method not in ("whole_fast", "whole_exact"):
            return None
        return {"method": "fast" if self.method == "whole_fast" else "exact",
                "proven_samples": self.whole_proven, "branch_and_bound_samples": self.whole_branched,
                "gap_samples": self.whole_kept, "max_gap_points": num(self.max_gap, 10),
                "gap_limit_points": num(self.gap_limit)}


def _points(x: float) -> str:
    """Score points in a sentence: 0.0123 -> '0.012 points'."""
    if x == 0:
        return "0 points"
    return f"{x:.2g} points" if x < 1 else f"{x:.2f} points"


def sample_weights(scenario: Scenario, samples: int, mode: str = "simplex", spread: float = 0.2,
                   seed: int | None = 0) -> np.ndarray:
    """Weight vectors (rows, normalised to sum 1) for :func:`smaa`.

    simplex: uniform over all weightings, Dirichlet(1, ..., 1) (not uniform
    numbers normalised, which crowds the centre). around: each current
    weight times an independent uniform factor in [1 - spread, 1 + spread],
    then normalised. panel: uniform over the compromises of the panel
    members, i.e. Dirichlet(1, ..., 1) mixtures of their normalised weights
    (one member: their weights).

    Raises :class:`AnalysisError` naming the parameter for a mode, sample
    count, seed or spread out of range.
    """
    check_choice("mode", mode, MODES)
    samples = check_whole("samples", samples, 1, MAX_SAMPLES)
    if seed is not None:
        seed = check_whole("seed", seed, 0)
    if mode == "around":
        spread = check_spread(spread)
    rng = np.random.default_rng(seed)
    s = scenario
    T = len(s.tasks)
    if mode == "simplex":
        return rng.dirichlet(np.ones(T), samples)
    if mode == "around":
        w = normalise(task_weights(s))
        if not w.any():
            raise AnalysisError("every task weight is 0")
        W = w * rng.uniform(1.0 - spread, 1.0 + spread, (samples, T))
        return W / W.sum(1, keepdims=True)
    members = panel_matrix(s)
    if members.shape[0] == 1:
        return np.repeat(members, samples, axis=0)
    mix = rng.dirichlet(np.ones(members.shape[0]), samples)
    return mix @ members


def check_spread(spread) -> float:
    """``spread`` as a float, or AnalysisError unless it is a fraction strictly between 0 and 1."""
    numeric = isinstance(spread, (int, float, np.integer, np.floating)) and not isinstance(spread, bool)
    if not (numeric and 0 < float(spread) < 1):  # NaN and infinities too
        raise AnalysisError("choose a fraction between 0 and 1, both excluded (0.2 = ±20%)",
                            parameter="spread", value=spread)
    return float(spread)


def panel_matrix(s: Scenario) -> np.ndarray:
    """The panel members' normalised weights, one row each."""
    if not s.panel:
        raise AnalysisError("the scenario has no stakeholder panel (add members with their weights)")
    rows = []
    for m in s.panel:
        w = member_weights(s, m.weights)
        if w.sum() <= 0:
            raise AnalysisError(f"panel member '{m.id}' gives every task weight 0")
        rows.append(normalise(w))
    return np.array(rows)


def smaa(scenario: Scenario, samples: int = 1000, mode: str = "simplex", spread: float = 0.2,
         seed: int | None = 0, progress: ProgressFn | None = None, executor=None, *,
         quantiles=DEFAULT_QUANTILES, exact_resolve: bool = False, whole_units: str = DEFAULT_WHOLE_MODE,
         gap_limit: float = GAP_LIMIT) -> SmaaResult:
    """Sample weight vectors, solve each, and summarise how stable the plan is.

    Parameters
    ----------
    scenario : Scenario
    samples : int
        Weight vectors to solve, 1 to :data:`MAX_SAMPLES`.
    mode : "simplex", "around" or "panel"
        Where the weights come from (see :func:`sample_weights`).
    spread : float
        For "around": each weight varies by up to this fraction (strictly
        between 0 and 1).
    seed : int >= 0 or None
        The samples depend on the seed only, never on the executor.
    progress : callable, optional
        ``progress(fraction) -> bool``; returning False raises :class:`Cancelled`.
    executor : None, "serial", "process" or a concurrent.futures.Executor
        None (:func:`~planner.analyses._sweep.default_executor`) runs small jobs here and, where there is
        more than one CPU, large ones (by the samples and the model's size, never
        by a clock: the same call always runs the same way) in a local process
        pool made for the call (one warm solver per worker); an Executor you
        pass (a process pool, a dask ``Client.get_executor()``) is used as it
        is and left running.
    quantiles : sequence of float
        The quantiles reported for units and scores.
    exact_resolve : bool
        Solve every sample (the brute-force path). By default a sample that an
        optimal basis found so far certifies is answered from that basis
        without a solve (:mod:`planner.analyses.certify`: the same score,
        task scores and generated units as its re-solve); the result counts
        how many samples each basis answered. With whole units, True solves
        every sample by branch and bound.
    whole_units : "fast" or "exact"
        Whole units without ``exact_resolve``: a pool of the whole-unit vectors
        found so far (the current plan's first) is tried against each sample's
        LP relaxation, an upper bound on every whole plan's score. A vector
        reaching the bound is proven optimal. "exact" solves the other samples
        by branch and bound from the best vector (the same optimum as
        ``exact_resolve``); "fast" keeps the best vector's plan and its certified
        gap (the bound less its score: the plan is within that many points of
        the sample's optimum), unless the gap is above ``gap_limit``, and solves
        the first samples by branch and bound to fill the pool. The result
        counts the samples proven, solved and kept, and the largest gap.
    gap_limit : float
        Fast whole units: a sample whose gap is above this many score points
        (> 0) is solved by branch and bound.

    Raises
    ------
    AnalysisError
        For a parameter out of range (naming it), or a scenario without a
        panel in mode "panel".
    InfeasibleScenario
        If the scenario has no plan (weights do not change feasibility),
        before any sample is solved.
    """
    check_progress(progress)
    q = tuple(float(x) for x in quantiles)
    if any(not 0 <= x <= 1 for x in q):
        raise AnalysisError("values between 0 and 1", parameter="quantiles", value=quantiles)
    report = Reporter(progress)
    report(0.0)
    t0 = time.perf_counter()
    s = scenario
    W = sample_weights(s, samples, mode, spread, seed)
    model = build_model(s)
    solver = SweepSolver(model)
    w0 = task_weights(s)
    base = solver.solve_weights(w0)
    require_plan(base, model)
    if not isinstance(exact_resolve, (bool, np.bool_)):
        raise AnalysisError("choose True or False", parameter="exact_resolve", value=exact_resolve)
    check_choice("whole_units", whole_units, WHOLE_MODES)
    gap_limit = check_gap_limit(gap_limit)
    certify = not exact_resolve and not solver.integer
    pooled = not exact_resolve and solver.integer
    whole = {}
    if pooled:
        exact = whole_units == "exact"
        arrays, ran_on = _whole_sweep(s, solver, base, W, report, executor, exact, gap_limit)
        how = arrays["whole_how"][arrays["ok"]]
        gaps = np.where(arrays["ok"], arrays["gap"], np.nan)
        whole = dict(whole_proven=int((how == WHOLE_PROVEN).sum()), whole_branched=int((how == WHOLE_BRANCHED).sum()),
                     whole_kept=int((how == WHOLE_GAP).sum()), max_gap=float(np.nanmax(gaps, initial=0.0)),
                     gap_limit=None if exact else gap_limit, gaps=gaps,
                     whole_how=np.where(arrays["ok"], arrays["whole_how"], -1).astype(np.int8))
        method = "whole_exact" if exact else "whole_fast"
    else:
        arrays, ran_on = sweep_weights(s, W, report=report.part(0.02, 0.98), executor=executor, solver=solver,
                                       certify=certify)
        method = "certified" if certify else ("whole_units" if solver.integer else "resolved")
    res = summarise(s, solver, base, W, arrays, q)
    current, counts, _ = basis_counts(arrays["certified_by"])
    report(1.0)
    return SmaaResult(
        scenario=s, mode=mode, samples=int(samples), solved=int(arrays["ok"].sum()),
        spread=float(spread) if mode == "around" else None, seed=seed, quantiles=q,
        ran_on=ran_on, seconds=time.perf_counter() - t0, method=method,
        certified=int(sum(counts)), current_basis_certified=current, basis_counts=counts, **whole, **res,
    )


def check_gap_limit(value) -> float:
    """``value`` as a float, or AnalysisError unless it is a finite number of points above 0."""
    numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not (numeric and 0 < float(value) < np.inf):
        raise AnalysisError("choose a number of score points above 0 (0.25 = a quarter of a point)",
                            parameter="gap_limit", value=value)
    return float(value)


def _whole_sweep(s: Scenario, solver: SweepSolver, base, W: np.ndarray, report: Reporter, executor,
                 exact: bool, gap_limit: float) -> tuple[dict, str]:
    """Whole units from a pool of vectors: the first samples by branch and bound (fast mode),
    the rest in chunks that each start from the pool those filled."""
    n = W.shape[0]
    warmup = 0 if exact else min(WHOLE_WARMUP, n)
    pool, points = start_whole_pool(solver, base, W, warmup=warmup)
    arrays = _empty_arrays(solver.model, n)
    for i, (pt, how, gap) in enumerate(points):
        _fill(arrays, i, solver.model, pt)
        arrays["whole_how"][i], arrays["gap"][i] = how, gap
    report(0.02 + 0.96 * warmup / n)
    ran_on = "serial"
    if warmup < n:
        rest, ran_on = sweep_weights(s, W[warmup:], report=report.part(0.02 + 0.96 * warmup / n, 0.98),
                                     executor=executor, solver=solver,
                                     whole=WholeOptions.of(pool, exact, gap_limit))
        for key, arr in rest.items():
            arrays[key][warmup:] = arr
    return arrays, ran_on


def summarise(s: Scenario, solver: SweepSolver, base, W, arrays, q) -> dict:
    ok = arrays["ok"]
    n_ok = int(ok.sum())
    if n_ok == 0:
        raise AnalysisError("no sampled weighting could be solved")
    G = arrays["generate"]
    TS = arrays["task_scores"]
    scores = arrays["score"]
    task_ids = [t.id for t in s.tasks]
    gen = (G > UNIT_EPS) & ok[:, None]
    Wok, Gok = W[ok], G[ok]

    # the current plan under every sampled weighting
    full = solver.full
    y0 = np.nan_to_num(base.task_scores)
    coef = np.array([score_coefficients(full, w) for w in W])
    current_under = coef @ y0
    regrets = np.where(ok, np.clip(scores - current_under, 0.0, None), np.nan)

    caps = []
    for ci, c in enumerate(s.capabilities):
        hit = gen[:, ci]
        caps.append(CapabilityRobustness(
            id=c.id, name=c.name, probability=float(hit.sum() / n_ok),
            mean_units=float(Gok[:, ci].mean()),
            units_quantiles=tuple(float(v) for v in np.quantile(Gok[:, ci], q)),
            current_units=float(base.generate[ci]),
            mean_weights=by_id(task_ids, W[hit].mean(0)) if hit.any() else None,
        ))
    tasks = []
    for ti, t in enumerate(s.tasks):
        col = TS[ok, ti]
        if full[ti] <= 0:
            tasks.append(TaskRobustness(t.id, t.name, None, None, None))
            continue
        tasks.append(TaskRobustness(t.id, t.name, float(base.task_scores[ti]), float(col.mean()),
                                    tuple(float(v) for v in np.quantile(col, q))))

    # plan classes: the same set of generated capabilities
    current_key = tuple(base.generate > UNIT_EPS)
    keys, inverse, counts = np.unique(gen[ok], axis=0, return_inverse=True, return_counts=True)
    inverse = np.ravel(inverse)
    classes = []
    for k in np.argsort(-counts, kind="stable"):
        members = inverse == k
        key = keys[k]
        classes.append(PlanClass(
            generated=tuple(c.id for c, on in zip(s.capabilities, key) if on),
            count=int(counts[k]), probability=float(counts[k] / n_ok),
            central_weights=by_id(task_ids, Wok[members].mean(0)),
            mean_units={c.id: float(Gok[members, ci].mean()) for ci, c in enumerate(s.capabilities) if key[ci]},
            mean_score=float(scores[ok][members].mean()),
            is_current=tuple(bool(x) for x in key) == current_key,
        ))
    w0 = normalise(task_weights(s))
    return dict(
        current_weights=by_id(task_ids, w0), current_score=float(base.score),
        current_generated=tuple(c.id for c, on in zip(s.capabilities, current_key) if on),
        capabilities=tuple(caps), tasks=tuple(tasks),
        score_quantiles=tuple(float(v) for v in np.quantile(scores[ok], q)),
        regret_quantiles=tuple(float(v) for v in np.quantile(regrets[ok], q)),
        plan_classes=tuple(classes),
        region_units=np.nanmean(arrays["region_units"][ok].astype(float), axis=0),
        weights=W, generate=G, task_scores=TS, scores=scores, regrets=regrets,
    )


__all__ = ["DEFAULT_WHOLE_MODE", "MAX_SAMPLES", "WHOLE_MODES", "CapabilityRobustness", "PlanClass", "SmaaResult", "TaskRobustness", "check_gap_limit", "check_spread",
           "panel_matrix", "sample_weights", "smaa"]
