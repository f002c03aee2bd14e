"""Every exported slide carries what its plan assumes: weights, capacities, whole units."""

from __future__ import annotations

import pytest
from conftest import V1_DEFAULT

from planner.about import assumptions_text
from planner.fileio import load_scenario
from planner.plots import ANALYSIS_CHARTS, CHARTS
from planner.plots.export import render_analysis_figure, render_figure
from planner.solve import solve_scenario
from planner.summary import format_amount


@pytest.fixture(scope="module")
def result():
    return solve_scenario(load_scenario(V1_DEFAULT))


def figure_text(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text()))


def test_the_assumptions_name_each_weight_as_a_share_each_capacity_and_whole_units(result):
    s = result.scenario
    text = assumptions_text(s)
    total = sum(t.weight for t in s.tasks)
    for t in s.tasks:
        assert f"{t.name.split(' (')[0]} {100 * t.weight / total:.0f}\u00a0%" in text  # never "%" alone on a line
    for q in s.resources:
        assert f"{q.name} {format_amount(q.capacity, q.unit)}" in text
    assert text.endswith("fractions of units allowed" if not s.integer_units else "whole units")
    whole = s.with_integer_units(not s.integer_units)
    assert assumptions_text(whole).endswith("whole units" if whole.integer_units else "fractions of units allowed")


def test_all_zero_weights_are_said_so(result):
    s = result.scenario.with_weights({t.id: 0.0 for t in result.scenario.tasks})
    assert assumptions_text(s).startswith("Weights: all zero")


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_plan_slide_has_the_footer_inside_the_picture(result, chart, size):
    fig = render_figure(result, chart, size=size, dpi=150)
    footer = [t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text().startswith("Assumptions — ")]
    assert len(footer) == 1
    said = footer[0].get_text().replace("\n", " ")
    assert "whole units" in said or "fractions of units allowed" in said
    box = footer[0].get_window_extent(fig.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= size[0] + 1 and 0 <= box.y0 and box.y1 <= size[1]  # not cut off


def test_an_analysis_slide_has_the_footer_too(result):
    from planner.analyses import budget_curve

    curve = budget_curve(result.scenario, result.scenario.resources[0].id, points=3)
    assert "budget" in ANALYSIS_CHARTS
    fig = render_analysis_figure(curve, "budget", size=(1280, 720), dpi=150)
    assert "Assumptions — Weights: " in figure_text(fig)
