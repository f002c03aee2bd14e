"""Mandate Planner's model: scenarios, files, the allocation LP and its results.

Pure Python with numpy and SciPy; never imports Qt. ``planner.solve`` is the
module that solves; :func:`solve_scenario` is its function for a scenario.

The names below are imported when first used, not with the package: a program
that only reads a scenario (``planner.scenario``, ``planner.fileio``) does not
pay for SciPy and the LP core.
"""

from __future__ import annotations

from ._lazy import lazy_names

_HOMES = {
    "ScenarioError": "fileio", "dumps_scenario": "fileio", "load_scenario": "fileio",
    "loads_scenario": "fileio", "save_scenario": "fileio", "Status": "lp", "LinearModel": "model",
    "build_model": "model", "Result": "result", "Scenario": "scenario", "solve_model": "solve",
    "solve_scenario": "solve",
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
