"""Mandate Planner's model: scenarios, files, the allocation LP and its results.

Pure Python with numpy and SciPy; never imports Qt.
"""

from .fileio import ScenarioError, dumps_scenario, load_scenario, loads_scenario, save_scenario
from .model import LinearModel, build_model
from .result import Result
from .scenario import Scenario
from .solve import solve, solve_model

__all__ = [
    "LinearModel", "Result", "Scenario", "ScenarioError", "build_model", "dumps_scenario",
    "load_scenario", "loads_scenario", "save_scenario", "solve", "solve_model",
]
