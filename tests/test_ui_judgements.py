"""Weights from judgements, the stakeholder panel in the window, and analyses that say when they are stale."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QSlider  # noqa: E402

from planner.elicit import ElicitationError, pairwise_weights, swing_weights  # noqa: E402


# -- the arithmetic (no Qt needed, but kept beside the dialog it serves) --------------------


def test_swing_weights_are_the_ratings_normalised():
    # ranked a, b, c with ratings 100, 50, 50: weights 50, 25, 25
    assert swing_weights(["a", "b", "c"], {"b": 50, "c": 50}) == pytest.approx({"a": 50, "b": 25, "c": 25})


def test_a_swing_rated_above_the_one_ranked_before_it_is_refused():
    with pytest.raises(ElicitationError, match="above the task ranked before it"):
        swing_weights(["a", "b", "c"], {"b": 40, "c": 60})


def test_consistent_pairwise_judgements_give_exact_weights_and_ratio_zero():
    # a = 2b = 4c: weights 4/7, 2/7, 1/7
    r = pairwise_weights(["a", "b", "c"], {("a", "b"): 2, ("a", "c"): 4, ("b", "c"): 2})
    assert r.weights == pytest.approx({"a": 400 / 7, "b": 200 / 7, "c": 100 / 7}, rel=1e-9)
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_contradictory_pairwise_judgements_show_a_high_consistency_ratio():
    r = pairwise_weights(["a", "b", "c"], {("a", "b"): 9, ("b", "c"): 9, ("c", "a"): 9})
    assert not r.consistent and r.consistency_ratio > 1


# -- the dialog ------------------------------------------------------------------------


def test_the_swing_dialog_turns_a_ranking_into_weights_as_one_undoable_edit(qtbot, window):
    stack = window.document.undo_stack
    before = {t.id: t.weight for t in window.document.scenario.tasks}
    dialog = window.show_weights_dialog()
    order = ["human_rights", "poc_center", "peace_agreement", "state_authority", "g5_support"]
    dialog.set_ranking(order)
    for task, rating in zip(order, (100, 80, 60, 40, 20)):
        dialog.set_rating(task, rating)
    count = stack.count()
    assert dialog.apply()
    assert stack.count() == count + 1
    weights = {t.id: t.weight for t in window.document.scenario.tasks}
    # 100, 80, 60, 40, 20 of 300
    assert weights == pytest.approx({"human_rights": 33.3, "poc_center": 26.7, "peace_agreement": 20.0,
                                     "state_authority": 13.3, "g5_support": 6.7})
    assert window.findChild(QSlider, "weight_human_rights").value() == 33
    stack.undo()
    assert {t.id: t.weight for t in window.document.scenario.tasks} == before
    dialog.close()


def test_the_pairwise_page_shows_the_consistency_ratio(qtbot, window):
    dialog = window.show_weights_dialog()
    dialog.tabs.setCurrentIndex(1)
    dialog.set_pair("peace_agreement", "poc_center", 9)
    dialog.set_pair("poc_center", "human_rights", 9)
    dialog.set_pair("human_rights", "peace_agreement", 9)
    dialog.weights()
    assert "contradict" in dialog.consistency.text()
    dialog.close()


# -- the panel ---------------------------------------------------------------------------


def test_the_panel_editor_adds_renames_reweights_and_removes_members_with_undo(qtbot, window):
    editor = window.show_panel_editor()
    stack = window.document.undo_stack
    start = window.document.scenario.panel or ()
    editor.add_member()
    assert len(window.document.scenario.panel) == len(start) + 1
    row = len(start)
    assert editor.rename_member(row, "Council expert")
    assert window.document.scenario.panel[row].name == "Council expert"
    assert editor.set_weight(row, "human_rights", "70")
    assert window.document.scenario.panel[row].weights["human_rights"] == 70
    assert not editor.set_weight(row, "human_rights", "abc")
    assert "'abc' is not a number" in editor.status.text()
    assert editor.table.item(row, 0).text() == "Council expert"
    assert editor.remove_member(row)
    assert len(window.document.scenario.panel) == len(start)
    for _ in range(4):
        stack.undo()
    assert tuple(window.document.scenario.panel or ()) == tuple(start)
    editor.close()


# -- stale analyses ---------------------------------------------------------------------


def test_an_analysis_says_it_is_out_of_date_after_a_weight_change_and_not_after_a_rerun(qtbot, window):
    view = window.analyses
    view.kind.setCurrentIndex(view.kind.findData("budget"))
    with qtbot.waitSignal(view.finished, timeout=60000):
        view.run()
    assert not view.is_stale
    slider = window.findChild(QSlider, "weight_human_rights")
    slider.setValue(slider.value() + 10)
    assert view.is_stale
    assert "Out of date" in view.status.text()
    assert any("Out of date" in t.get_text() for t in view.figure.texts)
    with qtbot.waitSignal(view.finished, timeout=60000):
        view.run()
    assert not view.is_stale and "Out of date" not in view.status.text()
    assert not any("Out of date" in t.get_text() for t in view.figure.texts)


# -- whole units: provisional while dragging ----------------------------------------------------


def test_a_drag_shows_a_provisional_plan_and_the_release_brings_whole_units(qtbot, window):
    doc = window.document
    doc.push(doc.scenario.with_integer_units(True), "Whole units")
    qtbot.waitUntil(lambda: window.last_result.scenario.integer_units and not window.solver.busy, timeout=30000)
    slider = window.findChild(QSlider, "weight_human_rights")
    slider.sliderPressed.emit()
    slider.setValue(slider.value() + 15)
    qtbot.waitUntil(lambda: window.solver.provisional, timeout=30000)
    assert "Provisional" in window.insights.status.text()
    slider.sliderReleased.emit()
    qtbot.waitUntil(lambda: not window.solver.provisional and not window.solver.busy, timeout=30000)
    result = window.last_result
    assert result.scenario.integer_units and "Provisional" not in window.insights.status.text()
    assert all(float(v).is_integer() for v in result.generate.values())
