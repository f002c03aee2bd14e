"""Solving the allocation LP and reading the plan out of the solution.

Two stages keep the tie-break of MODEL.md exact: stage 1 maximises the score;
stage 2 keeps the score at its optimum and minimises generated units first,
then employed units (no idle purchases, no make-work). Shadow prices come from
stage 1, the problem whose score they explain.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
import types

import numpy as np

from .lp import stages
from .lp.highs import (
    BACKENDS, DEFAULT_TIME_LIMIT, ERROR, INFEASIBLE, SCIPY_METHODS, Outcome, Status, check_time_limit,
)
from .lp.stages import TIE_TOLERANCE, UNIT_EPS, rounded, task_scores, tie_break_cost
from .model import LinearModel, build_model, numeric_warnings
from .result import Binding, Problem, ResourceUse, Result
from .scenario import Scenario

__all__ = ["BACKENDS", "DEFAULT_TIME_LIMIT", "IPM_ABOVE", "TIE_TOLERANCE", "UNIT_EPS", "extract", "highs_instance",
           "solve", "solve_model", "solve_scenario", "stage1_method"]

# The dual simplex beat interior point on every size of this model measured
# (up to 121k variables; bench/RESULTS.md); IPM only for the very largest.
IPM_ABOVE = 200_000


def solve_scenario(scenario: Scenario, *, time_limit: float = DEFAULT_TIME_LIMIT) -> Result:
    """Build and solve the scenario's LP (a MILP with ``integer_units``).

    Returns a :class:`Result`; an infeasible scenario is a status with a
    diagnosis, not an exception.
    """
    t0 = time.perf_counter()
    check_time_limit(time_limit)
    model = build_model(scenario)
    result = solve_model(model, time_limit=time_limit)
    return _with_time(result, time.perf_counter() - t0)


solve = solve_scenario  # ``from planner.solve import solve``


def solve_model(model: LinearModel, b: np.ndarray | None = None, *,
                time_limit: float = DEFAULT_TIME_LIMIT, tie_break: bool = True,
                backend: str | None = None) -> Result:
    """Solve an already built model (optionally with another right-hand side).

    time_limit: seconds for the whole solve (a finite number > 0); an LP that
    hits it has status ``time_limit`` and no plan, a whole-unit solve the best
    plan found by then. backend: ``"highspy"`` (the default where installed:
    both LP stages in one HiGHS instance, stage 2 warm-started from stage 1's
    basis) or ``"scipy"`` (SciPy's ``linprog``, two cold solves). Whole-unit
    scenarios always use SciPy's ``milp``.
    """
    t0 = time.perf_counter()
    time_limit = check_time_limit(time_limit)
    b = model.b if b is None else b
    backend = backend or BACKENDS[0]
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (available: {', '.join(BACKENDS)})")
    out = stages.solve_stages(model, b, backend=backend, method=stage1_method(model), time_limit=time_limit,
                              tie_break=tie_break)
    return _finish(model, b, out, t0)


def stage1_method(model: LinearModel) -> str:
    """HiGHS's LP method for the model: the dual simplex, interior point above :data:`IPM_ABOVE` columns."""
    return "ipm" if model.n_vars > IPM_ABOVE else "simplex"


def highs_instance(model: LinearModel, b: np.ndarray | None = None):
    """A quiet highspy ``Highs`` holding stage 1 (maximise the score) as the planner passes it, ready to run."""
    return stages.stage1_model(model, b, method=stage1_method(model)).highs


def _finish(model, b, out: Outcome, t0) -> Result:
    res = _result(model, b, out)
    warned = numeric_warnings(model)
    if warned:
        res = dataclasses.replace(res, warnings=tuple(warned))
        if res.status == ERROR:  # say the likely cause, not HiGHS's one-word status
            res = dataclasses.replace(res, message=f"the solver could not find a plan ({res.message}): "
                                                   + warned[0])
        elif res.status == INFEASIBLE and not res.diagnosis:
            # The elastic problem could not say what gives: the numbers are the likely cause.
            problem = Problem("numbers", "scale", f"no rule or resource could be named: {warned[0]}", 0.0)
            res = dataclasses.replace(res, diagnosis=(problem,),
                                      message="No plan found, and the diagnosis failed: " + warned[0])
    return _with_time(res, time.perf_counter() - t0)


def _result(model, b, out: Outcome) -> Result:
    if out.status == INFEASIBLE:
        from .diagnose import diagnose

        problems = diagnose(model, b)
        msg = "No plan meets every floor, presence rule and fielded resource: " + (
            "; ".join(p.message for p in problems) if problems else "the constraints contradict each other"
        )
        return Result(INFEASIBLE, msg, model.scenario, diagnosis=tuple(problems))
    if out.x is None:  # an error, or an LP stopped by the time limit
        return Result(out.status, out.message, model.scenario)
    return extract(model, b, out.x, out.duals, out.status, out.message, out.mip_gap)


def _with_time(res: Result, seconds: float) -> Result:
    return dataclasses.replace(res, solve_seconds=seconds)


# Older names, still used by bench/ and the property tests: the stages by SciPy with their former arguments.
def _lp_method(model: LinearModel) -> str:
    """SciPy's linprog name for :func:`stage1_method` (``highs-ds`` or ``highs-ipm``)."""
    return SCIPY_METHODS[stage1_method(model)]


def _maximise(model, b, integer, time_limit) -> Outcome:  # integer: the model says
    return stages.maximise(model, b, method=stage1_method(model), time_limit=time_limit)


def _tidy(model, b, v, integer, time_limit):  # integer: the model says
    return stages.tidy(model, b, v, method=stage1_method(model), time_limit=time_limit)


_tidy_cost = tie_break_cost


# -- reading the solution -----------------------------------------------------


def extract(model: LinearModel, b, v, duals, status: Status, message: str, mip_gap=None) -> Result:
    """The :class:`Result` of the point ``v`` (``duals``: stage 1's row duals, or None)."""
    s = model.scenario
    T, R, P = len(s.tasks), len(s.regions), len(s.periods)
    v = rounded(v)
    x = v[: model.n_x]
    g = v[model.g_slice]
    sv = np.clip(v[model.s_slice], 0.0, None)
    if model.integrality.any():
        g = np.round(g)

    keep = x > UNIT_EPS
    generate = {c.id: float(g[i]) for i, c in enumerate(s.capabilities) if g[i] > UNIT_EPS}

    # satisfaction and scores
    sat = np.full((T, R, P), np.nan)
    S = np.zeros((model.pair_task.size, P))
    np.add.at(S, (model.s_pair, model.s_period), sv)
    sat[model.pair_task[:, None], model.pair_region[:, None], np.arange(P)[None, :]] = np.minimum(S, 1.0)
    score = float(model.score_coef @ v) if model.z_max > 0 else 0.0
    score = min(max(score, 0.0), 100.0)
    objective = score * model.z_max / 100.0
    by_task = task_scores(model, sv)
    scores_of_tasks = {t.id: None if math.isnan(by_task[i]) else float(min(100.0, by_task[i]))
                       for i, t in enumerate(s.tasks)}

    # resources
    shadow = -duals if duals is not None else None
    resources = {}
    for q_i, q in enumerate(s.resources):
        blk = model.block("resource", q.id)
        u = model.use[:, q_i]
        by_period = None
        if q.basis == "generated":
            used = float(u @ g)
        elif q.basis == "fielded":
            used = float(u @ (model.existing + g))
        else:
            by_period = np.bincount(model.xp, u[model.xc] * x, minlength=P)
            used = float(by_period.max()) if P else 0.0
            by_period = tuple(float(a) for a in by_period)
        price = float(shadow[blk.rows].sum()) if shadow is not None else 0.0
        resources[q.id] = ResourceUse(q.id, used, q.capacity, max(price, 0.0), q.basis, by_period)

    binding = _binding(model, shadow) if shadow is not None else ()
    return Result(
        status=status, message=message, scenario=s, score=score, objective=objective,
        task_scores=scores_of_tasks, generate=generate,
        alloc_capability=model.xc[keep], alloc_region=model.xr[keep], alloc_task=model.xt[keep],
        alloc_period=model.xp[keep], alloc_units=x[keep],
        resources=resources, satisfaction=sat, binding=binding, mip_gap=mip_gap,
    )


def _binding(model: LinearModel, shadow: np.ndarray) -> tuple[Binding, ...]:
    """Constraints with a positive shadow price, summed per capability, resource or rule."""
    s = model.scenario
    tol = 1e-7
    out = []
    for blk in model.blocks:
        if blk.kind == "effect":
            continue  # definitional: they always bind where units work
        prices = shadow[blk.rows]
        if blk.kind in ("availability", "region_cap"):
            caps = blk.index["capability"]
            total = np.bincount(caps, prices, minlength=len(s.capabilities))
            for ci in np.flatnonzero(total > tol):
                cap = s.capabilities[ci]
                out.append(Binding(blk.kind, cap.id, cap.name, float(total[ci])))
        else:
            total = float(prices.sum())
            if total > tol:
                if blk.kind == "resource":
                    label = s.resource(blk.key).name
                else:
                    label = next(r.label for r in s.effective_rules if r.id == blk.key)
                out.append(Binding(blk.kind, blk.key, label, total))
    out.sort(key=lambda bnd: -bnd.shadow_price)
    return tuple(out)


class _CallableModule(types.ModuleType):
    """This module, callable as the function :func:`solve_scenario`.

    ``planner.solve`` is this module; code written when the package exported
    the function under that name (``from planner import solve``) still calls it.
    """

    def __call__(self, scenario: Scenario, **kwargs) -> Result:
        return solve_scenario(scenario, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
