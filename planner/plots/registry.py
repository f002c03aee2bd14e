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

#: name -> (title, draw function): ``draw(fig, result, **options)`` for a plan result.
CHARTS: dict[str, tuple[str, Callable[..., None]]] = {
    "allocation": ("Units employed by region and task", draw_allocation),
    "coverage": ("Need met by task and region", draw_coverage),
    "timeline": ("Deployments across periods", draw_timeline),
    "resources": ("Resource use against capacity", draw_resources),
    "map": ("Where the units work", draw_map),
    "tasks": ("Task scores", draw_tasks),
}

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


#: kind -> (title, draw function): ``draw(fig, analysis_result)``.
ANALYSIS_CHARTS: dict[str, tuple[str, Callable[..., None]]] = {
    "budget": ("Score against capacity", draw_budget_curve),
    "stability": ("How far each task's weight can move", draw_stability),
    "smaa": ("Robustness to uncertain weights", draw_smaa),
    "pareto": ("Trade-off between two tasks", draw_pareto),
    "panel": ("Stakeholder panel: what the compromise costs", draw_panel),
    "compare": ("Scenarios compared", draw_comparison),
    "alternatives": ("Near-optimal alternatives: which units the data decides", draw_alternatives),
}
