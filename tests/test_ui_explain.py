"""The window explains itself: header, About this scenario, How the plan is chosen, baseline vs now."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QSlider  # noqa: E402

from conftest import V1_BUDGET_CUT, V1_DEFAULT  # noqa: E402
from planner import load_scenario  # noqa: E402


def test_the_header_names_the_scenario_its_data_and_that_it_is_a_template(bundled_window):
    s = bundled_window.document.scenario
    text = bundled_window.header.text()
    assert s.name in text
    assert ("illustrative data" if s.is_illustrative else "sourced data") in text
    assert "template" in text


def test_the_header_of_a_file_of_ones_own_says_illustrative_and_not_template(window):
    s = window.document.scenario
    text = window.header.text()
    assert s.is_illustrative and s.name in text
    assert "illustrative data" in text and V1_DEFAULT.name in text
    assert "template" not in text


def test_about_this_scenario_shows_the_description_every_source_and_the_notes(window):
    s = window.document.scenario
    dialog = window.show_about_scenario()
    text = dialog.plain_text()
    assert dialog.objectName() == "aboutScenarioDialog" and dialog.isVisible()
    assert s.description.split(".")[0] in text
    for source in s.sources:
        assert source in text
    noted = [c for c in s.capabilities if c.note]
    assert noted and noted[0].note[:60] in text
    dialog.close()


def test_how_the_plan_is_chosen_says_what_the_score_does_not_mean(window):
    dialog = window.show_how_chosen()
    text = dialog.plain_text()
    assert "comparable only" in text and "leaves out" in text and "diminishing returns" in text
    dialog.close()


def test_after_pinning_a_move_shows_what_changed_against_the_baseline(qtbot, window):
    assert window.findChild(type(window.actionPinBaseline), "actionPinBaseline") is window.actionPinBaseline
    assert window.pin_baseline()
    before = window.last_result.score
    slider = window.findChild(QSlider, "weight_human_rights")
    old = slider.value()
    slider.setValue(old + 30)
    qtbot.waitUntil(lambda: window.last_result.scenario.task("human_rights").weight == old + 30, timeout=20000)
    view = window.findChild(type(window.baseline), "baselineView")
    delta = view.delta
    assert delta is not None
    assert any("Weight of" in line and f"{old:g} → {old + 30:g}" in line for line in delta.inputs)
    assert delta.score_before == pytest.approx(before)
    assert delta.score_now == pytest.approx(window.last_result.score)
    assert "What you changed" in view.plain_text()


def test_a_variant_can_be_pinned_as_the_baseline(window):
    assert window.pin_file_baseline(V1_BUDGET_CUT)
    delta = window.baseline.delta
    cut = load_scenario(V1_BUDGET_CUT)
    assert delta.base_name == V1_BUDGET_CUT.name
    assert any(q.name in line for q in cut.resources for line in delta.inputs)


def test_insights_say_what_the_plan_adds_over_the_status_quo(window):
    from planner.summary import coverage_changes

    res = window.last_result
    assert res.status_quo is not None
    rows = window.insights._task_bars
    for row, t in zip(rows, res.scenario.tasks):
        now, before = res.task_scores.get(t.id), res.status_quo.task_scores.get(t.id)
        if now is not None and before is not None and abs(now - before) >= 0.05:
            assert f"{now - before:+.1f} vs status quo" in row.name.text(), row.name.text()
            assert f"status quo (no new units, no repatriation) scores {before:.1f}" in row.toolTip()
    text = window.insights.details.text()
    for _t, _r, before, after in coverage_changes(res, limit=3):
        assert f"{before:.0%} → <b>{after:.0%}</b>" in text
