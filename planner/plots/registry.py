"""Which charts there are: the plan charts and the analysis charts, each name with its
title and drawing function, in the order the window shows them. The export and the
window both read these; the window draws the plan charts through :func:`plan_chart`,
whose objects update their artists in place from one result to the next."""

from __future__ import annotations

from collections.abc import Callable

from .allocation import AllocationChart, draw_allocation
from .alternatives import draw_alternatives
from .budget import draw_budget_curve
from .compare import draw_comparison
from .chart import PlanChart
from .coverage import CoverageChart, draw_coverage
from .map import MapChart, draw_map
from .panel import draw_panel
from .pareto import draw_pareto
from .resources import ResourcesChart, draw_resources
from .smaa import draw_smaa
from .stability import draw_stability
from .task_scores import TasksChart, draw_tasks
from .timeline import TimelineChart, draw_timeline
from .titles import ANALYSIS_TITLES, PLAN_TITLES

_DRAW = {
    "allocation": draw_allocation, "coverage": draw_coverage, "timeline": draw_timeline,
    "resources": draw_resources, "map": draw_map, "tasks": draw_tasks,
}
#: name -> (title, draw function): ``draw(fig, result, **options)`` for a plan result.
CHARTS: dict[str, tuple[str, Callable[..., None]]] = {name: (title, _DRAW[name]) for name, title in PLAN_TITLES.items()}

#: name -> the chart that keeps its artists (``draw(fig, result)``, ``update(result) -> bool``).
PLAN_CHARTS: dict[str, type[PlanChart]] = {
    "allocation": AllocationChart,
    "coverage": CoverageChart,
    "timeline": TimelineChart,
    "resources": ResourcesChart,
    "map": MapChart,
    "tasks": TasksChart,
}


def plan_chart(name: str, **options) -> PlanChart:
    """A new chart object for the plan chart ``name``, drawn with ``options`` (as the
    chart's ``draw_<name>`` function takes them)."""
    return PLAN_CHARTS[name](**options)


_DRAW_ANALYSIS = {
    "budget": draw_budget_curve, "stability": draw_stability, "smaa": draw_smaa, "pareto": draw_pareto,
    "panel": draw_panel, "compare": draw_comparison, "alternatives": draw_alternatives,
}
#: kind -> (title, draw function): ``draw(fig, analysis_result)``.
ANALYSIS_CHARTS: dict[str, tuple[str, Callable[..., None]]] = {
    kind: (title, _DRAW_ANALYSIS[kind]) for kind, title in ANALYSIS_TITLES.items()}
