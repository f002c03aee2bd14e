"""Solving the allocation LP and reading the plan out of the solution.

Two stages keep the tie-break of MODEL.md exact: stage 1 maximises the score;
stage 2 keeps the score at its optimum and minimises generated units first,
then employed units (no idle purchases, no make-work). Shadow prices come from
stage 1, the problem whose score they explain.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .model import LinearModel, build_model, numeric_warnings
from .result import ERROR, INFEASIBLE, OPTIMAL, TIME_LIMIT, Binding, Problem, ResourceUse, Result
from .scenario import Scenario

# The dual simplex beat interior point on every size of this model measured
# (up to 121k variables; bench/RESULTS.md); IPM only for the very largest.
IPM_ABOVE = 200_000

try:  # HiGHS's own bindings: both stages in one instance, stage 2 warm-started
    import highspy as _highspy
except ImportError:  # SciPy's linprog wraps the same HiGHS, without warm starts
    _highspy = None

BACKENDS = ("highspy", "scipy") if _highspy is not None else ("scipy",)


def _silence_highs_banner() -> None:
    """HiGHS prints a banner on stdout when its first instance is made; make that one quietly."""
    import os
    import sys

    try:
        sys.stdout.flush()
        saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        _highspy.Highs()
        return
    try:
        os.dup2(devnull, 1)
        _highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


if _highspy is not None:
    _silence_highs_banner()
# The score may give this much (relative) in stage 2 for the tie-break.
TIE_TOLERANCE = 1e-11
UNIT_EPS = 1e-9
DEFAULT_TIME_LIMIT = 60.0


@dataclass
class _Solution:
    status: str
    v: np.ndarray | None
    duals: np.ndarray | None
    message: str
    mip_gap: float | None = None


def solve(scenario: Scenario, *, time_limit: float = DEFAULT_TIME_LIMIT) -> Result:
    """Build and solve the scenario's LP (a MILP with ``integer_units``).

    Returns a :class:`Result`; an infeasible scenario is a status with a
    diagnosis, not an exception.
    """
    t0 = time.perf_counter()
    model = build_model(scenario)
    result = solve_model(model, time_limit=time_limit)
    return _with_time(result, time.perf_counter() - t0)


def solve_model(model: LinearModel, b: np.ndarray | None = None, *,
                time_limit: float = DEFAULT_TIME_LIMIT, tie_break: bool = True,
                backend: str | None = None) -> Result:
    """Solve an already built model (optionally with another right-hand side).

    backend: ``"highspy"`` (the default where installed: both LP stages in one
    HiGHS instance, stage 2 warm-started from stage 1's basis) or ``"scipy"``
    (``scipy.optimize.linprog``, two cold solves). Whole-unit scenarios always
    use ``scipy.optimize.milp``.
    """
    t0 = time.perf_counter()
    b = model.b if b is None else b
    integer = bool(model.integrality.any())
    backend = backend or BACKENDS[0]
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (available: {', '.join(BACKENDS)})")
    if backend == "highspy" and not integer:
        first, tidy = _highspy_two_stage(model, b, tie_break)
        return _finish(model, b, first, tidy, integer, t0)
    deadline = t0 + time_limit
    first = _maximise(model, b, integer, time_limit)
    tidy = None
    if first.v is not None and tie_break:
        tidy = _tidy(model, b, first.v, integer, max(1.0, deadline - time.perf_counter()))
    return _finish(model, b, first, tidy, integer, t0)


def _finish(model, b, first: _Solution, tidy, integer, t0) -> Result:
    res = _finish_result(model, b, first, tidy, integer)
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


def _finish_result(model, b, first: _Solution, tidy, integer) -> Result:
    if first.status == INFEASIBLE:
        from .diagnose import diagnose

        problems = diagnose(model, b)
        msg = "No plan meets every floor, presence rule and fielded resource: " + (
            "; ".join(p.message for p in problems) if problems else "the constraints contradict each other"
        )
        return Result(INFEASIBLE, msg, model.scenario, diagnosis=tuple(problems))
    if first.v is None:
        return Result(ERROR, first.message, model.scenario)

    v = first.v if tidy is None else tidy
    duals = first.duals
    if integer:
        duals = _lp_duals_with_g_fixed(model, b, v)
    status = first.status
    message = first.message
    return extract(model, b, v, duals, status, message, first.mip_gap)


def _with_time(res: Result, seconds: float) -> Result:
    return dataclasses.replace(res, solve_seconds=seconds)


def _lp_method(model: LinearModel) -> str:
    return "highs-ipm" if model.n_vars > IPM_ABOVE else "highs-ds"


def _maximise(model, b, integer, time_limit) -> _Solution:
    c = -model.score_coef
    if integer:
        return _milp(model, c, model.A, b, model.lower, model.upper, time_limit)
    return _linprog(model, c, model.A, b, model.lower, model.upper)


def _linprog(model, c, A, b, lower, upper) -> _Solution:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = linprog(c, A_ub=A, b_ub=b, bounds=np.column_stack([lower, upper]),
                      method=_lp_method(model))
    if res.status == 0:
        return _Solution(OPTIMAL, res.x, res.ineqlin.marginals, "optimal")
    if res.status == 2:
        return _Solution(INFEASIBLE, None, None, res.message)
    return _Solution(ERROR, None, None, f"the solver stopped: {res.message}")


def _milp(model, c, A, b, lower, upper, time_limit) -> _Solution:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = milp(
            c, constraints=LinearConstraint(A, -np.inf, b), integrality=model.integrality,
            bounds=Bounds(lower, upper),
            options={"time_limit": float(time_limit), "mip_rel_gap": 1e-7},
        )
    gap = getattr(res, "mip_gap", None)
    if res.status == 0:
        return _Solution(OPTIMAL, res.x, None, "optimal", gap)
    if res.status == 1 and res.x is not None:
        return _Solution(TIME_LIMIT, res.x, None,
                         f"time limit reached: best plan found so far (within {100 * (gap or 0):.1f}% "
                         "of the best possible score)", gap)
    if res.status == 1:
        return _Solution(ERROR, None, None,
                         f"time limit reached after {time_limit:g} s before any whole-unit plan was found; "
                         "allow more time, or turn whole units off for a quick estimate")
    if res.status == 2:
        return _Solution(INFEASIBLE, None, None, res.message)
    return _Solution(ERROR, None, None, f"the solver stopped: {res.message}")


def _tidy_cost(model) -> np.ndarray:
    """Stage 2's objective: a generated unit costs more than employing one all cycle."""
    cost = np.zeros(model.n_vars)
    cost[: model.n_x] = 1.0
    cost[model.g_slice] = len(model.scenario.periods) + 1.0
    return cost


def _score_floor(best: float) -> float:
    return best - TIE_TOLERANCE * max(best, 1.0)


def _tidy(model, b, v, integer, time_limit):
    """Stage 2: same score, fewest generated then employed units."""
    floor = _score_floor(float(model.score_coef @ v))
    cost = _tidy_cost(model)
    A = sp.vstack([model.A, sp.csr_matrix(-model.score_coef)], format="csr")
    b2 = np.append(b, -floor)
    sol = (_milp(model, cost, A, b2, model.lower, model.upper, time_limit) if integer
           else _linprog(model, cost, A, b2, model.lower, model.upper))
    return sol.v if sol.v is not None else None


def highs_instance(model: LinearModel, b: np.ndarray | None = None):
    """A quiet highspy instance holding stage 1 (maximise the score), ready to run."""
    hs = _highspy
    h = hs.Highs()
    h.setOptionValue("output_flag", False)
    A = model.A
    lp = hs.HighsLp()
    lp.num_col_, lp.num_row_ = model.n_vars, A.shape[0]
    lp.col_cost_ = -model.score_coef
    lp.col_lower_, lp.col_upper_ = model.lower, model.upper
    lp.row_lower_ = np.full(A.shape[0], -hs.kHighsInf)
    lp.row_upper_ = np.asarray(model.b if b is None else b, float)
    lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    h.passModel(lp)
    h.setOptionValue("solver", "ipm" if model.n_vars > IPM_ABOVE else "simplex")
    return h


def _highspy_two_stage(model, b, tie_break) -> tuple[_Solution, np.ndarray | None]:
    """Both LP stages in one HiGHS instance; stage 2 starts from stage 1's basis."""
    hs = _highspy
    h = highs_instance(model, b)
    h.run()
    status = h.getModelStatus()
    if status in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnboundedOrInfeasible):
        return _Solution(INFEASIBLE, None, None, "infeasible"), None
    if status != hs.HighsModelStatus.kOptimal:
        return _Solution(ERROR, None, None, f"the solver stopped: {h.modelStatusToString(status)}"), None
    sol = h.getSolution()
    v1 = np.array(sol.col_value)
    first = _Solution(OPTIMAL, v1, np.array(sol.row_dual), "optimal")
    if not tie_break:
        return first, None
    nz = np.flatnonzero(model.score_coef)
    h.addRow(_score_floor(float(model.score_coef @ v1)), hs.kHighsInf, nz.size,
             nz.astype(np.int32), model.score_coef[nz])
    h.changeColsCost(model.n_vars, np.arange(model.n_vars, dtype=np.int32), _tidy_cost(model))
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 4)  # primal simplex: stage 1's basis stays feasible
    h.run()
    if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
        return first, None
    return first, np.array(h.getSolution().col_value)


def _lp_duals_with_g_fixed(model, b, v):
    g = np.round(v[model.g_slice])
    lower, upper = model.lower.copy(), model.upper.copy()
    lower[model.g_slice] = upper[model.g_slice] = g
    sol = _linprog(model, -model.score_coef, model.A, b, lower, upper)
    return sol.duals


# -- reading the solution -----------------------------------------------------


def extract(model: LinearModel, b, v, duals, status, message, mip_gap=None) -> Result:
    s = model.scenario
    T, R, P = len(s.tasks), len(s.regions), len(s.periods)
    v = np.round(v, 9)  # solver noise (1e-12 units) is not part of the plan
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
    s_task = model.s_task
    reach = np.bincount(s_task, model.s_base * sv, minlength=T)
    full = np.bincount(s_task, model.s_base, minlength=T) / model.n_segments
    task_scores = {
        t.id: (float(min(100.0, 100.0 * reach[i] / full[i])) if full[i] > 0 else None)
        for i, t in enumerate(s.tasks)
    }

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
        task_scores=task_scores, generate=generate,
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
