"""Contract v2 checked against an independent build of it, on random small scenarios.

``support.reference_v2`` formulates the v2 LP from MODEL.md alone (named
variables, dictionaries of rows, SciPy); ``support.oracle.check_plan_json``
re-checks every v2 constraint on a plan as ``solve --json`` reports it;
``support.strategies.v2`` draws the scenarios (stationing on and off, bases,
reach, moves, camps, enabler rules, repatriation, time in service, whole
units on and off).

Properties of the planner:
  * its status is the reference's (both optimal or both infeasible) and its
    score the reference's optimum within 1e-6 relative; its status quo is the
    reference's optimum with g = z = 0;
  * every plan it returns passes the oracle;
  * raising any capacity (a resource, a camp, a camp limit, max_new,
    max_repatriate, max_per_region, a reach) never lowers its score;
  * a v1 scenario gives the optimum of the v1 reference (``support.reference_lp``),
    also with stationing on and every region at one place;
  * among plans with the best score it repatriates, generates, moves and employs
    as few units as the reference's stage-by-stage tie-break, and its moves are
    exactly the units that left a base.

The reference and the oracle are checked first, without the planner: the v2
reference equals the v1 reference on v1 scenarios, its own plans pass the
oracle, the oracle refuses plans broken in each way it checks, and the
distances are great circles of a 6,371 km sphere.

Default profile: derandomised and quick; ``MANDATE_PLANNER_FUZZ=1`` draws new
examples each run, many more of them (``support.profiles``).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.oracle import check_diagnosis_json, check_plan_json  # noqa: E402
from support.params_v2 import V2Params, distances, haversine_km, to_scenario  # noqa: E402
from support.profiles import examples  # noqa: E402
from support.reference_lp import reference_optimum  # noqa: E402
from support.reference_v2 import TIE_BREAK, plan_json, reference_tie_break, reference_v2  # noqa: E402
from support.strategies.scenarios import scenario_dicts as v1_scenario_dicts  # noqa: E402
from support.strategies.v2 import capacity_raises, raised, v2_scenario_dicts  # noqa: E402

SCORE_REL = 1e-6


def close(a: float, b: float) -> bool:
    return abs(a - b) <= SCORE_REL * max(1.0, abs(b))


def planner_json(d: dict) -> dict:
    from planner.solve import solve

    return solve(to_scenario(copy.deepcopy(d))).to_json()


# -- the reference and the oracle, on their own -------------------------------------------


@examples(40, 2000)
@given(st.lists(st.tuples(st.floats(-89, 89), st.floats(-180, 180)), min_size=1, max_size=5))
def test_distances_are_great_circles_on_a_6371_km_sphere(points):
    d = {"regions": [{"location": {"lat": la, "lon": lo}} for la, lo in points]}
    got = distances(d)
    for i, a in enumerate(d["regions"]):
        assert got[i, i] == 0
        for k, b in enumerate(d["regions"]):
            assert got[i, k] == pytest.approx(haversine_km(a["location"], b["location"]), abs=1e-6)


def test_one_degree_on_the_equator_is_111_km():
    d = {"regions": [{"location": {"lat": 0, "lon": 0}}, {"location": {"lat": 0, "lon": 1}}]}
    assert distances(d)[0, 1] == pytest.approx(6371 * math.pi / 180, rel=1e-12)


@examples(30, 1000)
@given(v2_scenario_dicts())
def test_the_scenarios_drawn_here_are_valid_files_with_the_same_objects(d):
    from planner.fileio import scenario_from_dict

    loaded = scenario_from_dict(copy.deepcopy(d))  # a valid v2 file: no ScenarioError
    built = to_scenario(d)
    for f in dataclasses.fields(built):
        assert getattr(loaded, f.name) == getattr(built, f.name), f.name


@examples(25, 2000)
@given(v1_scenario_dicts())
def test_the_v2_reference_is_the_v1_reference_on_v1_scenarios(d):
    status, best = reference_optimum(d)
    ref = reference_v2(d)
    assume(status != "unknown" and ref.status != "unknown")
    assert ref.status == status
    if status == "optimal":
        assert close(ref.score, best), (ref.score, best)


@examples(40, 2000)
@given(v2_scenario_dicts())
def test_the_reference_plans_pass_the_oracle(d):
    ref = reference_v2(d)
    if ref.status != "optimal":
        return
    sq = reference_v2(d, status_quo=True)
    if sq.status == "optimal":
        assert sq.score <= ref.score + 1e-6  # the status quo is one of the plans
    check_plan_json(d, plan_json(d, ref, sq))


@examples(20, 1000)
@given(v2_scenario_dicts(), st.data())
def test_the_reference_never_loses_score_when_a_capacity_rises(d, data):
    what, path = data.draw(st.sampled_from(capacity_raises(d)), label="raise")
    amount = data.draw(st.sampled_from([0.5, 1, 5, 50]), label="by")
    before = reference_v2(d)
    assume(before.status == "optimal")
    after = reference_v2(raised(d, path, amount))
    assert after.status == "optimal"
    assert after.score >= before.score - 1e-6, (what, path, before.score, after.score)


def stationed_in_one_place(d: dict) -> dict:
    """A v1 scenario with stationing on and every region at one place: every base reaches
    every region at distance 0 (phi = 1, no use by distance), no camp is limited and nothing
    starts anywhere, so the optimum is v1's."""
    d = copy.deepcopy(d)
    d["version"] = 2
    for r in d["regions"]:
        r["location"] = {"lat": 12.5, "lon": -3.0}
    d["settings"] = dict(d.get("settings") or {}, stationing=True)
    return d


@examples(20, 1500)
@given(v1_scenario_dicts())
def test_the_reference_with_everything_in_one_place_is_v1(d):
    status, best = reference_optimum(d)
    ref = reference_v2(stationed_in_one_place(d))
    assume(status != "unknown" and ref.status != "unknown")
    assert ref.status == status
    if status == "optimal":
        assert close(ref.score, best), (ref.score, best)


# A small posture scenario with a bit of everything, for breaking its plan.
def _posture() -> dict:
    lon = {"a": 0.0, "b": 1.0, "c": 3.0}
    camps = {"a": {"camp_capacity": 150, "camp_limits": {"air": 1.5}}, "c": {"camp_capacity": 20}}
    return {
        "format": "mandate-planner-scenario", "version": 2, "name": "posture",
        "periods": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"}],
        "tasks": [{"id": "t", "name": "T", "weight": 1}, {"id": "lift", "name": "Lift", "weight": 0}],
        "regions": [{"id": r, "name": r, "zone": "z", "location": {"lat": 0.0, "lon": lon[r]},
                     **camps.get(r, {})} for r in "abc"],
        "capabilities": [
            {"id": "heli", "name": "Heli", "category": "air", "existing": 2, "max_new": 1, "lead_time": 1,
             "effect": {"t": 1}, "uses": {"people": 20, "budget": 3, "hours": 1}, "reach_km": 250,
             "edge_factor": 0.5, "uses_per_km": {"hours": 0.002}, "bases": ["a", "c"], "based_at": {"c": 2},
             "move_uses": {"budget": 1}, "max_repatriate": 1},
            {"id": "company", "name": "Company", "category": "ground", "existing": 3, "max_new": 0,
             "lead_time": 0, "effect": {"t": 2}, "uses": {"people": 40}, "reach_km": 120, "bases": ["a"]},
        ],
        "demand": {"t": {"a": {"need": 3}, "b": {"need": 2, "need_by_period": {"p1": 4}}, "c": {"need": 2}}},
        "resources": [
            {"id": "budget", "name": "Budget", "basis": "generated", "capacity": 4, "unit": "USD"},
            {"id": "people", "name": "People", "basis": "in_service", "capacity": 320, "unit": "persons",
             "personnel": True},
            {"id": "hours", "name": "Hours", "basis": "employed", "capacity": 3, "unit": "h"},
        ],
        "returns": [1, 0.5],
        "rules": [{"id": "lift", "kind": "requires", "capability": "company", "needs": {"heli": 0.5},
                   "via_task": "lift", "beyond_km": 50}],
        "settings": {"stationing": True, "integer_units": True},
    }


def _rows(j, key, **match):
    return [r for r in j[key] if all(r.get(k) == v for k, v in match.items())]


def _break_reach(j):
    row = next(r for r in j["allocation"] if r["capability"] == "company" and r["region"] != "c")
    j["allocation"] = [r for r in j["allocation"] if r is not row]
    j["allocation"].append(dict(row, region="c", base="a", task="t"))  # 334 km > reach 120


def _break_basing(j):
    for r in j["basing"]:
        r["units"] *= 3  # more than exist


def _break_from_base(j):
    for r in j["basing"]:
        r["units"] *= 0.5  # fewer based than employed from there


def _break_moves(j):
    j["moves"] = []  # the helicopters left B without a move


def _break_camp(j):
    j["basing"].append({"capability": "company", "base": "a", "period": "p0", "units": 3})


def _break_integer(j):
    j["repatriate"] = {"heli": 0.5}


def _break_resource_report(j):
    j["resources"]["people"]["used"] += 10


def _break_score(j):
    j["score"] = min(100.0, j["score"] + 1e-3)


def _break_gap(j):
    j["gap_closed"] = (j["gap_closed"] or 0) + 0.01


def _break_requires(j):
    for r in j["allocation"]:
        if r["capability"] == "heli" and r["task"] == "lift":
            r["units"] *= 0.5


def _break_satisfaction(j):
    j["satisfaction"]["t"]["c"] = [1.0, 1.0]


def _break_base(j):
    for r in j["basing"]:
        if r["capability"] == "heli":
            r["base"] = "c"  # not one of its bases


BREAKS = {f.__name__[len("_break_"):]: f for f in (
    _break_reach, _break_basing, _break_from_base, _break_moves, _break_camp, _break_integer,
    _break_resource_report, _break_score, _break_gap, _break_requires, _break_satisfaction, _break_base,
)}


@pytest.fixture(scope="module")
def posture_plan():
    d = _posture()
    ref = reference_v2(d)
    assert ref.status == "optimal"
    sq = reference_v2(d, status_quo=True)
    return d, plan_json(d, ref, sq)


def test_the_posture_plan_uses_what_the_oracle_breaks(posture_plan):
    d, j = posture_plan
    check_plan_json(d, j)
    assert _rows(j, "allocation", capability="heli", task="lift"), "the rule must bind"
    assert _rows(j, "allocation", capability="company"), j["allocation"]
    assert j["gap_closed"] is not None and j["basing"]


@pytest.mark.parametrize("how", BREAKS)
def test_the_oracle_refuses_a_broken_plan(posture_plan, how):
    d, j = posture_plan
    bad = copy.deepcopy(j)
    BREAKS[how](bad)
    with pytest.raises(AssertionError):
        check_plan_json(d, bad)


# -- the planner against the reference ----------------------------------------------------


def check_against_reference(d: dict) -> dict:
    """The planner's status, score and status quo are the reference's; its plan passes the oracle."""
    j = planner_json(d)
    ref = reference_v2(d)
    assume(ref.status != "unknown" and j["status"] != "time_limit")
    assert j["status"] == ref.status, f"the planner says {j['status']}, the reference {ref.status}"
    if ref.status != "optimal":
        check_diagnosis_json(d, j)
        return j
    assert close(j["score"], ref.score), f"planner score {j['score']!r}, reference optimum {ref.score!r}"
    check_plan_json(d, j)
    sq = reference_v2(d, status_quo=True)
    if sq.status == "optimal":
        assert j["status_quo"] is not None, "a status quo plan exists (g = z = 0)"
        assert close(j["status_quo"]["score"], sq.score), (j["status_quo"]["score"], sq.score)
    elif sq.status == "infeasible":
        assert j["status_quo"] is None, f"the status quo is infeasible, yet reported {j['status_quo']}"
    return j


@examples(60, 4000)
@given(v2_scenario_dicts())
def test_the_planner_finds_the_reference_optimum(d):
    check_against_reference(d)


@examples(20, 1500)
@given(v2_scenario_dicts(stationing=True, integer=False))
def test_the_planner_finds_the_reference_optimum_with_posture(d):
    check_against_reference(d)


@examples(25, 1500)
@given(v2_scenario_dicts(), st.data())
def test_more_capacity_never_lowers_the_planners_score(d, data):
    what, path = data.draw(st.sampled_from(capacity_raises(d)), label="raise")
    amount = data.draw(st.sampled_from([0.5, 1, 5, 50]), label="by")
    before = planner_json(d)
    assume(before["status"] == "optimal")
    after = planner_json(raised(d, path, amount))
    assert after["status"] == "optimal", after.get("message")
    assert after["score"] >= before["score"] - 1e-6, (what, path, before["score"], after["score"])


@examples(25, 2000)
@given(v1_scenario_dicts())
def test_a_v1_scenario_gives_the_v1_optimum(d):
    status, best = reference_optimum(d)
    j = planner_json(d)
    assume(status != "unknown" and j["status"] != "time_limit")
    assert j["status"] == status
    if status == "optimal":
        assert close(j["score"], best), (j["score"], best)
        check_plan_json(d, j)


@examples(30, 2000)
@given(v2_scenario_dicts())
def test_the_planner_breaks_ties_in_the_contracts_order(d):
    # Among plans with the best score: fewest units repatriated, then generated, then moved,
    # then employed (MODEL.md, Objective and tie-break (v2)). The reference solves it one
    # stage at a time; the planner's totals must be the same.
    j = planner_json(d)
    if j["status"] != "optimal":
        return
    tidy = reference_tie_break(d)
    assume(tidy is not None)
    # a plan that gave up score (within the 1e-6 the contract allows) is another plan's tie
    assume(j["score"] >= tidy["score"] - 1e-7 * max(1.0, tidy["score"]))
    got = {
        "repatriated": sum(j["repatriate"].values()),
        "generated": sum(j["generate"].values()),
        "moved": sum(r["units"] for r in j.get("moves") or []),
        "employed": sum(r["units"] for r in j["allocation"]),
    }
    for name in TIE_BREAK:  # in order: a difference in an earlier total explains the later ones
        assert got[name] == pytest.approx(tidy[name], abs=1e-5 * max(1.0, tidy[name])), (
            f"units {name}: the planner's plan {got[name]!r}, the fewest with the best score {tidy[name]!r}")


@examples(20, 1500)
@given(v1_scenario_dicts())
def test_stationing_with_everything_in_one_place_gives_the_v1_optimum(d):
    status, best = reference_optimum(d)
    stationed = stationed_in_one_place(d)
    j = planner_json(stationed)
    assume(status != "unknown" and j["status"] != "time_limit")
    assert j["status"] == status
    if status == "optimal":
        assert close(j["score"], best), (j["score"], best)
        check_plan_json(stationed, j)


@examples(25, 1500)
@given(v2_scenario_dicts(stationing=True, requires=False))
def test_moves_are_the_units_that_left(d):
    # A move only costs (resources) and the tie-break prefers fewer moves: so the planner
    # reports exactly the units that left each base, max(0, b[p-1] - b[p]) (init for p = 0).
    j = planner_json(d)
    if j["status"] != "optimal":
        return
    pr = V2Params(d)
    b = {(r["capability"], r["base"], r["period"]): r["units"] for r in j["basing"]}
    m = {(r["capability"], r["base"], r["period"]): r["units"] for r in j["moves"]}
    for c, cid in enumerate(pr.caps):
        for h in pr.move_bases(c):
            hid = pr.regions[h]
            for p, pid in enumerate(pr.periods):
                before = (pr.init[c] or {}).get(h, 0.0) if p == 0 else b.get((cid, hid, pr.periods[p - 1]), 0.0)
                left = max(0.0, before - b.get((cid, hid, pid), 0.0))
                assert m.get((cid, hid, pid), 0.0) == pytest.approx(left, abs=1e-6), (cid, hid, pid)


@examples(20, 1500)
@given(v2_scenario_dicts(integer=False), st.data())
def test_shadow_prices_are_slopes_of_the_score(d, data):
    # The score is concave and piecewise linear in a capacity; an LP dual lies between its
    # right and left slopes: gain(+h) / h <= price <= loss(-h) / h (MODEL.md: score points
    # per unit of capacity). Moves, distance and time in service all enter the same rows.
    j = planner_json(d)
    if j["status"] != "optimal":
        return
    i = data.draw(st.integers(0, len(d["resources"]) - 1), label="resource")
    q = d["resources"][i]
    price = j["resources"][q["id"]]["shadow_price"]
    assert price >= 0 and math.isfinite(price), price
    h = 0.5
    up = planner_json(raised(d, ("resources", i, "capacity"), h))
    assert up["status"] == "optimal"
    assert (up["score"] - j["score"]) / h <= price + 1e-5, (q["id"], up["score"], j["score"], price)
    if q["capacity"] >= h:
        down = planner_json(raised(d, ("resources", i, "capacity"), -h))
        if down["status"] == "optimal":
            assert (j["score"] - down["score"]) / h >= price - 1e-5, (q["id"], j["score"], down["score"], price)


def _scenario_files():
    tests = Path(__file__).resolve().parent
    return sorted((tests.parent / "scenarios").glob("*.json")) + sorted((tests / "data" / "v2").glob("*.json"))


@pytest.mark.parametrize("path", _scenario_files(), ids=lambda p: p.name)
def test_the_shipped_scenarios_give_the_reference_optimum(path):
    # Full-size scenarios (the bundled MINUSMA cases, the v2 example files), as LPs (the
    # reference's own branch and bound is for small cases, and whole units here take the
    # planner seconds): the planner's status and score are the reference's, and its plan
    # passes the oracle.
    d = json.loads(path.read_text(encoding="utf-8"))
    lp = copy.deepcopy(d)
    lp.setdefault("settings", {})["integer_units"] = False
    j = planner_json(lp)
    ref = reference_v2(lp)
    assert j["status"] == ref.status
    if ref.status == "optimal":
        assert close(j["score"], ref.score), (j["score"], ref.score)
        check_plan_json(lp, j)
    else:
        check_diagnosis_json(lp, j)


# A whole-unit scenario on which HiGHS's MIP search (1.16, with presolve) reported a plan
# scoring 69.62 as optimal, below the status quo's 70.84 (g = z = 0 is itself a whole-unit
# plan): the planner returned that plan, and its status quo beat it.
WORSE_THAN_THE_STATUS_QUO = json.loads(
    '{"format": "mandate-planner-scenario", "version": 2, "name": "random v2", "periods": [{"id": '
    '"p0", "name": "p0", "weight": 0.4}, {"id": "p1", "name": "p1", "effect_factor": {"ground": '
    '1.5}}], "tasks": [{"id": "t0", "name": "t0", "weight": 3}, {"id": "t1", "name": "t1", "weight": '
    '1}, {"id": "lift", "name": "Lift", "weight": 0}], "regions": [{"id": "r0", "name": "r0", "zone": '
    '"z1", "location": {"lat": 0.0, "lon": 0.5}}, {"id": "r1", "name": "r1", "zone": "z1", '
    '"location": {"lat": 0.0, "lon": 1.0}}, {"id": "r2", "name": "r2", "zone": "z1", "location": '
    '{"lat": 0.0, "lon": 2.0}}, {"id": "r3", "name": "r3", "zone": "z0", "location": {"lat": 0.0, '
    '"lon": 1.5}}], "capabilities": [{"id": "c0", "name": "c0", "category": "air", "existing": 3.0, '
    '"max_new": 0.1, "lead_time": 0, "effect": {"t0": 2.6, "t1": 0.8}, "region_factor": {"r0": 0.5, '
    '"r1": 1, "r2": 1.5, "r3": 1.5}, "uses": {"budget": 9.1, "people": 17.0, "hours": 4.1}, '
    '"max_repatriate": 1.5}, {"id": "c1", "name": "c1", "category": "air", "existing": 0.2, '
    '"max_new": 2.9, "lead_time": 0, "effect": {"t1": 0.8}, "uses": {"budget": 8.6, "people": 6.0, '
    '"hours": 2.7}}, {"id": "c2", "name": "c2", "category": "ground", "existing": 0.3, "max_new": '
    '0.8, "lead_time": 0, "effect": {"t0": 3.0, "t1": 0.6}, "uses": {"budget": 9.4, "people": 18.0, '
    '"hours": 10.0}, "max_repatriate": 0.15}, {"id": "c3", "name": "c3", "category": "air", '
    '"existing": 1.6, "max_new": 0.9, "lead_time": 1, "effect": {"t1": 2.8}, "region_factor": {"r0": '
    '1.5, "r1": 0, "r2": 1.5, "r3": 1.5}, "uses": {"budget": 1.5, "people": 14.0, "hours": 9.1}}], '
    '"demand": {"t0": {"r0": {"need": 1.6}, "r1": {"need": 3.0, "importance": 0.2, "need_by_period": '
    '{"p0": 7.5}}, "r2": {"need": 4.6, "importance": 0.5}, "r3": {"need": 1.3}}, "t1": {"r0": '
    '{"need": 4.3, "need_by_period": {"p1": 6.8}}, "r1": {"need": 1.3}, "r2": {"need": 2.6, '
    '"importance": 0.4}, "r3": {"need": 4.6}}}, "resources": [{"id": "budget", "name": "Budget", '
    '"basis": "generated", "capacity": 5.3, "unit": "USD"}, {"id": "people", "name": "People", '
    '"basis": "fielded", "capacity": 80.0, "unit": "persons"}, {"id": "hours", "name": "Hours", '
    '"basis": "employed", "capacity": 14.4, "unit": "h"}], "returns": [1], "rules": [{"id": "floor", '
    '"kind": "floor", "task": "t1", "regions": ["r3"], "min_satisfaction": 0}, {"id": "forbid", '
    '"kind": "forbid", "capability": "c0", "region": "r0", "task": "t1"}], "settings": '
    '{"integer_units": true}}'
)


def test_a_whole_unit_plan_is_never_worse_than_the_status_quo():
    j = planner_json(WORSE_THAN_THE_STATUS_QUO)
    assert j["status"] == "optimal"
    assert j["status_quo"] is not None
    assert j["score"] >= j["status_quo"]["score"] - 1e-6, (j["score"], j["status_quo"]["score"])
    ref = reference_v2(WORSE_THAN_THE_STATUS_QUO)
    assert ref.score >= reference_v2(WORSE_THAN_THE_STATUS_QUO, status_quo=True).score - 1e-6
    assert close(j["score"], ref.score), (j["score"], ref.score)
    check_plan_json(WORSE_THAN_THE_STATUS_QUO, j)
