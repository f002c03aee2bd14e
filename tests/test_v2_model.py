"""The v2 model (MODEL.md, "Contract v2" to "Clarifications (v2)") on cases solved by hand.

Each case is small enough that its optimum is worked out in the comment above
it; the regions lie on the equator so that distances are simple:
d(a, b) = 111.2 km, d(b, c) = 222.4 km, d(a, c) = 333.6 km. Unless a case says
otherwise: one period, one task ``t`` of weight 1, one returns segment (the
score is the weighted satisfaction), each unit delivers 1 effect unit.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from planner.fileio import load_scenario, scenario_from_dict
from planner.geo import distance_matrix
from planner.model import build_model
from planner.solve import solve, solve_model

approx = pytest.approx
LON = {"a": 0.0, "b": 1.0, "c": 3.0}


def region(rid: str, **kw) -> dict:
    return {"id": rid, "name": rid.upper(), "zone": kw.pop("zone", "z"),
            "location": {"lat": 0.0, "lon": LON[rid]}, **kw}


def cap(cid: str, existing: float, effect: dict | None = None, **kw) -> dict:
    return {"id": cid, "name": cid.capitalize(), "category": kw.pop("category", "ground"), "existing": existing,
            "max_new": kw.pop("max_new", 0), "lead_time": kw.pop("lead_time", 0),
            "effect": {"t": 1.0} if effect is None else effect, **kw}


def scenario(caps, demand, *, regions=("a",), periods=1, resources=(), rules=(), stationing=False,
             tasks=("t",), period_fields=None, integer=False):
    periods = [{"id": f"p{i}", "name": f"P{i}", **((period_fields or {}).get(i, {}))} for i in range(periods)]
    return scenario_from_dict({
        "format": "mandate-planner-scenario", "version": 2, "name": "case", "periods": periods,
        "tasks": [{"id": t, "name": t.capitalize(), "weight": 0 if t == "lift" else 1} for t in tasks],
        "regions": [r if isinstance(r, dict) else region(r) for r in regions],
        "capabilities": list(caps), "demand": demand, "resources": list(resources), "returns": [1.0],
        "rules": list(rules), "settings": {"integer_units": integer, "stationing": stationing},
    })


def need(**per_region) -> dict:
    return {"t": {r: (v if isinstance(v, dict) else {"need": v}) for r, v in per_region.items()}}


def units(res, kind="allocation", **match) -> float:
    rows = res.to_json()[kind]
    return sum(r["units"] for r in rows if all(r.get(k) == v for k, v in match.items()))


def budget(capacity, basis="generated", **kw) -> dict:
    return {"id": "money", "name": "Money", "basis": basis, "capacity": capacity, "unit": "USD", **kw}


# -- reach and distance ---------------------------------------------------------------------


def test_a_helicopter_reaches_b_but_not_c():
    # Two helicopters based at a (the only camp), reach 200 km; a need of 1 in b and in c.
    # b (111 km) is in reach, c (334 km) is not: one unit meets b, the other idles at a.
    # Score = (1 + 0) / 2 = 50. Without stationing both needs are met: 100.
    caps = [cap("heli", 2, reach_km=200, bases=["a"])]
    regions = [region("a"), region("b", camp=False), region("c", camp=False)]
    res = solve(scenario(caps, need(b=1, c=1), regions=regions, stationing=True))
    assert res.score == approx(50.0)
    assert units(res, region="b", base="a") == approx(1.0) and units(res, region="c") == 0
    assert all(row["base"] == "a" for row in res.to_json()["allocation"])
    assert solve(scenario(caps, need(b=1, c=1), regions=regions)).score == approx(100.0)


def test_edge_factor_halfway_leaves_three_quarters_of_the_effect():
    # reach = 2 d(a, b), edge_factor 0.5: at b, phi = 1 - (1 - 0.5) * 1/2 = 0.75.
    # One unit at a working in b (need 1) satisfies 75 %: score 75.
    s0 = scenario([cap("heli", 1)], need(b=1), regions=["a", "b"], stationing=True)
    d_ab = distance_matrix(s0)[0, 1]
    caps = [cap("heli", 1, reach_km=2 * d_ab, edge_factor=0.5, bases=["a"])]
    res = solve(scenario(caps, need(b=1), regions=["a", region("b", camp=False)], stationing=True))
    assert res.score == approx(75.0)
    assert units(res, region="b") == approx(1.0)


def test_use_per_km_charges_the_flight_to_the_region():
    # As above with reach 200 and 1 flight hour per unit per km, 55.6 hours per period:
    # 55.6 / 111.2 = 0.5 unit in b, score 50; the hours are used to the limit.
    d_ab = distance_matrix(scenario([cap("h", 1)], need(b=1), regions=["a", "b"], stationing=True))[0, 1]
    hours = {"id": "hours", "name": "Hours", "basis": "employed", "capacity": d_ab / 2, "unit": "h"}
    caps = [cap("heli", 1, reach_km=200, bases=["a"], uses_per_km={"hours": 1.0})]
    res = solve(scenario(caps, need(b=1), regions=["a", region("b", camp=False)], resources=[hours],
                         stationing=True))
    assert res.score == approx(50.0)
    assert res.resources["hours"].used == approx(d_ab / 2)


# -- camps ----------------------------------------------------------------------------------


def _camp_case(integer=False):
    people = {"id": "people", "name": "People", "basis": "fielded", "capacity": 1000, "unit": "persons",
              "personnel": True}
    caps = [cap("company", 1, reach_km=200, uses={"people": 60}, max_new=1)]
    regions = [region("a", camp_capacity=100), region("b", camp=False)]
    return solve(scenario(caps, need(b=2), regions=regions, resources=[people], stationing=True, integer=integer))


def test_a_full_camp_bases_only_what_fits():
    # Camp a holds 100 persons; a company is 60 persons and works in b (reach 200). One company and
    # one more to generate, a need of 2 in b: 100 / 60 = 1.667 based, satisfaction 0.833, score
    # 83.3. The camp binds; 0.667 new company is enough.
    res = _camp_case()
    assert res.score == approx(100 * (100 / 60) / 2)
    assert units(res, "basing", base="a") == approx(100 / 60) and res.generate == {"company": approx(2 / 3)}
    (camp,) = [b for b in res.binding if b.kind == "camp"]
    assert camp.key == "a" and camp.message == "camp A is full: 100 of 100 persons"


def test_whole_units_are_g_and_z_only():
    # With whole units the new company is 1, not 0.667; basing and employment stay shares of a unit:
    # the camp still bases 1.667 of the 2 companies, and the score is the same 83.3.
    res = _camp_case(integer=True)
    assert res.generate == {"company": 1.0}
    assert res.score == approx(100 * (100 / 60) / 2)
    assert units(res, "basing", base="a") == approx(100 / 60)


def test_camp_limits_count_units_of_a_category():
    # Camp a has apron space for 1 air unit: of 3 helicopters only 1 is based; need 3 in a: score 33.3.
    caps = [cap("heli", 3, category="air")]
    res = solve(scenario(caps, need(a=3), regions=[region("a", camp_limits={"air": 1})], stationing=True))
    assert res.score == approx(100 / 3)
    assert [b.message for b in res.binding if b.kind == "camp_limit"] == ["camp A is full: 1 of 1 air units"]


# -- moves ----------------------------------------------------------------------------------


def _move_case(capacity):
    # One unit based at a (reach 0: it works only where it is based); need 1 in b (importance 1) and
    # in a (importance 0.5). Leaving a costs 1 of the money. Zmax = 1.5.
    caps = [cap("heli", 1, based_at={"a": 1}, move_uses={"money": 1})]
    demand = need(a={"need": 1, "importance": 0.5}, b=1)
    return solve(scenario(caps, demand, regions=["a", "b"], resources=[budget(capacity)], stationing=True))


def test_a_move_cost_keeps_a_unit_in_place():
    # No money to move: it stays at a, serves a: score 0.5 / 1.5 = 33.3, no moves.
    res = _move_case(0.0)
    assert res.score == approx(100 / 3)
    assert units(res, "basing", base="a") == approx(1.0) and res.to_json()["moves"] == []


def test_with_the_money_the_unit_moves():
    # With 1 of money it leaves a for b: score 1 / 1.5 = 66.7, one move out of a into period 0.
    res = _move_case(1.0)
    assert res.score == approx(200 / 3)
    assert res.to_json()["moves"] == [{"capability": "heli", "base": "a", "period": "p0", "units": 1.0}]
    assert res.resources["money"].used == approx(1.0)


def test_a_laydown_with_move_costs():
    # One unit at a, one at b (reach 0), two periods, need 2 in b only. Moving costs 1 of a cycle
    # budget of 0.5: half a unit moves from a to b before period 0 and stays. b holds 1.5 units in
    # both periods: satisfaction 0.75, score 75; a keeps 0.5.
    caps = [cap("inf", 2, based_at={"a": 1, "b": 1}, move_uses={"money": 1})]
    res = solve(scenario(caps, need(b=2), regions=["a", "b"], periods=2, resources=[budget(0.5)],
                         stationing=True))
    assert res.score == approx(75.0)
    j = res.to_json()
    assert j["moves"] == [{"capability": "inf", "base": "a", "period": "p0", "units": 0.5}]
    assert units(res, "basing", base="b") == approx(3.0) and units(res, "basing", base="a") == approx(1.0)


def test_tie_break_moves_a_unit_rather_than_buy_one():
    # A unit at a (reach 0), need 1 in b; one new unit could be bought for nothing. Moving or buying
    # both score 100: fewer new units comes first, so it moves (no money is involved).
    caps = [cap("heli", 1, max_new=1, based_at={"a": 1})]
    res = solve(scenario(caps, need(b=1), regions=["a", "b"], stationing=True))
    assert res.score == approx(100.0)
    assert res.generate == {} and units(res, "moves") == approx(1.0)


def test_tie_break_makes_no_needless_move():
    # Based at a, the unit reaches b from a or from c (reach 250 km): it scores 100 from either, and
    # stays at a with no move.
    caps = [cap("heli", 1, reach_km=250, based_at={"a": 1})]
    res = solve(scenario(caps, need(b=1), regions=["a", "b", "c"], stationing=True))
    assert res.score == approx(100.0)
    assert res.to_json()["moves"] == [] and units(res, "basing", base="a") == approx(1.0)


# -- drawdown and the status quo ---------------------------------------------------------------


def _drawdown_case(need_units):
    # Two periods, an in-service budget of 10 per cycle. The old unit (effect 1) costs 5 a period:
    # kept, it takes the whole budget. A new unit (effect 3, no lead time) costs 5 a period too.
    money = budget(10, basis="in_service")
    caps = [cap("old", 1, uses={"money": 5}, max_repatriate=1),
            cap("new", 0, {"t": 3.0}, max_new=1, uses={"money": 5})]
    return solve(scenario(caps, need(a=need_units), periods=2, resources=[money]))


def test_repatriating_an_expensive_unit_funds_a_new_one():
    # Need 3: keep the old unit and score 1/3, or send it home and field the new one: 3 of 3, score
    # 100 (5 * 2 * (1 - z) + 5 * 2 * g <= 10 gives g <= z; effect (1 - z) + 3 g is best at z = g = 1).
    # The status quo (no new, no repatriation) scores 33.3: the plan closes the whole gap.
    res = _drawdown_case(3.0)
    assert res.score == approx(100.0)
    assert res.repatriate == {"old": approx(1.0)} and res.generate == {"new": approx(1.0)}
    assert res.resources["money"].used == approx(10.0)
    j = res.to_json()
    assert j["status_quo"]["score"] == approx(100 / 3) and j["gap_closed"] == approx(1.0)


def test_no_repatriation_when_the_old_unit_is_enough():
    # Need 1: the old unit alone scores 100; sending it home for the new one scores 100 too, and the
    # tie-break prefers fewer repatriations (then fewer new units): nothing changes.
    res = _drawdown_case(1.0)
    assert res.score == approx(100.0)
    assert res.repatriate == {} and res.generate == {}
    assert res.status_quo.score == approx(100.0) and res.gap_closed is None


# -- time-varying demand and effect ----------------------------------------------------------------


def test_need_by_period_overrides_the_need():
    # One unit, need 1 but 2 in period p1: satisfaction 1 then 0.5, score 75.
    res = solve(scenario([cap("inf", 1)], need(a={"need": 1, "need_by_period": {"p1": 2}}), periods=2))
    assert res.score == approx(75.0)
    assert res.to_json()["satisfaction"]["t"]["a"] == [1.0, 0.5]


def test_effect_factor_scales_a_category_in_a_period():
    # A rainy p1 halves ground units' effect: satisfaction 1 then 0.5, score 75; air units keep theirs.
    rain = {1: {"effect_factor": {"ground": 0.5}}}
    res = solve(scenario([cap("inf", 1)], need(a=1), periods=2, period_fields=rain))
    assert res.score == approx(75.0)
    heli = solve(scenario([cap("heli", 1, category="air"), cap("inf", 0)], need(a=1), periods=2,
                          period_fields=rain))
    assert heli.score == approx(100.0)


# -- enabler rules -----------------------------------------------------------------------------------


def _lift_rule(ratio=0.5, **kw):
    return {"id": "lift", "name": "Lift", "kind": "requires", "capability": "company",
            "needs": {"heli": ratio}, **kw}


def test_a_requires_rule_halves_a_companys_use():
    # Two companies, need 2; each company needs 0.5 helicopter on lift and there is 0.5 helicopter:
    # 0.5 * X <= 0.5 gives X <= 1: satisfaction 0.5, score 50 (100 without the rule).
    caps = [cap("company", 2), cap("heli", 0.5, {})]
    rules = [_lift_rule(via_task="lift")]
    res = solve(scenario(caps, need(a=2), tasks=("t", "lift"), rules=rules))
    assert res.score == approx(50.0)
    assert units(res, capability="heli", task="lift") == approx(0.5)
    assert units(res, capability="company") == approx(1.0)
    (b,) = [b for b in res.binding if b.kind == "rule"]
    assert b.key == "lift" and b.message == "Company in A needs 0.5 Heli per unit: only 0.5 on Lift"
    assert solve(scenario(caps, need(a=2), tasks=("t", "lift"))).score == approx(100.0)


def test_via_task_lift_time_is_not_protection_time():
    # The helicopter protects too (effect 1 on t). One helicopter, one company, need 2; the company
    # needs 1 helicopter on lift. Lift time and protection time share the helicopter: h_t + h_lift <= 1
    # and company <= h_lift, so the effect is at most 1: score 50. Counting all its employment (no
    # via_task) the same helicopter protects and lifts: effect 2, score 100.
    caps = [cap("company", 1), cap("heli", 1)]
    via = solve(scenario(caps, need(a=2), tasks=("t", "lift"), rules=[_lift_rule(1.0, via_task="lift")]))
    assert via.score == approx(50.0)
    anyway = solve(scenario(caps, need(a=2), tasks=("t", "lift"), rules=[_lift_rule(1.0)]))
    assert anyway.score == approx(100.0)


def test_any_of_the_enablers_will_do():
    # Two companies, need 2; a company needs 0.5 helicopter or 1 truck (both on lift); there are 0.25
    # helicopters and 0.5 trucks. Alternatives: X <= 0.25 / 0.5 + 0.5 / 1 = 1, score 50. Both
    # required: X <= min(0.5, 0.5) = 0.5, score 25.
    caps = [cap("company", 2), cap("heli", 0.25, {}), cap("truck", 0.5, {})]
    both = {"id": "lift", "kind": "requires", "capability": "company", "needs": {"heli": 0.5, "truck": 1},
            "via_task": "lift"}
    res = solve(scenario(caps, need(a=2), tasks=("t", "lift"), rules=[dict(both, any=True)]))
    assert res.score == approx(50.0)
    assert solve(scenario(caps, need(a=2), tasks=("t", "lift"), rules=[both])).score == approx(25.0)


def test_a_surgical_team_based_within_reach_covers_every_region_near_it():
    # Companies based at b (reach 300) work in a, b and c (need 1 each); each needs a surgical team
    # based within 150 km. One team at a covers a and b (0 and 111 km) at once, not c (334 km):
    # a and b are met, c is not: score 2/3. With count "employed" the single team would have to
    # be employed in each region, and it has no task: nothing could work.
    rule = {"id": "medevac", "kind": "requires", "capability": "company", "needs": {"surgical": 1},
            "count": "based_within", "within_km": 150}
    caps = [cap("company", 3, reach_km=300, bases=["b"]), cap("surgical", 1, {}, bases=["a"])]
    res = solve(scenario(caps, need(a=1, b=1, c=1), regions=["a", "b", "c"], rules=[rule], stationing=True))
    assert res.score == approx(200 / 3)
    assert units(res, region="c") == 0 and units(res, "basing", capability="surgical", base="a") == approx(1.0)


def test_beyond_km_binds_only_far_employment():
    # A company at a (reach 400) needs 1 helicopter on lift beyond 150 km; there is none. It still
    # works in b (111 km): need 1 in b and in c, score 50.
    rule = _lift_rule(1.0, via_task="lift", beyond_km=150)
    caps = [cap("company", 2, reach_km=400, bases=["a"]), cap("heli", 0, {})]
    res = solve(scenario(caps, need(b=1, c=1), regions=["a", "b", "c"], tasks=("t", "lift"), rules=[rule],
                         stationing=True))
    assert res.score == approx(50.0) and units(res, region="b") == approx(1.0)


def test_a_requires_rule_that_cannot_be_met_is_named_in_the_diagnosis():
    # A presence of 1 company is required, and a company needs a helicopter that never arrives:
    # no plan; the enabler rule is what gives (a missing helicopter weighs 1/4 of its force, a
    # missing company a whole presence).
    caps = [cap("company", 1), cap("heli", 0, {}, max_new=4, lead_time=5)]
    rules = [_lift_rule(1.0, via_task="lift"),
             {"id": "here", "kind": "min_units", "capability": "company", "region": "a", "units": 1}]
    res = solve(scenario(caps, need(a=1), tasks=("t", "lift"), rules=rules))
    assert res.status == "infeasible"
    (problem,) = res.diagnosis
    assert problem.kind == "rule" and problem.key == "lift" and problem.shortfall == approx(1.0)
    assert "Company in A needs 1 Heli per unit: only 0 on Lift" in problem.message
    assert "new Heli units do not arrive within this cycle" in problem.message


def test_warm_sweeps_of_a_stationing_scenario_give_the_plan_of_cold_solves():
    # The laydown case with a second task: the sweeps' warm re-solves read the v2 layout (z, b and m
    # columns before s) as solve_model does, with the same tie-break.
    from planner.analyses import SweepSolver
    from planner.lp.stages import tie_break_cost

    caps = [cap("inf", 2, {"t": 1.0, "u": 2.0}, based_at={"a": 1, "b": 1}, move_uses={"money": 1}, max_new=1)]
    demand = {**need(b=2), "u": {"a": {"need": 2}}}
    m = build_model(scenario(caps, demand, regions=["a", "b"], periods=2, resources=[budget(0.5)],
                             stationing=True, tasks=("t", "u")))
    sweep, cost = SweepSolver(m), tie_break_cost(m)
    for w in ([1.0, 0.0], [0.5, 0.5], [0.2, 0.8]):
        point, cold = sweep.solve_weights(w), solve_model(m.with_weights(w), status_quo=False)
        assert point.score == approx(cold.score, abs=1e-7)
        assert cost @ point.v == approx(cost @ _columns(m, cold), abs=1e-6)


def _columns(m, res) -> np.ndarray:
    """The plan's point over the model's columns (x, g, b and m; s left at 0: they cost nothing)."""
    v = np.zeros(m.n_vars)
    cells = {(c, h, r, t, p): i for i, (c, h, r, t, p) in enumerate(zip(m.xc, m.xh, m.xr, m.xt, m.xp))}
    for c, h, r, t, p, u in zip(res.alloc_capability, res.alloc_base, res.alloc_region, res.alloc_task,
                                res.alloc_period, res.alloc_units):
        v[cells[c, h, r, t, p]] = u
    v[m.g_slice] = [res.generate.get(c.id, 0.0) for c in m.scenario.capabilities]
    for kind, placed in (("b", res.basing), ("m", res.moves)):
        cap, base, period = (getattr(m, f"{kind}_{a}") for a in ("cap", "base", "period"))
        col = {key: i for i, key in enumerate(zip(cap, base, period))}
        for c, h, p, u in zip(placed.capability, placed.base, placed.period, placed.units):
            v[getattr(m, f"{kind}_slice").start + col[c, h, p]] = u
    return v


# -- v1 scenarios build the v1 model ------------------------------------------------------------------

# sha256 (first 16 hex digits) of A (CSR arrays), b, bounds, integrality and the score coefficients
# as the v1 model built them, before contract v2.
V1_FINGERPRINTS = {
    ("minusma_2020", False): "28a91ece25d109e8", ("minusma_2020", True): "2f8691c6c47394a9",
    ("minusma_2020_covid", False): "9c3ef37ca1801da4", ("minusma_2020_west", True): "23aa832cc6f41984",
    ("tiny", False): "a998e7e68e603c47", ("tiny", True): "cdab03b542a4ff1a",
}


def _fingerprint(m) -> str:
    h = hashlib.sha256()
    for a in (m.A.indptr.astype(np.int64), m.A.indices.astype(np.int64), m.A.data, m.b, m.lower, m.upper,
              m.integrality.astype(np.uint8), m.score_coef):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize(("name", "integer"), sorted(V1_FINGERPRINTS))
def test_a_v1_scenario_builds_the_v1_matrix(name, integer):
    data = Path(__file__).parent / "data"
    path = data / ("tiny.json" if name == "tiny" else name.replace("minusma_2020", "minusma_2020_v1") + ".json")
    m = build_model(load_scenario(path).with_integer_units(integer))
    assert _fingerprint(m) == V1_FINGERPRINTS[name, integer]
    assert m.zc.size == m.b_cap.size == m.m_cap.size == 0 and (m.xh == -1).all()
    assert {blk.kind for blk in m.blocks} <= {"availability", "region_cap", "effect", "resource", "rule"}


def test_a_v1_result_reports_the_v2_keys_empty_and_its_status_quo():
    res = solve(load_scenario(Path(__file__).parent / "data" / "minusma_2020_v1.json"))
    j = res.to_json()
    assert j["repatriate"] == {} and j["basing"] == [] and j["moves"] == []
    assert all("base" not in row for row in j["allocation"])
    sq = j["status_quo"]
    assert sq is not None and 0 < sq["score"] < j["score"]
    assert j["gap_closed"] == approx((j["score"] - sq["score"]) / (100 - sq["score"]), rel=1e-9)
