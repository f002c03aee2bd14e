"""The layers go one way: ui/ uses planner/, planner/ never uses ui/ or Qt.

The contract is in pyproject.toml ([tool.importlinter]); import-linter reads
every import statement, those inside functions included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    here = Path(sys.executable).parent / "lint-imports"
    found = str(here) if here.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    return found


def test_the_import_contract_is_kept():
    proc = subprocess.run([_lint_imports()], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_the_launcher_hands_commands_to_the_headless_command_line():
    from planner import cli
    from ui import app

    assert app.main(["scenarios"]) == cli.EXIT_OK
    # Without a window to open, the core refuses a call for one instead of importing the GUI.
    assert cli.main([]) == cli.EXIT_INVALID


def test_one_list_of_analyses_serves_the_command_line_the_report_and_the_charts():
    from planner.analyses import report
    from planner.analyses.registry import ANALYSES, COMMAND_LINE_KINDS
    from planner.cli import _parser
    from planner.plots import ANALYSIS_CHARTS

    assert set(report._DESCRIBERS) == set(ANALYSES) == set(ANALYSIS_CHARTS)
    choices = next(a for a in _parser()._subparsers._group_actions[0].choices["analyse"]._actions
                   if a.dest == "kind").choices
    assert tuple(choices) == COMMAND_LINE_KINDS == tuple(k for k in ANALYSES if k != "compare")


WINDOW_IMPORTS = """
import sys
import PySide6.QtWidgets
import ui.main_window
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("scipy", "matplotlib")
               or m in ("planner.solve", "planner.model", "planner.analyses", "ui.editors"))
print(heavy)
sys.exit(1 if heavy else 0)
"""


def test_the_window_module_loads_without_the_solver_or_matplotlib():
    """What the first painted window does not need waits: SciPy and the model load on the
    solve thread, matplotlib with the first chart, the editors and analyses with their tabs."""
    pytest.importorskip("PySide6")
    proc = subprocess.run([sys.executable, "-c", WINDOW_IMPORTS], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_charts_matplotlib_parts_are_made_when_first_drawn(request):
    from conftest import _qtbot

    qtbot = _qtbot(request)
    from planner.bundled import default_scenario_path
    from planner.fileio import load_scenario
    from planner.solve import solve
    from ui.chart_views import ChartTabs

    tabs = ChartTabs()
    qtbot.addWidget(tabs)
    view = tabs.canvases["allocation"]
    assert view._canvas is None  # a placeholder holds its place
    made = []
    view.canvasMade.connect(made.append)
    tabs.show()
    tabs.set_result(solve(load_scenario(default_scenario_path())))
    assert made and made[0] is view.canvas and view.figure.axes  # drawn on the canvas it made
    assert tabs.canvases["coverage"]._canvas is None  # a hidden chart waits until it is shown


SOLVE_IMPORTS = """
import contextlib, io, sys
from planner import cli
with contextlib.redirect_stdout(io.StringIO()):
    code = cli.main(["solve", "minusma_2020"])
analyses = sorted(m for m in sys.modules if m.startswith("planner.analyses.")
            and m not in ("planner.analyses.registry", "planner.analyses._common"))
print(code, analyses)
sys.exit(0 if code == 0 and not analyses else 1)
"""


def test_solve_on_the_command_line_loads_no_analysis():
    """The analyses' modules (SciPy's sparse linear algebra among them) load with ``analyse``."""
    proc = subprocess.run([sys.executable, "-c", SOLVE_IMPORTS], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
