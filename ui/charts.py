"""Old import path of the plan charts, which live in :mod:`planner.plots`.

Nothing here is Qt-specific and nothing is defined here: these names are
re-exported only until the modules that still import them from ``ui.charts``
(``ui.priorities``, ``ui.insights``, ``planner.cli`` and a GUI test) import
them from :mod:`planner.plots`; then this module goes.
"""

from planner.plots import CHARTS, draw_map, export_png, task_color

__all__ = ["CHARTS", "draw_map", "export_png", "task_color"]
