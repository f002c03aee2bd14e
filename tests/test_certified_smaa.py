"""Certified SMAA: samples answered from known optimal bases give the plans their re-solves give."""

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

from planner.analyses import AnalysisError, SweepSolver, sample_weights, smaa  # noqa: E402
from planner.analyses._sweep import basis_counts, score_coefficients, start_pool  # noqa: E402
from planner.analyses.certify import BasisPool  # noqa: E402
from planner.cli import main  # noqa: E402
from planner.fileio import load_scenario, scenario_from_dict  # noqa: E402
from planner.lp.stages import score_floor  # noqa: E402
from planner.model import build_model  # noqa: E402
from planner.solve import solve_model  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def continuous(s):
    return s.with_integer_units(False)


def two_tasks(weight_a=1.0, weight_b=1.0):
    """One region, two tasks, a capability good at each: which one the budget buys depends on the weights.

    ``a_unit`` does 10 effect on task a, ``b_unit`` 10 on b; need 10 each, one
    segment; the budget buys one unit. The plan buys a_unit when weight_a >
    weight_b (score = 100 * w_a / (w_a + w_b)), else b_unit.
    """
    return scenario_from_dict({
        "format": "mandate-planner-scenario", "version": 1, "name": "two tasks",
        "periods": [{"id": "p0", "name": "P0"}],
        "tasks": [{"id": "a", "name": "A", "weight": weight_a}, {"id": "b", "name": "B", "weight": weight_b}],
        "regions": [{"id": "r1", "name": "R1", "zone": "z"}],
        "capabilities": [
            {"id": "a_unit", "name": "A unit", "category": "ground", "existing": 0, "max_new": 1, "lead_time": 0,
             "effect": {"a": 10.0}, "uses": {"budget": 1.0}},
            {"id": "b_unit", "name": "B unit", "category": "ground", "existing": 0, "max_new": 1, "lead_time": 0,
             "effect": {"b": 10.0}, "uses": {"budget": 1.0}},
        ],
        "demand": {"a": {"r1": {"need": 10}}, "b": {"r1": {"need": 10}}},
        "resources": [{"id": "budget", "name": "Budget", "basis": "generated", "capacity": 1.0, "unit": "USD"}],
        "returns": [1.0],
    })


def assert_same_samples(certified, brute):
    ok = brute.scores == brute.scores
    assert np.array_equal(ok, certified.scores == certified.scores)
    np.testing.assert_allclose(certified.scores[ok], brute.scores[ok], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(certified.task_scores[ok], brute.task_scores[ok], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(certified.generate[ok], brute.generate[ok], rtol=1e-9, atol=1e-9)
    assert len(certified.plan_classes) == len(brute.plan_classes)
    for a, b in zip(certified.plan_classes, brute.plan_classes):  # means of equal samples: to rounding
        assert (a.generated, a.count, a.is_current) == (b.generated, b.count, b.is_current)
        assert a.probability == pytest.approx(b.probability, rel=1e-12)
        assert a.central_weights == pytest.approx(b.central_weights, rel=1e-9, abs=1e-9)
        assert a.mean_units == pytest.approx(b.mean_units, rel=1e-9, abs=1e-9)
        assert a.mean_score == pytest.approx(b.mean_score, rel=1e-9, abs=1e-9)
    assert certified.score_quantiles == pytest.approx(brute.score_quantiles, rel=1e-9, abs=1e-9)


def test_the_hand_computed_case_is_certified_by_its_two_bases():
    s = two_tasks(3.0, 1.0)
    cert = smaa(s, samples=400, executor="serial", seed=7)
    brute = smaa(s, samples=400, executor="serial", seed=7, exact_resolve=True)
    assert_same_samples(cert, brute)
    # by hand: a sample buys a_unit iff its weight on a is above 1/2, and scores 100 * max(w)
    W = cert.weights
    buys_a = W[:, 0] > W[:, 1]
    np.testing.assert_allclose(cert.scores, 100 * W.max(1), rtol=1e-9)
    np.testing.assert_array_equal(cert.generate[:, 0] > 0.5, buys_a)
    assert cert.method == "certified" and brute.method == "resolved"
    # the current plan's basis answers the samples on its side; the few bases of the
    # other side's vertex (a degenerate vertex has several) answer the rest
    assert cert.certified >= 396
    assert cert.current_basis_certified == pytest.approx(buys_a.sum(), abs=1)
    assert 2 <= len(cert.basis_counts) <= 4 and sum(cert.basis_counts) == cert.certified
    assert brute.certified == 0 and brute.basis_counts == ()


def test_a_basis_certifies_exactly_its_own_weights_and_predicts_the_solve():
    s = continuous(load_scenario(DATA / "minusma_2020_v1.json"))
    solver = SweepSolver(build_model(s))
    W = sample_weights(s, 12, "around", 0.05, 3)
    for w in W:
        solver.solve_weights(w)
        first, second = solver.certificates()
        assert first is not None
        c = score_coefficients(solver.full, w)[solver.y_task]
        assert first.certifies(c[None])[0]
        pt = solver.solve()
        assert c @ first.y == pytest.approx(pt.score, rel=1e-9)
        if second is not None:
            ok, theta = second.solve(c[None], np.array([score_floor(float(c @ first.y))]))
            if ok[0]:
                v = second.columns(theta)[0]
                gs = solver.model.g_slice
                np.testing.assert_allclose(v[gs], pt.v[gs], atol=1e-9)


def test_a_pool_refuses_whole_units_and_starts_with_the_current_plan():
    s = load_scenario(DATA / "minusma_2020_v1.json")
    whole = s.with_integer_units(True)
    assert start_pool(SweepSolver(build_model(whole))).stage1 == []
    pool = start_pool(SweepSolver(build_model(continuous(s))))
    assert isinstance(pool, BasisPool) and len(pool.stage1) + pool.refused == 1


@pytest.mark.parametrize("path", ["minusma_2020_v1.json", "tiny.json", "v2/v1_with_v2_fields.json"])
@pytest.mark.parametrize("mode", ["simplex", "around"])
def test_certified_samples_equal_the_brute_force_ones(path, mode):
    s = continuous(load_scenario(DATA / path))
    cert = smaa(s, samples=60, mode=mode, spread=0.1, executor="serial", seed=11)
    brute = smaa(s, samples=60, mode=mode, spread=0.1, executor="serial", seed=11, exact_resolve=True)
    assert_same_samples(cert, brute)
    current, counts, solved = basis_counts(np.full(3, -1))
    assert (current, counts, solved) == (0, (), 3)


def _equal_on(d, samples=40, seed=0):
    s = continuous(scenario_from_dict(d))
    if solve_model(build_model(s)).status != "optimal":
        return
    cert = smaa(s, samples=samples, mode="around", spread=0.3, executor="serial", seed=seed)
    brute = smaa(s, samples=samples, mode="around", spread=0.3, executor="serial", seed=seed, exact_resolve=True)
    assert_same_samples(cert, brute)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(scenario_dicts(), st.integers(0, 3))
def test_certified_equals_brute_force_on_random_v1_scenarios(d, seed):
    _equal_on(d, seed=seed)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(v2_scenario_dicts(integer=False), st.integers(0, 3))
def test_certified_equals_brute_force_on_random_v2_scenarios(d, seed):
    _equal_on(d, seed=seed)


def test_certified_smaa_runs_the_same_in_worker_processes():
    from planner.analyses import process_pool

    s = two_tasks(2.0, 1.0)
    serial = smaa(s, samples=150, executor="serial", seed=2)
    with process_pool(2) as pool:
        par = smaa(s, samples=150, executor=pool, seed=2)
    assert_same_samples(par, serial)
    # each worker solves a sample or two on the other side (the bases of its degenerate vertex)
    assert par.certified >= 140


def test_exact_resolve_must_be_a_yes_or_no():
    with pytest.raises(AnalysisError, match="exact_resolve 'yes': choose True or False"):
        smaa(two_tasks(), samples=5, exact_resolve="yes")


def test_the_command_line_reports_the_certified_counts(tmp_path, capsys):
    path = tmp_path / "two.json"
    from planner.fileio import scenario_to_dict

    path.write_text(json.dumps(scenario_to_dict(two_tasks(3.0, 1.0))), "utf-8")
    assert main(["analyse", "smaa", str(path), "--samples", "200", "--workers", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "certified"
    assert out["certified_samples"] + out["solved_samples"] == 200
    assert sum(out["certified_by_basis"]) == out["certified_samples"] and 2 <= out["bases"] <= 4
    assert main(["analyse", "smaa", str(path), "--samples", "200", "--workers", "1", "--json",
                 "--exact-resolve"]) == 0
    brute = json.loads(capsys.readouterr().out)
    assert brute["method"] == "resolved" and brute["certified_samples"] == 0
    assert brute["plan_classes"] == out["plan_classes"]
    assert main(["analyse", "smaa", str(path), "--samples", "50", "--workers", "1"]) == 0
    assert "certified by" in capsys.readouterr().out
