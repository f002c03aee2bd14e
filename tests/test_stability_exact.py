"""Exact weight stability: the switch shares against hand computation and a fine grid of cold re-solves.

The fine grids re-solve the scenario from scratch (``planner.solve.solve_scenario``
on the scenario with the moved weights) at evenly spaced shares; the exact
method must put every end of the current plan's range within one grid step of
where the grid sees the plan change, and never inside a stretch the grid sees
unchanged. No Qt.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.strategies.scenarios import scenario_dicts  # noqa: E402
from support.strategies.v2 import v2_scenario_dicts  # noqa: E402
from test_planner_analyses import (  # noqa: E402
    budget, cancel_after, cap, concave_case, impossible_case, scenario, switching_case,
)

from planner.analyses import AnalysisError, Cancelled, InfeasibleScenario, moved_weights, weight_stability  # noqa: E402
from planner.analyses.report import describe  # noqa: E402
from planner.cli import main  # noqa: E402
from planner.fileio import scenario_from_dict, scenario_to_dict  # noqa: E402
from planner.lp.stages import UNIT_EPS  # noqa: E402
from planner.model import build_model  # noqa: E402
from planner.solve import solve_model, solve_scenario  # noqa: E402


def three_way_case(integer=False):
    """Task a's share decides which of three capabilities the one-unit budget buys.

    A unit works on one task at a time. With a's share θ, b and m rescaled 3:1
    (b = 3 (1 - θ) / 4, m = (1 - θ) / 4) and F_t = 1 each, a unit is worth θ
    (ca: a's whole need), 3 (1 - θ) / 8 (cb: half of b's need of 2) and
    (1 - θ) / 8 (cm: half of m's need of 2). cb beats cm at every θ < 1, so the
    switch is ca against cb: θ = 3 (1 - θ) / 8, θ = 3/11; a's share now is 1/5.
    (No two plans tie along b's or m's share either.)
    """
    return scenario(
        tasks={"a": 1, "b": 3, "m": 1},
        capabilities=[
            cap("ca", max_new=5, effect={"a": 1}, uses={"budget": 1}),
            cap("cb", max_new=5, effect={"b": 1}, uses={"budget": 1}),
            cap("cm", max_new=5, effect={"m": 1}, uses={"budget": 1}),
        ],
        demand={"a": {"r1": 1}, "b": {"r1": 2}, "m": {"r1": 2}},
        resources=[budget(1)],
        integer=integer,
    )


# -- by hand ------------------------------------------------------------------------------


@pytest.mark.parametrize("integer", [False, True], ids=["lp", "whole"])
def test_the_switch_is_the_hand_computed_share_exactly(integer):
    s = switching_case(1, 1).with_integer_units(integer)
    res = weight_stability(s)
    a, b = res.ranges
    assert res.method == "exact" and res.whole_units is integer
    assert res.current_generated == ("ca",)
    # a's plan (buy ca) holds while w_a > w_b / 2: a's share above 1/3 (see switching_case)
    assert a.low_share == pytest.approx(1 / 3, abs=1e-9)
    assert a.high_share == 1.0 and a.high_open and not a.low_open
    assert a.below == ("cb",) and a.above is None
    assert b.high_share == pytest.approx(2 / 3, abs=1e-9)
    assert b.low_open and b.above == ("cb",)
    (bp,) = a.breakpoints
    assert (bp.before, bp.after, bp.added, bp.dropped) == (("cb",), ("ca",), ("ca",), ("cb",))
    assert bp.before_units == {"cb": pytest.approx(1.0)} and bp.after_units == {"ca": pytest.approx(1.0)}
    # at 1/3 both plans score 100 * (1/3 * 1) = 100 * (2/3 * 1/2)
    assert bp.score == pytest.approx(100 / 3, abs=1e-6)
    assert bp.weight == pytest.approx(2 / 3)  # the total weight (2) is kept
    # the breakpoint is a sample too, with its exact score
    assert 100 / 3 == pytest.approx(a.scores[a.shares.index(bp.share)], abs=1e-6)
    out = res.to_json()
    json.dumps(out, allow_nan=False)
    assert out["method"] == "exact" and out["ranges"][0]["breakpoints"][0]["added"] == ["ca"]


def test_three_tasks_switch_where_the_hand_computation_says():
    res = weight_stability(three_way_case())
    a = res.ranges[0]
    # a's share now 1/5 < 3/11: cb is bought; ca from 3/11 on (three_way_case)
    assert res.current_generated == ("cb",)
    assert a.high_share == pytest.approx(3 / 11, abs=1e-9)
    assert a.low_open and a.above == ("ca",)
    assert [(bp.before, bp.after) for bp in a.breakpoints] == [(("cb",), ("ca",))]


def test_exact_and_grid_agree_within_the_grids_tolerance():
    for s in (switching_case(1, 1), switching_case(1, 3), three_way_case(), concave_case()):
        exact = weight_stability(s)
        grid = weight_stability(s, method="grid", tolerance=0.01)
        assert grid.method == "grid" and exact.method == "exact"
        for e, g in zip(exact.ranges, grid.ranges):
            assert (e.low_open, e.high_open, e.below, e.above) == (g.low_open, g.high_open, g.below, g.above)
            # the grid's ends keep the plan: inside the exact range, within its tolerance of the ends
            assert e.low_share - 1e-9 <= g.low_share <= e.low_share + 0.01
            assert e.high_share - 0.01 <= g.high_share <= e.high_share + 1e-9


# -- against a fine grid of cold re-solves -----------------------------------------------------


def fine_plans(s, i: int, n: int):
    """The generated capabilities of a cold solve at n evenly spaced shares of task i."""
    w0 = np.array([t.weight for t in s.tasks], float)
    ids = [t.id for t in s.tasks]
    shares = np.linspace(0.0, 1.0, n)
    plans = []
    for sh in shares:
        res = solve_scenario(s.with_weights(dict(zip(ids, map(float, moved_weights(w0, i, sh))))))
        assert res.status == "optimal"
        plans.append(tuple(c.id for c in s.capabilities if res.generate.get(c.id, 0.0) > UNIT_EPS))
    return shares, plans


def assert_matches_the_fine_grid(s, n: int):
    res = weight_stability(s, grid=11)
    step = 1.0 / (n - 1)
    for i, r in enumerate(res.ranges):
        if not r.has_demand:
            continue
        shares, plans = fine_plans(s, i, n)
        now = res.current_generated
        # every share the exact range covers (but its ends) keeps the current plan
        inside = (shares > r.low_share + 1e-7) & (shares < r.high_share - 1e-7)
        assert all(p == now for p, k in zip(plans, inside) if k), (r.task, r.low_share, r.high_share)
        # and the plan changes within one step beyond each closed end
        if not r.low_open:
            below = shares[(shares < r.low_share - 1e-7) & (shares >= r.low_share - step - 1e-7)]
            if below.size:
                assert plans[int(np.searchsorted(shares, below[-1]))] != now, (r.task, r.low_share)
        if not r.high_open:
            above = shares[(shares > r.high_share + 1e-7) & (shares <= r.high_share + step + 1e-7)]
            if above.size:
                assert plans[int(np.searchsorted(shares, above[0]))] != now, (r.task, r.high_share)
        # an open end: the grid sees no change out to it
        if r.low_open:
            assert all(p == now for sh, p in zip(shares, plans) if sh <= r.share)
        if r.high_open:
            assert all(p == now for sh, p in zip(shares, plans) if r.share <= sh < 1.0)


def _on_feasible(s, n: int) -> None:
    if solve_model(build_model(s)).status == "optimal":
        assert_matches_the_fine_grid(s, n)


# Grid points over a weight's share (0 to 1): a step of 1/200 for LPs, 1/100 for whole units
# (each point a cold solve of every task's range; finer grids only cost time, the exact ends
# are checked to the last digit by the hand-computed cases above).
FINE_LP, FINE_WHOLE = 201, 101
ON_FINE_GRIDS = pytest.mark.parametrize("integer, n", [(False, FINE_LP), (True, FINE_WHOLE)],
                                        ids=["lp", "whole-milp"])


@ON_FINE_GRIDS
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(scenario_dicts(max_periods=2, max_tasks=3, max_regions=2, max_capabilities=3, max_rules=2))
def test_exact_ends_match_a_fine_grid_of_re_solves_on_random_v1_scenarios(integer, n, d):
    _on_feasible(scenario_from_dict(d).with_integer_units(integer), n)


@ON_FINE_GRIDS
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(st.data())
def test_exact_ends_match_a_fine_grid_of_re_solves_on_random_v2_scenarios(integer, n, data):
    d = data.draw(v2_scenario_dicts(integer=integer, max_periods=2, max_regions=2))
    _on_feasible(scenario_from_dict(d), n)


def competing_case(seed: int, integer: bool, v2: bool = False):
    """A small random scenario whose capabilities compete for one budget (so that weights decide).

    v2: the existing units may be repatriated and a fielded troop ceiling counts them.
    """
    rng = np.random.default_rng(seed)
    T, C, R = int(rng.integers(2, 4)), int(rng.integers(2, 5)), int(rng.integers(1, 3))
    tasks = [f"t{k}" for k in range(T)]
    regions = [f"r{k}" for k in range(R)]
    caps = []
    for k in range(C):
        effect = {t: round(float(rng.uniform(0.5, 3.0)), 1) for t in tasks if rng.random() < 0.6} or {tasks[k % T]: 1.0}
        extra = {"region_factor": {regions[-1]: round(float(rng.uniform(0.3, 1.0)), 1)}} if R > 1 else {}
        uses = {"budget": int(rng.integers(1, 4))}
        existing = int(rng.integers(0, 2))
        if v2:
            uses["troops"] = int(rng.integers(1, 4))
            extra["max_repatriate"] = existing
        caps.append(cap(f"c{k}", existing=existing, max_new=3, effect=effect, uses=uses, **extra))
    d = {
        "format": "mandate-planner-scenario", "version": 2 if v2 else 1, "name": f"competing {seed}",
        "periods": [{"id": "p0", "name": "P0"}],
        "tasks": [{"id": t, "name": f"Task {t}", "weight": float(rng.integers(1, 6))} for t in tasks],
        "regions": [{"id": r, "name": f"Region {r}", "zone": "z"} for r in regions],
        "capabilities": caps,
        "demand": {t: {r: {"need": round(float(rng.uniform(1.0, 5.0)), 1)} for r in regions} for t in tasks},
        "resources": [budget(int(rng.integers(2, 6)))] + (
            [{"id": "troops", "name": "Troops", "basis": "fielded", "capacity": 6, "unit": "persons"}] if v2 else []),
        "returns": [1.0, 0.6, 0.3],
        "rules": [],
        "settings": {"integer_units": integer},
    }
    return scenario_from_dict(d)


def changes_seen(cases) -> int:
    return sum(len(r.breakpoints) for s in cases for r in weight_stability(s, grid=11).ranges)


COMPETING = ([(k, False, False, FINE_LP) for k in range(6)] + [(k, False, True, FINE_LP) for k in range(3)]
             + [(k, True, False, FINE_WHOLE) for k in range(4)] + [(k, True, True, FINE_WHOLE) for k in range(3)])


@pytest.mark.parametrize("seed, integer, v2, n", COMPETING,
                         ids=[f"{'whole-milp' if i else 'lp'}-{'v2' if v else 'v1'}-{k}" for k, i, v, _ in COMPETING])
def test_exact_ends_match_a_fine_grid_of_re_solves_on_competing_scenarios(seed, integer, v2, n):
    assert_matches_the_fine_grid(competing_case(seed, integer=integer, v2=v2), n)


def test_the_competing_cases_do_change_plans():
    """The fine-grid comparisons above are about changes: their cases have many."""
    assert changes_seen(competing_case(k, False) for k in range(6)) >= 8
    assert changes_seen(competing_case(k, True) for k in range(4)) >= 5
    assert changes_seen(competing_case(k, True, v2=True) for k in range(3)) >= 3


def test_the_fine_grid_check_fails_on_a_range_that_is_off():
    """The check above is not vacuous: the grid method's ends, off by up to its tolerance, fail it."""
    s = switching_case(1, 1)
    grid = weight_stability(s, method="grid", tolerance=0.05)
    shares, plans = fine_plans(s, 0, 401)
    a = grid.ranges[0]
    below = [p for sh, p in zip(shares, plans) if a.low_share - 1 / 400 - 1e-7 <= sh < a.low_share - 1e-7]
    assert a.low_share - 1 / 3 > 1 / 400  # the grid's end is more than a step inside the range
    assert below and below[-1] == ("ca",)  # so the share a step below it still keeps the plan


# -- the interfaces --------------------------------------------------------------------------------


@pytest.mark.parametrize("integer", [False, True], ids=["lp", "whole"])
def test_progress_runs_from_zero_to_one_and_a_cancel_stops_it(integer):
    seen = []
    weight_stability(concave_case().with_integer_units(integer), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    progress, calls = cancel_after(3)
    with pytest.raises(Cancelled):
        weight_stability(switching_case().with_integer_units(integer), progress=progress)
    assert len(calls) == 3


def _without_time(result) -> dict:
    out = result.to_json()
    out.pop("seconds")
    return out


def test_the_ranges_do_not_depend_on_where_the_tasks_run(tmp_path, capsys):
    """Each task starts from a solver of its own, in this process or in a worker: the same answer."""
    from planner.analyses import process_pool

    cases = [competing_case(1, True, v2=True), competing_case(3, True), competing_case(2, False)]
    with process_pool(2) as pool:
        for s in cases:
            assert _without_time(weight_stability(s, executor=pool)) == _without_time(
                weight_stability(s, executor="serial"))
    s = cases[0]
    assert _without_time(weight_stability(s, executor="process")) == _without_time(weight_stability(s))
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_to_dict(s)), encoding="utf-8")
    runs = []
    for workers in ("1", "2"):
        assert main(["analyse", "stability", str(path), "--json", "--workers", workers]) == 0
        out = json.loads(capsys.readouterr().out)
        out.pop("seconds")
        runs.append(out)
    assert runs[0] == runs[1] == _without_time(weight_stability(s))


def test_a_cancel_stops_the_tasks_running_elsewhere():
    progress, calls = cancel_after(2)
    with pytest.raises(Cancelled):
        weight_stability(competing_case(1, True, v2=True), progress=progress, executor="process")
    assert len(calls) == 2


@pytest.mark.parametrize("method", ["exact", "grid"])
def test_an_infeasible_scenario_still_raises_the_diagnosis(method):
    seen = []
    with pytest.raises(InfeasibleScenario) as err:
        weight_stability(impossible_case(), seen.append, method=method)
    assert [d.key for d in err.value.result.diagnosis] == ["fl"]
    assert max(seen, default=0.0) == 0.0


def test_a_bad_method_is_refused_naming_it():
    with pytest.raises(AnalysisError, match="method 'fast': choose one of exact, grid"):
        weight_stability(switching_case(), method="fast")


def test_a_task_without_demand_has_one_open_range():
    s = scenario(tasks={"a": 1, "idle": 1}, capabilities=[cap("c", max_new=1, effect={"a": 1}, uses={"budget": 1})],
                 demand={"a": {"r1": 1}}, resources=[budget(1)])
    idle = weight_stability(s).ranges[1]
    assert not idle.has_demand and idle.low_open and idle.high_open and idle.breakpoints == ()


def test_the_description_lists_the_method_and_the_changes():
    text = describe(weight_stability(switching_case()))
    assert "exact switch shares" in text
    assert "changes at 33.3% (+ Capability ca, − Capability cb)" in text
    assert "from 33.3% to 100.0% (and above)" in text


def test_the_command_line_takes_the_method_and_refuses_a_bad_one(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_to_dict(switching_case())), encoding="utf-8")
    assert main(["analyse", "stability", str(path), "--json", "--method", "grid"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "grid"
    assert main(["analyse", "stability", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "exact" and out["ranges"][0]["low_share"] == pytest.approx(1 / 3, abs=1e-9)
    assert main(["analyse", "stability", str(path), "--method", "fast"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--method 'fast'" in err[0] and "exact, grid" in err[0]


def test_the_chart_ticks_every_breakpoint_and_says_the_method():
    from matplotlib.figure import Figure

    from planner.plots.stability import draw_stability

    for integer, words in ((False, "Exact breakpoints, from the optimal bases"),
                           (True, "whole-unit plans a branch and bound finds")):
        res = weight_stability(three_way_case(integer))
        fig = Figure(figsize=(13.66, 7.68), dpi=100)
        draw_stability(fig, res)
        ax = fig.axes[0]
        ticks = sum(len(c.get_segments()) for c in ax.collections if hasattr(c, "get_segments"))
        assert ticks == sum(len(r.breakpoints) for r in res.ranges) > 0
        assert words in ax.get_xlabel()
    grid = weight_stability(three_way_case(), method="grid")
    fig = Figure()
    draw_stability(fig, grid)
    assert "bisection" in fig.axes[0].get_xlabel()


def test_bases_that_cannot_be_followed_leave_the_task_to_the_grid(monkeypatch):
    from planner.analyses import parametric
    from planner.analyses.certify import NotUsable

    def refuse(*args, **kwargs):
        raise NotUsable("a status without a bound")

    monkeypatch.setattr(parametric, "basis_interval", refuse)
    res = weight_stability(switching_case(1, 1), tolerance=0.005)
    assert res.method == "exact" and res.grid_tasks == ("a", "b")
    assert "by the grid for a, b" in res.method_text
    a = res.ranges[0]
    assert 1 / 3 <= a.low_share <= 1 / 3 + 0.005 and a.below == ("cb",)  # the grid's answer, within its tolerance


@pytest.mark.parametrize("size", [(7.4, 4.7), (13.66, 7.68), (19.2, 10.8)], ids=["analyses tab", "1366", "1920"])
def test_the_charts_notes_legend_and_caption_stay_clear_of_each_other(size):
    # The v1 default has notes of two and three lines: they must not run into the next bar, the
    # x axis, or off the figure; nor the legend and the caption off the figure's sides.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from conftest import V1_DEFAULT
    from planner.fileio import load_scenario
    from planner.plots.stability import draw_stability

    res = weight_stability(load_scenario(V1_DEFAULT))
    fig = Figure(figsize=size, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    draw_stability(fig, res)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    from matplotlib.transforms import Bbox

    half = 0.42 / 2  # draw_stability's bar height: each row's band, its track and its bar
    bars = [Bbox(ax.transData.transform([(0, yi - half), (100, yi + half)])) for yi in range(len(res.ranges))]
    notes = [t.get_window_extent(renderer) for t in ax.texts if t.get_va() == "top" and t.get_text().strip()]
    assert bars and notes
    figure = fig.bbox
    for note in notes:
        assert note.x1 <= figure.x1 + 1 and note.y0 >= 0, (note, figure)
        for bar in bars:
            overlap = note.overlaps(bar) and min(note.y1, bar.y1) - max(note.y0, bar.y0) > 1
            assert not overlap, ("a note runs into a bar", note, bar)
    ticklabels = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    for note in notes:
        assert not any(note.overlaps(t) for t in ticklabels), "a note runs into the axis"
    for artist in (ax.get_legend(), ax.xaxis.label):
        box = artist.get_window_extent(renderer)
        assert box.x0 >= figure.x0 - 1 and box.x1 <= figure.x1 + 1, (artist, box, figure)
