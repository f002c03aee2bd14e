"""Near-optimal alternatives: the search over whole vectors (planner.lp.whole.near_optimal),
the analysis (planner.analyses.alternatives) against hand-worked scores and brute force,
its refusals, and the command line."""

from __future__ import annotations

import copy
import itertools
import json

import numpy as np
import pytest
import scipy.sparse as sp

from planner import cli
from planner.analyses import AnalysisError, Cancelled, InfeasibleScenario, alternatives
from planner.analyses.report import describe
from planner.fileio import scenario_from_dict
from planner.lp import whole
from planner.lp.highs import HAVE_HIGHSPY, OPTIMAL, HighsModel, linprog
from planner.model import build_model


# -- the search, on plain LPs ----------------------------------------------------------------


def relaxation(c, A, b, lower, upper, wh, warm):
    if warm:
        hm = HighsModel(sp.csr_matrix(A), c, lower, upper, np.full(len(b), -np.inf), b, time_limit=30)
        return whole.WarmRelaxation(hm, wh, lower, upper)
    return whole.ColdRelaxation(c, sp.csr_matrix(A), b, lower, upper, wh, time_limit=30)


def every_whole_vector(c, A, b, lower, upper, wh):
    """(least cost, vector) of every whole vector of the columns ``wh`` that has a completion."""
    out = []
    for v in itertools.product(*[range(int(lo), int(hi) + 1) for lo, hi in zip(lower[wh], upper[wh])]):
        lo, hi = lower.copy(), upper.copy()
        lo[wh] = hi[wh] = v
        r = linprog(c, sp.csr_matrix(A), b, lo, hi)
        if r.status == OPTIMAL:
            out.append((float(c @ r.x), v))
    return sorted(out)


@pytest.mark.parametrize("warm", [True, False] if HAVE_HIGHSPY else [False])
@pytest.mark.parametrize("seed", range(25))
def test_the_search_lists_exactly_the_vectors_within_the_tolerance(seed, warm):
    rng = np.random.default_rng(seed)
    n_whole, n_cont, m = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
    n = n_whole + n_cont
    A = rng.uniform(0, 3, (m, n))
    b = rng.uniform(2, 8, m)
    c = -rng.uniform(0, 2, n)
    lower = np.zeros(n)
    upper = np.r_[rng.integers(1, 4, n_whole).astype(float), np.full(n_cont, 5.0)]
    wh = np.arange(n_whole)
    within = float(rng.choice([0.0, 0.3, 1.0, 5.0]))
    count = int(rng.integers(1, 8))
    out = whole.near_optimal(relaxation(c, A, b, lower, upper, wh, warm), c, wh, lower[wh], upper[wh],
                             within=within, count=count)
    brute = every_whole_vector(c, A, b, lower, upper, wh)
    keep = [p for p in brute if p[0] <= brute[0][0] + within + 1e-9]
    assert out.status is OPTIMAL
    assert out.complete == (len(keep) <= count)
    assert len(out.plans) == min(count, len(keep))
    values = [p.value for p in out.plans]
    assert values == pytest.approx([v for v, _ in keep[:len(values)]], abs=1e-7)
    assert values == sorted(values)  # best first
    assert {tuple(p.values) for p in out.plans} <= {v for _, v in keep}
    assert len({tuple(p.values) for p in out.plans}) == len(out.plans)  # each vector once
    for p in out.plans:
        assert np.array_equal(p.x[wh], p.values) and p.value == pytest.approx(float(c @ p.x))


def test_the_search_without_a_whole_vector_is_infeasible():
    # 2x = 1 has no whole solution
    c, A, b = np.array([1.0]), np.array([[2.0], [-2.0]]), np.array([1.0, -1.0])
    lower, upper, wh = np.zeros(1), np.full(1, 5.0), np.arange(1)
    out = whole.near_optimal(relaxation(c, A, b, lower, upper, wh, HAVE_HIGHSPY), c, wh, lower, upper,
                             within=1.0, count=3)
    assert out.status.value == "infeasible" and not out.plans


# -- a hand case -------------------------------------------------------------------------------


def hand_dict(integer: bool = True) -> dict:
    """One period, one region; capability a serves task ta (weight 3), b serves tb (weight 2),
    one effect unit per unit employed, need 4 each, linear returns, a budget for 3 new units.

    Score of a plan with a new units of a and b of b: 100 (0.6 a/4 + 0.4 b/4) = 15a + 10b,
    with a + b <= 3: (3,0) 45, (2,1) 40, (1,2) 35, (2,0) 30, (0,3) 30, (1,1) 25, ...
    """
    return {
        "format": "mandate-planner-scenario", "version": 1, "name": "Two capabilities, three units",
        "periods": [{"id": "p0", "name": "Period 0"}],
        "tasks": [{"id": "ta", "name": "Task A", "weight": 3}, {"id": "tb", "name": "Task B", "weight": 2}],
        "regions": [{"id": "r", "name": "Region", "zone": "z"}],
        "capabilities": [
            {"id": "a", "name": "Capability A", "category": "ground", "existing": 0, "max_new": 3,
             "lead_time": 0, "effect": {"ta": 1.0}, "uses": {"budget": 1}},
            {"id": "b", "name": "Capability B", "category": "air", "existing": 0, "max_new": 3,
             "lead_time": 0, "effect": {"tb": 1.0}, "uses": {"budget": 1}},
        ],
        "demand": {"ta": {"r": {"need": 4}}, "tb": {"r": {"need": 4}}},
        "resources": [{"id": "budget", "name": "Budget", "basis": "generated", "capacity": 3, "unit": "units"}],
        "returns": [1.0],
        "rules": [],
        "settings": {"integer_units": integer},
    }


def plans_of(r):
    return [(a.generate.get("a", 0), a.generate.get("b", 0)) for a in r.alternatives]


def test_the_hand_case_lists_exactly_the_plans_within_the_tolerance():
    s = scenario_from_dict(hand_dict())
    r = alternatives(s, within=15.5, count=10)
    assert plans_of(r) == [(3, 0), (2, 1), (1, 2), (2, 0), (0, 3)]  # of the tied two, fewer units first
    assert [a.score for a in r.alternatives] == pytest.approx([45, 40, 35, 30, 30])
    assert [a.gap for a in r.alternatives] == pytest.approx([0, 5, 10, 15, 15])
    assert r.complete and not r.whole_units_assumed
    second = r.alternatives[1]
    assert second.generate_change == {"a": -1, "b": 1} and second.repatriate_change == {}
    assert second.resources["budget"] == pytest.approx(3.0)
    assert r.alternatives[3].resources["budget"] == pytest.approx(2.0)
    assert r.varying == ("a", "b") and r.decided == ()
    # the best is the plan the planner reports, with its resource use
    assert r.best.result.generate == {"a": 3.0}
    assert alternatives(s, within=4.9).alternatives[0].generate == {"a": 3}
    assert len(alternatives(s, within=4.9).alternatives) == 1


def test_the_count_cuts_the_list_and_says_so():
    s = scenario_from_dict(hand_dict())
    r = alternatives(s, within=15.5, count=3)
    assert plans_of(r) == [(3, 0), (2, 1), (1, 2)]
    assert not r.complete and "more than 3" in r.message
    exact = alternatives(s, within=15.5, count=5)
    assert exact.complete and len(exact.alternatives) == 5
    assert "the best 3 are listed" in describe(r)


def test_fractional_units_are_analysed_as_whole_units_and_it_is_said():
    r = alternatives(scenario_from_dict(hand_dict(integer=False)), within=15.5)
    assert r.whole_units_assumed
    assert plans_of(r) == [(3, 0), (2, 1), (1, 2), (2, 0), (0, 3)]
    assert "fractional units" in describe(r)
    assert r.to_json()["whole_units_assumed"] is True


def test_a_plan_that_only_adds_idle_units_is_marked():
    d = hand_dict()
    # three units of a meet task A in full, so a fourth adds nothing; the budget has room for it
    d["resources"][0]["capacity"] = 7
    d["capabilities"][0]["max_new"] = 4
    d["demand"]["ta"]["r"]["need"] = 3
    r = alternatives(scenario_from_dict(d), within=0.0)
    assert [(a.generate.get("a", 0), a.generate.get("b", 0)) for a in r.alternatives] == [(3, 3), (4, 3)]
    assert r.alternatives[1].extends == 1 and r.alternatives[0].extends is None
    assert "for no more score" in describe(r)


# -- random small scenarios against every whole vector --------------------------------------------


def random_dict(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n_cap, n_reg, n_per = int(rng.integers(2, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 3))
    tasks = [{"id": f"t{k}", "name": f"Task {k}", "weight": float(rng.integers(1, 5))} for k in range(2)]
    regions = [{"id": f"r{k}", "name": f"Region {k}", "zone": "z"} for k in range(n_reg)]
    caps = []
    for k in range(n_cap):
        existing = int(rng.integers(0, 3))
        cap = {"id": f"c{k}", "name": f"Capability {k}", "category": "ground", "existing": existing,
               "max_new": int(rng.integers(1, 4)), "lead_time": int(rng.integers(0, n_per)),
               "effect": {t["id"]: round(float(rng.uniform(0.2, 2.0)), 2) for t in tasks if rng.random() < 0.8},
               "uses": {"budget": round(float(rng.uniform(1, 3)), 1), "people": round(float(rng.uniform(1, 3)), 1)}}
        if existing and rng.random() < 0.5:
            cap["max_repatriate"] = int(rng.integers(1, existing + 1))
        caps.append(cap)
    demand = {t["id"]: {r["id"]: {"need": round(float(rng.uniform(1, 5)), 1)} for r in regions} for t in tasks}
    return {
        "format": "mandate-planner-scenario", "version": 2, "name": f"Random {seed}",
        "periods": [{"id": f"p{k}", "name": f"Period {k}"} for k in range(n_per)],
        "tasks": tasks, "regions": regions, "capabilities": caps, "demand": demand,
        "resources": [
            {"id": "budget", "name": "Budget", "basis": "generated", "capacity": round(float(rng.uniform(2, 6)), 1),
             "unit": "USD"},
            {"id": "people", "name": "People", "basis": "fielded", "unit": "persons",  # the existing force fits
             "capacity": round(sum(c["existing"] * c["uses"]["people"] for c in caps) + float(rng.uniform(1, 6)), 1)},
        ],
        "returns": [1.0, 0.6, 0.3], "rules": [], "settings": {"integer_units": True},
    }


def brute_force(s, within):
    """(score, g and z) of every whole vector within ``within`` points of the best, by fixing each."""
    m = build_model(s)
    cols = np.flatnonzero(m.integrality)
    found = []
    for v in itertools.product(*[range(int(hi) + 1) for hi in np.floor(m.upper[cols] + 1e-9)]):
        lower, upper = m.lower.copy(), m.upper.copy()
        lower[cols] = upper[cols] = v
        out = linprog(-m.score_coef, m.A, m.b, lower, upper)
        if out.status == OPTIMAL:
            found.append((float(m.score_coef @ out.x), v))
    best = max(score for score, _ in found)
    return best, {v: score for score, v in found if score >= best - within - 1e-9}, m


def vector(model, a):
    s = model.scenario
    g = [a.generate.get(c.id, 0) for c in s.capabilities]
    z = [a.repatriate.get(s.capabilities[c].id, 0) for c in model.zc.tolist()]
    return tuple(g + z)


@pytest.mark.parametrize("seed", range(16))
def test_random_scenarios_match_every_whole_vector_fixed(seed):
    s = scenario_from_dict(random_dict(seed))
    within = [0.0, 3.0, 8.0, 20.0][seed % 4]
    best, keep, model = brute_force(s, within)
    r = alternatives(s, within=within, count=100)
    assert r.complete
    got = {vector(model, a): a.score for a in r.alternatives}
    assert set(got) == set(keep)
    for v, score in got.items():
        assert score == pytest.approx(keep[v], abs=1e-6)
    assert r.best.score == pytest.approx(best, abs=1e-6)
    scores = [a.score for a in r.alternatives]
    assert all(b <= a + 1e-6 for a, b in zip(scores, scores[1:]))
    cut = alternatives(s, within=within, count=1)
    assert cut.complete == (len(keep) == 1) and len(cut.alternatives) == 1


# -- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.1, 100.5, "0.1", True, None])
def test_a_bad_tolerance_is_named(value):
    s = scenario_from_dict(hand_dict())
    with pytest.raises(AnalysisError, match=r"^within .*: choose a number of points between 0 and 100"):
        alternatives(s, within=value)


@pytest.mark.parametrize("value", [0, 101, 2.5, True, "3"])
def test_a_bad_count_is_named(value):
    s = scenario_from_dict(hand_dict())
    with pytest.raises(AnalysisError, match=r"^count .*: choose a whole number between 1 and 100"):
        alternatives(s, count=value)


def infeasible_dict() -> dict:
    d = copy.deepcopy(hand_dict())
    d["rules"] = [{"id": "too-much", "kind": "floor", "task": "ta", "region": "r", "min_satisfaction": 1.0}]
    return d  # task A in full needs 4 units of a; the budget buys 3


def test_an_infeasible_scenario_is_refused_with_its_diagnosis():
    with pytest.raises(InfeasibleScenario) as caught:
        alternatives(scenario_from_dict(infeasible_dict()))
    assert caught.value.result.diagnosis
    assert "too-much" in str(caught.value) or "Task A" in str(caught.value)


def test_progress_is_reported_and_cancel_stops_it():
    s = scenario_from_dict(hand_dict())
    seen = []
    alternatives(s, within=15.5, progress=lambda f: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == pytest.approx(1.0)
    assert all(b >= a for a, b in zip(seen, seen[1:]))
    with pytest.raises(Cancelled):
        alternatives(s, within=15.5, progress=lambda f: f < 0.3)


# -- command line ----------------------------------------------------------------------------------


@pytest.fixture
def hand_file(tmp_path):
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(hand_dict()), encoding="utf-8")
    return path


def test_the_command_line_lists_the_plans(hand_file, capsys):
    assert cli.main(["analyse", "alternatives", str(hand_file), "--within", "15.5"]) == 0
    out = capsys.readouterr().out
    assert "5 whole-unit plans within 15.5 points of the best (the complete list)" in out
    assert "3 Capability A" in out and "-1 Capability A, +1 Capability B" in out
    assert "Open within 15.5 points: Capability A (0-3 new); Capability B (0-3 new)" in out


def test_the_command_line_json(hand_file, capsys):
    assert cli.main(["analyse", "alternatives", str(hand_file), "--within", "15.5", "--count", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["analysis"] == "alternatives" and data["complete"] is False and data["count"] == 2
    assert [a["generate"] for a in data["alternatives"]] == [{"a": 3}, {"a": 2, "b": 1}]
    assert [a["score"] for a in data["alternatives"]] == pytest.approx([45, 40])
    assert data["alternatives"][1]["generate_change"] == {"a": -1, "b": 1}


@pytest.mark.parametrize("args, message", [
    (["--within", "nan"], "--within nan: choose a number of points between 0 and 100"),
    (["--within", "-2"], "--within -2: choose a number of points between 0 and 100"),
    (["--count", "0"], "--count 0: choose a whole number between 1 and 100"),
    (["--count", "x"], "argument --count: invalid int value: 'x'"),
])
def test_the_command_line_names_a_bad_argument(hand_file, capsys, args, message):
    assert cli.main(["analyse", "alternatives", str(hand_file), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_command_line_refuses_an_infeasible_scenario(tmp_path, capsys):
    path = tmp_path / "infeasible.json"
    path.write_text(json.dumps(infeasible_dict()), encoding="utf-8")
    assert cli.main(["analyse", "alternatives", str(path)]) == 3
    assert "No plan meets every" in capsys.readouterr().err


def test_the_command_line_draws_the_chart(hand_file, tmp_path, capsys):
    from pictures import assert_png

    out = tmp_path / "alternatives.png"
    assert cli.main(["analyse", "alternatives", str(hand_file), "--within", "15.5", "--png", str(out),
                     "--size", "1280x720"]) == 0
    assert_png(out, (1280, 720))
