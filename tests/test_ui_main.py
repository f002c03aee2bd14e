"""The main window: the testability contract, live re-solve, undo, files, exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDoubleSpinBox, QFileDialog, QLabel, QMessageBox, QSlider  # noqa: E402

from conftest import V1_DEFAULT  # noqa: E402
from planner import load_scenario  # noqa: E402
from ui import create_main_window  # noqa: E402


def some_weight_slider(w, avoid: int) -> tuple[QSlider, str]:
    """The first task weight slider of ``w`` and its task's id; its value is not ``avoid``."""
    slider = next(s for s in w.findChildren(QSlider) if s.objectName().startswith("weight_"))
    if slider.value() == avoid:
        slider.setValue(avoid + 1 if avoid < slider.maximum() else avoid - 1)
    return slider, slider.objectName().removeprefix("weight_")


def score_of(w) -> float:
    return float(w.findChild(QLabel, "scoreLabel").text())


def wait_solved(qtbot, w):
    qtbot.waitUntil(
        lambda: w.last_result is not None and w.last_result.scenario == w.document.scenario, timeout=120000
    )


def test_contract_names_exist(window):
    s = window.document.scenario
    for t in s.tasks:
        assert window.findChild(QSlider, f"weight_{t.id}") is not None
    for q in s.resources:
        assert window.findChild(QDoubleSpinBox, f"capacity_{q.id}") is not None
    for name in ("actionOpen", "actionSave", "actionSaveAs", "actionExportPng", "actionUndo", "actionRedo"):
        assert getattr(window, name).objectName() == name
    assert window.windowTitle().startswith(V1_DEFAULT.name)


def test_score_label_shows_the_solved_score(window):
    assert score_of(window) == pytest.approx(window.last_result.score, abs=0.05)
    assert 0 < score_of(window) <= 100


def test_slider_resolves_and_undo_restores(qtbot, window):
    before = window.last_result.score
    slider = window.findChild(QSlider, "weight_poc_center")
    old_weight = window.document.scenario.task("poc_center").weight
    slider.setValue(0)
    assert window.document.scenario.task("poc_center").weight == 0
    wait_solved(qtbot, window)
    assert window.last_result.task_scores["poc_center"] <= before + 100  # solved again
    assert window.isWindowModified()
    window.actionUndo.trigger()
    assert window.document.scenario.task("poc_center").weight == old_weight
    wait_solved(qtbot, window)
    assert window.last_result.score == pytest.approx(before, rel=1e-6)
    assert not window.isWindowModified()
    window.actionRedo.trigger()
    assert window.document.scenario.task("poc_center").weight == 0


def test_a_slider_drag_is_one_undo_step(qtbot, window):
    slider = window.findChild(QSlider, "weight_human_rights")
    count = window.document.undo_stack.count()
    slider.sliderPressed.emit()
    for v in (20, 30, 40, 50):
        slider.setValue(v)
    slider.sliderReleased.emit()
    assert window.document.undo_stack.count() == count + 1
    window.actionUndo.trigger()
    assert window.document.scenario == load_scenario(window.document.path)


def test_capacity_spin_box_changes_the_budget(qtbot, window):
    box = window.findChild(QDoubleSpinBox, "capacity_adaptation_budget")
    box.setValue(0.0)
    assert window.document.scenario.resource("adaptation_budget").capacity == 0
    wait_solved(qtbot, window)
    assert window.last_result.generate == {}


def test_shares_follow_the_weights(qtbot, window):
    for t in window.document.scenario.tasks:
        window.findChild(QSlider, f"weight_{t.id}").setValue(10)
    label = window.findChild(QLabel, f"share_{window.document.scenario.tasks[0].id}")
    n = len(window.document.scenario.tasks)
    assert label.text() == f"{100 / n:.0f}%"


def test_infeasible_shows_a_banner_not_a_dialog(qtbot, window, tmp_path):
    data = json.loads(Path(window.document.path).read_text())
    data["rules"].append({"id": "impossible", "kind": "min_units", "capability": "infantry_battalion",
                          "region": "mopti", "units": 1000})
    path = tmp_path / "impossible.json"
    path.write_text(json.dumps(data))
    assert window.load(path)
    qtbot.waitUntil(lambda: window.last_result is not None and window.last_result.status == "infeasible",
                    timeout=10000)
    banner = window.insights.banner
    assert banner.isVisible()
    assert "reachable only" in banner.text() and "1000" in banner.text()
    assert window.findChild(QLabel, "scoreLabel").text() == "–"


def test_save_as_writes_the_file_and_clears_modified(qtbot, window, tmp_path, monkeypatch):
    window.findChild(QSlider, "weight_g5_support").setValue(33)
    target = tmp_path / "mine.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.save_as()
    assert load_scenario(target).task("g5_support").weight == 33
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("mine.json")
    assert str(target.resolve()) in window.recent_files()


def test_failed_save_keeps_the_document_modified(qtbot, window, tmp_path, monkeypatch):
    window.findChild(QSlider, "weight_g5_support").setValue(34)
    errors = []
    monkeypatch.setattr(window, "_error", lambda title, text: errors.append(text))
    target = tmp_path / "no-such-folder" / "x.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert not window.save_as()
    assert errors and "x.json" in errors[0]
    assert window.isWindowModified()
    assert window.document.scenario.task("g5_support").weight == 34


def test_failed_open_loses_nothing(qtbot, window, tmp_path, monkeypatch):
    window.findChild(QSlider, "weight_g5_support").setValue(35)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "mandate-planner-scenario", "version": 1, "name": "x"')
    errors = []
    monkeypatch.setattr(window, "_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Discard))
    assert not window.open_file(str(bad))
    assert errors and "not valid JSON" in errors[0]
    assert window.document.scenario.task("g5_support").weight == 35
    assert window.isWindowModified()


def test_unsaved_changes_prompt_can_cancel(qtbot, window, monkeypatch):
    window.findChild(QSlider, "weight_g5_support").setValue(36)
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Cancel))
    window.new_file()
    assert window.document.scenario.task("g5_support").weight == 36  # nothing replaced
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Discard))
    window.new_file()
    assert window.document.path is None
    assert window.windowTitle().startswith("Untitled")


def test_export_png_writes_a_slide_sized_picture(qtbot, window, tmp_path, monkeypatch):
    from matplotlib.image import imread

    target = tmp_path / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.export_size.setCurrentIndex(1)  # 1280x720
    assert window.export_png()
    img = imread(target)
    w, h, _ = window.export_size.currentData()
    assert img.shape[:2] == (h, w)
    assert img[..., :3].std() > 0.01  # not blank


def test_export_csv_lists_the_allocation(qtbot, window, tmp_path, monkeypatch):
    import csv

    target = tmp_path / "alloc.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.export_csv()
    from planner.csv_export import allocation_csv

    text = target.read_bytes().decode("utf-8-sig")
    assert text == allocation_csv(window.last_result)  # the same code as `solve --csv`
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(window.last_result.alloc_units)
    total = sum(float(r["units"]) for r in rows)
    assert total == pytest.approx(float(window.last_result.alloc_units.sum()), rel=1e-3)


def test_every_chart_tab_draws(qtbot, window):
    for i in range(window.charts.count()):
        window.charts.setCurrentIndex(i)
    for view in window.charts.canvases.values():
        assert not view.stale
        assert view.figure.axes


def test_window_on_a_bad_file_opens_with_a_notice(qtbot, tmp_path):
    bad = tmp_path / "typo.json"
    bad.write_text('{"format": "mandate-planner-scenario", "version": 1, "name": "x", "tasks": 3}')
    w = create_main_window(bad)
    qtbot.addWidget(w)
    assert not w.notice.isHidden()
    assert "typo.json" in w.notice_text.text()
    w.solver.wait()


def test_rapid_slider_moves_end_on_the_last_value(qtbot, window):
    slider = window.findChild(QSlider, "weight_peace_agreement")
    for v in range(0, 100, 3):
        slider.setValue(v)
    wait_solved(qtbot, window)
    assert window.last_result.scenario.task("peace_agreement").weight == 99


def test_allocation_can_stack_by_capability(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QComboBox

    window.charts.setCurrentIndex(0)
    combo = window.findChild(QComboBox, "allocationStackBy")
    combo.setCurrentIndex(1)
    fig = window.charts.canvases["allocation"].figure
    legend_texts = {t.get_text() for ax in fig.axes for leg in [ax.get_legend()] if leg for t in leg.get_texts()}
    legend_texts |= {t.get_text() for leg in fig.legends for t in leg.get_texts()}
    names = {c.name for c in window.document.scenario.capabilities}
    assert legend_texts & names, legend_texts
    assert window.charts.chart_options("allocation")["by"] == "capability"


def test_status_bar_names_the_resource_that_leaves_no_plan(qtbot, window):
    window.findChild(QDoubleSpinBox, "capacity_uniformed_personnel").setValue(5000)
    qtbot.waitUntil(lambda: window.last_result.scenario == window.document.scenario
                    and window.last_result.status == "infeasible", timeout=10000)
    message = window.statusBar().currentMessage()
    assert message.startswith("No plan meets every rule: "), message
    assert "personnel ceiling" in message.lower()
    assert "infeasible" not in message.lower() and "contradict" not in message


# -- a bundled scenario is a template -------------------------------------------------------------


def test_the_bundled_default_opens_as_a_template(bundled_window):
    from planner.bundled import default_scenario_path, is_bundled

    window = bundled_window
    assert window.document.path == default_scenario_path()
    assert is_bundled(window.document.path)
    assert "template" in window.windowTitle().lower()
    assert window.document.is_template


def test_save_on_the_bundled_default_asks_for_a_new_file(qtbot, bundled_window, tmp_path, monkeypatch):
    from planner.bundled import is_bundled

    window = bundled_window
    bundled = window.document.path
    before = bundled.read_bytes()
    slider, task = some_weight_slider(window, avoid=37)
    slider.setValue(37)
    target = tmp_path / "mine.json"
    asked = []

    def dialog(parent, caption, start, *args, **kwargs):
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    try:
        assert window.save()
        assert bundled.read_bytes() == before
    finally:
        if bundled.read_bytes() != before:  # never leave the shipped file changed
            bundled.write_bytes(before)
    assert len(asked) == 1
    assert not is_bundled(asked[0])  # the dialog starts in the user's own folders
    assert Path(asked[0]).name == bundled.name
    assert load_scenario(target).task(task).weight == 37
    assert window.document.path == target and not window.document.is_template
    assert "template" not in window.windowTitle().lower()
    assert not window.isWindowModified()


def test_nothing_is_saved_into_the_bundled_folder(qtbot, bundled_window, monkeypatch):
    from planner.bundled import bundled_folder

    window = bundled_window
    slider, task = some_weight_slider(window, avoid=38)
    slider.setValue(38)
    targets = [bundled_folder() / "mine-in-the-bundled-folder.json", window.document.path]
    before = window.document.path.read_bytes()
    errors = []
    monkeypatch.setattr(window, "_error", lambda title, text: errors.append(text))
    try:
        for target in targets:
            monkeypatch.setattr(QFileDialog, "getSaveFileName",
                                staticmethod(lambda *a, t=target, **k: (str(t), "")))
            assert not window.save_as()
            assert not window.save_copy()
    finally:
        targets[0].unlink(missing_ok=True)
        if targets[1].read_bytes() != before:  # never leave the shipped file changed
            targets[1].write_bytes(before)
    assert len(errors) == 4
    assert all("come with Mandate Planner" in e for e in errors), errors
    assert not targets[0].exists()
    assert window.document.path.read_bytes() == before
    assert window.isWindowModified()
    assert window.document.scenario.task(task).weight == 38


def test_export_png_saves_only_what_is_on_screen(window, qtbot):
    """On a tab with no chart (Table, Basing, Data, Baseline) Export PNG is off and says why;
    on a chart tab it is on; on Analyses it waits for a result."""
    tabs, button, action = window.charts, window.export_button, window.actionExportPng
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        chart = tabs.current_chart()
        if tabs.currentWidget() is window.analyses:
            assert button.isEnabled() == (window.analyses.result is not None)
        elif chart is not None:
            assert button.isEnabled() and action.isEnabled(), chart
        else:
            assert not button.isEnabled() and not action.isEnabled(), tabs.tabText(i)
            assert "no chart" in button.toolTip()
            assert window.export_png() is False  # the shortcut too: nothing written, the reason shown
            assert "no chart" in window.statusBar().currentMessage()


def test_every_tab_shows_at_1366_pixels_without_scrolling(window, qtbot):
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() <= 1366)
    bar = window.charts.tabBar()
    assert bar.sizeHint().width() <= window.charts.width(), (bar.sizeHint().width(), window.charts.width())


def _plan_json(result) -> dict:
    out = result.to_json()
    out.pop("solve_seconds", None)
    return out


@pytest.mark.parametrize("which", ["window", "bundled_window"], ids=["v1, continuous", "v2, whole units"])
def test_the_plan_left_after_a_drag_is_the_command_lines_plan(qtbot, request, which, monkeypatch):
    # A drag's solves start warm; the plan that stays on screen is solved cold, exactly as `solve` solves it.
    from planner.solve import solve_scenario
    from ui import solver as solver_module

    w = request.getfixturevalue(which)
    live_calls = []
    real_live = solver_module.WarmSolver.live
    monkeypatch.setattr(solver_module.WarmSolver, "live",
                        lambda self, s, relaxed: (live_calls.append(relaxed), real_live(self, s, relaxed))[1])
    wait_solved(qtbot, w)
    slider, _task = some_weight_slider(w, avoid=0)
    slider.sliderPressed.emit()
    for step in (5, 10, 15, 20):
        slider.setValue(min(slider.maximum(), slider.value() + step))
        qtbot.wait(30)
    slider.sliderReleased.emit()
    qtbot.waitUntil(lambda: not w.solver.busy, timeout=60000)
    assert live_calls and set(live_calls) == {w.document.scenario.integer_units}  # the drag went the warm way
    assert not w.solver.provisional
    final = w.last_result
    assert final.scenario == w.document.scenario
    assert _plan_json(final) == _plan_json(solve_scenario(w.document.scenario))
