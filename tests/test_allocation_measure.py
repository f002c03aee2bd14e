"""The allocation counted in something comparable: a battalion and a drone are not one unit each."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS
from matplotlib.figure import Figure

from planner.fileio import load_scenario
from planner.plots.allocation import AllocationChart, measure_of, measures
from planner.plots.export import render_figure
from planner.plots.parts import units_crtp
from planner.solve import solve_scenario


@pytest.fixture(scope="module")
def result():
    return solve_scenario(load_scenario(SCENARIOS / "minusma_2020.json"))


def bar_totals(fig):
    ax = fig.axes[0]
    heights = {}
    for patch in ax.patches:
        if patch.get_gid() and patch.get_width() < 1:  # the bars, not the zone bands
            heights[patch.get_x()] = heights.get(patch.get_x(), 0.0) + patch.get_height()
    return np.array([heights[x] for x in sorted(heights)])


def test_each_measure_weighs_a_unit_by_what_it_uses(result):
    s = result.scenario
    units = units_crtp(result).sum(axis=(2, 3)) / len(s.periods)  # (C, R)
    for measure, _ in measures(s):
        fig = Figure(figsize=(12, 6), dpi=100, layout="constrained")
        AllocationChart("task", measure).draw(fig, result)
        weight, label = measure_of(s, measure)
        expected = (units * weight[:, None]).sum(axis=0)
        got = bar_totals(fig)
        assert sorted(np.round(got, 6)) == sorted(np.round(expected[expected > 0], 6)) or \
            np.allclose(sorted(got[got > 1e-9]), sorted(expected[expected > 1e-9]))
        assert fig.axes[0].get_ylabel() == label


def test_personnel_count_a_battalion_as_its_850_and_say_what_uses_none(result):
    s = result.scenario
    weight, label = measure_of(s, "uniformed_personnel")
    battalion = next(i for i, c in enumerate(s.capabilities) if c.id == "infantry_battalion")
    assert weight[battalion] == s.capabilities[battalion].uses["uniformed_personnel"]
    assert label.startswith("Persons")
    money, money_label = measure_of(s, "mission_budget")
    assert money[battalion] == pytest.approx(s.capabilities[battalion].uses["mission_budget"] / 1e6)
    assert "$M" in money_label
    fig = Figure(figsize=(12, 6), dpi=100, layout="constrained")
    AllocationChart("task", "uniformed_personnel").draw(fig, result)
    note = fig.axes[0].texts[-1].get_text()
    employed = units_crtp(result).sum(axis=(1, 2, 3)) > 1e-6
    for c, used in zip(s.capabilities, employed):
        if used and not (c.uses or {}).get("uniformed_personnel"):
            assert c.name.split(" (")[0] in note


def test_a_measure_the_scenario_lacks_counts_units(result):
    weight, label = measure_of(result.scenario, "no_such_resource")
    assert np.all(weight == 1.0) and label.startswith("Units")


def test_the_exported_slide_says_what_it_counts_in(result):
    fig = render_figure(result, "allocation", size=(1280, 720), measure="uniformed_personnel")
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(t.startswith("Units employed by region and task, counted in Military personnel") for t in texts)


def test_the_window_counts_in_personnel_by_default_and_keeps_the_choice(bundled_window):
    view = bundled_window.charts.canvases["allocation"]
    combo = view.measure
    assert combo.currentData() == "uniformed_personnel"
    assert [combo.itemData(i) for i in range(combo.count())][0] == "units"
    combo.setCurrentIndex(combo.findData("mission_budget"))
    assert bundled_window.charts.chart_options("allocation")["measure"] == "mission_budget"
    assert "$M" in view.figure.axes[0].get_ylabel()
    view.set_result(bundled_window.last_result, draw=True)  # a new result keeps the choice
    assert combo.currentData() == "mission_budget"


@pytest.mark.parametrize("size", [(1100, 600), (800, 500), (1920, 1080)])
def test_no_two_neighbouring_totals_touch_and_each_stays_over_its_bar(result, size):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    s = result.scenario
    people = next(q.id for q in s.resources if q.unit.lower().startswith("person"))
    fig = Figure(figsize=(size[0] / 100, size[1] / 100), dpi=100, layout="constrained")
    chart = AllocationChart("task", people)
    chart.draw(fig, result)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    shown = [t for t in chart.totals if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in shown]
    assert len(boxes) > 5
    for left, right in zip(boxes, boxes[1:]):
        assert not left.overlaps(right), (left, right)
    ax = fig.axes[0]
    for text, box in zip(shown, boxes):
        x, y = ax.transData.transform((text.get_position()[0], text.get_position()[1]))
        assert box.x0 <= x <= box.x1 and box.y0 >= y - 1  # over its own bar, never below its top


def test_the_maps_box_overlaps_are_the_areas_each_pair_shares():
    from planner.plots.map import _overlaps

    rng = np.random.default_rng(3)
    corner = rng.uniform(0, 10, (40, 2))
    a = np.column_stack([corner, corner + rng.uniform(0.1, 4, (40, 2))])
    b = a[rng.permutation(40)[:25]] + rng.uniform(-2, 2, (25, 1))
    got = _overlaps(a, b)
    for i, p in enumerate(a):
        for j, q in enumerate(b):
            w = min(p[2], q[2]) - max(p[0], q[0])
            h = min(p[3], q[3]) - max(p[1], q[1])
            assert got[i, j] == (w * h if w > 0 and h > 0 else 0.0)
    assert (got > 0).any() and (got == 0).any()
    assert _overlaps(a, np.zeros((0, 4))).shape == (40, 0)  # no label placed yet
