"""Charts of plans and analyses, drawn with matplotlib alone (no Qt, no pyplot).

Every ``draw_<name>(fig, result)`` clears ``fig`` (a matplotlib ``Figure`` or
``SubFigure``) and draws one chart on it: of a :class:`planner.result.Result`
for the plan charts, of a :mod:`planner.analyses` result for the analysis
charts. The window draws them on the Figure of its Qt canvas; the headless
export (:mod:`planner.plots.export`) on a fresh Figure rendered by Agg.
pyplot is never imported: it keeps global state and fails headless with the
QtAgg backend selected.

- :mod:`.style`: colours, text, fonts, the slide header, size and dpi presets;
- :mod:`.parts`: the pieces the charts share (messages, axes, bars, zone bands);
- :mod:`.chart`: :class:`PlanChart`, a plan chart that keeps its artists and updates
  them in place when a new result comes (the window's charts);
- one module per chart, and :mod:`.registry` (:data:`CHARTS`, :data:`ANALYSIS_CHARTS`,
  :func:`plan_chart`);
- :mod:`.export`: slides as PNG files.
"""

from .allocation import draw_allocation, draw_allocation_by_capability
from .budget import draw_budget_curve
from .compare import draw_comparison
from .coverage import draw_coverage, floor_levels
from .export import (
    export_analysis_png,
    export_png,
    render_analysis_figure,
    render_figure,
    render_slide,
    save_slide,
    scenario_of,
)
from .map import draw_map
from .panel import draw_panel
from .pareto import draw_pareto
from .parts import draw_message
from .chart import PlanChart
from .registry import ANALYSIS_CHARTS, CHARTS, PLAN_CHARTS, plan_chart
from .resources import draw_resources
from .smaa import draw_smaa
from .stability import draw_stability
from .style import (
    CAPABILITY_COLORS,
    ILLUSTRATIVE_CAVEAT,
    NAME_CHARS,
    OKABE_ITO,
    PRESET_DPI,
    SIZE_PRESETS,
    TASK_COLORS,
    TITLE_CHARS,
    ZONE_COLORS,
    capability_color,
    elide,
    name_label,
    task_color,
    zone_color,
    zone_label,
)
from .task_scores import draw_tasks
from .timeline import draw_timeline

__all__ = [
    "ANALYSIS_CHARTS", "CAPABILITY_COLORS", "CHARTS", "ILLUSTRATIVE_CAVEAT", "NAME_CHARS", "OKABE_ITO",
    "PLAN_CHARTS", "PRESET_DPI", "PlanChart", "SIZE_PRESETS", "TASK_COLORS", "TITLE_CHARS", "ZONE_COLORS",
    "capability_color", "draw_allocation", "draw_allocation_by_capability", "draw_budget_curve",
    "draw_comparison", "draw_coverage", "draw_map", "draw_message", "draw_panel", "draw_pareto",
    "draw_resources", "draw_smaa", "draw_stability", "draw_tasks", "draw_timeline", "elide",
    "export_analysis_png", "export_png", "floor_levels", "name_label", "plan_chart", "render_analysis_figure",
    "render_figure", "render_slide", "save_slide", "scenario_of", "task_color", "zone_color", "zone_label",
]
