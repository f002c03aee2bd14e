"""Robustness with whole units: a pool of whole-unit vectors against the LP relaxation's bound.

Every sample's plan is a whole-unit plan whose score is within its certified gap of
the sample's optimum (the branch and bound's), equal where proven; the exact mode
and the proven samples give the brute-force plans.
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

from planner.analyses import AnalysisError, smaa  # noqa: E402
from planner.analyses._sweep import WHOLE_BRANCHED, WHOLE_PROVEN  # noqa: E402
from planner.cli import main  # noqa: E402
from planner.fileio import load_scenario, scenario_from_dict, scenario_to_dict  # noqa: E402
from planner.model import build_model  # noqa: E402
from planner.solve import solve_model  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def whole(s):
    return s.with_integer_units(True)


def tolerance(scores):
    """The branch and bound's own exactness (1e-9 relative, planner.lp.whole), in points."""
    return 1e-9 * np.maximum(1.0, np.abs(scores)) + 1e-9


def assert_within_gaps(pooled, brute):
    ok = brute.scores == brute.scores
    assert np.array_equal(ok, pooled.scores == pooled.scores)
    got, best, gap = pooled.scores[ok], brute.scores[ok], pooled.gaps[ok]
    tol = tolerance(best)
    assert np.all(got <= best + tol)  # a whole plan: never above the optimum
    assert np.all(best - got <= gap + tol)  # and within its certified gap of it
    how = pooled.whole_how[ok]
    settled = (how == WHOLE_PROVEN) | (how == WHOLE_BRANCHED)
    np.testing.assert_allclose(got[settled], best[settled], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(pooled.generate[ok][settled], brute.generate[ok][settled], atol=1e-9)
    assert np.all(gap[settled] <= tol[settled])
    assert pooled.whole_proven + pooled.whole_branched + pooled.whole_kept == int(ok.sum())
    assert pooled.max_gap == pytest.approx(float(np.max(gap, initial=0.0)))


def _compare_on(d, samples=12, seed=0, **kw):
    s = whole(scenario_from_dict(d))
    if solve_model(build_model(s)).status != "optimal":
        return None
    brute = smaa(s, samples=samples, mode="simplex", executor="serial", seed=seed, exact_resolve=True)
    pooled = smaa(s, samples=samples, mode="simplex", executor="serial", seed=seed, **kw)
    assert_within_gaps(pooled, brute)
    return pooled, brute


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(scenario_dicts(max_periods=3, max_capabilities=3), st.integers(0, 3))
def test_fast_mode_is_within_its_gaps_on_random_v1_scenarios(d, seed):
    _compare_on(d, seed=seed)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(v2_scenario_dicts(integer=True), st.integers(0, 3))
def test_fast_mode_is_within_its_gaps_on_random_v2_scenarios(d, seed):
    _compare_on(d, seed=seed)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(v2_scenario_dicts(integer=True), st.integers(0, 3))
def test_exact_mode_gives_the_brute_force_optimum(d, seed):
    got = _compare_on(d, seed=seed, whole_units="exact")
    if got is not None:
        pooled, brute = got
        assert pooled.whole_kept == 0 and pooled.max_gap <= 1e-7
        assert pooled.method == "whole_exact" and brute.method == "whole_units"


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(scenario_dicts(max_periods=3, max_capabilities=3), st.integers(0, 3))
def test_a_tiny_gap_limit_settles_every_sample(d, seed):
    got = _compare_on(d, seed=seed, gap_limit=1e-12)
    if got is not None:
        assert got[0].whole_kept == 0


@pytest.fixture(scope="module")
def small_whole():
    return whole(load_scenario(DATA / "tiny.json"))


def test_the_default_is_fast_and_reports_its_counts(small_whole):
    r = smaa(small_whole, samples=30, executor="serial", seed=4)
    brute = smaa(small_whole, samples=30, executor="serial", seed=4, exact_resolve=True)
    assert_within_gaps(r, brute)
    assert r.method == "whole_fast" and r.gap_limit == 0.25
    assert r.whole_branched >= 4  # the first samples fill the pool
    out = r.to_json(include_samples=True)
    w = out["whole_units"]
    assert w["method"] == "fast" and w["gap_limit_points"] == 0.25
    assert w["proven_samples"] + w["branch_and_bound_samples"] + w["gap_samples"] == 30
    assert len(out["sample_gaps"]) == 30
    assert "proven optimal" in r.method_text and "branch and bound" in r.method_text
    assert brute.to_json()["whole_units"]["method"] == "branch_and_bound"
    lp = smaa(small_whole.with_integer_units(False), samples=5, executor="serial")
    assert lp.to_json()["whole_units"] is None


def test_the_same_seed_gives_the_same_answers(small_whole):
    a = smaa(small_whole, samples=25, executor="serial", seed=9)
    b = smaa(small_whole, samples=25, executor="serial", seed=9)
    np.testing.assert_array_equal(a.scores, b.scores)
    np.testing.assert_array_equal(a.generate, b.generate)
    np.testing.assert_array_equal(a.gaps, b.gaps)
    np.testing.assert_array_equal(a.whole_how, b.whole_how)


def test_worker_processes_give_the_serial_answers():
    from planner.analyses import process_pool

    s = whole(load_scenario(DATA / "minusma_2020_v1.json"))
    serial = smaa(s, samples=120, executor="serial", seed=2)
    with process_pool(2) as pool:
        par = smaa(s, samples=120, executor=pool, seed=2)
    np.testing.assert_allclose(par.scores, serial.scores, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(par.generate, serial.generate, atol=1e-9)
    np.testing.assert_array_equal(par.whole_how, serial.whole_how)
    np.testing.assert_allclose(par.gaps, serial.gaps, rtol=1e-6, atol=1e-7)
    assert [(c.generated, c.count) for c in par.plan_classes] == [(c.generated, c.count) for c in serial.plan_classes]


@pytest.mark.parametrize("kw, name", [
    ({"whole_units": "quick"}, "whole_units 'quick'"),
    ({"whole_units": None}, "whole_units"),
    ({"gap_limit": 0}, "gap_limit 0"),
    ({"gap_limit": -1.0}, "gap_limit -1"),
    ({"gap_limit": float("nan")}, "gap_limit nan"),
    ({"gap_limit": float("inf")}, "gap_limit inf"),
    ({"gap_limit": "0.1"}, "gap_limit '0.1'"),
    ({"gap_limit": True}, "gap_limit True"),
])
def test_bad_whole_unit_options_are_refused(small_whole, kw, name):
    with pytest.raises(AnalysisError, match=name):
        smaa(small_whole, samples=3, executor="serial", **kw)


def test_the_command_line_says_how_whole_units_were_answered(tmp_path, capsys, small_whole):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(scenario_to_dict(small_whole)), "utf-8")
    assert main(["analyse", "smaa", str(path), "--samples", "20", "--workers", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "whole_fast" and out["whole_units"]["method"] == "fast"
    assert main(["analyse", "smaa", str(path), "--samples", "20", "--workers", "1", "--json",
                 "--exact-resolve"]) == 0
    brute = json.loads(capsys.readouterr().out)
    assert brute["method"] == "whole_units" and brute["whole_units"]["branch_and_bound_samples"] == 20
    assert main(["analyse", "smaa", str(path), "--samples", "20", "--workers", "1"]) == 0
    assert "proven optimal" in capsys.readouterr().out


def test_the_chart_headline_says_how_whole_units_were_answered(small_whole):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from planner.plots.smaa import draw_smaa

    r = smaa(small_whole, samples=12, executor="serial", seed=1)
    fig = Figure(figsize=(16, 9))
    draw_smaa(fig, r)
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert "proven optimal" in texts and "branch and bound" in texts


def test_the_command_line_takes_the_whole_unit_options_and_names_a_bad_one(capsys):
    from planner.cli import main

    assert main(["analyse", "smaa", "minusma_2020", "--samples", "3", "--workers", "1", "--whole-units",
                 "fast", "--gap-limit", "0.5", "--json"]) == 0
    assert main(["analyse", "smaa", "minusma_2020", "--samples", "3", "--gap-limit", "-1"]) == 2
    err = capsys.readouterr().err
    assert "--gap-limit -1" in err and "Traceback" not in err
