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
- :mod:`.export`: slides as PNG files;
- :mod:`.titles`: the charts' names and titles (no matplotlib: the window names its tabs
  before it draws).

The names below load with their first use: ``planner.plots.TASK_COLORS`` costs no matplotlib,
``planner.plots.CHARTS`` loads every chart.
"""

from .._lazy import lazy_names

_HOMES = {
    **{n: "allocation" for n in ("draw_allocation", "draw_allocation_by_capability")},
    "draw_budget_curve": "budget", "draw_comparison": "compare",
    **{n: "coverage" for n in ("draw_coverage", "floor_levels")},
    **{n: "export" for n in ("export_analysis_png", "export_png", "render_analysis_figure", "render_figure",
                             "render_slide", "save_slide", "scenario_of")},
    "draw_map": "map", "draw_panel": "panel", "draw_pareto": "pareto", "draw_message": "parts",
    "PlanChart": "chart",
    **{n: "registry" for n in ("ANALYSIS_CHARTS", "CHARTS", "PLAN_CHARTS", "plan_chart")},
    "draw_resources": "resources", "draw_smaa": "smaa", "draw_stability": "stability",
    **{n: "style" for n in ("CAPABILITY_COLORS", "ILLUSTRATIVE_CAVEAT", "NAME_CHARS", "OKABE_ITO", "PRESET_DPI",
                            "SIZE_PRESETS", "TASK_COLORS", "TITLE_CHARS", "ZONE_COLORS", "capability_color",
                            "elide", "name_label", "task_color", "zone_color", "zone_label")},
    "draw_tasks": "task_scores", "draw_timeline": "timeline",
    **{n: "titles" for n in ("ANALYSIS_TITLES", "PLAN_TITLES")},
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
