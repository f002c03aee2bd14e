"""Mandate Planner's model: scenarios, files, the allocation LP and its results.

Pure Python with numpy and SciPy; never imports Qt. ``planner.solve`` is the
module that solves; :func:`solve_scenario` is its function for a scenario.
"""

from .fileio import ScenarioError, dumps_scenario, load_scenario, loads_scenario, save_scenario
from .lp import Status
from .model import LinearModel, build_model
from .result import Result
from .scenario import Scenario
from .solve import solve_model, solve_scenario

__all__ = [
    "LinearModel", "Result", "Scenario", "ScenarioError", "Status", "build_model", "dumps_scenario",
    "load_scenario", "loads_scenario", "save_scenario", "solve_model", "solve_scenario",
]
