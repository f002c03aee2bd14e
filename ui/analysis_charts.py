"""Old import path of the analysis charts, which live in :mod:`planner.plots`.

Nothing here is Qt-specific and nothing is defined here: these names are
re-exported only until the modules that still import them from
``ui.analysis_charts`` (``planner.cli`` and a GUI test) import them from
:mod:`planner.plots`; then this module goes.
"""

from planner.plots import ANALYSIS_CHARTS, export_analysis_png

__all__ = ["ANALYSIS_CHARTS", "export_analysis_png"]
