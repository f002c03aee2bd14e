"""Warm-started re-solves of one built model: the engine under every sweep.

A sweep solves the same LP many times with another objective (task weights),
another right-hand side (a resource's capacity) or another bound on a task's
score (the Pareto frontier). Nothing of the model is rebuilt: the matrix goes
to HiGHS once, and each solve starts from the previous one's basis.

The LP is the model of ``planner.model`` with one column more per task that
has demand, ``y[t]`` = the task's score (0-100), defined by an equality row::

    sum_{s of task t} (100 * s_base / F_t) * s  -  y[t]  =  0,   F_t = sum s_base / K

so that the score under any weights is ``sum_t c_t y[t]`` with
``c_t = w_t F_t / sum_u w_u F_u`` (exactly ``score_coef @ v`` of
``planner.model``). A weight change is then a change of ``len(tasks)`` costs,
and a floor on a task's score (``y[t] >= eps``) is a bound.

Two HiGHS instances, one per stage of ``planner.solve``, each keep a basis:

- stage 1 (maximise the score) goes on from its own previous basis: after a
  weight change only costs change, so that basis is still primal feasible
  (primal simplex); after a change of the right-hand side or of a floor only
  bounds change, so it is still dual feasible (dual simplex).
- stage 2 (hold the score, fewest repatriated, generated, moved then employed units) starts from
  stage 1's optimal basis, which is primal feasible for it (primal simplex, a
  handful of iterations), as ``planner.solve`` does in one instance. The
  score row ``sum_t c_t y[t] >= best`` is in both instances (free in stage 1,
  where it is basic and costs nothing) so that the basis passes over as it
  is; a weight change rewrites its ``len(tasks)`` coefficients.

Stage 2 is not optional for the sweeps: without it "which capabilities are
generated" is not defined (stage 1 alone may buy units it leaves idle).
Stage 2 from its own previous basis (dual simplex) took 3-7 times as many
iterations as from stage 1's basis; one instance for both stages (as
``planner.solve``) was slower for stage 1 than an instance that stays in
stage 1.

On the default scenario a weight change costs a fifth to a third of a cold
``solve_model`` (``python bench/sweeps.py``), and consecutive
weights close together cost less: :func:`make_chunks` orders a sweep's
samples by nearest neighbour.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..lp.highs import (
    DEFAULT_TIME_LIMIT, ERROR, HAVE_HIGHSPY, INFEASIBLE, OPTIMAL, SIMPLEX_CHOOSE, SIMPLEX_DUAL, SIMPLEX_PRIMAL, HighsModel,
    Status, check_time_limit,
)
from ..lp.stages import TIE_TOLERANCE, UNIT_EPS, score_floor, task_full, task_scores, tie_break_cost
from ..lp.whole import TieBoxes, WarmRelaxation, branch_and_bound, whole_range
from ..lp.stages import rounded as rounded_plan
from ..model import LinearModel, build_model, normalised_weights
from ..result import Result
from ..solve import extract

__all__ = ["UNIT_EPS", "SweepPoint", "SweepSolver", "WholeOptions", "make_chunks", "process_pool", "score_coefficients",
           "sweep_weights", "task_full", "usable_cpus"]


@dataclass(frozen=True)
class SweepPoint:
    """One solve of a sweep.

    score: under the objective solved for (0-100). task_scores: (T,), NaN for a
    task without demand. generate: (C,) new units. v: the columns of the
    original model (the stage-2 point when the tie-break ran). duals: stage 1's
    row duals of the original rows (``solve_model``'s sign: of the minimised
    ``-score``), None for whole units.
    """

    status: Status
    score: float = float("nan")
    task_scores: np.ndarray | None = None
    generate: np.ndarray | None = None
    v: np.ndarray | None = None
    duals: np.ndarray | None = None
    iterations: int = 0
    y: np.ndarray | None = None  # (T,) the task-score columns as solved (unrounded; NaN: no demand)
    message: str = ""

    @property
    def ok(self) -> bool:
        """A plan was found: optimal, or the best whole-unit plan when the time limit hit."""
        return self.v is not None


def score_coefficients(full: np.ndarray, weights) -> np.ndarray:
    """c_t with ``score = c @ task_scores`` under ``weights`` (zeros if no weighted demand)."""
    wf = normalised_weights(weights) * full
    total = float(wf.sum())
    return wf / total if total > 0 else np.zeros(full.size)


class SweepSolver:
    """Solve one built model again and again, warm-started.

    Parameters
    ----------
    model : LinearModel
        From :func:`planner.model.build_model`; not changed.
    tie_break : bool
        Run stage 2 (fewest generated, then employed units at the optimal
        score), as :func:`planner.solve.solve_model` does. The set of generated
        capabilities is only well defined with it.
    warm : bool
        False throws the basis away before each solve (to measure what the
        warm start gains); results are the same.
    """

    def __init__(self, model: LinearModel, *, tie_break: bool = True, warm: bool = True,
                 time_limit: float = DEFAULT_TIME_LIMIT):
        if not HAVE_HIGHSPY:  # pragma: no cover - highspy is a dependency
            raise RuntimeError("the sweeps need the highspy package")
        self.model = model
        self.tie_break = tie_break
        self.warm = warm
        self.time_limit = check_time_limit(time_limit)
        s = model.scenario
        self.n_tasks = len(s.tasks)
        self.full = task_full(model)
        self.y_task = np.flatnonzero(self.full > 0)  # tasks with a y column
        self._y_of_task = np.full(self.n_tasks, -1)
        self._y_of_task[self.y_task] = np.arange(self.y_task.size)
        self.integer = bool(model.integrality.any())

        n, m = model.n_vars, model.A.shape[0]
        ny = self.y_task.size
        self._n, self._m, self._ny = n, m, ny
        self._y0 = n  # first y column
        self._score_row = m + ny
        # definition rows: sum (100 s_base / F_t) s - y_t = 0
        s_cols = model.s_slice.start + np.arange(model.s_base.size)
        s_task = model.s_task
        keep = self.full[s_task] > 0
        rows = self._y_of_task[s_task[keep]]
        vals = 100.0 * model.s_base[keep] / self.full[s_task[keep]]
        D = sp.csr_matrix((vals, (rows, s_cols[keep])), shape=(ny, n))
        A_ext = sp.bmat([[model.A, None], [D, -sp.identity(ny, format="csr")]], format="csr")
        col_lower = np.concatenate([model.lower, np.full(ny, -np.inf)])
        col_upper = np.concatenate([model.upper, np.full(ny, np.inf)])
        row_lower = np.concatenate([np.full(m, -np.inf), np.zeros(ny)])
        row_upper = np.concatenate([np.asarray(model.b, float), np.zeros(ny)])
        # Whole units: a branch and bound over the two instances' LPs (planner.lp.whole).
        self._whole = np.flatnonzero(model.integrality)
        self._col_lower, self._col_upper = col_lower, col_upper

        # The score row sum_t c_t y_t (placeholder coefficients, so that its
        # pattern exists) is in both instances: free in stage 1, where it costs
        # nothing, so that stage 1's basis passes to stage 2 as it is.
        score_row = sp.csr_matrix((np.ones(ny), (np.zeros(ny, int), n + np.arange(ny))), shape=(1, n + ny))
        A2 = sp.vstack([A_ext, score_row], format="csr")
        self._A_ext = A_ext.tocsc()  # for the certificates of bases (planner.analyses.certify)
        self._row_lower, self._row_upper = row_lower.copy(), row_upper.copy()
        row_lower = np.append(row_lower, -np.inf)
        row_upper = np.append(row_upper, np.inf)
        # Re-solves from a basis skip presolve anyway.
        # Not "threads": HiGHS's scheduler is global to the process, and a
        # value other than the one it started with makes every run fail.
        options = {"presolve": "off"}

        def instance(cost):
            return HighsModel(A2, cost, col_lower, col_upper, row_lower, row_upper,
                              time_limit=self.time_limit, options=options)

        self._cost1 = np.zeros(n + ny)
        self._cost2 = np.append(tie_break_cost(model), np.zeros(ny))
        self._h1 = instance(self._cost1)
        self._h2 = instance(self._cost2) if tie_break else None
        self._instance = instance
        self._hf = None  # whole units: stage 1 with the whole columns fixed (made on first use)
        self._hf_coef = None  # the stage-1 costs it holds
        self._h1_relaxed = False  # h1's last run was the relaxation (not a branch and bound node)
        self._tie_boxes = None  # whole units: where h1's last search left plans as good (stage 2 looks there)
        self._plan_basis = None  # whole units: h1's basis at its last search's plan (stage 2 starts there)
        self._b = np.asarray(model.b, float).copy()
        self._y_lower = np.full(ny, -np.inf)
        self._coef = np.full(self.n_tasks, np.nan)  # forces the first set
        self._row_coef = np.ones(ny)  # the score row's coefficients as HiGHS has them
        self._costs_changed = self._bounds_changed = True
        self._weights: np.ndarray | None = None
        self._plan_cols = np.concatenate([np.arange(model.g_slice.start, model.g_slice.stop),
                                          np.arange(model.z_slice.start, model.z_slice.stop),
                                          self._y0 + np.arange(ny)])
        self._last = None  # (stage 1's columns, stage 2's, stage 2's floor) of the last LP solve
        self.set_weights([t.weight for t in s.tasks])

    # -- what changes between solves -------------------------------------------
    @property
    def weights(self) -> np.ndarray | None:
        """The task weights of the current objective (None after :meth:`set_task_objective`)."""
        return self._weights

    def set_weights(self, weights) -> None:
        """Maximise the score under these task weights (any scale; normalised here)."""
        w = np.asarray(weights, float)
        if w.shape != (self.n_tasks,):
            raise ValueError(f"weights: expected {self.n_tasks} values, got {w.shape}")
        self.set_task_objective(score_coefficients(self.full, w))
        self._weights = w.copy()

    def set_task_objective(self, coef) -> None:
        """Maximise ``coef @ task_scores`` (a task without demand takes no part)."""
        coef = np.asarray(coef, float)
        if coef.shape != (self.n_tasks,):
            raise ValueError(f"coef: expected {self.n_tasks} values, got {coef.shape}")
        self._weights = None
        if np.array_equal(coef, self._coef):
            return
        self._coef = coef.copy()
        c = coef[self.y_task]
        self._h1.set_costs(self._y0 + np.arange(self._ny), -c)
        self._cost1[self._y0 :] = -c
        if self._h2 is not None:
            for j in np.flatnonzero(c != self._row_coef):
                for h in (self._h1, self._h2):
                    h.set_coefficient(self._score_row, self._y0 + j, c[j])
            self._row_coef = c.copy()
        self._costs_changed = True

    def set_rhs(self, b) -> None:
        """Solve with another right-hand side ``b`` of the model's rows (same length as ``model.b``)."""
        b = np.asarray(b, float)
        changed = np.flatnonzero(b != self._b)
        if changed.size == 0:
            return
        self._b = b.copy()
        lo = np.full(changed.size, -np.inf)
        for h in self._instances():
            h.set_row_bounds(changed, lo, b[changed])
        self._bounds_changed = True

    def set_task_floor(self, task: int, value: float | None) -> None:
        """Require ``task_scores[task] >= value`` (None removes the floor)."""
        j = self._y_of_task[task]
        if j < 0:
            raise ValueError(f"task '{self.model.scenario.tasks[task].id}' has no demand")
        lo = -np.inf if value is None else float(value)
        if lo == self._y_lower[j]:
            return
        self._y_lower[j] = lo
        for h in self._instances():
            h.set_col_bounds(self._y0 + j, lo, np.inf)
        self._bounds_changed = True

    def _instances(self):
        return (self._h1,) if self._h2 is None else (self._h1, self._h2)

    # -- solving ----------------------------------------------------------------
    def solve(self, tie_break: bool | None = None, start: np.ndarray | None = None) -> SweepPoint:
        """Solve with the current objective, right-hand side and floors.

        start: whole units only, the whole columns' values of a known plan, stage 1's
        first incumbent (the search then prunes against it from its first node).
        """
        tie_break = self.tie_break if tie_break is None else tie_break
        if tie_break and self._h2 is None:
            raise ValueError("this SweepSolver was made with tie_break=False")
        h1 = self._h1
        strategy = None
        if not self.integer:
            if self._costs_changed and self._bounds_changed:
                strategy = SIMPLEX_CHOOSE
            elif self._costs_changed:
                strategy = SIMPLEX_PRIMAL  # the old basis is still primal feasible
            else:
                strategy = SIMPLEX_DUAL  # the old basis is still dual feasible
        if not self.warm:
            h1.forget_basis()
        self._costs_changed = self._bounds_changed = False
        out = self._whole_units(h1, self._cost1, start=start, best_first=True) if self.integer else h1.run(strategy)
        iterations = out.iterations
        if out.status == ERROR and self.warm and not self.integer:  # a start gone bad: once more, cold
            h1.forget_basis()
            out = h1.run(SIMPLEX_CHOOSE)
            iterations += out.iterations
        if out.x is None:
            return SweepPoint(out.status, iterations=iterations, message=out.message)
        v = out.x
        duals = None if out.duals is None else out.duals[: self._m]
        best = float(self._coef[self.y_task] @ self._task_scores_of(v, rounded=False)[self.y_task])
        self._last = None
        if tie_break and out.status == OPTIMAL:
            v1 = v
            v2, it2 = self._stage2(best, v, self._tie_boxes.boxes(float(self._cost1 @ out.x))
                                   if self.integer and self._tie_boxes is not None else None,
                                   basis=self._plan_basis if self.integer else None)
            iterations += it2
            if v2 is not None:
                v = v2
                if not self.integer:
                    self._last = (v1, v2, score_floor(best))
        return self._point(out.status, v, duals, iterations, out.message)

    def _stage2(self, best: float, v: np.ndarray, roots=None, basis=None):
        """Fewest units at the optimal score, from stage 1's basis (still primal feasible);
        whole units from stage 1's plan ``v`` as the first incumbent, searched in ``roots``
        (the boxes stage 1 left as good as its plan) where given, else over the whole range,
        from ``basis`` (h1's at that plan) where given."""
        h2 = self._h2
        h2.set_row_bounds([self._score_row], [score_floor(best)], [np.inf])
        if self.integer:
            # From stage 1's plan's basis, as solve_model's stage 2 starts (the same rows: the
            # score row is h1's free last row); h2's own last basis is another weighting's.
            first = None
            if self.warm and basis is not None:
                h2.set_cols_bounds(self._whole, v[self._whole], v[self._whole])
                h2.set_basis(basis)
                first = SIMPLEX_PRIMAL
            out = self._whole_units(h2, self._cost2, start=v[self._whole], roots=roots, first=first)
            return (out.x if out.status == OPTIMAL else None), out.iterations
        strategy = None
        if not self.warm:
            h2.forget_basis()
        elif not self.integer:
            # Stage 1's optimum meets the score row, whose (free) row is basic
            # there: stage 1's basis is a primal feasible start for stage 2.
            h2.start_from(self._h1)
            strategy = SIMPLEX_PRIMAL
        out = h2.run(strategy)
        it = out.iterations
        if out.status != OPTIMAL and self.warm:
            h2.forget_basis()  # once more, cold
            out = h2.run(SIMPLEX_CHOOSE)
            it += out.iterations
        return (out.x if out.status == OPTIMAL else None), it

    def certificates(self):
        """Certificates of the bases the last LP solve ended on (stage 1, stage 2), each None if unusable.

        Only after a solve with the tie-break, of an LP (not whole units), at the weights
        (not after :meth:`set_task_objective` alone: that is fine too, the score row holds its
        coefficients). See :mod:`planner.analyses.certify`.
        """
        from .certify import NotUsable, stage1_certificate, stage2_certificate, statuses

        if self._last is None:
            return None, None
        v1, v2, floor = self._last
        lower = self._col_lower.copy()
        lower[self._y0 :] = self._y_lower
        upper = self._col_upper
        rl, ru = self._row_lower.copy(), self._row_upper.copy()
        ru[: self._m] = self._b
        first = second = None
        cs, rs = statuses(self._h1.basis())
        if rs[-1] == 1:  # the free score row's slack is basic: stage 1 is the rows without it
            try:
                first = stage1_certificate(self._A_ext, lower, upper, rl, ru, cs, rs[:-1],
                                           self._y0 + np.arange(self._ny), v1)
            except NotUsable:
                pass
        cs, rs = statuses(self._h2.basis())
        c = self._coef[self.y_task]
        score_row = sp.csc_matrix((c, (np.zeros(self._ny, int), self._y0 + np.arange(self._ny))),
                                  shape=(1, self._n + self._ny))
        A2 = sp.vstack([self._A_ext, score_row], format="csc")
        try:
            second = stage2_certificate(A2, self._cost2, lower, upper, np.append(rl, floor), np.append(ru, np.inf),
                                        cs, rs, self._y0 + np.arange(self._ny), v2, self._plan_cols)
        except NotUsable:
            pass
        return first, second

    def _whole_units(self, h: HighsModel, cost: np.ndarray, start: np.ndarray | None = None,
                     best_first: bool | None = None, roots=None, first: int | None = None):
        """The best whole-unit plan of instance ``h`` (its whole columns' bounds put back after);
        stage 2 (``start``: stage 1's whole units) searches depth first from its first plan, in
        ``roots`` where given. Stage 1 keeps where it left plans as good as its best (``_tie_boxes``)."""
        w = self._whole
        stage1 = h is self._h1
        if stage1:
            self._h1_relaxed = False
            self._tie_boxes = TieBoxes()
            self._plan_basis = None
        if best_first is None:
            best_first = start is None
        if not self.warm:
            h.forget_basis()
        relax = WarmRelaxation(h, w, self._col_lower, self._col_upper,
                               first=SIMPLEX_CHOOSE if first is None else first,
                               deadline=time.perf_counter() + self.time_limit)
        lo, hi = whole_range(self._col_lower[w], self._col_upper[w])
        try:
            return branch_and_bound(relax, cost, w, lo, hi, time_limit=self.time_limit, start=start,
                                    best_first=best_first, ties=self._tie_boxes if stage1 else None, roots=roots,
                                    on_plan=relax.remember_plan if stage1 else None)
        finally:
            relax.restore()
            if stage1:
                self._plan_basis = relax.plan_basis

    # -- whole units, one LP at a time (planner.analyses.certify's WholePool) ------------
    @property
    def whole_columns(self) -> np.ndarray:
        """The whole columns (generated and repatriated units), as indices of the LP's columns."""
        return self._whole

    def relaxation_score(self) -> float | None:
        """The LP relaxation's optimal score under the current objective (None: not solved).

        Every whole-unit plan scores at most this. Warm: from the last relaxation's basis
        when only the objective changed (primal simplex).
        """
        h1 = self._h1
        strategy = SIMPLEX_PRIMAL if self._h1_relaxed and not self._bounds_changed else SIMPLEX_CHOOSE
        out = h1.run(strategy)
        if out.status != OPTIMAL:
            h1.forget_basis()
            out = h1.run(SIMPLEX_CHOOSE)
        self._h1_relaxed = out.status == OPTIMAL
        if out.status != OPTIMAL:
            return None
        return float(self._coef[self.y_task] @ out.x[self._y0 :])

    def fixed_score(self, units: np.ndarray) -> tuple[float, np.ndarray] | None:
        """Stage 1 with the whole columns fixed at ``units``: the score and the columns (None: no plan).

        By the dual simplex, as a branch and bound node: from the relaxation's optimal basis
        at these weights (:meth:`relaxation_score`, only bounds differ: still dual feasible)
        or from the last fixed vector's at the same weights.
        """
        if np.isfinite(self._y_lower).any() or not np.array_equal(self._b, self.model.b):
            raise ValueError("fixed_score() solves the model's own rows, without floors")
        if self._hf is None:
            self._hf = self._instance(self._cost1)
            self._hf_coef = self._cost1.copy()
        hf = self._hf
        changed = np.flatnonzero(self._hf_coef != self._cost1)
        if changed.size:
            hf.set_costs(changed, self._cost1[changed])
            self._hf_coef = self._cost1.copy()
            if self._h1_relaxed:  # h1 holds the relaxation's optimum at these weights
                hf.start_from(self._h1)
        units = np.asarray(units, float)
        hf.set_cols_bounds(self._whole, units, units)
        out = hf.run(SIMPLEX_DUAL if self._h1_relaxed or not changed.size else SIMPLEX_CHOOSE)
        if out.status not in (OPTIMAL, INFEASIBLE):
            hf.forget_basis()
            out = hf.run(SIMPLEX_CHOOSE)
        if out.status != OPTIMAL:
            return None
        return float(self._coef[self.y_task] @ out.x[self._y0 :]), out.x

    def fixed_plan(self, units: np.ndarray, best: float) -> SweepPoint | None:
        """The plan of whole units ``units`` scoring ``best`` (from :meth:`fixed_score`, just run):
        stage 2 with those units fixed, from the fixed stage 1's basis, as :meth:`solve` tidies a plan."""
        h2 = self._h2
        units = np.asarray(units, float)
        lo, hi = self._col_lower[self._whole], self._col_upper[self._whole]
        h2.set_row_bounds([self._score_row], [score_floor(best)], [np.inf])
        h2.set_cols_bounds(self._whole, units, units)
        try:
            h2.start_from(self._hf)
            out = h2.run(SIMPLEX_PRIMAL)
            it = out.iterations
            if out.status != OPTIMAL:
                h2.forget_basis()
                out = h2.run(SIMPLEX_CHOOSE)
                it += out.iterations
        finally:
            h2.set_cols_bounds(self._whole, lo, hi)
        if out.status != OPTIMAL:
            return None
        v = out.x.copy()
        v[self._whole] = units
        return self._point(OPTIMAL, v, None, it, "optimal")

    def settled_plan(self, units: np.ndarray, best: float) -> SweepPoint | None:
        """The plan of an optimal score ``best`` reached by whole units ``units``: stage 2's
        branch and bound from them, as :meth:`solve` settles the tie-break (other units of the
        same score with fewer of them win; the search ends at its root when none can)."""
        v = np.zeros(self._n + self._ny)
        v[self._whole] = units
        x, it = self._stage2(best, v)
        if x is None:
            return None
        return self._point(OPTIMAL, x, None, it, "optimal")

    def _task_scores_of(self, v: np.ndarray, rounded: bool = True) -> np.ndarray:
        """Task scores (0-100) read from the s columns, as ``planner.solve.extract`` does."""
        sv = v[self.model.s_slice]
        if rounded:  # extract() reads the plan rounded
            sv = np.clip(rounded_plan(sv), 0.0, None)
        return task_scores(self.model, sv, self.full)

    def _point(self, status, v_ext, duals, iterations, message) -> SweepPoint:
        m = self.model
        v = v_ext[: self._n]
        ts = self._task_scores_of(v)
        score = float(self._coef[self.y_task] @ ts[self.y_task])
        score = min(max(score, 0.0), 100.0)
        g = rounded_plan(v[m.g_slice])
        if self.integer:
            g = np.round(g)
        y = np.full(self.n_tasks, np.nan)
        y[self.y_task] = v_ext[self._y0 :]
        return SweepPoint(status, score, np.minimum(ts, 100.0), np.clip(g, 0.0, None), v, duals,
                          iterations, y, message)

    def solve_weights(self, weights) -> SweepPoint:
        """Set the weights and solve."""
        self.set_weights(weights)
        return self.solve()

    def result(self, point: SweepPoint, weights=None) -> Result:
        """The full :class:`Result` of a point (weights: those solved for, default the current)."""
        w = self._weights if weights is None else np.asarray(weights, float)
        if w is None:
            raise ValueError("result() needs the weights the point was solved for")
        s = self.model.scenario
        scen = s.with_weights({t.id: float(x) for t, x in zip(s.tasks, w)})
        if not point.ok:
            return Result(point.status, point.message or "no plan", scen)
        model = dataclasses.replace(self.model.with_weights(w), scenario=scen)
        return extract(model, self._b, point.v, point.duals, point.status, point.message)


# -- many weight vectors: ordering, chunks, executors -------------------------------

# A serial run reports progress (and can be cancelled) this often.
SERIAL_REPORT_EVERY = 25
# With no executor given, a sweep goes to local processes above this much work: rows times
# the constraint matrix's nonzeros, a whole-unit row counting WHOLE_WORK times an LP one. On
# the default scenario (12,368 nonzeros) an LP row takes about 35 ms and a whole-unit one
# about 130 ms: about 5 s of rows, from 140 LP or 40 whole-unit rows on.
PARALLEL_ABOVE_WORK = 1.7e6
WHOLE_WORK = 4
CHUNK_MAX = 500  # a worker solves this many weight vectors from one warm start
CHUNK_MIN = 50
HEARTBEAT = 0.2  # seconds between progress calls while chunks run elsewhere

_local = threading.local()


def warm_order(points: np.ndarray) -> np.ndarray:
    """An order of the rows in which each is near the one before (greedy nearest neighbour).

    Consecutive solves then start from a nearby optimum's basis: on the
    default scenario this cuts the simplex iterations of Dirichlet samples by
    about two thirds.
    """
    n = points.shape[0]
    if n <= 2:
        return np.arange(n)
    left = np.ones(n, bool)
    order = np.empty(n, np.int64)
    cur = int(np.argmin(((points - points.mean(0)) ** 2).sum(1)))
    for i in range(n):
        order[i] = cur
        left[cur] = False
        if i == n - 1:
            break
        d = ((points - points[cur]) ** 2).sum(1)
        d[~left] = np.inf
        cur = int(np.argmin(d))
    return order


def spatial_order(points: np.ndarray, leaf: int = 32) -> np.ndarray:
    """Recursive coordinate bisection: an order whose contiguous runs are compact regions."""
    def split(idx):
        if idx.size <= leaf:
            return [idx]
        sub = points[idx]
        k = int(np.argmax(sub.max(0) - sub.min(0)))
        idx = idx[np.argsort(sub[:, k], kind="stable")]
        h = idx.size // 2
        return split(idx[:h]) + split(idx[h:])

    return np.concatenate(split(np.arange(points.shape[0]))) if points.shape[0] else np.zeros(0, np.int64)


def make_chunks(points: np.ndarray, n_workers: int) -> list[np.ndarray]:
    """Index arrays, one per chunk: compact regions, each in warm-start order."""
    n = points.shape[0]
    size = int(np.clip(math.ceil(n / max(4 * n_workers, 1)), CHUNK_MIN, CHUNK_MAX))
    order = spatial_order(points)
    chunks = []
    for start in range(0, n, size):
        idx = order[start : start + size]
        chunks.append(idx[warm_order(points[idx])])
    return chunks


def check_executor(executor) -> None:
    """An analysis's ``executor``: None, "serial", "process" or an object with ``submit``."""
    if isinstance(executor, str) and executor not in ("serial", "process"):
        raise ValueError(f"executor: expected None, 'serial', 'process' or an Executor, got {executor!r}")


def default_executor(rows: int, model, whole: bool) -> str:
    """"process" for a sweep large enough to pay for starting workers (and more than one CPU),
    else "serial"; by its size, never by a clock, so that the same call always runs the same way."""
    work = rows * model.A.nnz * (WHOLE_WORK if whole else 1)
    return "process" if work > PARALLEL_ABOVE_WORK and rows > 1 and usable_cpus() > 1 else "serial"


def run_jobs(executor, own, jobs, sizes, report) -> list:
    """The results of ``jobs`` (``(function, *args)`` each) submitted to ``executor``, in order.

    ``report`` (a :class:`Reporter`) hears the share of ``sizes`` done as jobs finish and every
    :data:`HEARTBEAT` seconds in between, so that a cancel is seen within that. On a cancel or
    any error the jobs not started are cancelled and ``own`` (a local pool made for this run,
    or None) is stopped at once: a job in flight can take a minute. ``own`` is shut down in the end.
    """
    total = float(sum(sizes)) or 1.0
    futures = {}
    try:
        futures = {executor.submit(*job): i for i, job in enumerate(jobs)}
        results: list = [None] * len(jobs)
        done = 0.0
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=HEARTBEAT, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = futures[fut]
                results[i] = fut.result()
                done += sizes[i]
            report(done / total)
        return results
    except BaseException:
        for fut in futures:
            fut.cancel()
        if own is not None:
            stop_pool(own)
        raise
    finally:
        if own is not None:
            own.shutdown(wait=True)


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def process_pool(max_workers: int | None = None) -> ProcessPoolExecutor:
    """A local process pool whose workers start clean (no fork of a threaded parent) and ignore Ctrl+C.

    ``forkserver`` where the platform has it, else ``spawn``: forking a process
    that runs Qt or HiGHS threads can leave a child with a lock no thread will
    release.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:  # for a fork server not yet started (see planner.analyses._deaf)
        ctx.set_forkserver_preload(["__main__", "planner.analyses._deaf"])
    return ProcessPoolExecutor(max_workers=max_workers or usable_cpus(), mp_context=ctx,
                               initializer=_leave_interrupts_to_the_parent)


def stop_pool(executor) -> None:
    """Stop a local process pool at once: its queued chunks cancelled, the workers still
    solving one ended (after a cancel, an error or Ctrl+C, nobody waits for their answers)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)


def _leave_interrupts_to_the_parent() -> None:
    """In a worker: Ctrl+C reaches the whole process group, and the parent cancels the sweep."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def scenario_payload(scenario) -> tuple[str, dict]:
    """A picklable form of a scenario (its frozen mappings do not pickle) and a key for it."""
    from ..fileio import scenario_to_dict

    data = scenario_to_dict(scenario)
    key = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return key, data


def worker_solver(payload: tuple[str, dict], tie_break: bool = True) -> SweepSolver:
    """This thread's warm solver for a scenario, made on first use and kept for the next chunk."""
    key, data = payload
    cache = getattr(_local, "solvers", None)
    if cache is None:
        cache = _local.solvers = {}
    solver = cache.get((key, tie_break))
    if solver is None:
        from ..fileio import scenario_from_dict

        solver = SweepSolver(build_model(scenario_from_dict(data)), tie_break=tie_break)
        cache.clear()  # one scenario at a time: a worker holds one warm HiGHS pair
        cache[(key, tie_break)] = solver
    return solver


def solve_weight_chunk(payload, weights: np.ndarray, tie_break: bool = True, certify: bool = False,
                       whole: WholeOptions | None = None) -> dict:
    """In a worker: solve a block of weight vectors (rows) with this worker's warm solver."""
    solver = worker_solver(payload, tie_break)
    if whole is not None:
        return solve_whole_rows(solver, weights, whole)
    pool = None
    if certify:
        pool = getattr(solver, "pool", None)
        if pool is None:
            pool = start_pool(solver)
    return solve_weights_with(solver, weights, pool=pool)


def start_pool(solver: SweepSolver):
    """The solver's pool of certified bases, the scenario's own weights' (the current plan's) first."""
    from .certify import BasisPool

    pool = solver.pool = BasisPool()
    if solver.integer or not solver.tie_break:
        return pool
    solver.solve_weights([t.weight for t in solver.model.scenario.tasks])
    pool.add(*solver.certificates())
    return pool


# A certifying basis's id in ``certified_by``: its pool's tag times this, plus its place in the
# pool (0: the current plan's).
POOL_STRIDE = 1 << 24


def basis_counts(certified_by: np.ndarray) -> tuple[int, tuple[int, ...], int]:
    """From ``certified_by``: samples the current plan's bases answered, the samples each
    basis answered (most first), and how many samples were solved."""
    hit = certified_by[certified_by >= 0]
    ids, counts = np.unique(hit, return_counts=True)
    current = int(counts[ids % POOL_STRIDE == 0].sum())
    return current, tuple(int(c) for c in sorted(counts, reverse=True)), int((certified_by < 0).sum())


# A basis found costs about this many warm solves to turn into a certificate (two sparse
# LUs and their solves). After the first bases, a pool whose bases have answered fewer
# samples than this each builds no more: on a model whose optimal vertex is different
# for nearly every weighting, certificates would cost more than they save.
CERTIFY_BUILD_COST = 4
CERTIFY_TRIAL = 8  # bases always built before the pool judges its own worth
RECENT_BASES = 16  # a sample is checked against the current plan's and the newest bases


def _empty_arrays(model, n: int) -> dict:
    s = model.scenario
    C, R, T = len(s.capabilities), len(s.regions), len(s.tasks)
    return {
        "ok": np.zeros(n, bool),
        "score": np.full(n, np.nan),
        "task_scores": np.full((n, T), np.nan),
        "generate": np.full((n, C), np.nan),
        "region_units": np.full((n, C, R), np.nan, np.float32),  # mean units per period
        "iterations": np.zeros(n, np.int32),
        "certified_by": np.full(n, -1, np.int64),  # the basis that answered it (basis_ids); -1: solved
        # whole units: how a row was answered (WHOLE_*), and its certified gap in score points
        "whole_how": np.full(n, WHOLE_BRANCHED, np.int8),
        "gap": np.zeros(n),
    }


def _fill(out: dict, i, model, pt: SweepPoint) -> None:
    s = model.scenario
    C, R, P = len(s.capabilities), len(s.regions), len(s.periods)
    out["iterations"][i] = pt.iterations
    if pt.ok:
        out["ok"][i] = True
        out["score"][i] = pt.score
        out["task_scores"][i] = pt.task_scores
        out["generate"][i] = pt.generate
        x = np.clip(pt.v[: model.n_x], 0.0, None)
        flat = model.xc * R + model.xr
        out["region_units"][i] = (np.bincount(flat, x, minlength=C * R) / max(P, 1)).reshape(C, R)


def solve_weights_with(solver: SweepSolver, weights: np.ndarray, report=None, pool=None) -> dict:
    """Solve each row of ``weights``; compact arrays back.

    report: called as ``report(done)`` every :data:`SERIAL_REPORT_EVERY` rows
    (it may raise :class:`Cancelled`). pool: a :class:`~planner.analyses.certify.BasisPool`
    whose bases answer the rows they certify without a solve (the others are solved and
    their bases join it); None solves every row.
    """
    model = solver.model
    n = weights.shape[0]
    out = _empty_arrays(model, n)
    if pool is not None and not solver.integer and solver.tie_break:
        _certified_rows(solver, pool, weights, out, report)
        return out
    for i in range(n):
        _fill(out, i, model, solver.solve_weights(weights[i]))
        if report is not None and (i + 1) % SERIAL_REPORT_EVERY == 0:
            report(i + 1)
    return out


def _certified_rows(solver: SweepSolver, pool, weights: np.ndarray, out: dict, report) -> None:
    """Rows certified by the pool read from its bases; the rest solved in order (see certify)."""
    n = weights.shape[0]
    C = np.array([score_coefficients(solver.full, w) for w in weights])
    Cy = C[:, solver.y_task]

    def recent():
        k = len(pool.stage2)
        return sorted({0, *range(max(0, k - RECENT_BASES), k)}) if k else []

    def settle(rows: np.ndarray, bases) -> np.ndarray:
        """Answer the rows some basis certifies; return those still open."""
        if not rows.size or not bases:
            return rows
        best = pool.best_scores(Cy[rows], bases)
        has = ~np.isnan(best)
        cand = rows[has]
        if not cand.size:
            return rows
        floors = best[has] - TIE_TOLERANCE * np.maximum(best[has], 1.0)
        which, theta = pool.plans(Cy[cand], floors, bases=bases)
        hit = which >= 0
        if hit.any():
            _fill_certified(solver, out, cand[hit], C[cand[hit]], which[hit], theta[hit], pool)
        done = np.zeros(rows.size, bool)
        done[np.flatnonzero(has)[hit]] = True
        return rows[~done]

    left = settle(np.arange(n), recent())
    reported = 0
    while left.size:
        i = int(left[0])
        pt = solver.solve_weights(weights[i])
        _fill(out, i, solver.model, pt)
        left = left[1:]
        built = len(pool.stage2)
        worth = built < CERTIFY_TRIAL or sum(pool.certified) >= CERTIFY_BUILD_COST * built
        if pt.ok and worth:
            before = len(pool.stage2)
            pool.add(*solver.certificates())
            if len(pool.stage2) > before:
                left = settle(left, [len(pool.stage2) - 1])
        done = n - left.size
        if report is not None and done - reported >= SERIAL_REPORT_EVERY:
            reported = done
            report(done)


# -- whole units: a pool of whole-unit vectors against the LP relaxation ---------------

WHOLE_PROVEN, WHOLE_BRANCHED, WHOLE_GAP = 0, 1, 2  # whole_how: proven by the bound, branch and bound, kept
WHOLE_FAILED = -1
# Fast mode: a sample whose best known vector is further than this (score points) from the
# LP relaxation's bound is solved by branch and bound (and its vector joins the pool).
GAP_LIMIT = 0.25
# Fast mode: the first samples of a sweep are solved by branch and bound to fill the pool.
WHOLE_WARMUP = 4
# Whole-unit sweeps go out in chunks of the same rows however many workers run them, and
# each chunk starts from the same pool: the answers do not depend on the executor.
WHOLE_CHUNK_WORKERS = 4


@dataclass(frozen=True)
class WholeOptions:
    """How a whole-unit sweep answers its rows (see :func:`solve_whole_rows`).

    exact: a sample its best known vector does not prove optimal is solved by branch and
    bound from that vector; else (fast) it keeps the vector and its certified gap unless
    the gap is above ``gap_limit`` points. vectors, wins: the pool each chunk starts from.
    """

    exact: bool
    gap_limit: float
    vectors: tuple[tuple[float, ...], ...]
    wins: tuple[int, ...]

    def pool(self):
        from .certify import WholePool

        return WholePool([np.array(v, float) for v in self.vectors], list(self.wins))

    @classmethod
    def of(cls, pool, exact: bool, gap_limit: float) -> WholeOptions:
        return cls(bool(exact), float(gap_limit), tuple(tuple(float(x) for x in v) for v in pool.vectors),
                   tuple(int(k) for k in pool.wins))


def whole_row(solver: SweepSolver, pool, weights, *, exact: bool, gap_limit: float,
              branch: bool = False) -> tuple[SweepPoint, int, float]:
    """One weighting of a whole-unit model: its point, how it was answered and its certified gap.

    The LP relaxation's optimum ``U`` bounds every whole plan; the pool's vectors are tried
    with their units fixed, most wins first, until one reaches ``U`` (within
    :data:`~planner.analyses.certify.PROOF_TOLERANCE`): proven optimal. Otherwise the branch
    and bound runs from the best of them (``exact``, ``branch``, or a gap above
    ``gap_limit``), or the best is kept with its gap ``U - score``. A proven vector's plan is
    stage 2's branch and bound from it (:meth:`SweepSolver.settled_plan`: the tie-break of
    :meth:`SweepSolver.solve`, which may prefer other units of the same score); a kept one's
    is stage 2 with its units fixed (:meth:`SweepSolver.fixed_plan`). The vector reported
    counts a win in ``pool`` (a new one joins it).
    """
    from .certify import PROOF_TOLERANCE

    solver.set_weights(weights)
    upper = solver.relaxation_score()
    if upper is None:  # no bound: as a plain solve
        return _branched(solver, pool, None)
    tol = PROOF_TOLERANCE * max(1.0, abs(upper))
    best, best_k, last = -np.inf, -1, -1
    for k in pool.order():
        got = solver.fixed_score(pool.vectors[k])
        if got is None:
            continue
        last = k
        if got[0] > best:
            best, best_k = got[0], k
        if best >= upper - tol:
            break
    proven = best_k >= 0 and best >= upper - tol
    if not proven and (exact or branch or best_k < 0 or upper - best > gap_limit):
        return _branched(solver, pool, pool.vectors[best_k] if best_k >= 0 else None)
    units = pool.vectors[best_k]
    if proven:  # optimal to the branch and bound's own tolerance: no gap; the tie-break as solve() does
        pt = solver.settled_plan(units, best)
        if pt is None:
            return _branched(solver, pool, units)
        k = pool.add(pt.v[solver.whole_columns])
        pool.wins[k] += 1
        return pt, WHOLE_PROVEN, 0.0
    if last != best_k:
        solver.fixed_score(units)  # stage 2 starts from this vector's basis
    pt = solver.fixed_plan(units, best)
    if pt is None:
        return _branched(solver, pool, units)
    pool.wins[best_k] += 1
    return pt, WHOLE_GAP, max(0.0, upper - pt.score)


def _branched(solver: SweepSolver, pool, start) -> tuple[SweepPoint, int, float]:
    pt = solver.solve(start=start)
    if not pt.ok:
        return pt, WHOLE_FAILED, float("nan")
    k = pool.add(pt.v[solver.whole_columns])
    pool.wins[k] += 1
    return pt, WHOLE_BRANCHED, 0.0


def start_whole_pool(solver: SweepSolver, base: SweepPoint, weights: np.ndarray, *, warmup: int):
    """The pool a whole-unit sweep starts from: the current plan's vector (``base``), then those
    of the first ``warmup`` rows, each solved by branch and bound (their points are returned too)."""
    from .certify import WholePool

    pool = WholePool()
    if base.ok:
        pool.add(base.v[solver.whole_columns])
    points = []
    for w in weights[:warmup]:
        solver.set_weights(w)
        points.append(_branched(solver, pool, pool.vectors[0] if pool.vectors else None))
    return pool, points


def solve_whole_rows(solver: SweepSolver, weights: np.ndarray, options: WholeOptions, report=None) -> dict:
    """Each row by :func:`whole_row`, from the pool in ``options`` (not changed)."""
    model = solver.model
    n = weights.shape[0]
    out = _empty_arrays(model, n)
    pool = options.pool()
    for i in range(n):
        pt, how, gap = whole_row(solver, pool, weights[i], exact=options.exact, gap_limit=options.gap_limit)
        _fill(out, i, model, pt)
        out["whole_how"][i], out["gap"][i] = how, gap
        if report is not None and (i + 1) % SERIAL_REPORT_EVERY == 0:
            report(i + 1)
    return out


def _fill_certified(solver: SweepSolver, out: dict, rows, C, which, theta, pool) -> None:
    """The rows' plans read from their certifying bases as :meth:`SweepSolver._point` reads a solve."""
    m = solver.model
    s = m.scenario
    Cn, R, P = len(s.capabilities), len(s.regions), len(s.periods)
    full = solver.full
    has = full > 0
    for k in np.unique(which):
        sel = which == k
        V = pool.stage2[k].columns(theta[sel])[:, : solver._n]
        pool.certified[k] += int(sel.sum())
        r = rows[sel]
        sv = np.clip(rounded_plan(V[:, m.s_slice]), 0.0, None)
        reach = sv @ _task_matrix(m, full.size)
        ts = np.where(has, 100.0 * reach / np.where(has, full, 1.0), np.nan)
        score = np.einsum("ij,ij->i", C[sel][:, solver.y_task], ts[:, solver.y_task])
        out["ok"][r] = True
        out["score"][r] = np.clip(score, 0.0, 100.0)
        out["task_scores"][r] = np.minimum(ts, 100.0)
        out["generate"][r] = np.clip(rounded_plan(V[:, m.g_slice]), 0.0, None)
        x = np.clip(V[:, : m.n_x], 0.0, None)
        units = (x @ _cell_matrix(m, Cn * R)) / max(P, 1)
        out["region_units"][r] = units.reshape(r.size, Cn, R)
        out["iterations"][r] = 0
        out["certified_by"][r] = pool.tag * POOL_STRIDE + k


def _task_matrix(model, n_tasks: int) -> sp.csr_matrix:
    """(s columns x tasks): ``s @ it`` is each task's reach, as ``task_scores`` sums it."""
    k = model.s_base.size
    return sp.csr_matrix((model.s_base, (np.arange(k), model.s_task)), shape=(k, n_tasks))


def _cell_matrix(model, cells: int) -> sp.csr_matrix:
    """(x columns x capability-region cells): ``x @ it`` sums each cell's units."""
    R = len(model.scenario.regions)
    flat = model.xc * R + model.xr
    return sp.csr_matrix((np.ones(flat.size), (np.arange(flat.size), flat)), shape=(flat.size, cells))


def _merge(n: int, chunks: list[np.ndarray], parts: list[dict]) -> dict:
    out = {}
    for key, arr in parts[0].items():
        full = np.empty((n,) + arr.shape[1:], arr.dtype)
        for idx, part in zip(chunks, parts):
            full[idx] = part[key]
        out[key] = full
    return out


def sweep_weights(scenario, weights: np.ndarray, *, report, executor=None, solver: SweepSolver | None = None,
                  tie_break: bool = True, certify: bool = False, whole: WholeOptions | None = None,
                  ) -> tuple[dict, str]:
    """Solve the scenario under each row of ``weights``; arrays in the rows' order.

    executor: None (:func:`default_executor`: serial, or a local process pool made
    for this call for a large sweep), ``"serial"``, ``"process"``, or any
    :class:`concurrent.futures.Executor` (used as given, never shut down here;
    a dask ``Client.get_executor()`` works). The rows go out in chunks; each
    worker keeps one warm solver per scenario across its chunks. ``report`` is
    a :class:`Reporter` (raises :class:`Cancelled`), called as chunks finish
    and every :data:`HEARTBEAT` seconds in between; on a cancel the chunks not
    yet started are cancelled and those running are dropped as they finish.

    certify: answer the rows a known optimal basis certifies without a solve
    (:mod:`planner.analyses.certify`; each worker keeps its own pool of bases),
    with ``certified_by`` in the arrays: the id of the basis that answered a row
    (:func:`basis_counts` reads them), -1 for a row solved.

    whole: whole units answered by :func:`solve_whole_rows` (a pool of whole-unit vectors),
    in chunks that do not depend on the executor, each from the pool given; the arrays then
    hold ``whole_how`` and ``gap`` per row.

    Returns the arrays and a word for how it ran (``serial``, ``processes:N``
    or the executor's class name).
    """
    n = weights.shape[0]
    check_executor(executor)
    own = None
    model = solver.model if solver is not None else build_model(scenario)
    if executor is None:
        executor = default_executor(n, model, whole is not None)
    if executor == "process":
        own = executor = process_pool()
    n_workers = getattr(executor, "_max_workers", None) or usable_cpus()
    if whole is not None:
        chunks = make_chunks(weights, WHOLE_CHUNK_WORKERS)
    else:
        chunks = make_chunks(weights, 1 if executor == "serial" else n_workers)
    report(0.0)
    if executor == "serial":
        if solver is None:
            solver = SweepSolver(model, tie_break=tie_break)
        pool = (getattr(solver, "pool", None) or start_pool(solver)) if certify else None
        parts, done = [], 0
        for idx in chunks:
            base = done
            if whole is not None:
                parts.append(solve_whole_rows(solver, weights[idx], whole, lambda k, b=base: report((b + k) / n)))
            else:
                parts.append(solve_weights_with(solver, weights[idx], lambda k, b=base: report((b + k) / n),
                                                pool=pool))
            done += idx.size
            report(done / n)
        return _merge(n, chunks, parts), "serial"

    payload = scenario_payload(scenario)
    how = f"processes:{n_workers}" if own is not None else type(executor).__name__
    jobs = [(solve_weight_chunk, payload, weights[idx], tie_break, certify, whole) for idx in chunks]
    parts = run_jobs(executor, own, jobs, [idx.size for idx in chunks], report)
    return _merge(n, chunks, parts), how
