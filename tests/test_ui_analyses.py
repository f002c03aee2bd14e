"""The Analyses tab: runs off the GUI thread, shows a chart and words, cancels, exports."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QFileDialog  # noqa: E402



@pytest.fixture
def window(window):
    """The main window on the Analyses tab."""
    window.charts.setCurrentWidget(window.analyses)
    return window


def run_kind(qtbot, view, kind, timeout=60000):
    view.kind.setCurrentIndex(view.kind.findData(kind))
    with qtbot.waitSignal(view.finished, timeout=timeout) as blocker:
        assert view.run()
    return blocker.args[0]


def test_budget_curve_runs_and_draws(qtbot, window):
    view = window.analyses
    view.budget_points.setValue(5)
    curve = run_kind(qtbot, view, "budget")
    assert len(curve.points) == 5
    assert view.figure.axes
    assert "Budget curve" in view.text.toPlainText()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()


def test_panel_and_pareto_run(qtbot, window):
    view = window.analyses
    panel = run_kind(qtbot, view, "panel")
    assert len(panel.members) == len(window.document.scenario.panel)
    assert all(m.regret >= -1e-6 for m in panel.members)
    frontier = run_kind(qtbot, view, "pareto")
    assert frontier.task_a != frontier.task_b


def test_a_long_robustness_run_can_be_cancelled(qtbot, window):
    view = window.analyses
    view.kind.setCurrentIndex(view.kind.findData("smaa"))
    view.smaa_samples.setValue(2000)  # serial in the GUI: long enough to cancel
    assert view.run()
    qtbot.waitUntil(lambda: view.progress.value() > 0, timeout=30000)
    view.cancel()
    qtbot.waitUntil(lambda: not view.is_running(), timeout=30000)
    assert view.status.text() == "Cancelled."
    assert view.result is None
    # the window still works
    window.findChild(type(window.findChild(object, "weight_poc_center")), "weight_poc_center").setValue(5)
    qtbot.waitUntil(lambda: window.last_result.scenario == window.document.scenario, timeout=10000)


def test_compare_without_files_says_what_is_missing(qtbot, window):
    view = window.analyses
    view.kind.setCurrentIndex(view.kind.findData("compare"))
    assert not view.run()
    assert "choose one or more scenario files" in view.status.text()


def test_an_analysis_chart_exports_to_png(qtbot, window, tmp_path, monkeypatch):
    from matplotlib.image import imread

    view = window.analyses
    view.budget_points.setValue(5)
    run_kind(qtbot, view, "budget")
    target = tmp_path / "curve.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.export_size.setCurrentIndex(1)
    assert window.export_png()
    img = imread(target)
    w, h, _ = window.export_size.currentData()
    assert img.shape[:2] == (h, w)


def _personnel_ceiling_cut(doc):
    doc.push(doc.scenario.with_resource_capacity("uniformed_personnel", 5000), "Cut the ceiling")
    return "personnel ceiling"


def _presence_raised(doc):
    data = doc.data()
    next(r for r in data["rules"] if r["id"] == "mopti-presence")["units"] = 10
    doc.push_data(data, "More infantry in Mopti")
    return "At least 10 Infantry battalion in Mopti"  # what the rule asks now, not its stored name


@pytest.mark.parametrize("make_impossible", [_personnel_ceiling_cut, _presence_raised])
def test_an_analysis_of_a_scenario_without_a_plan_says_why(qtbot, window, make_impossible):
    view = window.analyses
    view.budget_points.setValue(5)
    run_kind(qtbot, view, "budget")
    assert view.figure.axes
    cause = make_impossible(window.document)
    assert view.run()
    qtbot.waitUntil(lambda: not view.is_running(), timeout=60000)
    text = view.status.text()
    assert text.startswith("No plan meets every rule: "), text
    assert cause in text
    assert "done in" not in text and "infeasible" not in text.lower() and "Error" not in text
    assert view.figure.axes == []  # the last chart is gone: it was of another scenario
    assert view.result is None
    assert view.text.toPlainText() == ""


def test_an_analysis_that_raises_for_a_scenario_without_a_plan_is_polite(qtbot, window, monkeypatch):
    from planner import analyses
    from planner.solve import solve

    def no_plan(scenario, *args, **kwargs):
        raise analyses.InfeasibleScenario(solve(scenario))

    monkeypatch.setattr(analyses, "budget_curve", no_plan)
    view = window.analyses
    cause = _personnel_ceiling_cut(window.document)
    for kind in ("budget", "stability"):
        view.kind.setCurrentIndex(view.kind.findData(kind))
        assert view.run()
        qtbot.waitUntil(lambda: not view.is_running(), timeout=60000)
        text = view.status.text()
        assert text.startswith("No plan meets every rule: ") and cause in text, (kind, text)
        assert view.figure.axes == [] and view.result is None


def test_a_long_name_in_a_choice_box_is_elided_and_whole_in_its_tooltip(window):
    from PySide6.QtCore import Qt

    from ui.analyses_view import COMBO_CHARS

    view = window.analyses
    combo = view.budget_resource
    names = {q.id: q.name for q in window.document.scenario.resources}
    for i in range(combo.count()):
        full = names[combo.itemData(i)]
        assert combo.itemData(i, Qt.ToolTipRole) == full
        assert len(combo.itemText(i)) <= COMBO_CHARS
        assert combo.itemText(i) == full or combo.itemText(i).endswith("…")
