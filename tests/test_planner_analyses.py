"""The analyses of planner/analyses: budget curve, weight stability, SMAA,
Pareto frontier, stakeholder panel, comparison, and the warm sweep solver.

The analytic cases are scenario dicts built here, small enough to work out
by hand; the expected values come from MODEL.md in the comment above each
assert, never from the program's output. No Qt.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from conftest import V1_DEFAULT
from planner.analyses import (
    AnalysisError,
    Cancelled,
    InfeasibleScenario,
    SweepSolver,
    budget_curve,
    compare,
    describe_cut,
    moved_weights,
    panel_analysis,
    pareto,
    sample_weights,
    smaa,
    weight_stability,
)
import planner.analyses as analyses
from planner.analyses import _sweep
from planner.analyses.report import describe
from planner.analyses.panel import score_under
from planner.fileio import load_scenario, scenario_from_dict
from planner.model import build_model
from planner.solve import solve, solve_model
from planner.summary import pair_contributions

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = V1_DEFAULT


# -- building scenarios ---------------------------------------------------------


def cap(cid, *, existing=0, max_new=0, lead_time=0, effect=None, **extra):
    d = {"id": cid, "name": f"Capability {cid}", "category": "test", "existing": existing,
         "max_new": max_new, "lead_time": lead_time, "effect": dict(effect or {})}
    d.update(extra)
    return d


def budget(capacity, rid="budget"):
    return {"id": rid, "name": "Budget", "basis": "generated", "capacity": capacity, "unit": "USD"}


def scenario(*, capabilities, demand, tasks, regions=("r1",), periods=1, resources=(), returns=(1,),
             rules=None, panel=None, integer=False, name="Test"):
    d = {
        "format": "mandate-planner-scenario", "version": 1, "name": name,
        "periods": [{"id": f"p{i}", "name": f"Period {i}"} for i in range(periods)],
        "tasks": [{"id": t, "name": f"Task {t}", "weight": w} for t, w in tasks.items()],
        "regions": [{"id": r, "name": f"Region {r}", "zone": "z"} for r in regions],
        "capabilities": list(capabilities),
        "demand": {t: {r: {"need": n} for r, n in per.items()} for t, per in demand.items()},
        "resources": list(resources),
        "returns": list(returns),
        "rules": list(rules or []),
        "settings": {"integer_units": integer},
    }
    if panel is not None:
        d["panel"] = [{"id": k, "name": f"Member {k}", "weights": w} for k, w in panel.items()]
    return scenario_from_dict(d)


def switching_case(weight_a=1.0, weight_b=1.0):
    """Two tasks, one capability for each, a budget for one unit.

    ca gives task a 1 effect per unit (need 1): one unit is worth w_a * 1.
    cb gives task b 1 effect per unit (need 2): one unit is worth w_b * 1/2.
    (F_a = F_b = 1, so score = 100 (w_a S_a + w_b S_b) with w normalised.)
    The budget buys one unit: ca while w_a > w_b / 2, i.e. while a's share
    of the weight is above 1/3; cb below.
    """
    return scenario(
        tasks={"a": weight_a, "b": weight_b},
        capabilities=[
            cap("ca", max_new=5, effect={"a": 1}, uses={"budget": 1}),
            cap("cb", max_new=5, effect={"b": 1}, uses={"budget": 1}),
        ],
        demand={"a": {"r1": 1}, "b": {"r1": 2}},
        resources=[budget(1)],
    )


def concave_case():
    """Diminishing returns in two regions, two capabilities of different cost per effect."""
    return scenario(
        tasks={"a": 2, "b": 1},
        regions=("r1", "r2"),
        periods=2,
        capabilities=[
            cap("cheap", existing=1, max_new=6, effect={"a": 1, "b": 0.5}, uses={"budget": 2}),
            cap("dear", max_new=4, lead_time=1, effect={"a": 2}, uses={"budget": 5},
                region_factor={"r2": 0.5}),
        ],
        demand={"a": {"r1": 4, "r2": 6}, "b": {"r1": 3}},
        resources=[budget(10)],
        returns=(1, 0.6, 0.3),
    )


def dominance_case(panel=None):
    """'useful' helps every task and two units exhaust the budget; 'pricey' does the same for 10 times the cost.

    Whatever the weights, both tasks have unmet need, so two 'useful' units
    are bought (probability 1) and nothing is left for 'pricey' (probability 0).
    """
    return scenario(
        tasks={"a": 1, "b": 1, "c": 1},
        capabilities=[
            cap("useful", max_new=2, effect={"a": 1, "b": 1, "c": 1}, uses={"budget": 1}),
            cap("pricey", max_new=2, effect={"a": 1, "b": 1, "c": 1}, uses={"budget": 10}),
        ],
        demand={"a": {"r1": 4}, "b": {"r1": 4}, "c": {"r1": 4}},
        resources=[budget(2)],
        panel=panel,
    )


@pytest.fixture(scope="module")
def default_scenario():
    return load_scenario(DEFAULT)


def generated_vector(res, s):
    return np.array([res.generate.get(c.id, 0.0) for c in s.capabilities])


# -- the warm sweep solver ---------------------------------------------------------------


def test_warm_sweep_equals_cold_solves_on_the_default_scenario(default_scenario):
    s = default_scenario
    model = build_model(s)
    T = len(s.tasks)
    rng = np.random.default_rng(7)
    weights = list(rng.dirichlet(np.ones(T), 25))
    weights += list(np.eye(T))  # all weight on one task
    weights += [np.array([t.weight for t in s.tasks]) * f for f in (1.0, 3.0)]
    solver = SweepSolver(model)
    for w in weights:
        warm = solver.solve_weights(w)
        cold = solve_model(build_model(s.with_weights({t.id: float(x) for t, x in zip(s.tasks, w)})))
        assert warm.ok and cold.ok
        assert warm.score == pytest.approx(cold.score, abs=1e-7)
        assert np.abs(warm.generate - generated_vector(cold, s)).max() <= 1e-6
        if np.all(w > 0):  # a task weighing 0 may take any score the units it gets for free give
            ts = [np.nan if cold.task_scores[t.id] is None else cold.task_scores[t.id] for t in s.tasks]
            np.testing.assert_allclose(warm.task_scores, ts, atol=1e-6)


def test_warm_sweep_equals_cold_solves_when_the_right_hand_side_moves(default_scenario):
    s = default_scenario
    model = build_model(s)
    rows = model.block("resource", "adaptation_budget").rows
    solver = SweepSolver(model)
    for cap_ in (58e6, 0.0, 20e6, 90e6, 45e6):
        b = model.b.copy()
        b[rows] = cap_
        solver.set_rhs(b)
        warm = solver.solve()
        cold = solve_model(build_model(s.with_resource_capacity("adaptation_budget", cap_)))
        assert warm.score == pytest.approx(cold.score, abs=1e-7)
        assert np.abs(warm.generate - generated_vector(cold, s)).max() <= 1e-6


def test_sweep_result_is_the_full_plan(default_scenario):
    s = default_scenario
    model = build_model(s)
    solver = SweepSolver(model)
    res = solver.result(solver.solve())
    cold = solve_model(model)
    assert res.score == pytest.approx(cold.score, abs=1e-7)
    assert res.generate.keys() == cold.generate.keys()
    # The same stage-2 optimum (where units work may differ between equally good plans).
    assert res.units_array().sum() == pytest.approx(cold.units_array().sum(), abs=1e-6)
    for q in s.resources:
        assert res.resources[q.id].shadow_price == pytest.approx(cold.resources[q.id].shadow_price, abs=1e-7)


def test_sweep_solver_works_after_solve_model_in_the_same_process(default_scenario):
    # HiGHS's scheduler is global to a process: the sweep must not ask it for
    # another thread count than solve_model's instances started it with.
    model = build_model(default_scenario)
    assert solve_model(model).ok
    assert SweepSolver(model).solve().ok


def test_whole_units_sweep_matches_solve_model():
    s = concave_case().with_integer_units(True)
    model = build_model(s)
    solver = SweepSolver(model)
    for w in ([2, 1], [1, 0], [0, 1], [1, 3]):
        warm = solver.solve_weights(w)
        cold = solve_model(model.with_weights(w))
        assert warm.score == pytest.approx(cold.score, abs=1e-6)
        assert np.allclose(warm.generate, np.round(warm.generate))
        assert np.abs(warm.generate - generated_vector(cold, s)).max() <= 1e-6


def test_warm_order_visits_every_row_once():
    pts = np.random.default_rng(0).dirichlet(np.ones(4), 300)
    chunks = _sweep.make_chunks(pts, 2)
    seen = np.sort(np.concatenate(chunks))
    assert np.array_equal(seen, np.arange(300))
    assert all(c.size <= _sweep.CHUNK_MAX for c in chunks)


# -- budget curve ---------------------------------------------------------------------


def test_budget_curve_is_concave_for_a_pure_lp():
    # The optimum of a maximising LP is a concave function of a right-hand side.
    s = concave_case()
    curve = budget_curve(s, points=21)
    assert len(curve.points) == 21 and curve.current_index == 10
    caps = curve.capacities
    assert caps[0] == 0 and caps[-1] == pytest.approx(20) and caps[10] == 10
    scores = curve.scores
    assert np.all(np.diff(scores) >= -1e-7)
    marginals = np.array([p.marginal for p in curve.points[1:]])
    assert np.all(np.diff(marginals) <= 1e-7)
    assert marginals[0] > marginals[-1]  # the returns do diminish here
    assert curve.current.score == pytest.approx(solve(s).score, abs=1e-7)
    # each point is the plan solve() finds at that capacity
    for p in curve.points[::5]:
        assert p.score == pytest.approx(solve(s.with_resource_capacity("budget", p.capacity)).score, abs=1e-7)


def test_budget_curve_adds_the_current_capacity_and_says_what_a_cut_drops():
    s = switching_case(2, 1)  # the one budget unit buys ca
    curve = budget_curve(s, points=4)  # 0, 2/3, 4/3, 2: the current 1 is added
    assert [round(p.capacity, 6) for p in curve.points] == [0, 0.666667, 1, 1.333333, 2]
    assert curve.current_index == 2
    cut = curve.points[0]
    assert cut.score == 0 and cut.dropped == {"ca": pytest.approx(1.0)}
    # score = 100 * 2/3 * S_a: one unit of ca gives S_a = 1
    text = describe_cut(curve, 0)
    assert text == ("A cut in the Budget to $0 costs 66.7 points (66.7 to 0.0) and drops 1 Capability ca. "
                    "By task: Task a -100.0.")
    text = describe_cut(curve, 0.5)  # not on the curve: solved for
    assert "costs 33.3 points" in text and "drops 0.5 Capability ca" in text
    assert "adds" in describe_cut(curve, 2) and "generates 1 Capability cb more" in describe_cut(curve, 2)
    assert describe_cut(curve, 1).endswith("score 66.7.")


def test_budget_curve_marks_capacities_without_a_plan():
    # A floor of 50% on task a needs half a unit of ca, i.e. a budget of 0.5.
    d_rule = {"id": "fl", "kind": "floor", "task": "a", "region": "r1", "min_satisfaction": 0.5}
    s = scenario(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("ca", max_new=5, effect={"a": 1}, uses={"budget": 1}),
                      cap("cb", max_new=5, effect={"b": 1}, uses={"budget": 1})],
        demand={"a": {"r1": 1}, "b": {"r1": 2}},
        resources=[budget(1)], rules=[d_rule],
    )
    curve = budget_curve(s, points=9)
    feasible = [p.feasible for p in curve.points]
    assert feasible == [False, False] + [True] * 7  # 0, 0.25 < 0.5 <= 0.5, 0.75, ...
    assert curve.points[0].score is None
    assert "no plan" in describe_cut(curve, 0)
    json.dumps(curve.to_json(), allow_nan=False)


def test_budget_curve_needs_a_generated_resource():
    s = scenario(tasks={"a": 1}, capabilities=[cap("c", existing=1, effect={"a": 1})], demand={"a": {"r1": 1}})
    with pytest.raises(AnalysisError, match="generated"):
        budget_curve(s)


# -- weight stability ---------------------------------------------------------------


def test_stability_interval_matches_the_hand_computed_switch():
    s = switching_case(1, 1)  # shares 1/2, 1/2: ca is bought
    res = weight_stability(s, tolerance=0.005)
    a, b = res.ranges
    assert res.current_generated == ("ca",)
    # a's share can fall to 1/3 (below it cb is worth more), and rise to 1.
    assert a.share == pytest.approx(0.5)
    assert abs(a.low_share - 1 / 3) <= 0.005 and a.low_share >= 1 / 3 - 1e-9
    assert a.high_share == 1.0 and a.high_open and not a.low_open
    assert a.below == ("cb",) and a.above is None
    # b's share (= 1 - a's) can rise to 2/3 and fall to 0.
    assert abs(b.high_share - 2 / 3) <= 0.005 and b.high_share <= 2 / 3 + 1e-9
    assert b.low_share == 0.0 and b.low_open and b.above == ("cb",)
    # weights in the scenario's own units: the total (2) stays the same
    assert a.low_weight == pytest.approx(2 * a.low_share)
    # the samples cover 0..1 with the score of each optimum
    i = a.shares.index(1.0)
    assert a.scores[i] == pytest.approx(100.0)  # all weight on a, S_a = 1
    json.dumps(res.to_json(), allow_nan=False)


def test_stability_on_units_is_at_most_as_wide_as_on_the_set():
    s = concave_case()
    by_set = weight_stability(s, grid=11)
    by_units = weight_stability(s, grid=11, criterion="units")
    for a, b in zip(by_set.ranges, by_units.ranges):
        assert a.low_share <= b.low_share + 1e-9 <= a.share + 1e-9 <= b.high_share + 2e-9 <= a.high_share + 3e-9


def test_moved_weights_keep_the_total_and_the_proportions():
    w = np.array([3.0, 1.0, 2.0])
    m = moved_weights(w, 0, 0.25)
    assert m.sum() == pytest.approx(6.0) and m[0] == pytest.approx(1.5)
    assert m[1] / m[2] == pytest.approx(0.5)
    assert moved_weights(np.array([1.0, 0.0]), 0, 0.4) == pytest.approx([0.4, 0.6])


def test_stability_of_an_infeasible_scenario_raises_with_the_diagnosis():
    s = scenario(
        tasks={"a": 1, "b": 1}, capabilities=[cap("c", existing=1, effect={"a": 1})],
        demand={"a": {"r1": 10}, "b": {"r1": 1}},
        rules=[{"id": "fl", "kind": "floor", "task": "a", "region": "r1", "min_satisfaction": 0.9}],
    )
    with pytest.raises(InfeasibleScenario) as err:
        weight_stability(s)
    assert err.value.result.diagnosis


# -- SMAA -------------------------------------------------------------------------


def test_dirichlet_samples_are_uniform_on_the_simplex():
    s = dominance_case()
    T = 3
    W = sample_weights(s, 40_000, "simplex", seed=1)
    assert W.shape == (40_000, T) and np.allclose(W.sum(1), 1.0)
    assert np.allclose(W.mean(0), 1 / T, atol=0.005)
    # Dirichlet(1): each share is Beta(1, T-1), variance (T-1) / (T^2 (T+1)) = 1/18.
    # Uniform numbers normalised would crowd the centre (variance about 0.029).
    assert np.allclose(W.var(0), (T - 1) / (T**2 * (T + 1)), rtol=0.05)
    # P(share > 1/2) = (1/2)^(T-1) = 1/4
    assert np.allclose((W > 0.5).mean(0), 0.25, atol=0.01)


def test_around_and_panel_samples():
    s = dominance_case(panel={"x": {"a": 2}, "y": {"b": 1, "c": 1}})
    W = sample_weights(s, 2000, "around", spread=0.2, seed=0)
    # equal weights, each times a factor in [0.8, 1.2], normalised
    assert W.min() >= 0.8 / (0.8 + 2 * 1.2) - 1e-12 and W.max() <= 1.2 / (1.2 + 2 * 0.8) + 1e-12
    P = sample_weights(s, 2000, "panel", seed=0)
    # mixtures of (1, 0, 0) and (0, 1/2, 1/2): b and c always equal
    assert np.allclose(P[:, 1], P[:, 2]) and np.allclose(P.sum(1), 1)
    assert np.allclose(P.mean(0), [0.5, 0.25, 0.25], atol=0.02)
    with pytest.raises(AnalysisError, match="panel"):
        sample_weights(dominance_case(), 10, "panel")


def test_smaa_dominant_and_useless_capabilities():
    s = dominance_case()
    res = smaa(s, samples=200, executor="serial", seed=3)
    prob = {c.id: c.probability for c in res.capabilities}
    assert prob == {"useful": 1.0, "pricey": 0.0}
    useful = res.capabilities[0]
    assert useful.units_quantiles == pytest.approx((2.0,) * 5)
    assert res.capabilities[1].mean_weights is None
    assert useful.mean_weights == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, abs=0.05)
    assert len(res.plan_classes) == 1 and res.plan_classes[0].is_current
    assert res.solved == 200 and res.current_class_probability == 1.0
    assert all(r >= 0 for r in res.regrets)
    json.dumps(res.to_json(include_samples=True), allow_nan=False)


def test_smaa_report_says_how_many_samples_could_not_be_solved():
    import dataclasses

    res = smaa(dominance_case(), samples=40, executor="serial", seed=3)
    assert "could not be solved" not in describe(res)
    short = dataclasses.replace(res, solved=37)
    assert "3 of the 40 samples could not be solved and are left out" in describe(short)


def test_smaa_regret_and_classes_on_the_switching_case():
    s = switching_case(1, 1)
    res = smaa(s, samples=300, executor="serial", seed=0)
    # ca is bought when a's share is above 1/3: probability 2/3 under Dirichlet(1, 1)
    prob = {c.id: c.probability for c in res.capabilities}
    assert prob["ca"] == pytest.approx(2 / 3, abs=0.08)
    assert prob["ca"] + prob["cb"] == pytest.approx(1.0)
    cls = {c.generated: c for c in res.plan_classes}
    assert cls[("ca",)].central_weights["a"] > 1 / 3 > cls[("cb",)].central_weights["a"]
    # the current plan (ca) loses nothing where ca is optimal
    ca_rows = res.generate[:, 0] > 0.5
    assert np.allclose(res.regrets[ca_rows], 0.0, atol=1e-7)
    assert np.all(res.regrets[~ca_rows] > 0)


def test_smaa_runs_the_same_through_an_executor(default_scenario):
    serial = smaa(default_scenario, samples=120, executor="serial", seed=5)
    with ThreadPoolExecutor(2) as pool:
        threaded = smaa(default_scenario, samples=120, executor=pool, seed=5)
    assert threaded.ran_on == "ThreadPoolExecutor"
    np.testing.assert_allclose(threaded.scores, serial.scores, atol=1e-7)
    np.testing.assert_allclose(threaded.generate, serial.generate, atol=1e-6)


def test_smaa_in_worker_processes_matches_serial():
    s = concave_case()
    serial = smaa(s, samples=150, executor="serial", seed=2)
    with _sweep.process_pool(2) as pool:
        par = smaa(s, samples=150, executor=pool, seed=2)
    np.testing.assert_allclose(par.scores, serial.scores, atol=1e-7)
    np.testing.assert_allclose(par.generate, serial.generate, atol=1e-6)


def test_a_stopped_pool_ends_its_workers_mid_chunk_and_they_ignore_ctrl_c():
    import signal
    import time
    from concurrent.futures import CancelledError
    from concurrent.futures.process import BrokenProcessPool

    pool = _sweep.process_pool(1)
    busy = pool.submit(time.sleep, 600)  # a chunk that would run for minutes
    queued = pool.submit(time.sleep, 600)
    while not busy.running():
        time.sleep(0.01)
    (worker,) = pool._processes.values()
    with open(f"/proc/{worker.pid}/status") as f:  # ignored from the fork server on, not only by the initializer
        ignored = int(next(ln for ln in f if ln.startswith("SigIgn:")).split()[1], 16)
    assert ignored & (1 << (signal.SIGINT - 1))
    _sweep.stop_pool(pool)
    assert not worker.is_alive()
    for fut in (busy, queued):  # neither runs on: cancelled, or broken with its worker
        with pytest.raises((CancelledError, BrokenProcessPool)):
            fut.result(timeout=30)


@pytest.mark.skipif(importlib.util.find_spec("dask") is None
                    or importlib.util.find_spec("distributed") is None,
                    reason="dask.distributed is not installed")
def test_smaa_on_a_dask_cluster():
    from dask.distributed import Client, LocalCluster

    s = concave_case()
    serial = smaa(s, samples=100, executor="serial", seed=4)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        res = smaa(s, samples=100, executor=client.get_executor(), seed=4)
    np.testing.assert_allclose(res.scores, serial.scores, atol=1e-7)


# -- cancel ------------------------------------------------------------------------


def cancel_after(n):
    calls = []

    def progress(f):
        calls.append(f)
        return len(calls) < n

    return progress, calls


def test_cancel_stops_smaa_quickly(default_scenario):
    progress, calls = cancel_after(3)
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        smaa(default_scenario, samples=5000, executor="serial", progress=progress)
    assert time.perf_counter() - t0 < 2.0  # 5,000 solves would take several seconds
    assert len(calls) == 3 and calls == sorted(calls)


def test_cancel_stops_a_parallel_sweep(default_scenario):
    progress, calls = cancel_after(2)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(2) as pool, pytest.raises(Cancelled):
        smaa(default_scenario, samples=3000, executor=pool, progress=progress)
    assert time.perf_counter() - t0 < 6.0
    assert len(calls) == 2


@pytest.mark.parametrize("run", [
    lambda s, p: budget_curve(s, points=30, progress=p),
    lambda s, p: weight_stability(s, progress=p),
    lambda s, p: pareto(s, "a", "b", points=30, progress=p),
])
def test_cancel_stops_every_sweep(run):
    progress, calls = cancel_after(2)
    with pytest.raises(Cancelled):
        run(concave_case(), progress)
    assert len(calls) == 2


def test_progress_runs_from_zero_to_one():
    seen = []
    budget_curve(concave_case(), points=6, progress=lambda f: seen.append(f))  # None goes on
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


# -- Pareto frontier --------------------------------------------------------------------


def single_task_optimum(s, task):
    only = s.with_weights({t.id: (1.0 if t.id == task else 0.0) for t in s.tasks})
    return solve(only).task_scores[task]


@pytest.mark.parametrize("make", [concave_case, lambda: switching_case(1, 1)])
def test_pareto_endpoints_are_the_single_task_optima(make):
    s = make()
    fr = pareto(s, "a", "b", points=9)
    assert fr.points[0].score_a == pytest.approx(single_task_optimum(s, "a"), abs=1e-6)
    assert fr.points[-1].score_b == pytest.approx(single_task_optimum(s, "b"), abs=1e-6)
    a = np.array([p.score_a for p in fr.points])
    b = np.array([p.score_b for p in fr.points])
    assert np.all(np.diff(b) >= -1e-7) and np.all(np.diff(a) <= 1e-7)
    assert np.all(b >= np.array([p.epsilon for p in fr.points]) - 1e-6)
    assert fr.current.score == pytest.approx(solve(s).score, abs=1e-7)
    json.dumps(fr.to_json(), allow_nan=False)


def test_pareto_frontier_of_the_switching_case_is_the_budget_line():
    # One budget unit split between ca and cb: S_a = u, S_b = (1 - u) / 2,
    # so b's score runs from 0 to 50 while a's falls from 100 to 0.
    fr = pareto(switching_case(1, 1), "a", "b", points=5)
    for p in fr.points:
        assert p.score_a == pytest.approx(100 - 2 * p.score_b, abs=1e-6)
    assert fr.best_b == pytest.approx(50) and fr.current_on_frontier


def test_pareto_rejects_a_task_without_demand():
    s = scenario(tasks={"a": 1, "b": 1}, capabilities=[cap("c", existing=1, effect={"a": 1})],
                 demand={"a": {"r1": 1}})
    with pytest.raises(AnalysisError, match="no demand"):
        pareto(s, "a", "b")


# -- stakeholder panel -------------------------------------------------------------------


def test_panel_regret_is_nonnegative_and_zero_for_the_mean_member():
    # normalised: x = (1, 0), y = (0, 1), z = (1/2, 1/2); their mean is z's.
    s = scenario(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("ca", max_new=5, effect={"a": 1}, uses={"budget": 1}),
                      cap("cb", max_new=5, effect={"b": 1}, uses={"budget": 1})],
        demand={"a": {"r1": 1}, "b": {"r1": 2}},
        resources=[budget(1.5)], returns=(1, 0.5),
        panel={"x": {"a": 3}, "y": {"b": 2}, "z": {"a": 1, "b": 1}},
    )
    res = panel_analysis(s)
    assert res.compromise_weights == pytest.approx({"a": 0.5, "b": 0.5})
    regrets = {m.id: m.regret for m in res.members}
    assert all(r >= 0 for r in regrets.values())
    assert regrets["z"] == pytest.approx(0.0, abs=1e-9)
    assert regrets["x"] > 0 and regrets["y"] > 0
    # The compromise plan scored with a member's weights is the score its
    # pair contributions add up to under those weights.
    comp = res.compromise_result
    for m in res.members:
        rescored = dataclasses.replace(comp, scenario=s.with_weights(m.weights))
        assert m.compromise_score == pytest.approx(float(pair_contributions(rescored).sum()), abs=1e-7)
        own = solve(s.with_weights(m.weights))
        assert m.own_score == pytest.approx(own.score, abs=1e-7)
    assert res.max_regret == max(regrets.values())
    json.dumps(res.to_json(), allow_nan=False)


def test_panel_needs_members():
    with pytest.raises(AnalysisError, match="no stakeholder panel"):
        panel_analysis(switching_case())


def test_score_under_weights_reads_the_task_scores():
    s = switching_case()
    model = build_model(s)
    solver = SweepSolver(model)
    pt = solver.solve_weights([1, 1])  # buys ca: S_a = 1, S_b = 0
    assert score_under(solver.full, [1, 0], pt.task_scores) == pytest.approx(100)
    assert score_under(solver.full, [1, 3], pt.task_scores) == pytest.approx(25)


# -- comparison -----------------------------------------------------------------------


def test_compare_highlights_a_changed_allocation():
    base = switching_case(2, 1)  # buys ca, works it on a
    other = switching_case(1, 4)  # buys cb instead
    same = switching_case(2, 1)
    cmp_ = compare(base, [other, same])
    rows = {r.key: r for r in cmp_.allocation}
    assert rows[("ca", "r1")].values == pytest.approx((1.0, 0.0, 1.0))
    assert rows[("ca", "r1")].differs == (True, False)
    assert rows[("cb", "r1")].differs == (True, False)
    assert {r.key for r in cmp_.changed_allocation} == {("ca", "r1"), ("cb", "r1")}
    gen = {r.key[0]: r for r in cmp_.generate}
    assert gen["ca"].differs == (True, False)
    assert [o.score for o in cmp_.outcomes][0] == pytest.approx(100 * 2 / 3)
    json.dumps(cmp_.to_json(), allow_nan=False)


def test_compare_accepts_results_and_missing_items():
    base = concave_case()
    other = scenario(  # one capability and one region less
        tasks={"a": 2, "b": 1}, regions=("r1",), periods=2,
        capabilities=[cap("cheap", existing=1, max_new=6, effect={"a": 1, "b": 0.5}, uses={"budget": 2})],
        demand={"a": {"r1": 4}, "b": {"r1": 3}}, resources=[budget(10)], returns=(1, 0.6, 0.3),
    )
    cmp_ = compare(solve(base), [other], tolerance=0.0)
    rows = {r.key: r for r in cmp_.allocation}
    assert rows[("cheap", "r2")].values[0] > 0 and rows[("cheap", "r2")].values[1] == 0.0
    assert rows[("cheap", "r2")].differs == (True,)
    gen = {r.key[0]: r for r in cmp_.generate}
    assert gen["dear"].values[1] == 0.0  # not in the other scenario
    assert cmp_.outcomes[0].result.scenario is base


# -- impossible scenarios and bad parameters ------------------------------------------


def impossible_case():
    """A floor of 90% on task a that no plan reaches, whatever the budget.

    One fielded unit and at most two new ones, each 1 effect against a need of
    10: at most 30% (the budget curve goes up to twice the budget of 1, i.e.
    two new units).
    """
    return scenario(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("c", existing=1, max_new=2, effect={"a": 1, "b": 1}, uses={"budget": 1})],
        demand={"a": {"r1": 10}, "b": {"r1": 1}}, resources=[budget(1)],
        rules=[{"id": "fl", "name": "PoC floor", "kind": "floor", "task": "a", "region": "r1",
                "min_satisfaction": 0.9}],
        panel={"x": {"a": 1}, "y": {"b": 1}},
    )


@pytest.mark.parametrize("run", [
    lambda s, p: budget_curve(s, progress=p),
    lambda s, p: weight_stability(s, progress=p),
    lambda s, p: smaa(s, samples=50, executor="serial", progress=p),
    lambda s, p: pareto(s, "a", "b", progress=p),
    lambda s, p: panel_analysis(s, progress=p),
    lambda s, p: compare(s, [switching_case()], progress=p),
], ids=["budget", "stability", "smaa", "pareto", "panel", "compare"])
def test_every_analysis_of_an_impossible_scenario_refuses_with_the_diagnosis(run):
    seen = []
    with pytest.raises(InfeasibleScenario) as err:
        run(impossible_case(), seen.append)
    assert err.value.result.status == "infeasible"
    assert [d.key for d in err.value.result.diagnosis] == ["fl"]
    assert "PoC floor" in str(err.value)  # the message names the cause
    assert max(seen, default=0.0) == 0.0  # refused before any of the work


def test_budget_curve_without_a_plan_at_the_current_capacity_still_describes():
    # The floor needs half a unit of ca (a budget of 0.5); the budget is 0.4,
    # so the curve (0 to 0.8 in steps of 0.1) has a plan from 0.5 on only.
    s = scenario(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("ca", max_new=5, effect={"a": 1}, uses={"budget": 1}),
                      cap("cb", max_new=5, effect={"b": 1}, uses={"budget": 1})],
        demand={"a": {"r1": 1}, "b": {"r1": 2}}, resources=[budget(0.4)],
        rules=[{"id": "fl", "kind": "floor", "task": "a", "region": "r1", "min_satisfaction": 0.5}],
    )
    curve = budget_curve(s, points=9)
    assert [p.feasible for p in curve.points] == [False] * 5 + [True] * 4
    assert not curve.current.feasible and curve.current.capacity == pytest.approx(0.4)
    text = describe(curve)
    assert "no plan" in text.splitlines()[1]  # the "Now:" line
    assert "$1" in text or "$0" in text  # amounts still shown
    json.dumps(curve.to_json(), allow_nan=False)


def test_compare_shows_why_another_scenario_has_no_plan():
    cmp_ = compare(switching_case(), [impossible_case()])
    assert cmp_.outcomes[1].score is None and cmp_.outcomes[1].status == "infeasible"
    text = describe(cmp_)
    assert "PoC floor" in text  # the other scenario's diagnosis
    # an allocation of the scenario without a plan is no plan, not 0 units
    line = next(x for x in text.splitlines() if "Capability ca in Region r1" in x)
    assert line.rstrip().endswith("no plan")


BAD_PARAMETERS = [
    (lambda s: sample_weights(s, 10, "around", spread=1.5), "spread", "spread 1.5: "),
    (lambda s: sample_weights(s, 10, "around", spread=float("nan")), "spread", "spread nan: "),
    (lambda s: sample_weights(s, 10, "around", spread=float("inf")), "spread", "spread inf: "),
    (lambda s: sample_weights(s, 10, "around", spread=0.0), "spread", "between 0 and 1"),
    (lambda s: sample_weights(s, 10, "around", spread=1.0), "spread", "between 0 and 1"),
    (lambda s: smaa(s, samples=10, seed=-1), "seed", "seed -1: choose a whole number >= 0"),
    (lambda s: sample_weights(s, 10, seed=2.5), "seed", "seed 2.5: choose a whole number >= 0"),
    (lambda s: sample_weights(s, 0), "samples", "samples 0: choose a whole number between 1 and"),
    (lambda s: sample_weights(s, analyses.MAX_SAMPLES + 1), "samples", f"{analyses.MAX_SAMPLES:,}"),
    (lambda s: sample_weights(s, 10, "uniform"), "mode", "mode 'uniform'"),
    (lambda s: pareto(s, "a", "a"), "task_b", "two different tasks"),
    (lambda s: pareto(s, "", "b"), "task_a", "name a task (known: a, b)"),
    (lambda s: pareto(s, "a", "zz"), "task_b", "unknown task 'zz' (known: a, b)"),
    (lambda s: pareto(s, "a", "b", points=1), "points", "points 1: choose a whole number between 2 and"),
    (lambda s: pareto(s, "a", "b", points=analyses.MAX_POINTS + 1), "points", "between 2 and"),
    (lambda s: budget_curve(s, points=analyses.MAX_POINTS + 1), "points", "between 2 and"),
    (lambda s: budget_curve(s, "nope"), "resource_id", "unknown resource (known: budget)"),
]


@pytest.mark.parametrize("run, parameter, fragment", BAD_PARAMETERS)
def test_bad_parameters_are_an_analysis_error_naming_parameter_and_value(run, parameter, fragment):
    with pytest.raises(AnalysisError) as err:
        run(switching_case())
    assert err.value.parameter == parameter
    assert fragment in str(err.value)
    # a front end names the parameter its own way, with the value as it has it
    assert err.value.naming("--opt", "v").startswith("--opt 'v': ")


def test_bad_parameters_quote_hostile_values_shortened_and_escaped():
    hostile = "\x1b]0;pwned\x07\x1b[2J" + "z" * 1_000_000
    with pytest.raises(AnalysisError) as err:
        pareto(switching_case(), "a", hostile)
    text = str(err.value)
    assert len(text) < 300 and "\x1b" not in text and "\\x1b" in text


# -- the boundary -------------------------------------------------------------------


def test_analyses_import_no_qt_and_no_matplotlib():
    code = ("import sys, planner.analyses; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'matplotlib'))]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("case, rows, whole, where", [
    ("small", 20_000, False, "serial"), ("default", 100, False, "serial"), ("default", 200, False, "process"),
    ("default", 30, True, "serial"), ("default", 50, True, "process")])
def test_a_sweep_with_no_executor_goes_to_processes_by_its_size_never_by_a_clock(case, rows, whole, where,
                                                                                monkeypatch, bundled_default):
    """The same call always runs the same way (its basis counts depend on the chunks): by rows
    and nonzeros, about 5 s of them on the default scenario; never with one CPU."""
    s = concave_case() if case == "small" else load_scenario(bundled_default)
    model = build_model(s)
    monkeypatch.setattr(_sweep, "usable_cpus", lambda: 2)
    assert _sweep.default_executor(rows, model, whole) == where
    monkeypatch.setattr(_sweep, "usable_cpus", lambda: 1)
    assert _sweep.default_executor(rows, model, whole) == "serial"
