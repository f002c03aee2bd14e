"""Solving the allocation LP and reading the plan out of the solution.

Two stages keep the tie-break of MODEL.md exact: stage 1 maximises the score;
stage 2 keeps the score at its optimum and minimises repatriations first, then
generated units, moves and employed units (no needless drawdown, no idle
purchases, no make-work). Shadow prices come from stage 1, the problem whose
score they explain. Beside the plan, the status quo: the same scenario with no
new units and no repatriation.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
import types

import numpy as np

from . import row_words
from .lp import stages
from .lp.highs import (
    BACKENDS, DEFAULT_TIME_LIMIT, ERROR, INFEASIBLE, OPTIMAL, SCIPY_METHODS, TIME_LIMIT, Outcome, Status,
    check_time_limit,
)
from .lp.stages import TIE_TOLERANCE, UNIT_EPS, StartBases, rounded, task_scores, tie_break_cost
from .model import LinearModel, build_model, numeric_warnings
from .result import Binding, Problem, ResourceUse, Result, StatusQuo, UnitsAt
from .rule_text import rule_label
from .scenario import Scenario

__all__ = ["BACKENDS", "DEFAULT_TIME_LIMIT", "IPM_ABOVE", "IPM_ABOVE_STATIONING", "TIE_TOLERANCE", "UNIT_EPS",
           "StartBases",
           "extract", "highs_instance", "solve", "solve_model", "solve_scenario", "stage1_method"]

# The dual simplex beat interior point on every size of this model measured
# (up to 121k variables; bench/RESULTS.md); IPM only for the very largest.
IPM_ABOVE = 200_000
# With stationing the basing layer (b rows between units and employment, moves linking
# periods) costs the dual simplex several times the iterations per row. The primal simplex
# was 1.3-1.8x faster on every stationing model measured (2.9k to 12k columns), interior
# point faster still from about 6k columns (12k: 2x the dual simplex; 73k: 37 s, the dual
# simplex over 60 s).
IPM_ABOVE_STATIONING = 6_000


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


def solve_plan(scenario: Scenario, relaxed: bool = False,
               starts: stages.StartBases | None = None) -> tuple[Result, LinearModel]:
    """The plan of ``scenario`` (with continuous units when ``relaxed``) and its model, as the
    window shows it: the window's solve thread and the process that solves its first plan
    (:mod:`planner.first_solve`) both call this.

    starts: a :class:`~planner.lp.stages.StartBases` the solve starts from and leaves its basis
    in (the window's solve thread keeps one: a drag's solves start at the last plan's basis).
    """
    model = build_model(scenario.with_integer_units(False) if relaxed else scenario)
    return solve_model(model, starts=starts), model


def solve_model(model: LinearModel, b: np.ndarray | None = None, *,
                time_limit: float = DEFAULT_TIME_LIMIT, tie_break: bool = True,
                backend: str | None = None, status_quo: bool = True,
                starts: stages.StartBases | None = None) -> Result:
    """Solve an already built model (optionally with another right-hand side).

    time_limit: seconds for the whole solve (a finite number > 0); an LP that
    hits it has status ``time_limit`` and no plan, a whole-unit solve the best
    plan found by then. backend: ``"highspy"`` (the default where installed:
    the LP stages in one HiGHS instance, each warm-started from the last
    basis) or ``"scipy"`` (SciPy's ``linprog``, cold solves); whole units by
    the planner's branch and bound over either's LPs. status_quo: also solve the scenario
    with no new units and no repatriation (``Result.status_quo``); re-solves
    that only compare plans leave it out. starts: a :class:`StartBases` that the highspy
    backend's stage 1 starts from and leaves its basis in (a window's re-solves of one
    scenario; the optimum is the same from any start).
    """
    t0 = time.perf_counter()
    time_limit = check_time_limit(time_limit)
    b = model.b if b is None else b
    backend = backend or BACKENDS[0]
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (available: {', '.join(BACKENDS)})")
    out, sq = stages.solve_stages(model, b, backend=backend, method=stage1_method(model), time_limit=time_limit,
                                  tie_break=tie_break, status_quo=status_quo, starts=starts)
    res = _finish(model, b, out, t0)
    if status_quo and res.ok:
        res = dataclasses.replace(res, **_status_quo(model, sq))
    return _with_time(res, time.perf_counter() - t0)


def _status_quo(model: LinearModel, sq: Outcome | None) -> dict:
    """The Result fields of the status quo's outcome."""
    if sq is not None and sq.x is not None and sq.status == OPTIMAL:
        score, _, by_task, sat = _scores(model, rounded(sq.x))
        return {"status_quo": StatusQuo(score, by_task, sat), "status_quo_reason": None}
    if sq is not None and sq.status == INFEASIBLE:
        why = "without new units or repatriation no plan meets every rule"
    elif sq is not None and sq.status == TIME_LIMIT:
        why = "the status quo was not solved within the time limit"
    else:
        why = "the status quo could not be solved" + (f" ({sq.message})" if sq is not None else "")
    return {"status_quo": None, "status_quo_reason": why}


def stage1_method(model: LinearModel) -> str:
    """HiGHS's LP method for the model: the dual simplex, interior point above :data:`IPM_ABOVE` columns;
    with stationing the primal simplex, interior point above :data:`IPM_ABOVE_STATIONING`."""
    if model.stationing:
        return "ipm" if model.n_vars > IPM_ABOVE_STATIONING else "primal"
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
        msg = "No plan meets every floor, presence, enabler and camp rule and fielded resource: " + (
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


def _maximise(model, b, integer, time_limit) -> Outcome:  # integer False: whole units relaxed
    return stages.maximise(_relaxed(model, integer), b, method=stage1_method(model), time_limit=time_limit)


def _tidy(model, b, v, integer, time_limit):  # integer False: whole units relaxed
    return stages.tidy(_relaxed(model, integer), b, v, method=stage1_method(model), time_limit=time_limit)


def _relaxed(model: LinearModel, integer: bool) -> LinearModel:
    return model if integer else dataclasses.replace(model, integrality=np.zeros_like(model.integrality))


_tidy_cost = tie_break_cost


# -- reading the solution -----------------------------------------------------


def _scores(model: LinearModel, v: np.ndarray):
    """Score (0-100), objective, task scores and satisfaction (T, R, P) of the point ``v``."""
    s = model.scenario
    T, R, P = len(s.tasks), len(s.regions), len(s.periods)
    sv = np.clip(v[model.s_slice], 0.0, None)
    sat = np.full((T, R, P), np.nan)
    S = np.zeros((model.pair_task.size, P))
    np.add.at(S, (model.s_pair, model.s_period), sv)
    sat[model.pair_task[:, None], model.pair_region[:, None], np.arange(P)[None, :]] = np.minimum(S, 1.0)
    score = float(model.score_coef @ v) if model.z_max > 0 else 0.0
    score = min(max(score, 0.0), 100.0)
    by_task = task_scores(model, sv)
    scores_of_tasks = {t.id: None if math.isnan(by_task[i]) else float(min(100.0, by_task[i]))
                       for i, t in enumerate(s.tasks)}
    return score, score * model.z_max / 100.0, scores_of_tasks, sat


def _units_at(cap, base, period, units) -> UnitsAt:
    keep = units > UNIT_EPS
    return UnitsAt(cap[keep], base[keep], period[keep], units[keep])


def extract(model: LinearModel, b, v, duals, status: Status, message: str, mip_gap=None) -> Result:
    """The :class:`Result` of the point ``v`` (``duals``: stage 1's row duals, or None)."""
    s = model.scenario
    P = len(s.periods)
    v = rounded(v)
    whole = model.integrality.astype(bool)
    v[whole] = np.round(v[whole])
    x = v[model.x_slice]
    g = v[model.g_slice]
    z = v[model.z_slice]

    keep = x > UNIT_EPS
    generate = {c.id: float(g[i]) for i, c in enumerate(s.capabilities) if g[i] > UNIT_EPS}
    repatriate = {s.capabilities[c].id: float(u) for c, u in zip(model.zc.tolist(), z.tolist()) if u > UNIT_EPS}
    score, objective, scores_of_tasks, sat = _scores(model, v)

    # resources: each row's activity, plus the existing force's part moved to the right-hand side
    activity = model.A @ v
    shadow = -duals if duals is not None else None
    resources = {}
    for q_i, q in enumerate(s.resources):
        blk = model.block("resource", q.id)
        used_rows = activity[blk.rows] + model.resource_fixed[q_i]
        by_period = None
        if q.basis == "employed":
            used = float(used_rows.max()) if P else 0.0
            by_period = tuple(float(a) for a in used_rows)
        else:
            used = float(used_rows[0])
        price = float(shadow[blk.rows].sum()) if shadow is not None else 0.0
        resources[q.id] = ResourceUse(q.id, used, q.capacity, max(price, 0.0), q.basis, by_period)

    binding = _binding(model, shadow, v, activity, b) if shadow is not None else ()
    return Result(
        status=status, message=message, scenario=s, score=score, objective=objective,
        task_scores=scores_of_tasks, generate=generate, repatriate=repatriate,
        alloc_capability=model.xc[keep], alloc_region=model.xr[keep], alloc_task=model.xt[keep],
        alloc_period=model.xp[keep], alloc_units=x[keep],
        alloc_base=model.xh[keep] if model.stationing else None,
        basing=_units_at(model.b_cap, model.b_base, model.b_period, v[model.b_slice]),
        moves=_units_at(model.m_cap, model.m_base, model.m_period, v[model.m_slice]),
        resources=resources, satisfaction=sat, binding=binding, mip_gap=mip_gap,
    )


BINDING_TOL = 1e-7  # a shadow price below this is no price
# Rows whose prices pass to the rows that set them: effects, employment from a base, moves.
STRUCTURAL = ("effect", "base_employment", "move")


def _binding(model: LinearModel, shadow: np.ndarray, v, activity, b) -> tuple[Binding, ...]:
    """Constraints with a positive shadow price, summed per capability, resource, rule or camp."""
    s = model.scenario
    out = []
    for blk in model.blocks:
        if blk.kind in STRUCTURAL:
            continue
        prices = shadow[blk.rows]
        if blk.kind in ("availability", "region_cap"):
            caps = blk.index["capability"]
            total = np.bincount(caps, prices, minlength=len(s.capabilities))
            for ci in np.flatnonzero(total > BINDING_TOL):
                cap = s.capabilities[ci]
                out.append(Binding(blk.kind, cap.id, cap.name, float(total[ci])))
        elif blk.kind in ("camp", "camp_limit", "requires"):
            out.extend(_posture_bindings(model, blk, prices, v, activity, b))
        else:
            total = float(prices.sum())
            if total > BINDING_TOL:
                if blk.kind == "resource":
                    label = s.resource(blk.key).name
                else:
                    label = rule_label(s, row_words.rule_of(s, blk.key))
                out.append(Binding(blk.kind, blk.key, label, total))
    out.sort(key=lambda bnd: -bnd.shadow_price)
    return tuple(out)


def _posture_bindings(model, blk, prices, v, activity, b):
    """One binding per camp (camp, camp_limit) or per rule, enabler and place (requires), in words,
    told at the row (period) with the highest price."""
    s = model.scenario
    if blk.kind == "requires":
        group = np.stack([blk.index["capability"], blk.index["region"], blk.index["zone"]], axis=1)
    else:
        group = blk.index["region"][:, None]
    keys, which = np.unique(group, axis=0, return_inverse=True)
    which = which.ravel()
    total = np.bincount(which, prices, minlength=keys.shape[0])
    have = row_words.row_sides(model, blk, v)[1] if blk.kind == "requires" else None
    out = []
    for k in np.flatnonzero(total > BINDING_TOL):
        rows = np.flatnonzero(which == k)
        i = int(rows[np.argmax(prices[rows])])
        if blk.kind == "requires":
            rule = row_words.rule_of(s, blk.key)
            out.append(Binding("rule", rule.id, rule_label(s, rule), float(total[k]),
                               row_words.requires_text(s, rule, blk, i, float(have[i]))))
        else:
            region = s.regions[int(keys[k, 0])]
            text = row_words.camp_text(s, blk, i, float(activity[blk.start + i]), float(b[blk.start + i]))
            out.append(Binding(blk.kind, region.id, region.name, float(total[k]), text))
    return out


class _CallableModule(types.ModuleType):
    """This module, callable as the function :func:`solve_scenario`.

    ``planner.solve`` is this module; code written when the package exported
    the function under that name (``from planner import solve``) still calls it.
    """

    def __call__(self, scenario: Scenario, **kwargs) -> Result:
        return solve_scenario(scenario, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
