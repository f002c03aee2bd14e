"""The window explains itself: header, About this scenario, How the plan is chosen, baseline vs now."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QSlider  # noqa: E402

from planner import load_scenario  # noqa: E402
from ui import create_main_window  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"



@pytest.fixture
def window(qtbot):
    w = create_main_window()
    qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    qtbot.waitUntil(lambda: w.last_result is not None, timeout=20000)
    yield w
    w.solver.wait()


def test_the_header_names_the_scenario_its_data_and_that_it_is_a_template(window):
    text = window.header.text()
    assert window.document.scenario.name in text
    assert "illustrative" in text and "template" in text


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
    assert window.pin_file_baseline(SCENARIOS / "minusma_2020_budget_cut.json")
    delta = window.baseline.delta
    cut = load_scenario(SCENARIOS / "minusma_2020_budget_cut.json")
    assert delta.base_name == "minusma_2020_budget_cut.json"
    assert any(q.name in line for q in cut.resources for line in delta.inputs)
