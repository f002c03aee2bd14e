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

Two HiGHS instances keep the two stages of ``planner.solve`` apart, so that
each keeps a basis of the right kind between solves:

- stage 1 (maximise the score): after a weight change only costs change, so
  the previous basis stays primal feasible and the primal simplex goes on from
  it; after a right-hand-side change only bounds change, so the basis stays
  dual feasible and the dual simplex goes on from it.
- stage 2 (keep the score, fewest generated then employed units): its costs
  never change; each solve changes the score row ``sum_t c_t y[t] >= best``
  (``len(tasks)`` coefficients and one bound), and the dual simplex goes on
  from the previous stage 2's basis.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..model import LinearModel, build_model, normalised_weights
from ..result import ERROR, INFEASIBLE, OPTIMAL, TIME_LIMIT, Result
from ..solve import DEFAULT_TIME_LIMIT, TIE_TOLERANCE, _highspy, extract

try:  # the planner's own import of highspy has silenced its banner already
    import highspy as hs
except ImportError:  # pragma: no cover - highspy is a dependency
    hs = None

SIMPLEX_DUAL, SIMPLEX_PRIMAL, SIMPLEX_CHOOSE = 1, 4, 0
UNIT_EPS = 1e-6  # a capability counts as generated above this many units


@dataclass(frozen=True)
class SweepPoint:
    """One solve of a sweep.

    score: under the objective solved for (0-100). task_scores: (T,), NaN for a
    task without demand. generate: (C,) new units. v: the columns of the
    original model (the stage-2 point when the tie-break ran). duals: stage 1's
    row duals of the original rows (``solve_model``'s sign: of the minimised
    ``-score``), None for whole units.
    """

    status: str
    score: float = float("nan")
    task_scores: np.ndarray | None = None
    generate: np.ndarray | None = None
    v: np.ndarray | None = None
    duals: np.ndarray | None = None
    iterations: int = 0

    @property
    def ok(self) -> bool:
        return self.status in (OPTIMAL, TIME_LIMIT)


def task_full(model: LinearModel) -> np.ndarray:
    """F_t: the weight-free most a task can add, per task (0 for a task without demand)."""
    T = len(model.scenario.tasks)
    return np.bincount(model.s_task, model.s_base, minlength=T) / model.n_segments


def score_coefficients(full: np.ndarray, weights) -> np.ndarray:
    """c_t with ``score = c @ task_scores`` under ``weights`` (zeros if no weighted demand)."""
    wf = normalised_weights(weights) * full
    total = float(wf.sum())
    return wf / total if total > 0 else np.zeros(full.size)


def _score_floor(best: float) -> float:
    return best - TIE_TOLERANCE * max(best, 1.0)


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
        if _highspy is None or hs is None:  # pragma: no cover
            raise RuntimeError("the sweeps need the highspy package")
        self.model = model
        self.tie_break = tie_break
        self.warm = warm
        self.time_limit = float(time_limit)
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
        self._score_row = m + ny  # stage 2 only
        # definition rows: sum (100 s_base / F_t) s - y_t = 0
        s_cols = model.n_x + model.n_g + np.arange(model.s_base.size)
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
        integrality = np.concatenate([model.integrality, np.zeros(ny, np.uint8)])

        # stage 1: costs on y only
        self._h1 = self._highs(A_ext, np.zeros(n + ny), col_lower, col_upper,
                               row_lower, row_upper, integrality)
        self._h2 = None
        if tie_break:
            tidy = np.zeros(n + ny)
            tidy[: model.n_x] = 1.0
            tidy[model.g_slice] = len(s.periods) + 1.0
            # the score row, with placeholder coefficients so its pattern exists
            score_row = sp.csr_matrix((np.ones(ny), (np.zeros(ny, int), n + np.arange(ny))),
                                      shape=(1, n + ny))
            A2 = sp.vstack([A_ext, score_row], format="csr")
            self._h2 = self._highs(A2, tidy, col_lower, col_upper,
                                   np.append(row_lower, -np.inf), np.append(row_upper, np.inf),
                                   integrality)
        self._b = np.asarray(model.b, float).copy()
        self._y_lower = np.full(ny, -np.inf)
        self._coef = np.full(self.n_tasks, np.nan)  # forces the first set
        self._h2_coef = np.ones(ny)
        self._costs_changed = self._bounds_changed = True
        self._weights: np.ndarray | None = None
        self.set_weights([t.weight for t in s.tasks])

    # -- building -------------------------------------------------------------
    def _highs(self, A, cost, col_lower, col_upper, row_lower, row_upper, integrality):
        h = hs.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # re-solves from a basis skip it anyway
        h.setOptionValue("time_limit", self.time_limit)
        if self.integer:
            h.setOptionValue("mip_rel_gap", 1e-7)
            h.setOptionValue("presolve", "on")
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
        lp.col_cost_ = np.asarray(cost, float)
        lp.col_lower_, lp.col_upper_ = col_lower, col_upper
        lp.row_lower_, lp.row_upper_ = row_lower, row_upper
        lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        if self.integer:
            lp.integrality_ = [hs.HighsVarType.kInteger if i else hs.HighsVarType.kContinuous
                               for i in integrality]
        h.passModel(lp)
        return h

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
        cols = (self._y0 + np.arange(self._ny)).astype(np.int32)
        self._h1.changeColsCost(self._ny, cols, -coef[self.y_task])
        self._costs_changed = True

    def set_rhs(self, b) -> None:
        """Solve with another right-hand side ``b`` of the model's rows (same length as ``model.b``)."""
        b = np.asarray(b, float)
        changed = np.flatnonzero(b != self._b).astype(np.int32)
        if changed.size == 0:
            return
        self._b = b.copy()
        lo = np.full(changed.size, -np.inf)
        for h in self._instances():
            h.changeRowsBounds(changed.size, changed, lo, b[changed])
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
            h.changeColBounds(int(self._y0 + j), lo, np.inf)
        self._bounds_changed = True

    def _instances(self):
        return (self._h1,) if self._h2 is None else (self._h1, self._h2)

    # -- solving ----------------------------------------------------------------
    def solve(self, tie_break: bool | None = None) -> SweepPoint:
        """Solve with the current objective, right-hand side and floors."""
        tie_break = self.tie_break if tie_break is None else tie_break
        if tie_break and self._h2 is None:
            raise ValueError("this SweepSolver was made with tie_break=False")
        h1 = self._h1
        if not self.integer:
            if self._costs_changed and self._bounds_changed:
                strategy = SIMPLEX_CHOOSE
            elif self._costs_changed:
                strategy = SIMPLEX_PRIMAL  # the old basis is still primal feasible
            else:
                strategy = SIMPLEX_DUAL  # the old basis is still dual feasible
            h1.setOptionValue("simplex_strategy", strategy)
        if not self.warm:
            h1.clearSolver()
        self._costs_changed = self._bounds_changed = False
        h1.run()
        status, msg = self._status(h1)
        iterations = int(h1.getInfo().simplex_iteration_count)
        if status not in (OPTIMAL, TIME_LIMIT):
            return SweepPoint(status, iterations=iterations)
        sol = h1.getSolution()
        v = np.asarray(sol.col_value, float)
        duals = None if self.integer else np.asarray(sol.row_dual, float)[: self._m]
        best = float(self._coef[self.y_task] @ self._task_scores_of(v)[self.y_task])
        if tie_break and status == OPTIMAL:
            v2, it2 = self._stage2(best)
            iterations += it2
            if v2 is not None:
                v = v2
        return self._point(status, v, duals, iterations)

    def _stage2(self, best: float):
        h2 = self._h2
        c = self._coef[self.y_task]
        changed = np.flatnonzero(c != self._h2_coef)
        for j in changed:
            h2.changeCoeff(self._score_row, int(self._y0 + j), float(c[j]))
        self._h2_coef = c.copy()
        h2.changeRowBounds(self._score_row, _score_floor(best), np.inf)
        if not self.integer:
            h2.setOptionValue("simplex_strategy", SIMPLEX_DUAL)  # its costs never change
        if not self.warm:
            h2.clearSolver()
        h2.run()
        it = int(h2.getInfo().simplex_iteration_count)
        if h2.getModelStatus() != hs.HighsModelStatus.kOptimal:
            return None, it
        return np.asarray(h2.getSolution().col_value, float), it

    def _status(self, h):
        st = h.getModelStatus()
        S = hs.HighsModelStatus
        if st == S.kOptimal:
            return OPTIMAL, "optimal"
        if st in (S.kInfeasible, S.kUnboundedOrInfeasible):
            return INFEASIBLE, "infeasible"
        if st == S.kTimeLimit and self.integer and h.getSolution().value_valid:
            return TIME_LIMIT, "time limit reached"
        return ERROR, f"the solver stopped: {h.modelStatusToString(st)}"

    def _task_scores_of(self, v: np.ndarray) -> np.ndarray:
        """Task scores (0-100) read from the s columns, as ``planner.solve.extract`` does."""
        m = self.model
        sv = np.clip(np.round(v[m.s_slice], 9), 0.0, None)
        reach = np.bincount(m.s_task, m.s_base * sv, minlength=self.n_tasks)
        with np.errstate(invalid="ignore", divide="ignore"):
            ts = np.where(self.full > 0, 100.0 * reach / np.where(self.full > 0, self.full, 1.0), np.nan)
        return ts

    def _point(self, status, v_ext, duals, iterations) -> SweepPoint:
        m = self.model
        v = v_ext[: self._n]
        ts = self._task_scores_of(v)
        score = float(self._coef[self.y_task] @ ts[self.y_task])
        score = min(max(score, 0.0), 100.0)
        g = np.round(v[m.g_slice], 9)
        if self.integer:
            g = np.round(g)
        return SweepPoint(status, score, np.minimum(ts, 100.0), np.clip(g, 0.0, None), v, duals, iterations)

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
        model = self.model.with_weights(w)
        import dataclasses

        model = dataclasses.replace(model, scenario=scen)
        if not point.ok:
            return Result(point.status, "no plan", scen)
        return extract(model, self._b, point.v, point.duals, point.status,
                       "optimal" if point.status == OPTIMAL else "time limit reached")


# -- chunks of weight vectors, in a worker ----------------------------------------

_local = threading.local()


def scenario_payload(scenario) -> tuple[str, dict]:
    """A picklable form of a scenario (frozen mappings do not pickle) and a key for it."""
    from ..fileio import scenario_to_dict

    data = scenario_to_dict(scenario)
    key = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return key, data


def worker_solver(payload: tuple[str, dict], tie_break: bool = True) -> SweepSolver:
    """This thread's warm solver for a scenario, made on first use and kept."""
    key, data = payload
    cache = getattr(_local, "solvers", None)
    if cache is None:
        cache = _local.solvers = {}
    solver = cache.get((key, tie_break))
    if solver is None:
        from ..fileio import scenario_from_dict

        solver = SweepSolver(build_model(scenario_from_dict(data)), tie_break=tie_break)
        cache.clear()  # one scenario at a time: a worker holds one warm instance
        cache[(key, tie_break)] = solver
    return solver


def solve_weight_chunk(payload, weights: np.ndarray, tie_break: bool = True) -> dict:
    """Solve a block of weight vectors (rows) with one warm solver; compact arrays back."""
    solver = worker_solver(payload, tie_break)
    return solve_weights_with(solver, weights)


def solve_weights_with(solver: SweepSolver, weights: np.ndarray, progress_every=None, report=None) -> dict:
    """Solve each row of ``weights``; ``report(done)`` (if given) every ``progress_every`` rows."""
    model = solver.model
    s = model.scenario
    n = weights.shape[0]
    C, R, T, P = len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods)
    out = {
        "ok": np.zeros(n, bool),
        "score": np.full(n, np.nan),
        "task_scores": np.full((n, T), np.nan),
        "generate": np.full((n, C), np.nan),
        "region_units": np.full((n, C, R), np.nan, np.float32),  # mean units per period
    }
    flat = model.xc * R + model.xr
    for i in range(n):
        pt = solver.solve_weights(weights[i])
        if pt.ok:
            out["ok"][i] = True
            out["score"][i] = pt.score
            out["task_scores"][i] = pt.task_scores
            out["generate"][i] = pt.generate
            x = np.clip(pt.v[: model.n_x], 0.0, None)
            out["region_units"][i] = (np.bincount(flat, x, minlength=C * R) / max(P, 1)).reshape(C, R)
        if report is not None and progress_every and (i + 1) % progress_every == 0:
            report(i + 1)
    return out
