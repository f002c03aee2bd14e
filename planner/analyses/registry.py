"""Which analyses there are: the one list that the command line, the Analyses tab,
the report and the charts read.

Each :class:`Analysis` names its kind (the command line's ``analyse KIND``, the
chart's key in :data:`planner.plots.ANALYSIS_CHARTS`), its label in the window,
its one-line help, its result type and the function that runs it with the
parameters it takes. Adding an analysis is one entry here, one describer in
``report.py`` and one chart in ``planner/plots``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Analysis:
    kind: str
    label: str  # in the window's list
    help: str  # one line, for the command line
    home: str  # "module:ResultType:function", the module in this package: loaded when first run
    parameters: tuple[str, ...] = ()  # the function's keyword parameters a caller may set
    on_command_line: bool = True  # compare has a command of its own

    def _load(self, part: int):
        module, *names = self.home.split(":")
        return getattr(importlib.import_module(f".{module}", __package__), names[part])

    @property
    def result_type(self) -> type:
        return self._load(0)

    @property
    def function(self) -> Callable:
        return self._load(1)

    def run(self, scenario, progress=None, **params):
        """Run on ``scenario`` with the parameters given (None = the function's default)."""
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise TypeError(f"{self.kind} takes no parameter {', '.join(sorted(unknown))}")
        given = {k: v for k, v in params.items() if v is not None}
        return self.function(scenario, progress=progress, **given)


ANALYSES: dict[str, Analysis] = {a.kind: a for a in (
    Analysis("budget", "Budget curve",
             "the score against a resource's capacity: what each step buys, what a cut drops",
             "budget:BudgetCurve:budget_curve", ("resource_id", "points")),
    Analysis("stability", "Weight stability",
             "how far each task's weight can move before the generated capabilities change",
             "stability:WeightStability:weight_stability", ("method", "executor")),
    Analysis("smaa", "Robustness (SMAA)",
             "how stable the plan is over uncertain weights (sampled)",
             "smaa:SmaaResult:smaa", ("samples", "mode", "spread", "seed", "executor", "exact_resolve",
                                      "whole_units", "gap_limit")),
    Analysis("pareto", "Pareto frontier",
             "the trade-off between two tasks' scores",
             "pareto:ParetoFrontier:pareto", ("task_a", "task_b", "points")),
    Analysis("panel", "Stakeholder panel",
             "the panel's compromise plan and what it costs each member",
             "panel:PanelAnalysis:panel_analysis"),
    Analysis("compare", "Compare scenarios",
             "scenarios side by side",
             "compare:Comparison:compare", ("others",), on_command_line=False),
    Analysis("alternatives", "Near-optimal alternatives",
             "the whole-unit plans within a few points of the best: which choices the data decides",
             "alternatives:Alternatives:alternatives", ("within", "count")),
)}

COMMAND_LINE_KINDS = tuple(k for k, a in ANALYSES.items() if a.on_command_line)


def analysis_of(result) -> Analysis:
    """The analysis that produced ``result``."""
    for analysis in ANALYSES.values():
        if type(result).__name__ == analysis.home.split(":")[1] and isinstance(result, analysis.result_type):
            return analysis
    raise TypeError(f"not an analysis result: {type(result).__name__}")
