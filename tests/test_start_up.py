"""Start-up order, in a fresh process as ``main.py`` starts: the window is painted before
matplotlib is imported (even when its first plan is there before: the panels show it, the
chart follows), its first plan comes from the head start without the solver loading in the
window's process, the chart is drawn once matplotlib is in, and the solver loads after the
plan, for the first edit."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT, V1_DEFAULT

pytest.importorskip("PySide6")

CHILD = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
from planner import cli  # as main.py
from ui.app import show_window
from PySide6.QtCore import QEvent, QObject, QTimer

seen = {}
app, w = show_window(sys.argv[2])

class Watch(QObject):
    def eventFilter(self, obj, event):
        if obj is w and event.type() == QEvent.Paint and "paint" not in seen:
            seen["paint"] = {m: m in sys.modules for m in ("matplotlib", "planner.solve")}
            seen["result_before_paint"] = "result" in seen
        return False

watch = Watch()
app.installEventFilter(watch)

def on_result(result, _model):
    seen["result"] = {m: m in sys.modules for m in ("matplotlib", "planner.solve")}
    seen["score"] = result.score
    seen["head_start_used"] = w.solver.head_start_used

w.solver.resultReady.connect(on_result)

def chart_drawn():
    view = w.charts.currentWidget()
    return view._canvas is not None and not view.stale

def check():
    if "result" in seen and "paint" in seen and "planner.solve" in sys.modules and chart_drawn():
        seen["solver_loaded_after"] = True  # for the first edit, once the plan is shown
        print(json.dumps(seen), flush=True)
        os._exit(0)
    QTimer.singleShot(10, check)

QTimer.singleShot(0, check)
QTimer.singleShot(60000, lambda: os._exit(3))
app.exec()
"""


def test_the_window_paints_first_and_its_first_plan_needs_no_solver_here(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "MANDATE_PLANNER_SETTINGS": str(tmp_path / "settings.ini"),
           "MANDATE_PLANNER_DATA": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(V1_DEFAULT)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    # The charts' imports wait for the window's first paint, even when the plan came first.
    assert seen["paint"] == {"matplotlib": False, "planner.solve": False}
    assert seen["head_start_used"]
    assert seen["result"]["planner.solve"] is False
    assert seen["solver_loaded_after"]

    from planner.fileio import load_scenario
    from planner.solve import solve_scenario

    assert seen["score"] == solve_scenario(load_scenario(V1_DEFAULT)).score
