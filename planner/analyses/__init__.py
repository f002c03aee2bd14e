"""Analyses of a scenario: sweeps over budgets and weights, robustness, trade-offs, comparisons.

Pure functions (no Qt, no matplotlib), each taking a scenario and returning a
frozen result with ``to_json()``:

- :func:`budget_curve` (+ :func:`describe_cut`): the score against a
  resource's capacity, what each step buys, what a cut costs.
- :func:`weight_stability`: how far each task's weight can move before the
  generated capabilities change (a tornado chart).
- :func:`smaa`: robustness over sampled weights (uniform over all
  weightings, around the current ones, or among a stakeholder panel).
- :func:`pareto`: the frontier between two tasks' scores.
- :func:`panel_analysis`: the panel's compromise plan and each member's regret.
- :func:`compare`: scenarios side by side.
- :func:`alternatives`: the whole-unit plans within a tolerance of the best.

Progress and cancel: the long ones take ``progress(fraction) -> bool``,
called from the thread (or process) that runs the analysis with fractions
from 0 to 1. Returning False cancels: the analysis stops at its next check
(after the current solve, or the current chunk of a parallel sweep) and
raises :class:`Cancelled`; no partial result is returned. Any other return
value (None included) goes on.

Errors: a bad parameter (a spread, a seed, a task id, a number of points
or samples out of range) raises :class:`AnalysisError` naming the parameter
and its value, before any work. An infeasible scenario has nothing to vary:
every analysis raises :class:`InfeasibleScenario` (an AnalysisError
carrying the infeasible result and its diagnosis) before its sweep — the
budget curve when no capacity on it has a plan (it marks the capacities
without one otherwise), the comparison when its base has none.

Speed: each analysis builds the model once and re-solves it warm
(:class:`~planner.analyses._sweep.SweepSolver`: new costs, bounds or
right-hand side, from the previous basis); :func:`smaa` spreads large runs
over processes.

Importing the package loads none of them: each name loads its module with its
first use, so the command line's other commands and the window start without them.
"""

from .._lazy import lazy_names

_HOMES = {
    **{name: "_common" for name in ('MAX_POINTS', 'AnalysisError', 'Cancelled', 'InfeasibleScenario')},
    **{name: "alternatives" for name in ('Alternative', 'Alternatives', 'alternatives')},
    **{name: "_sweep" for name in ('SweepPoint', 'SweepSolver', 'process_pool')},
    **{name: "budget" for name in ('BudgetCurve', 'BudgetPoint', 'budget_curve', 'default_resource', 'describe_cut')},
    **{name: "compare" for name in ('Comparison', 'Difference', 'ScenarioOutcome', 'compare')},
    **{name: "panel" for name in ('MemberOutcome', 'PanelAnalysis', 'panel_analysis')},
    **{name: "pareto" for name in ('ParetoFrontier', 'ParetoPoint', 'pareto')},
    **{name: "smaa" for name in ('MAX_SAMPLES', 'CapabilityRobustness', 'PlanClass', 'SmaaResult', 'TaskRobustness', 'sample_weights', 'smaa')},
    **{name: "stability" for name in ('WeightRange', 'WeightStability', 'moved_weights', 'weight_stability')},
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
