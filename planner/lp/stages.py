"""The planner's two LP stages, and how a solved point reads: one definition for every caller.

Stage 1 maximises the score. Stage 2 keeps the score at its optimum (less
:data:`TIE_TOLERANCE`, :func:`score_floor`) and minimises
:func:`tie_break_cost`: repatriations first, then generated units, moves and
employed units (no needless drawdown, no idle purchases, no make-work).
``planner.solve`` runs both once (:func:`solve_stages`), with the status quo
(stage 1 with no new units and no repatriation) where asked; the sweeps of
``planner.analyses`` keep the stages in two warm instances of their own, with
the same floor and costs.

Columns are read as :func:`planner.solve.extract` reads them: rounded to
:data:`PLAN_DECIMALS` (:func:`rounded`), an amount of units counting above
:data:`UNIT_EPS`, task scores by :func:`task_scores`.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .highs import (
    DEFAULT_TIME_LIMIT, METHOD_OPTIONS, OPTIMAL, SIMPLEX_CHOOSE, SIMPLEX_DUAL, SIMPLEX_PRIMAL, HighsModel, Outcome,
    check_time_limit, linprog,
)
from .whole import TieBoxes, WarmRelaxation, branch_and_bound, milp, whole_range

if TYPE_CHECKING:
    from ..model import LinearModel

# The score may give this much (relative) in stage 2 for the tie-break.
TIE_TOLERANCE = 1e-11
# Solver noise (1e-12 units) is not part of a plan: its columns are read rounded to this many decimals.
PLAN_DECIMALS = 9
# An amount of units counts (an allocation, a generated capability) above
# UNIT_EPS, in both of its uses: which cells and purchases make up a plan
# (extract), and whether a sweep's plan generates a capability. Stage 2 may
# keep 1e-8 to 1e-7 units that buy the last 1e-10 of the score within
# TIE_TOLERANCE, as much as HiGHS's primal feasibility tolerance (1e-7): a
# lower threshold would count them as purchases, and a plan and the
# analyses' classes of plans would differ by amounts no one can field. A
# higher one would drop amounts that matter: below it a cell or a purchase
# is under a millionth of a unit, within the 1e-6 to which a plan meets the
# model's rows, and the score and resource use are read from every column.
UNIT_EPS = 1e-6


# With v2's moves and repatriations, each tie-break level costs this times (P + 1) the one below.
LEVEL_FACTOR = 10.0


def score_floor(best: float) -> float:
    """The least score stage 2 may keep when stage 1's optimum is ``best``."""
    return best - TIE_TOLERANCE * max(best, 1.0)


def tie_break_cost(model: LinearModel) -> np.ndarray:
    """Stage 2's objective over the model's columns, by level: employed units (1 per unit and
    period), moves, generated units, repatriations (MODEL.md, tie-break v2).

    Without moves and repatriations (a v1 model) the levels are v1's: employing a unit for a
    period costs 1, a new unit ``P + 1``, more than employing it all cycle. With either, each
    level's unit costs :data:`LEVEL_FACTOR` ``(P + 1)`` times the level below's: a move more
    than employing ten units all cycle, a new unit more than ten moves every period, a
    repatriation more than ten new units, so that a plan trades a level for the one below
    only at those rates (an exact order would take a solve per level).
    """
    P = len(model.scenario.periods)
    step = (LEVEL_FACTOR if model.m_cap.size or model.zc.size else 1.0) * (P + 1)
    cost = np.zeros(model.n_vars)
    cost[model.x_slice] = 1.0
    level = 1.0
    for cols in (model.m_slice, model.g_slice, model.z_slice):
        if cols.stop > cols.start:
            level *= step
            cost[cols] = level
    return cost


def rounded(v: np.ndarray) -> np.ndarray:
    return np.round(v, PLAN_DECIMALS)


def task_full(model: LinearModel) -> np.ndarray:
    """F_t: the weight-free most a task can add, per task (0 for a task without demand)."""
    return np.bincount(model.s_task, model.s_base, minlength=len(model.scenario.tasks)) / model.n_segments


def task_scores(model: LinearModel, s_values: np.ndarray, full: np.ndarray | None = None) -> np.ndarray:
    """Each task's score (0-100, not yet capped at 100) from the s columns; NaN for a task without demand."""
    full = task_full(model) if full is None else full
    reach = np.bincount(model.s_task, model.s_base * s_values, minlength=full.size)
    has = full > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(has, 100.0 * reach / np.where(has, full, 1.0), np.nan)


# -- where the next solve starts ------------------------------------------------------


class StartBases:
    """The stage-1 root basis of the last solve, per LP shape, for the next solve of a like LP.

    A window re-solves the same scenario with a weight or a capacity moved: the
    LP keeps its columns and rows, and the last optimal basis is a few dozen
    simplex iterations from the new optimum (4-20 ms on the default scenario
    against 75-100 ms cold). Shapes are ``(columns, rows)``: the LP relaxation
    of a whole-units model shares its shape, so a drag's continuous solves warm
    the whole-units solve on release. A basis that does not fit the new LP
    (another scenario of the same shape) is still a valid start: HiGHS repairs
    a singular one, and only the number of iterations depends on the start,
    never the optimum. Not thread safe: one per solving thread.
    """

    def __init__(self, shapes: int = 4):
        self._bases: dict[tuple[int, int], object] = {}
        self._shapes = shapes

    @staticmethod
    def _shape(model: LinearModel) -> tuple[int, int]:
        return model.n_vars, model.A.shape[0]

    def get(self, model: LinearModel):
        """The basis to start ``model``'s stage 1 from, or None."""
        return self._bases.get(self._shape(model))

    def keep(self, model: LinearModel, basis) -> None:
        """Remember ``basis`` (an optimal stage-1 root basis of ``model``)."""
        if basis is None:
            return
        key = self._shape(model)
        self._bases.pop(key, None)
        self._bases[key] = basis  # the newest last; the oldest shape goes first
        while len(self._bases) > self._shapes:
            self._bases.pop(next(iter(self._bases)))


def _start(hm: HighsModel, model: LinearModel, starts: StartBases | None) -> int | None:
    """Set ``hm`` to start from the remembered basis; the simplex strategy of its first run.

    From a basis HiGHS's own choice takes the primal simplex when only costs moved (the basis
    stays primal feasible) and the dual simplex when bounds or capacities did.
    """
    basis = starts.get(model) if starts is not None else None
    if basis is None:
        return None
    hm.set_basis(basis)
    hm.set_option("solver", "simplex")
    return SIMPLEX_CHOOSE


# -- both stages, once ------------------------------------------------------------


def solve_stages(model: LinearModel, b: np.ndarray, *, backend: str, method: str = "simplex",
                 time_limit: float = DEFAULT_TIME_LIMIT, tie_break: bool = True,
                 status_quo: bool = False, starts: StartBases | None = None) -> tuple[Outcome, Outcome | None]:
    """Both stages on ``model`` with the right-hand side ``b``, within ``time_limit`` seconds in all.

    Returns stage 1's status, message, gap and duals with stage 2's point (stage
    1's where stage 2 did not run or did not finish), and with ``status_quo``
    the outcome of stage 1 with ``g = z = 0`` (None otherwise, or when the plan
    has none). backend ``"highspy"`` solves the stages in one instance, each
    from the last basis (whole units by :func:`planner.lp.whole.branch_and_bound`,
    node after node); ``"scipy"`` solves every LP cold. The duals of a
    whole-unit plan are those of the LP with its whole units fixed.
    method: HiGHS's LP method (``simplex``, ``primal``, ``ipm`` or ``choose``).
    starts: where the highspy backend's stage 1 starts (the last like LP's basis) and
    where it leaves its own root basis for the next solve (:class:`StartBases`).
    """
    time_limit = check_time_limit(time_limit)
    deadline = time.perf_counter() + time_limit

    def left() -> float:  # stage 2 always gets a second
        return max(1.0, deadline - time.perf_counter())

    integer = bool(model.integrality.any())
    if backend == "highspy" and integer:
        return _whole_in_one_instance(model, b, method, time_limit, left, tie_break, status_quo, starts)
    if backend == "highspy":
        return _one_instance(model, b, method, time_limit, left, tie_break, status_quo, starts)
    first = maximise(model, b, method=method, time_limit=time_limit)
    if first.x is None:
        return first, None
    v = tidy(model, b, first.x, method=method, time_limit=left()) if tie_break else None
    v = first.x if v is None else v
    duals = lp_duals_with_units_fixed(model, b, v, method=method, time_limit=left()) if integer else first.duals
    plan = dataclasses.replace(first, x=v, duals=duals)
    if not status_quo:
        return plan, None
    if not status_quo_columns(model).size:
        return plan, first
    lower, upper = status_quo_bounds(model)
    return plan, linprog(-model.score_coef, model.A, b, lower, upper, method=method, time_limit=left())


def status_quo_columns(model: LinearModel) -> np.ndarray:
    """The columns the status quo holds at 0: new units and repatriations that could be non-zero."""
    cols = np.r_[model.g_slice, model.z_slice]
    return cols[model.upper[cols] > 0]


def status_quo_bounds(model: LinearModel) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds of the status quo: the scenario with ``g = 0`` and ``z = 0``."""
    upper = model.upper.copy()
    upper[status_quo_columns(model)] = 0.0
    return model.lower, upper


def stage1_model(model: LinearModel, b: np.ndarray | None = None, *, method: str = "simplex",
                 time_limit: float = DEFAULT_TIME_LIMIT) -> HighsModel:
    """Stage 1 (maximise the score) of an LP in a HiGHS instance, ready to run."""
    b = model.b if b is None else b
    return HighsModel(model.A, -model.score_coef, model.lower, model.upper, np.full(model.A.shape[0], -np.inf),
                      b, time_limit=time_limit, options=METHOD_OPTIONS[method])


def _one_instance(model, b, method, time_limit, left, tie_break, status_quo,
                  starts=None) -> tuple[Outcome, Outcome | None]:
    hm = stage1_model(model, b, method=method, time_limit=time_limit)
    first = hm.run(_start(hm, model, starts))
    if first.status != OPTIMAL:
        return first, None
    if starts is not None:
        starts.keep(model, hm.basis())
    frozen = status_quo_columns(model) if status_quo else np.zeros(0, int)
    basis = hm.basis() if frozen.size else None
    plan = first
    if tie_break:
        nz = np.flatnonzero(model.score_coef)
        hm.add_row(score_floor(float(model.score_coef @ first.x)), np.inf, nz, model.score_coef[nz])
        hm.set_costs(np.arange(model.n_vars), tie_break_cost(model))
        hm.set_option("solver", "simplex")
        hm.set_option("time_limit", left())
        second = hm.run(SIMPLEX_PRIMAL)  # primal simplex: stage 1's basis stays feasible
        if second.status == OPTIMAL:
            plan = dataclasses.replace(first, x=second.x)
    if not status_quo:
        return plan, None
    if not frozen.size:
        return plan, first  # nothing to hold at 0: the status quo is stage 1 itself
    # The status quo: stage 1 again with g = z = 0, from stage 1's basis (only bounds differ: dual simplex).
    if tie_break:
        hm.delete_rows([model.A.shape[0]])
        hm.set_costs(np.arange(model.n_vars), -model.score_coef)
    hm.set_cols_bounds(frozen, model.lower[frozen], np.zeros(frozen.size))
    hm.set_basis(basis)
    hm.set_option("solver", "simplex")
    hm.set_option("time_limit", left())
    return plan, hm.run(SIMPLEX_DUAL)


def _whole_in_one_instance(model, b, method, time_limit, left, tie_break, status_quo, starts=None):
    """:func:`solve_stages` with whole units in one HiGHS instance: stage 1's branch and bound,
    then stage 2's with the score row added, the duals with the plan's units fixed, and the
    status quo (its units fixed at 0), each from the basis the last solve ended with."""
    deadline = time.perf_counter() + time_limit
    whole = np.flatnonzero(model.integrality)
    lo, hi = whole_range(model.lower[whole], model.upper[whole])
    hm = stage1_model(model, b, method=method, time_limit=time_limit)
    relax = WarmRelaxation(hm, whole, model.lower, model.upper, first=_start(hm, model, starts),
                           deadline=deadline)
    ties = TieBoxes()
    first = branch_and_bound(relax, -model.score_coef, whole, lo, hi, time_limit=time_limit,
                             on_plan=relax.remember_plan, ties=ties)
    if starts is not None:
        starts.keep(model, relax.root_basis)
    if first.x is None:
        return first, None
    v = first.x
    plan_basis = relax.plan_basis  # optimal for the plan's LP: every later LP starts from it
    if tie_break and first.status == OPTIMAL:
        # Stage 2 starts at the plan found, from its basis: the score row added (its slack
        # basic) and the costs changed, that basis stays primal feasible.
        hm.set_cols_bounds(whole, first.x[whole], first.x[whole])
        if plan_basis is not None:
            hm.set_basis(plan_basis)
        nz = np.flatnonzero(model.score_coef)
        hm.add_row(score_floor(float(model.score_coef @ first.x)), np.inf, nz, model.score_coef[nz])
        cost = tie_break_cost(model)
        hm.set_costs(np.arange(model.n_vars), cost)
        hm.set_option("solver", "simplex")
        relax2 = WarmRelaxation(hm, whole, model.lower, model.upper, first=SIMPLEX_PRIMAL,
                                deadline=time.perf_counter() + left())
        # Only where stage 1 left boxes as good as its plan can another plan meet the score row.
        second = branch_and_bound(relax2, cost, whole, lo, hi, time_limit=left(), start=first.x[whole],
                                  best_first=False, roots=ties.boxes(float(-model.score_coef @ first.x)))
        if second.status == OPTIMAL:
            v = second.x
        hm.delete_rows([model.A.shape[0]])
        hm.set_costs(np.arange(model.n_vars), -model.score_coef)
    # The LP's duals with the plan's whole units fixed (a MILP has none of its own), from
    # stage 1's plan's basis: optimal as it is when stage 2 kept those units.
    hm.set_cols_bounds(whole, v[whole], v[whole])
    if plan_basis is not None:
        hm.set_basis(plan_basis)
    hm.set_option("time_limit", left())
    fixed = hm.run(SIMPLEX_CHOOSE)
    plan = dataclasses.replace(first, x=v, duals=fixed.duals if fixed.status == OPTIMAL else None)
    if not status_quo:
        return plan, None
    frozen = status_quo_columns(model)
    if not frozen.size:
        return plan, first  # nothing to hold at 0: the status quo is stage 1 itself
    # With g = z = 0 every whole column is fixed: the status quo is an LP (only bounds change: dual simplex).
    hm.set_cols_bounds(whole, np.zeros(whole.size), np.zeros(whole.size))
    hm.set_option("time_limit", left())
    return plan, hm.run(SIMPLEX_DUAL)


def whole_bounds(model: LinearModel) -> tuple[np.ndarray, np.ndarray]:
    """The column bounds with whole columns' bounds rounded inwards (``max_new`` 1.5 whole: at most 1)."""
    whole = model.integrality.astype(bool)
    lower, upper = model.lower.copy(), model.upper.copy()
    lower[whole], upper[whole] = whole_range(lower[whole], upper[whole])
    return lower, upper


def maximise(model: LinearModel, b: np.ndarray, *, method: str = "simplex",
             time_limit: float = DEFAULT_TIME_LIMIT) -> Outcome:
    """Stage 1, cold, by SciPy's HiGHS (whole units: a branch and bound over cold LPs)."""
    c = -model.score_coef
    if model.integrality.any():
        return milp(c, model.A, b, *whole_bounds(model), model.integrality, time_limit=time_limit,
                    method=method, warm=False)
    return linprog(c, model.A, b, model.lower, model.upper, method=method, time_limit=time_limit)


def tidy(model: LinearModel, b: np.ndarray, v: np.ndarray, *, method: str = "simplex",
         time_limit: float = DEFAULT_TIME_LIMIT) -> np.ndarray | None:
    """Stage 2, cold, by SciPy's HiGHS: the score of ``v``, fewest generated then employed units."""
    A = sp.vstack([model.A, sp.csr_matrix(-model.score_coef)], format="csr")
    b2 = np.append(b, -score_floor(float(model.score_coef @ v)))
    cost = tie_break_cost(model)
    if model.integrality.any():
        return milp(cost, A, b2, *whole_bounds(model), model.integrality, time_limit=time_limit,
                    method=method, warm=False).x
    return linprog(cost, A, b2, model.lower, model.upper, method=method, time_limit=time_limit).x


def lp_duals_with_units_fixed(model: LinearModel, b: np.ndarray, v: np.ndarray, *, method: str = "simplex",
                              time_limit: float = DEFAULT_TIME_LIMIT) -> np.ndarray | None:
    """Stage 1's row duals with the whole units (g and z) fixed at ``v``'s (a MILP has none of its own)."""
    whole = model.integrality.astype(bool)
    lower, upper = model.lower.copy(), model.upper.copy()
    lower[whole] = upper[whole] = np.round(v[whole])
    return linprog(-model.score_coef, model.A, b, lower, upper, method=method, time_limit=time_limit).duals
