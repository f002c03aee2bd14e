"""The one place that talks to HiGHS: through highspy where it is installed, else SciPy's copy.

- :data:`STATUS_TABLE`: what every HiGHS model status
  (and SciPy's status codes, by the HiGHS status each stands for) means for
  a plan;
- :func:`new_highs`: a quiet HiGHS instance; highspy is imported, and the
  banner HiGHS prints on stdout silenced, at the first call, never at import;
- :class:`HighsModel`: one LP held in an instance, changed (costs,
  coefficients, bounds, rows) and run again from the last basis;
- :func:`linprog`: the same HiGHS through SciPy (the ``scipy`` backend, the
  infeasibility diagnosis).

HiGHS's own MIP search is not used: whole units are a branch and bound of
the planner's own over these LPs (:mod:`planner.lp.whole`).

Every solve has a time limit (:data:`DEFAULT_TIME_LIMIT` unless given) and
comes back as an :class:`Outcome`, never as an exception.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from ..status import ERROR, INFEASIBLE, OPTIMAL, TIME_LIMIT, Status  # noqa: F401 - read from here too

# Every HiGHS model status, by its name in highspy's HighsModelStatus. The
# model is bounded (every score is at most 100), so "unbounded or infeasible"
# is infeasible; anything unexpected is an error whose message names it.
STATUS_TABLE: dict[str, Status] = {
    "kOptimal": OPTIMAL,
    "kInfeasible": INFEASIBLE,
    "kUnboundedOrInfeasible": INFEASIBLE,
    "kTimeLimit": TIME_LIMIT,
    "kNotset": ERROR,
    "kLoadError": ERROR,
    "kModelError": ERROR,
    "kPresolveError": ERROR,
    "kSolveError": ERROR,
    "kPostsolveError": ERROR,
    "kModelEmpty": ERROR,
    "kUnbounded": ERROR,
    "kObjectiveBound": ERROR,  # the branch and bound reads it itself (planner.lp.whole)
    "kObjectiveTarget": ERROR,
    "kIterationLimit": ERROR,
    "kSolutionLimit": ERROR,
    "kUnknown": ERROR,
    "kInterrupt": ERROR,
    "kHighsInterrupt": ERROR,
    "kMemoryLimit": ERROR,
}
# SciPy's linprog and milp report these codes; each is the HiGHS status named.
# (1 is "iteration or time limit": only a time limit is ever set here.)
SCIPY_CODES: dict[int, str] = {0: "kOptimal", 1: "kTimeLimit", 2: "kInfeasible", 3: "kUnbounded",
                               4: "kSolveError"}


def status_of(highs_status) -> Status:
    """The :class:`Status` of a HiGHS model status (a HighsModelStatus or its name) or a SciPy code."""
    if isinstance(highs_status, (int, np.integer)) and not hasattr(highs_status, "name"):
        highs_status = SCIPY_CODES.get(int(highs_status), "kUnknown")
    return STATUS_TABLE.get(getattr(highs_status, "name", highs_status), ERROR)


# -- limits ------------------------------------------------------------------------

DEFAULT_TIME_LIMIT = 60.0  # seconds, for every solve that is not given its own


def check_time_limit(value) -> float:
    """``value`` as seconds; ValueError unless it is a finite number > 0."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not (math.isfinite(value) and value > 0):
        raise ValueError(f"time_limit: expected a finite number of seconds > 0, got {value!r}")
    return float(value)


# -- instances ---------------------------------------------------------------------

HAVE_HIGHSPY = importlib.util.find_spec("highspy") is not None
BACKENDS = ("highspy", "scipy") if HAVE_HIGHSPY else ("scipy",)
SIMPLEX_CHOOSE, SIMPLEX_DUAL, SIMPLEX_PRIMAL = 0, 1, 4  # HiGHS's simplex_strategy values
# The planner's words for HiGHS's LP methods: HiGHS's options for each, and SciPy's linprog
# names (SciPy has no primal simplex: its dual simplex stands in).
METHOD_OPTIONS = {
    "simplex": {"solver": "simplex"},
    # Presolve off: on the bundled stationing models (3.8k-4.1k columns) the primal simplex took
    # 74-102 ms without it against 99-146 ms with it (its reductions cost more than they save).
    "primal": {"solver": "simplex", "simplex_strategy": SIMPLEX_PRIMAL, "presolve": "off"},
    "ipm": {"solver": "ipm"}, "choose": {"solver": "choose"},
}
SCIPY_METHODS = {"simplex": "highs-ds", "primal": "highs-ds", "ipm": "highs-ipm", "choose": "highs"}

_first_lock = threading.Lock()
_banner_silenced = False


def highspy():
    """The highspy module (imported at the first call)."""
    import highspy as hs

    return hs


def new_highs():
    """A fresh HiGHS instance with its output off."""
    hs = highspy()
    h = hs.Highs() if _banner_silenced else _first_instance(hs)
    h.setOptionValue("output_flag", False)
    return h


def _first_instance(hs):
    """HiGHS prints a banner on stdout from the constructor of the first instance in a
    process, before any option can be set: that one is made with file descriptor 1 on the
    null device for the moment it takes (what another thread writes then is lost too)."""
    global _banner_silenced
    with _first_lock:
        if _banner_silenced:
            return hs.Highs()
        try:
            sys.stdout.flush()
            saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        except (OSError, ValueError, AttributeError):  # no usable stdout: nothing to protect
            saved = None
        try:
            if saved is not None:
                os.dup2(devnull, 1)
            return hs.Highs()
        finally:
            _banner_silenced = True
            if saved is not None:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)


def highs_version() -> str:
    """The version of highspy's HiGHS, e.g. ``1.16.0``."""
    return new_highs().version()


# -- outcomes ----------------------------------------------------------------------


@dataclass
class Outcome:
    """How one solve ended.

    x: the columns' values: the optimum, or the best whole-unit plan found
    when the time limit hit (None otherwise). duals: the row duals of an
    optimal LP (of the minimised objective, HiGHS's sign), None for a MILP.
    """

    status: Status
    x: np.ndarray | None
    duals: np.ndarray | None
    message: str
    mip_gap: float | None = None
    iterations: int = 0


def outcome(status: Status, x, duals, detail: str, *, integer: bool, time_limit: float,
            mip_gap: float | None = None, iterations: int = 0) -> Outcome:
    """An :class:`Outcome` in plain words; ``detail`` is the solver's own word for a failure."""
    if status == OPTIMAL:
        return Outcome(OPTIMAL, x, None if integer else duals, "optimal", mip_gap, iterations)
    if status == INFEASIBLE:
        return Outcome(INFEASIBLE, None, None, "infeasible", None, iterations)
    if status == TIME_LIMIT and integer and x is not None:
        return Outcome(TIME_LIMIT, x, None, "time limit reached: best plan found so far (within "
                       f"{100 * (mip_gap or 0):.1f}% of the best possible score)", mip_gap, iterations)
    if status == TIME_LIMIT and integer:  # a whole-unit search that found nothing has failed
        return Outcome(ERROR, None, None, f"time limit reached after {time_limit:g} s before any whole-unit "
                       "plan was found; allow more time, or turn whole units off for a quick estimate",
                       None, iterations)
    if status == TIME_LIMIT:
        return Outcome(TIME_LIMIT, None, None, f"no plan within the time limit of {time_limit:g} s: the "
                       "scenario is too large to solve in that time; allow more time", None, iterations)
    return Outcome(ERROR, None, None, f"the solver stopped: {detail}", None, iterations)


# -- highspy -------------------------------------------------------------------------


class HighsModel:
    """One LP in a quiet HiGHS instance.

    ``min cost @ x`` s.t. ``row_lower <= A @ x <= row_upper``, ``col_lower <= x
    <= col_upper``. The ``set_*`` methods change it in place; :meth:`run`
    starts from the basis the last run ended with (or one passed over with
    :meth:`start_from`) unless :meth:`forget_basis` threw it away.
    options: HiGHS options set before the first run (``solver``, ``presolve``...).
    """

    def __init__(self, A, cost, col_lower, col_upper, row_lower, row_upper, *,
                 time_limit: float = DEFAULT_TIME_LIMIT, options: dict | None = None):
        hs = highspy()
        self.time_limit = check_time_limit(time_limit)
        self.highs = h = new_highs()
        for name, value in (options or {}).items():
            self.set_option(name, value)
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
        lp.col_cost_ = np.asarray(cost, float)
        lp.col_lower_, lp.col_upper_ = np.asarray(col_lower, float), np.asarray(col_upper, float)
        lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, float), np.asarray(row_upper, float)
        lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        h.passModel(lp)

    # -- changes ------------------------------------------------------------------
    def set_option(self, name: str, value) -> None:
        """A HiGHS option; ``time_limit`` is the seconds each later :meth:`run` may take."""
        if name == "time_limit":
            self.time_limit = check_time_limit(value)
            return
        self.highs.setOptionValue(name, value)

    def set_costs(self, cols, costs) -> None:
        cols = np.asarray(cols, np.int32)
        self.highs.changeColsCost(cols.size, cols, np.asarray(costs, float))

    def set_coefficient(self, row: int, col: int, value: float) -> None:
        self.highs.changeCoeff(int(row), int(col), float(value))

    def set_row_bounds(self, rows, lower, upper) -> None:
        rows = np.asarray(rows, np.int32)
        self.highs.changeRowsBounds(rows.size, rows, np.asarray(lower, float), np.asarray(upper, float))

    def set_col_bounds(self, col: int, lower: float, upper: float) -> None:
        self.highs.changeColBounds(int(col), float(lower), float(upper))

    def set_cols_bounds(self, cols, lower, upper) -> None:
        cols = np.asarray(cols, np.int32)
        self.highs.changeColsBounds(cols.size, cols, np.asarray(lower, float), np.asarray(upper, float))

    def add_row(self, lower: float, upper: float, cols, values) -> None:
        cols = np.asarray(cols, np.int32)
        self.highs.addRow(float(lower), float(upper), cols.size, cols, np.asarray(values, float))

    def forget_basis(self) -> None:
        """The next run starts cold."""
        self.highs.clearSolver()

    def start_from(self, other: HighsModel) -> None:
        """The next run starts from ``other``'s basis (same columns and rows)."""
        self.highs.setBasis(other.highs.getBasis())

    def basis(self):
        """The basis the last run ended with, to start a later run from (:meth:`set_basis`)."""
        return self.highs.getBasis()

    def set_basis(self, basis) -> None:
        """The next run starts from ``basis`` (of a model with these columns and rows)."""
        self.highs.setBasis(basis)

    def delete_rows(self, rows) -> None:
        rows = np.asarray(rows, np.int32)
        self.highs.deleteRows(rows.size, rows)

    # -- solving ------------------------------------------------------------------
    def run(self, simplex_strategy: int | None = None) -> Outcome:
        h = self.highs
        if simplex_strategy is not None:
            h.setOptionValue("simplex_strategy", simplex_strategy)
        # HiGHS measures its time limit against the instance's run time summed over every run
        # (ERGO-Code/HiGHS#1331, #1477), and highspy cannot zero that clock: a limit of 60 s
        # would stop every run once an instance had solved for a minute in all (a long sweep's
        # later samples all failed). The limit is set from the clock's reading, per run.
        h.setOptionValue("time_limit", h.getRunTime() + self.time_limit)
        h.run()
        model_status = h.getModelStatus()
        status = status_of(model_status)
        info = h.getInfo()
        x = duals = None
        if status == OPTIMAL:  # at a time limit an LP's iterate is not a plan
            sol = h.getSolution()
            x, duals = np.asarray(sol.col_value, float), np.asarray(sol.row_dual, float)
        return outcome(status, x, duals, h.modelStatusToString(model_status), integer=False,
                       time_limit=self.time_limit, iterations=int(info.simplex_iteration_count))


# -- SciPy's HiGHS -------------------------------------------------------------------


def linprog(c, A, b, lower, upper, *, method: str = "simplex",
            time_limit: float = DEFAULT_TIME_LIMIT) -> Outcome:
    """``min c @ x`` s.t. ``A @ x <= b``, ``lower <= x <= upper``, by SciPy's linprog (a cold solve)."""
    from scipy.optimize import linprog as scipy_linprog

    time_limit = check_time_limit(time_limit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scipy_linprog(c, A_ub=A, b_ub=b, bounds=np.column_stack([lower, upper]),
                            method=SCIPY_METHODS[method], options={"time_limit": time_limit})
    status = status_of(res.status)
    ok = status == OPTIMAL
    return outcome(status, res.x if ok else None, res.ineqlin.marginals if ok else None, res.message,
                   integer=False, time_limit=time_limit)
