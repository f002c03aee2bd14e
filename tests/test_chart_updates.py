"""Plan charts update in place: the same artists show the new result, and they draw
what a chart drawn afresh on that result draws; a change of the scenario's shape
draws the chart afresh."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from planner import plots
from planner.bundled import default_scenario_path
from planner.fileio import load_scenario
from planner.solve import solve


@pytest.fixture(scope="module")
def scenario():
    # continuous units: the same charts, a fraction of the solve time
    return load_scenario(default_scenario_path()).with_integer_units(False)


@pytest.fixture(scope="module")
def results(scenario):
    """Plans of one scenario shape that differ in every chart: weights and capacities moved."""
    first, money = scenario.tasks[0].id, scenario.resources[0]
    changed = scenario.with_task_weight(first, 5.0).with_resource_capacity(money.id, 0.9 * money.capacity)
    out = solve(scenario), solve(changed)
    assert all(r.ok for r in out) and out[0].score != out[1].score
    return out


def _figure() -> Figure:
    fig = Figure(figsize=(11, 6), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _settled(fig) -> np.ndarray:
    """The figure's pixels once the constrained layout has settled (it moves a fresh
    figure's axes a little between its first and second render)."""
    fig.canvas.draw()
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def _artists(fig) -> list:
    return [a for ax in fig.axes for a in (*ax.patches, *ax.collections, *ax.texts, *ax.lines)]


def _value(x):
    if isinstance(x, (list, tuple, np.ndarray)):
        return tuple(_value(v) for v in (x.tolist() if isinstance(x, np.ndarray) else x))
    return round(x, 6) if isinstance(x, float) else x


def _drawn(fig) -> list:
    """What a reader sees: every visible artist's texts, places, sizes and colours."""
    out = []
    for ax in fig.axes:
        for a in (*ax.patches, *ax.collections, *ax.texts, *ax.lines):
            if not a.get_visible():
                continue
            if isinstance(a, Text):
                out.append(("text", a.get_text(), _value(a.get_position()), a.get_ha(), a.get_va(),
                            str(a.get_color()), a.get_fontweight(), _value(getattr(a, "xyann", ()))))
            elif isinstance(a, Patch):
                path = a.get_patch_transform().transform(a.get_path().vertices)
                out.append(("patch", _value(path), _value(a.get_facecolor())))
            elif isinstance(a, LineCollection):
                out.append(("lines", _value([np.asarray(s) for s in a.get_segments()])))
            elif isinstance(a, Collection):
                out.append(("collection", _value(a.get_offsets()), _value(a.get_sizes()),
                            _value(a.get_facecolor()), _value([p.vertices for p in a.get_paths()])))
            elif isinstance(a, Line2D):
                out.append(("line", _value(a.get_xydata())))
        out.append(("ticks", [t.get_text() for t in ax.get_xticklabels()],
                    [t.get_text() for t in ax.get_yticklabels()]))
        legends = [ax.get_legend(), *(c for c in ax.get_children() if c.__class__.__name__ == "Legend")]
        out.append(("legends", sorted({t.get_text() for leg in legends if leg for t in leg.get_texts()})))
    return out


CASES = [(name, {}) for name in plots.PLAN_CHARTS] + [("allocation", {"by": "capability"})]


@pytest.mark.parametrize(("name", "options"), CASES, ids=[f"{n}{'-' if o else ''}{'-'.join(o.values())}"
                                                          for n, o in CASES])
def test_an_update_changes_the_same_artists_to_what_a_fresh_chart_draws(results, name, options):
    before, after = results
    fig = _figure()
    chart = plots.plan_chart(name, **options)
    chart.draw(fig, before)
    _settled(fig)
    axes, artists = list(fig.axes), _artists(fig)
    shown_before = _drawn(fig)

    assert chart.update(after) is True
    assert fig.axes == axes
    kept = [a for a in _artists(fig) if any(a is b for b in artists)]
    assert len(kept) == len(artists)  # not one artist replaced (a few may be added, hidden or shown)
    pixels = _settled(fig)

    fresh = _figure()
    plots.plan_chart(name, **options).draw(fresh, after)
    fresh_pixels = _settled(fresh)
    assert _drawn(fig) != shown_before  # the chart did change
    if name == "map":
        # the equal-aspect map settles its limits within a hair of the fresh one's
        for mine, theirs in zip(fig.axes, fresh.axes):
            np.testing.assert_allclose(mine.get_xlim() + mine.get_ylim(),
                                       theirs.get_xlim() + theirs.get_ylim(), atol=0.05)
        assert [d for d in _drawn(fig) if d[0] != "ticks"] == [d for d in _drawn(fresh) if d[0] != "ticks"]
    else:
        assert _drawn(fig) == _drawn(fresh)
        assert np.array_equal(pixels, fresh_pixels)  # no stale label, no leftover bar


@pytest.mark.parametrize("name", list(plots.PLAN_CHARTS))
def test_a_change_of_shape_draws_the_chart_afresh(scenario, results, name):
    region = scenario.regions[0]
    renamed = dataclasses.replace(scenario, regions=(dataclasses.replace(region, name="Renamed region"),
                                                     *scenario.regions[1:]))
    other = solve(renamed)
    fig = _figure()
    chart = plots.plan_chart(name)
    chart.draw(fig, results[0])
    axes = list(fig.axes)
    assert chart.update(other) is False
    assert fig.axes == axes  # a refused update leaves the chart as it was
    assert chart.render(fig, other) is False  # drawn afresh
    assert fig.axes and fig.axes[0] is not axes[0]
    fresh = _figure()
    plots.plan_chart(name).draw(fresh, other)
    assert _drawn(fig) == _drawn(fresh)


def test_a_plan_after_no_plan_is_drawn_afresh_and_then_updated(scenario, results):
    money = scenario.resources[0]
    none = solve(scenario.with_resource_capacity(money.id, 0.0))
    assert not none.ok
    fig = _figure()
    chart = plots.plan_chart("coverage")
    chart.draw(fig, results[0])
    assert chart.render(fig, none) is False
    assert any("No plan" in t.get_text() for ax in fig.axes for t in ax.texts)
    assert chart.render(fig, results[1]) is False
    assert chart.render(fig, results[0]) is True


def test_an_update_that_fails_is_drawn_afresh(results, monkeypatch):
    fig = _figure()
    chart = plots.plan_chart("tasks")
    chart.draw(fig, results[0])
    old_axes = fig.axes[0]
    calls = []

    def broken(n):
        calls.append(n)
        if len(calls) == 1:
            raise RuntimeError("an artist refused")
        return type(chart).show(chart, n)

    monkeypatch.setattr(chart, "show", broken)
    assert chart.render(fig, results[1]) is False
    assert fig.axes[0] is not old_axes
    fresh = _figure()
    plots.plan_chart("tasks").draw(fresh, results[1])
    assert _drawn(fig) == _drawn(fresh)


def test_the_draw_functions_are_the_charts_drawn_afresh(results):
    for name, (_, draw) in plots.CHARTS.items():
        a, b = _figure(), _figure()
        draw(a, results[1])
        plots.plan_chart(name).draw(b, results[1])
        assert _drawn(a) == _drawn(b), name


@pytest.mark.parametrize("name", list(plots.PLAN_CHARTS))
def test_many_updates_on_a_narrow_figure_keep_the_layout_of_a_fresh_chart(results, name):
    # a legend wider than the axes it hangs from would narrow them at every render
    fig = Figure(figsize=(9, 5.5), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    chart = plots.plan_chart(name)
    chart.draw(fig, results[0])
    for k in range(8):
        assert chart.update(results[(k + 1) % 2])
        fig.canvas.draw()
    fresh = Figure(figsize=(9, 5.5), dpi=100, layout="constrained")
    FigureCanvasAgg(fresh)
    plots.plan_chart(name).draw(fresh, results[0])
    _settled(fresh)
    np.testing.assert_allclose(fig.axes[0].get_position().bounds, fresh.axes[0].get_position().bounds,
                               atol=0.002)
