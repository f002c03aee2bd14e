"""Scenarios with no plan: a status and a diagnosis in the user's words, never a
bare "infeasible" and never an exception."""

from __future__ import annotations

import copy

import pytest

from planner.fileio import scenario_from_dict
from planner.solve import solve


def scenario(*, existing=0.0, max_new=2, lead_time=1, periods=2, rules=(), resources=None, uses=None,
             integer=False, need=1):
    d = {
        "format": "mandate-planner-scenario",
        "version": 1,
        "name": "infeasible case",
        "periods": [{"id": f"p{i}", "name": f"Period {i}"} for i in range(periods)],
        "tasks": [{"id": "a", "name": "Task A", "weight": 1}, {"id": "b", "name": "Task B", "weight": 1}],
        "regions": [{"id": "mopti", "name": "Mopti", "zone": "center"},
                    {"id": "gao", "name": "Gao", "zone": "north"}],
        "capabilities": [
            {"id": "mtf", "name": "Mobile task force", "category": "ground", "existing": existing,
             "max_new": max_new, "lead_time": lead_time, "effect": {"a": 1, "b": 1},
             "uses": uses if uses is not None else {"budget": 1}},
        ],
        "demand": {"a": {"mopti": {"need": need}}, "b": {"mopti": {"need": 1}}},
        "resources": resources if resources is not None else [
            {"id": "budget", "name": "Budget", "basis": "generated", "capacity": 100, "unit": "USD"}],
        "rules": copy.deepcopy(list(rules)),
    }
    if integer:
        d["settings"] = {"integer_units": True}
    return scenario_from_dict(d)


FLOOR = {"id": "poc-floor", "name": "PoC in Mopti", "kind": "floor", "task": "a", "regions": ["mopti"],
         "min_satisfaction": 0.5}


def assert_not_bare(res):
    assert res.status == "infeasible"
    assert res.diagnosis, "an infeasible result must say what has to give"
    assert res.message.strip().lower() not in ("infeasible", "")
    for problem in res.diagnosis:
        assert problem.message in res.message
        assert problem.shortfall > 0
    js = res.to_json()
    assert js["status"] == "infeasible"
    assert len(js["diagnosis"]) == len(res.diagnosis)
    assert all(d["message"] for d in js["diagnosis"])


def test_floor_reachable_once_new_units_arrive_is_feasible():
    # Control case: with new units usable from period 0 the floor is met (1 unit >= 0.5 of need 1).
    res = solve(scenario(lead_time=0, rules=[FLOOR]))
    assert res.status == "optimal"
    assert res.satisfaction[0, 0].min() >= 0.5 - 1e-9


def test_floor_before_new_units_arrive():
    # 0.2 units fielded; new units arrive from period 1. In period 0 task a in Mopti
    # can reach at most 0.2 / 1 = 20% against a floor of 50%: short by 0.3.
    # From period 1 the floor is reachable, so only period 0 is named.
    res = solve(scenario(existing=0.2, rules=[FLOOR]))
    assert_not_bare(res)
    assert len(res.diagnosis) == 1
    (problem,) = res.diagnosis
    assert (problem.kind, problem.key, problem.region, problem.period) == ("rule", "poc-floor", "mopti", "p0")
    assert problem.shortfall == pytest.approx(0.3, abs=1e-6)
    msg = problem.message
    assert "PoC in Mopti" in msg  # the rule, by its name
    assert "Mopti" in msg and "Period 0" in msg  # where and when
    assert "20%" in msg and "50%" in msg  # reachable level against the floor
    assert "Period 1" not in msg.split(":")[0]  # the floor holds from period 1 on
    # the lead time explains it
    assert "Mobile task force" in msg and "arrive" in msg and "Period 1" in msg


def test_floor_with_nothing_fielded_is_reachable_to_zero():
    res = solve(scenario(existing=0, rules=[FLOOR]))
    assert_not_bare(res)
    (problem,) = res.diagnosis
    assert problem.shortfall == pytest.approx(0.5, abs=1e-6)
    assert "reachable only to 0%" in problem.message


def test_floor_on_a_capability_that_never_arrives():
    # lead_time 2 >= 2 periods: the new units never arrive; both periods fall short.
    res = solve(scenario(existing=0, lead_time=2, rules=[FLOOR]))
    assert_not_bare(res)
    assert {p.key for p in res.diagnosis} == {"poc-floor"}
    # short by 0.5 in each period (one line per period, or one for the run of both)
    for p in res.diagnosis:
        assert p.shortfall == pytest.approx(0.5, abs=1e-6)
        assert "reachable only to 0%" in p.message
    text = " ".join(p.message for p in res.diagnosis)
    assert "Period 0" in text and "Period 1" in text
    assert "do not arrive within this cycle" in text


def test_two_floors_that_cannot_both_hold():
    # One unit, no new ones; floors of 60% on a and on b in Mopti (need 1 each)
    # need 1.2 units: 0.2 must give, on one floor or shared between them.
    rules = [
        dict(FLOOR, min_satisfaction=0.6),
        {"id": "b-floor", "kind": "floor", "task": "b", "zone": "center", "min_satisfaction": 0.6},
    ]
    res = solve(scenario(existing=1, max_new=0, periods=1, rules=rules))
    assert_not_bare(res)
    assert {p.key for p in res.diagnosis} <= {"poc-floor", "b-floor"}
    assert sum(p.shortfall for p in res.diagnosis) == pytest.approx(0.2, abs=1e-6)


def test_impossible_min_units():
    # 1 unit fielded, none can be generated; presence of 2 in Gao: reachable to 1 of 2.
    rule = {"id": "stay-gao", "name": "Stay in Gao", "kind": "min_units", "capability": "mtf",
            "regions": ["gao"], "units": 2}
    res = solve(scenario(existing=1, max_new=0, periods=1, rules=[rule]))
    assert_not_bare(res)
    (problem,) = res.diagnosis
    assert (problem.kind, problem.key, problem.period) == ("rule", "stay-gao", "p0")
    assert problem.shortfall == pytest.approx(1.0, abs=1e-6)
    assert "Stay in Gao" in problem.message
    assert "1 of 2" in problem.message
    assert "Mobile task force" in problem.message
    assert "Period 0" in problem.message


def test_min_units_before_arrival_mentions_the_lead_time():
    # New units arrive in period 1: presence of 1 in Gao fails only in period 0.
    rule = {"id": "stay-gao", "kind": "min_units", "capability": "mtf", "zone": "north", "units": 1}
    res = solve(scenario(existing=0, rules=[rule]))
    assert_not_bare(res)
    (problem,) = res.diagnosis
    assert problem.period == "p0"
    assert problem.shortfall == pytest.approx(1.0, abs=1e-6)
    assert "arrive" in problem.message and "Period 1" in problem.message


def test_fielded_resource_exceeded_by_existing_units():
    # 3 units fielded at 20 persons each = 60 against a ceiling of 50: short by 10.
    resources = [{"id": "troops", "name": "Troop ceiling", "basis": "fielded", "capacity": 50,
                  "unit": "persons"}]
    res = solve(scenario(existing=3, max_new=0, resources=resources, uses={"troops": 20}))
    assert_not_bare(res)
    (problem,) = res.diagnosis
    assert (problem.kind, problem.key) == ("resource", "troops")
    assert problem.shortfall == pytest.approx(10.0, abs=1e-6)
    assert "Troop ceiling" in problem.message
    assert "60" in problem.message and "50" in problem.message and "10" in problem.message


def test_infeasible_with_whole_units_only_still_names_the_floor():
    # Budget 0.5 at 1 per unit, new units from period 0. Continuous: 0.5 of a unit
    # meets the floor of 25% (need 1): feasible. Whole units: none can be bought,
    # so the floor is reachable only to 0% and the diagnosis must say so.
    floor = dict(FLOOR, min_satisfaction=0.25)
    resources = [{"id": "budget", "name": "Budget", "basis": "generated", "capacity": 0.5, "unit": "USD"}]
    kw = dict(existing=0, max_new=1, lead_time=0, periods=1, rules=[floor], resources=resources)
    assert solve(scenario(**kw)).status == "optimal"
    res = solve(scenario(**kw, integer=True))
    assert_not_bare(res)
    assert [p.key for p in res.diagnosis] == ["poc-floor"]
    assert "reachable only to 0%" in res.diagnosis[0].message


def test_infeasible_result_has_no_plan():
    res = solve(scenario(existing=0, rules=[FLOOR]))
    assert res.status == "infeasible"
    assert not res.ok
    assert res.generate == {}
    assert res.alloc_units.size == 0
