"""HiGHS on its own, and HiGHS's share of the planner's own solves.

- :func:`linprog_stage1`, :func:`highspy_stage1`: stage 1 (maximise the score)
  on the built arrays, by SciPy's ``linprog`` and by ``highspy`` exactly as the
  planner passes the model (``planner.solve.highs_instance``): the floor no
  wrapper can beat.
- :class:`HighsRunClock`: times every ``Highs.run()`` made while it is active,
  so that HiGHS's share of a ``solve_model`` call is read from the very runs
  that are timed. It swaps ``highspy.Highs`` for a subclass whose ``run`` is
  clocked (``planner.solve`` makes its instances through the module).
- :func:`stage1_method`: the method the planner picks for a model, and
  :func:`forced_stage1_method`, ``solve_model`` with the other one. The planner
  has no parameter for it, so this sets ``planner.solve.IPM_ABOVE`` for the
  duration.
"""

from __future__ import annotations

import importlib
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from bench.timing import Timing

solve_module = importlib.import_module("planner.solve")  # planner.solve is also the name of a function
HAVE_HIGHSPY = "highspy" in solve_module.BACKENDS


def stage1_method(m) -> str:
    """The HiGHS method the planner uses for stage 1 of model ``m``."""
    return solve_module._lp_method(m)


def quiet_linprog(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return linprog(*args, **kwargs)


def linprog_stage1(m, method: str, options: dict | None = None):
    """Stage 1 by SciPy's ``linprog``: maximise the score on the built arrays."""
    return quiet_linprog(-m.score_coef, A_ub=m.A, b_ub=m.b, bounds=np.column_stack([m.lower, m.upper]),
                         method=method, options=options)


@dataclass
class HighspyStage1:
    status: str
    x: np.ndarray | None
    run_seconds: float


def highspy_stage1(m) -> HighspyStage1:
    """Stage 1 through highspy as the planner passes it: a fresh instance, the CSR arrays
    as they are, the planner's method; ``run()`` timed on its own."""
    import highspy

    h = solve_module.highs_instance(m)  # exactly as the planner passes the model
    t0 = time.perf_counter()
    h.run()
    run_seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return HighspyStage1("optimal", np.array(h.getSolution().col_value), run_seconds)
    if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return HighspyStage1("infeasible", None, run_seconds)
    return HighspyStage1(h.modelStatusToString(status), None, run_seconds)


def collect_runs(fn, sink: list):
    """``fn`` (a highspy_stage1 call) whose ``run()`` time lands in ``sink``."""

    def call():
        out = fn()
        sink.append(out.run_seconds)
        return out

    return call


class HighsRunClock:
    """Times every ``Highs.run()`` made while active.

    Inside ``solve_model(backend="highspy")`` run 1 is stage 1 and run 2 is the
    warm-started stage 2: HiGHS's share of the very runs that are timed,
    without a second measurement.
    """

    def __init__(self):
        self.calls: list[float] = []
        self.starts: list[int] = []

    def __enter__(self):
        import highspy

        self._module, self._saved = highspy, highspy.Highs
        calls = self.calls

        class TimedHighs(self._saved):
            def run(self):
                t0 = time.perf_counter()
                try:
                    return super().run()
                finally:
                    calls.append(time.perf_counter() - t0)

        highspy.Highs = TimedHighs
        return self

    def __exit__(self, *exc):
        self._module.Highs = self._saved
        return False

    def mark(self):
        """Call at the start of each run."""
        self.starts.append(len(self.calls))

    def per_run(self, runs: int) -> list[Timing]:
        """The last ``runs`` runs' calls, as one Timing per call position."""
        bounds = self.starts + [len(self.calls)]
        groups = [self.calls[a:b] for a, b in zip(bounds, bounds[1:])][-runs:]
        n = min((len(g) for g in groups), default=0)
        return [Timing([g[i] for g in groups]) for i in range(n)]


def clocked_solves(m, clock: HighsRunClock, backend: str | None = None):
    """``solve_model(m, backend=backend)`` as a call that marks each run on ``clock``."""

    def run():
        clock.mark()
        return solve_module.solve_model(m, backend=backend)

    return run


@contextmanager
def forced_ipm_above(threshold: int):
    """``planner.solve.IPM_ABOVE`` set to ``threshold`` for the duration."""
    saved = solve_module.IPM_ABOVE
    solve_module.IPM_ABOVE = threshold
    try:
        yield
    finally:
        solve_module.IPM_ABOVE = saved


def forced_stage1_method(m, method: str):
    """``solve_model(m)`` with stage 1 by ``method`` ("highs-ds" or "highs-ipm") whatever the size."""
    with forced_ipm_above(10**12 if method == "highs-ds" else -1):
        return solve_module.solve_model(m)
