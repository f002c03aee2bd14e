"""Analysis charts: every analysis draws on a plain Figure (no Qt, no pyplot), exports a
PNG of the exact requested size that is not blank, carries the slide header of
planner.plots (and the illustrative caveat when the scenario is illustrative), and
draws the cases an analysis can return: capacities without a plan, a task without
demand, a member without regret, a compared scenario without a plan."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from planner.analyses import alternatives, budget_curve, compare, panel_analysis, pareto, smaa, weight_stability
from planner.fileio import load_scenario, scenario_from_dict
from planner import plots
from conftest import V1_DEFAULT, V1_VARIANTS  # noqa: E402
from pictures import assert_png  # noqa: E402

MINUSMA = V1_DEFAULT  # the fixed version-1 scenario: the panel below names its task ids
SIZE = (1280, 720)


def small_dict(illustrative: bool = False) -> dict:
    """Three tasks (one without demand), two capabilities, two regions, a budget for new
    units and a floor that needs some of them: low budgets have no plan."""
    return {
        "format": "mandate-planner-scenario", "version": 1,
        "name": "Small test ($ and all)", "illustrative": illustrative,
        "periods": [{"id": "p0", "name": "Period 0"}, {"id": "p1", "name": "Period 1"}],
        "tasks": [
            {"id": "poc", "name": "Protection of civilians", "weight": 3},
            {"id": "dialogue", "name": "Political dialogue", "weight": 2},
            {"id": "quiet", "name": "A task without demand", "weight": 1},
        ],
        "regions": [{"id": "north", "name": "North", "zone": "north"},
                    {"id": "centre", "name": "Centre", "zone": "centre"}],
        "capabilities": [
            {"id": "infantry", "name": "Infantry company", "category": "ground", "existing": 1,
             "max_new": 4, "lead_time": 0, "effect": {"poc": 1.0, "dialogue": 0.3},
             "uses": {"budget": 2_000_000}},
            {"id": "civil", "name": "Civil affairs team", "category": "civilian", "existing": 0,
             "max_new": 4, "lead_time": 0, "effect": {"dialogue": 1.0, "poc": 0.2},
             "uses": {"budget": 1_000_000}},
        ],
        "demand": {"poc": {"north": {"need": 3}, "centre": {"need": 2}},
                   "dialogue": {"north": {"need": 2}, "centre": {"need": 2}}},
        "resources": [{"id": "budget", "name": "Adaptation budget", "basis": "generated",
                       "capacity": 6_000_000, "unit": "USD"}],
        "returns": [1, 0.6],
        "rules": [{"id": "poc-floor", "kind": "floor", "task": "poc", "region": "north",
                   "min_satisfaction": 0.6}],
        "settings": {"integer_units": False},
        "panel": [
            {"id": "council", "name": "Security Council", "weights": {"poc": 3, "dialogue": 2, "quiet": 1}},
            {"id": "protect", "name": "Protection advocates", "weights": {"poc": 1}},
            {"id": "talks", "name": "Mediators", "weights": {"dialogue": 1}},
        ],
    }


@pytest.fixture(scope="module")
def small():
    return scenario_from_dict(small_dict())


@pytest.fixture(scope="module")
def small_results(small):
    cut = copy.deepcopy(small_dict())
    cut["name"] = "Small test: budget cut"
    cut["resources"][0]["capacity"] = 3_000_000
    broken = copy.deepcopy(small_dict())
    broken["name"] = "Small test: no budget"
    broken["resources"][0]["capacity"] = 0
    return {
        "budget": budget_curve(small, points=7),
        "stability": weight_stability(small, grid=7, tolerance=0.02),
        "smaa": smaa(small, samples=50, executor="serial"),
        "pareto": pareto(small, "poc", "dialogue", points=5),
        "panel": panel_analysis(small),
        "compare": compare(small, [scenario_from_dict(cut), scenario_from_dict(broken)]),
        "alternatives": alternatives(small, within=1.0, count=5),
    }


@pytest.fixture(scope="module")
def minusma_results():
    s = load_scenario(MINUSMA)
    d = scenario_from_dict({**_minusma_dict(), "panel": [
        {"id": "north", "name": "Northern stakeholders", "weights": {"peace_agreement": 3, "g5_support": 1}},
        {"id": "centre", "name": "Centre stakeholders", "weights": {"poc_center": 3, "human_rights": 1}},
    ]})
    others = [load_scenario(p) for p in V1_VARIANTS[:2]]
    return {
        "budget": budget_curve(s, points=7),
        "stability": weight_stability(s, grid=5, tolerance=0.05),
        "smaa": smaa(s, samples=50, executor="serial"),
        "pareto": pareto(s, "peace_agreement", "poc_center", points=5),
        "panel": panel_analysis(d),
        "compare": compare(s, others),
        "alternatives": alternatives(s, within=0.1, count=5),
    }


def _minusma_dict() -> dict:
    import json

    return json.loads(MINUSMA.read_text(encoding="utf-8"))


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]




# -- the small scenario: every chart, and the cases it is built to have -------------------------


def test_the_small_scenario_has_the_cases(small_results):
    curve = small_results["budget"]
    assert not curve.points[0].feasible and curve.current.feasible  # no plan without a budget
    assert any(not r.has_demand for r in small_results["stability"].ranges)
    assert small_results["compare"].outcomes[2].score is None  # the floor needs a budget


@pytest.mark.parametrize("kind", list(plots.ANALYSIS_CHARTS))
def test_every_analysis_draws(small_results, kind):
    fig = Figure(figsize=(7.8, 6.0), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    plots.ANALYSIS_CHARTS[kind][1](fig, small_results[kind])
    fig.canvas.draw()
    assert fig.axes
    n = len(fig.axes)
    plots.ANALYSIS_CHARTS[kind][1](fig, small_results[kind])  # a redraw does not pile up axes
    assert len(fig.axes) == n


@pytest.mark.parametrize("kind", list(plots.ANALYSIS_CHARTS))
def test_export_png_exact_size_not_blank(small_results, tmp_path, kind):
    out = plots.export_analysis_png(small_results[kind], kind, tmp_path / f"{kind}.png", size=SIZE, dpi=100)
    assert out == tmp_path / f"{kind}.png"
    assert_png(out, SIZE)


def test_infeasible_capacities_are_marked(small_results):
    fig = Figure(figsize=(7.8, 6.0), dpi=100, layout="constrained")
    plots.draw_budget_curve(fig, small_results["budget"])
    labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert any("No plan" in t for t in labels)
    # money on the axis in human units
    fig.canvas = FigureCanvasAgg(fig)
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[-1].get_xticklabels()]
    assert any("M" in t for t in ticks)


def test_task_without_demand_and_colours(small, small_results):
    fig = Figure(figsize=(7.8, 6.0), dpi=100, layout="constrained")
    plots.draw_stability(fig, small_results["stability"])
    assert any("no demand" in t for t in _texts(fig))
    colls = [c for c in fig.axes[0].collections if (c.get_gid() or "").startswith("task:")]
    for c in colls:
        tid = c.get_gid().split(":", 1)[1]
        rgb = np.array([int(plots.task_color(small, tid)[i:i + 2], 16) for i in (1, 3, 5)]) / 255
        assert np.allclose(c.get_facecolor()[0][:3], rgb)


def test_comparison_says_which_scenario_has_no_plan(small_results):
    fig = Figure(figsize=(7.8, 6.0), dpi=100, layout="constrained")
    plots.draw_comparison(fig, small_results["compare"])
    texts = _texts(fig)
    assert any("no plan" in t for t in texts)
    assert any("(base)" in t for t in texts)


def test_short_scenario_names():
    names = ["MINUSMA 2020-21 force adaptation (illustrative)",
             "MINUSMA 2020-21: Fifth Committee cut (illustrative)"]
    assert plots.compare.short_names(names) == ["Force adaptation", "Fifth Committee cut"]
    assert plots.compare.short_names(["Same", "Same"]) == ["Same", "Same"]
    assert plots.compare.short_names(["A b", "A"]) == ["A b", "A"]


# -- header and caveat ---------------------------------------------------------------------------


def test_header_has_title_scenario_date_and_no_caveat(small, small_results):
    fig = plots.render_analysis_figure(small_results["smaa"], "smaa", size=SIZE, dpi=100, date="1 July 2020")
    texts = _texts(fig)
    assert plots.ANALYSIS_CHARTS["smaa"][0] in texts
    shown = small.name.replace("$", r"\$")  # escaped so that matplotlib shows it as typed
    assert any(shown in t and "1 July 2020" in t for t in texts)
    assert plots.ILLUSTRATIVE_CAVEAT not in texts
    assert not any(t.startswith("No plan") for t in texts)  # the stand-in's message is gone


def test_caveat_for_illustrative_scenarios(small_results):
    ill = scenario_from_dict(small_dict(illustrative=True))
    fig = plots.render_analysis_figure(small_results["pareto"], "pareto", size=SIZE, dpi=100, scenario=ill)
    assert plots.ILLUSTRATIVE_CAVEAT in _texts(fig)
    # a comparison is illustrative if any scenario in it is
    cmp = compare(ill, [scenario_from_dict(small_dict())])
    assert plots.scenario_of(cmp).is_illustrative
    fig = plots.render_analysis_figure(cmp, "compare", size=SIZE, dpi=100)
    assert plots.ILLUSTRATIVE_CAVEAT in _texts(fig)


def test_unknown_kind_raises(small_results, tmp_path):
    with pytest.raises(ValueError, match="unknown analysis chart"):
        plots.export_analysis_png(small_results["budget"], "nope", tmp_path / "x.png")


# -- the MINUSMA scenario -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(plots.ANALYSIS_CHARTS))
def test_minusma_scenario_exports(minusma_results, tmp_path, kind):
    fig = plots.render_analysis_figure(minusma_results[kind], kind, size=SIZE, dpi=100)
    assert plots.ILLUSTRATIVE_CAVEAT in _texts(fig)  # the MINUSMA scenarios are illustrative
    out = plots.export_analysis_png(minusma_results[kind], kind, tmp_path / f"{kind}.png", size=SIZE, dpi=100)
    assert_png(out, SIZE)


def test_minusma_exact_size_at_other_dpi(minusma_results, tmp_path):
    out = plots.export_analysis_png(minusma_results["budget"], "budget", tmp_path / "b.png",
                                 size=(1921, 1081), dpi=97)
    assert_png(out, (1921, 1081))



def test_scenario_of_needs_a_scenario():
    with pytest.raises(TypeError, match="scenario="):
        plots.scenario_of(object())
    s = scenario_from_dict(small_dict())
    assert plots.scenario_of(dataclasses.make_dataclass("X", [("scenario", object)])(s)) is s
