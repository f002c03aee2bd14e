"""Optima small enough to solve by hand.

Each case is a scenario dict built in Python; the expected score, plan and
shadow prices are worked out from MODEL.md in the comment above the assert,
never copied from the program's output.

Notation: S = satisfaction, score = 100 * Z / Zmax. With one task, one region,
one period and ``returns: [1]``, score = 100 * S.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from planner.fileio import scenario_from_dict
from planner.solve import solve

TOL = 1e-6


# -- building scenarios ---------------------------------------------------------


def cap(cid, *, existing=0, max_new=0, lead_time=0, effect=None, **extra):
    """A capability dict with the required fields."""
    d = {
        "id": cid,
        "name": f"Capability {cid}",
        "category": "test",
        "existing": existing,
        "max_new": max_new,
        "lead_time": lead_time,
        "effect": dict(effect or {}),
    }
    d.update(extra)
    return d


def resource(rid, basis, capacity):
    return {"id": rid, "name": f"Resource {rid}", "basis": basis, "capacity": capacity, "unit": "u"}


def scenario_dict(
    *,
    capabilities,
    demand,
    tasks=None,
    regions=("r1",),
    periods=1,
    period_weights=None,
    resources=(),
    returns=(1,),
    rules=None,
    integer=False,
):
    """A minimal valid scenario dict; ``tasks`` maps id -> weight (default {"a": 1})."""
    tasks = {"a": 1} if tasks is None else tasks
    d = {
        "format": "mandate-planner-scenario",
        "version": 1,
        "name": "hand case",
        "periods": [{"id": f"p{i}", "name": f"Period {i}"} for i in range(periods)],
        "tasks": [{"id": t, "name": f"Task {t}", "weight": w} for t, w in tasks.items()],
        "regions": [
            r if isinstance(r, dict) else {"id": r, "name": f"Region {r}", "zone": "z"} for r in regions
        ],
        "capabilities": [copy.deepcopy(c) for c in capabilities],
        "demand": copy.deepcopy(demand),
        "resources": list(resources),
        "returns": list(returns),
    }
    if period_weights is not None:
        for p, w in zip(d["periods"], period_weights):
            p["weight"] = w
    if rules is not None:
        d["rules"] = copy.deepcopy(list(rules))
    if integer:
        d["settings"] = {"integer_units": True}
    return d


def build(**kw):
    return scenario_from_dict(scenario_dict(**kw))


def run(**kw):
    res = solve(build(**kw))
    assert res.status == "optimal", res.message
    return res


def units(res, c=None, r=None, t=None, p=None):
    """Units employed, summed over every index left as None."""
    s = res.scenario
    arr = res.units_array()
    sel = []
    for ident, items in ((c, s.capabilities), (r, s.regions), (t, s.tasks), (p, s.periods)):
        sel.append(slice(None) if ident is None else [i for i, it in enumerate(items) if it.id == ident][0])
    return float(np.sum(arr[tuple(sel)]))


def sat(res, t, r, p=0):
    s = res.scenario
    ti = [i for i, x in enumerate(s.tasks) if x.id == t][0]
    ri = [i for i, x in enumerate(s.regions) if x.id == r][0]
    return float(res.satisfaction[ti, ri, p])


def approx(v):
    return pytest.approx(v, abs=TOL)


# -- one capability, one task ------------------------------------------------------


def test_one_capability_one_task():
    # 1 unit x effect 2 = 2 effect units against a need of 4: S = 0.5, score 50.
    # Z = pw * w_hat * imp * rho * S = 0.5, Zmax = 1.
    res = run(capabilities=[cap("u", existing=1, effect={"a": 2})], demand={"a": {"r1": {"need": 4}}})
    assert res.score == approx(50.0)
    assert res.objective == approx(0.5)
    assert res.task_scores == {"a": approx(50.0)}
    assert sat(res, "a", "r1") == approx(0.5)
    assert units(res, "u", "r1", "a", "p0") == approx(1.0)
    assert res.generate == {}


def test_surplus_units_are_not_employed():
    # 3 units of effect 2 against a need of 4: 2 units meet it (score 100); the
    # third would be make-work, so it stays idle.
    res = run(capabilities=[cap("u", existing=3, effect={"a": 2})], demand={"a": {"r1": {"need": 4}}})
    assert res.score == approx(100.0)
    assert units(res) == approx(2.0)


# -- lead times ------------------------------------------------------------------


@pytest.mark.parametrize(
    "lead, score, p0_units, generated",
    [
        # lead 0: the new unit works in both periods: S = 1, 1 -> 100.
        (0, 100.0, 1.0, 1.0),
        # lead 1: nothing in period 0, S = 1 in period 1 -> (0 + 1) / 2 = 50.
        (1, 50.0, 0.0, 1.0),
        # lead 2 >= P: the unit never arrives this cycle -> 0, and buying it would
        # be an idle purchase, so nothing is generated.
        (2, 0.0, 0.0, 0.0),
    ],
)
def test_lead_time_delays_a_new_unit(lead, score, p0_units, generated):
    res = run(
        capabilities=[cap("u", max_new=1, lead_time=lead, effect={"a": 1}, uses={"budget": 10})],
        demand={"a": {"r1": {"need": 1}}},
        periods=2,
        resources=[resource("budget", "generated", 10)],
    )
    assert res.score == approx(score)
    assert units(res, p="p0") == approx(p0_units)
    assert res.generate.get("u", 0.0) == approx(generated)
    assert units(res, p="p1") == approx(generated)


def test_existing_units_bridge_the_lead_time_and_only_the_gap_is_bought():
    # existing 1, need 2, new units from period 1, budget ample.
    # p0: 1 unit -> S = 0.5; p1: 2 units -> S = 1. Score (0.5 + 1) / 2 = 75.
    # One new unit closes the gap; a second would be idle.
    res = run(
        capabilities=[cap("u", existing=1, max_new=5, lead_time=1, effect={"a": 1}, uses={"budget": 1})],
        demand={"a": {"r1": {"need": 2}}},
        periods=2,
        resources=[resource("budget", "generated", 1000)],
    )
    assert res.score == approx(75.0)
    assert res.generate == {"u": approx(1.0)}
    assert units(res, p="p0") == approx(1.0)
    assert units(res, p="p1") == approx(2.0)
    assert res.resources["budget"].used == approx(1.0)


# -- rules ------------------------------------------------------------------------

TWO_TASKS = dict(
    tasks={"a": 3, "b": 1},
    capabilities=[cap("u", existing=1, effect={"a": 1, "b": 1})],
    demand={"a": {"r1": {"need": 1}}, "b": {"r1": {"need": 1}}},
)


def test_without_floor_everything_goes_to_the_heavier_task():
    # w_hat = (0.75, 0.25); one unit does one full need: all on a -> 75.
    res = run(**TWO_TASKS)
    assert res.score == approx(75.0)
    assert units(res, t="a") == approx(1.0)
    assert units(res, t="b") == approx(0.0)


def test_floor_forces_allocation_away_from_higher_weight_task():
    # Floor S_b >= 0.4 takes 0.4 of the unit; a keeps 0.6.
    # Score = 100 * (0.75 * 0.6 + 0.25 * 0.4) = 55. The floor binds exactly
    # (any more on b loses 0.5 point per 1% moved).
    rules = [{"id": "b-floor", "kind": "floor", "task": "b", "regions": ["r1"], "min_satisfaction": 0.4}]
    res = run(**TWO_TASKS, rules=rules)
    assert res.score == approx(55.0)
    assert sat(res, "b", "r1") == approx(0.4)
    assert sat(res, "a", "r1") == approx(0.6)
    # per-task scores: 100 * S of each task (one region, one period)
    assert res.task_scores["a"] == approx(60.0)
    assert res.task_scores["b"] == approx(40.0)
    # the floor costs score, so it is reported as binding
    assert any(b.kind == "rule" and b.key == "b-floor" and b.shadow_price > 0 for b in res.binding)


def test_floor_by_zone_and_period_range():
    # Two periods; the floor applies only from period 1 (by zone). Period 0:
    # all on a (0.75); period 1: 0.6/0.4 as above (0.55). Score (75 + 55) / 2 = 65.
    rules = [{"id": "f", "kind": "floor", "task": "b", "zone": "z", "min_satisfaction": 0.4,
              "from_period": 1}]
    res = run(**TWO_TASKS, rules=rules, periods=2)
    assert res.score == approx(65.0)
    assert sat(res, "b", "r1", 0) == approx(0.0)
    assert sat(res, "b", "r1", 1) == approx(0.4)


def test_floor_on_a_single_region():
    # MODEL.md's "region" form of a floor: same case as above -> 55.
    rules = [{"id": "b-floor", "kind": "floor", "task": "b", "region": "r1", "min_satisfaction": 0.4}]
    res = run(**TWO_TASKS, rules=rules)
    assert res.score == approx(55.0)
    assert sat(res, "b", "r1") == approx(0.4)


def test_floor_ignores_listed_regions_without_demand():
    # The floor names r1 and r2, but b has demand only in r1: it binds there alone.
    rules = [{"id": "b-floor", "kind": "floor", "task": "b", "regions": ["r1", "r2"],
              "min_satisfaction": 0.4}]
    res = run(**TWO_TASKS, rules=rules, regions=("r1", "r2"))
    assert res.score == approx(55.0)
    assert units(res, r="r2") == approx(0.0)


def test_max_share_limits_the_share_of_employment():
    # 2 units, needs a = b = 1, weights 3:1. Unconstrained: 1 unit each -> 100.
    # max_share 0.25 on a: x_a <= 0.25 (x_a + x_b) and x_a + x_b <= 2, so
    # x_a <= 0.5 and then x_b >= 1.5 (a unit on b beyond its need still counts
    # as employment). S_a = 0.5, S_b = 1: score = 100 * (0.75 * 0.5 + 0.25) = 62.5.
    base = dict(TWO_TASKS, capabilities=[cap("u", existing=2, effect={"a": 1, "b": 1})])
    assert run(**base).score == approx(100.0)
    rules = [{"id": "cap-a", "kind": "max_share", "task": "a", "max_share": 0.25}]
    res = run(**base, rules=rules)
    assert res.score == approx(62.5)
    xa, xb = units(res, t="a"), units(res, t="b")
    assert xa == approx(0.5)
    assert xb == approx(1.5)
    assert xa <= 0.25 * (xa + xb) + TOL


def test_max_share_applies_only_to_the_listed_capabilities():
    # u (1 unit) works only on a (effect 1); v (1 unit) on a (effect 2) or b (1).
    # Needs a = 2, b = 1, weights 3:1. Without the rule: u on a, v half on a
    # (S_a = (1 + 2*0.5) / 2 = 1), half on b (S_b = 0.5) -> 100 * (0.75 + 0.125) = 87.5.
    # With v's share on a capped at 0 (u is not listed, so free): S_a = 0.5, v all
    # on b (S_b = 1) -> 100 * (0.375 + 0.25) = 62.5.
    kw = dict(
        tasks={"a": 3, "b": 1},
        capabilities=[cap("u", existing=1, effect={"a": 1}), cap("v", existing=1, effect={"a": 2, "b": 1})],
        demand={"a": {"r1": {"need": 2}}, "b": {"r1": {"need": 1}}},
    )
    assert run(**kw).score == approx(87.5)
    rules = [{"id": "v-not-a", "kind": "max_share", "task": "a", "capabilities": ["v"], "max_share": 0}]
    res = run(**kw, rules=rules)
    assert res.score == approx(62.5)
    assert units(res, c="v", t="a") == approx(0.0)
    assert units(res, c="u", t="a") == approx(1.0)
    assert units(res, c="v", t="b") == approx(1.0)


FORBID_CASE = dict(
    capabilities=[cap("u", existing=1, effect={"a": 2}), cap("v", existing=1, effect={"a": 1})],
    demand={"a": {"r1": {"need": 2}}},
)


def test_forbid_rule_keeps_cells_empty():
    # Without the rule one u meets the need (100) and v stays idle.
    free = run(**FORBID_CASE)
    assert free.score == approx(100.0)
    assert units(free, c="u") == approx(1.0)
    assert units(free, c="v") == approx(0.0)
    # Forbid u on a in r1: only v works, 1 effect of 2 -> 50.
    rules = [{"id": "no-u", "kind": "forbid", "capability": "u", "task": "a", "region": "r1"}]
    res = run(**FORBID_CASE, rules=rules)
    assert res.score == approx(50.0)
    assert units(res, c="u") == 0.0
    assert units(res, c="v") == approx(1.0)


def test_forbid_by_region_alone():
    # Forbidding r2 for everyone: the r2 need cannot be served; r1 gets one unit.
    # Two regions of equal importance: score = 100 * (1 + 0) / 2 = 50.
    rules = [{"id": "no-r2", "kind": "forbid", "region": "r2"}]
    res = run(
        capabilities=[cap("u", existing=2, effect={"a": 1})],
        demand={"a": {"r1": {"need": 1}, "r2": {"need": 1}}},
        regions=("r1", "r2"),
        rules=rules,
    )
    assert res.score == approx(50.0)
    assert units(res, r="r2") == 0.0


def test_min_units_presence():
    # 2 units, all the demand in r1 (need 2). Presence: at least 1 unit in r2
    # (where nothing is needed). One unit is held in r2; r1 gets 1 -> S = 0.5 -> 50.
    rules = [{"id": "stay", "kind": "min_units", "capability": "u", "regions": ["r2"], "units": 1}]
    kw = dict(
        capabilities=[cap("u", existing=2, effect={"a": 1})],
        demand={"a": {"r1": {"need": 2}}},
        regions=("r1", "r2"),
    )
    assert run(**kw).score == approx(100.0)
    res = run(**kw, rules=rules)
    assert res.score == approx(50.0)
    assert units(res, r="r2") == approx(1.0)
    assert units(res, r="r1") == approx(1.0)


def test_diminishing_returns_spread_the_units():
    # returns [1, 0.5]: two segments of 0.5. Two regions need 2 each; 2 units.
    # Both in r1: S = 1 -> 0.5*1 + 0.5*0.5 = 0.75. One each: S = 0.5 in both
    # -> 0.5 + 0.5 = 1.0. Zmax = 2 * (1 + 0.5) / 2 = 1.5 -> score 100 / 1.5.
    res = run(
        capabilities=[cap("u", existing=2, effect={"a": 1})],
        demand={"a": {"r1": {"need": 2}, "r2": {"need": 2}}},
        regions=("r1", "r2"),
        returns=(1, 0.5),
    )
    assert res.score == approx(100.0 / 1.5)
    assert units(res, r="r1") == approx(1.0)
    assert units(res, r="r2") == approx(1.0)


def test_importance_sends_units_where_they_matter_more():
    # One unit, need 1 in both regions, importance 3 in r2 and 1 in r1:
    # all in r2 -> Z = 3, Zmax = 4 -> 75.
    res = run(
        capabilities=[cap("u", existing=1, effect={"a": 1})],
        demand={"a": {"r1": {"need": 1}, "r2": {"need": 1, "importance": 3}}},
        regions=("r1", "r2"),
    )
    assert res.score == approx(75.0)
    assert units(res, r="r2") == approx(1.0)


# -- the tie-break -----------------------------------------------------------------


def test_no_idle_purchases_and_no_make_work():
    # Need 3, effect 1, budget for 1000 units: exactly 3 are generated (100).
    # Task b has weight but no demand anywhere and region r2 has no demand:
    # units there would be make-work, so none go there.
    res = run(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("u", max_new=10, effect={"a": 1, "b": 1}, uses={"budget": 1e6})],
        demand={"a": {"r1": {"need": 3}}},
        regions=("r1", "r2"),
        resources=[resource("budget", "generated", 1e9)],
    )
    assert res.score == approx(100.0)
    assert res.generate == {"u": approx(3.0)}
    assert res.resources["budget"].used == approx(3e6)
    assert units(res, t="b") == approx(0.0)
    assert units(res, r="r2") == approx(0.0)
    assert units(res) == approx(3.0)
    # b has no demand: it has no score
    assert res.task_scores["b"] is None


def test_fully_satisfied_task_gets_no_more_units():
    # a needs 1 (one unit meets it), b needs 10 but has weight 0; 5 units.
    # Units on b add no score, so none go there; a gets exactly 1.
    res = run(
        tasks={"a": 1, "b": 0},
        capabilities=[cap("u", existing=5, effect={"a": 1, "b": 1})],
        demand={"a": {"r1": {"need": 1}}, "b": {"r1": {"need": 10}}},
    )
    # Zmax counts only pairs with w_hat > 0: the score is a's satisfaction.
    assert res.score == approx(100.0)
    assert units(res, t="a") == approx(1.0)
    assert units(res, t="b") == approx(0.0)


def test_no_idle_purchases_when_nothing_counts():
    # Every period weight is 0: no plan can score (Zmax = 0, score 0). Then every
    # plan has the same score and the tie-break must still buy nothing and employ nobody.
    res = run(
        capabilities=[cap("u", existing=2, max_new=3, effect={"a": 1}, uses={"budget": 1})],
        demand={"a": {"r1": {"need": 1}}},
        period_weights=(0,),
        resources=[resource("budget", "generated", 100)],
    )
    assert res.score == 0.0
    assert res.generate == {}
    assert units(res) == approx(0.0)


def test_presence_is_met_with_the_fewest_new_units_when_nothing_counts():
    # Same, with a presence rule of 1 unit in r2 and nothing fielded: exactly one
    # new unit is needed, not the 3 the budget allows.
    res = run(
        capabilities=[cap("u", max_new=3, effect={"a": 1}, uses={"budget": 1})],
        demand={"a": {"r1": {"need": 1}}},
        regions=("r1", "r2"),
        period_weights=(0,),
        resources=[resource("budget", "generated", 100)],
        rules=[{"id": "m", "kind": "min_units", "capability": "u", "regions": ["r2"], "units": 1}],
    )
    assert res.generate == {"u": approx(1.0)}
    assert units(res, r="r2") == approx(1.0)


# -- regions ------------------------------------------------------------------------


def test_region_factor_zero_means_no_units_there():
    # 2 units, need 1 in each region, u cannot operate in r2: S = (1, 0) -> 50.
    res = run(
        capabilities=[cap("u", existing=2, effect={"a": 1}, region_factor={"r2": 0})],
        demand={"a": {"r1": {"need": 1}, "r2": {"need": 1}}},
        regions=("r1", "r2"),
    )
    assert res.score == approx(50.0)
    assert units(res, r="r2") == 0.0
    assert units(res, r="r1") == approx(1.0)


def test_region_factor_scales_the_effect():
    # factor 0.5: 1 unit delivers 0.5 of a need of 1 (S = 0.5, score 50); 2 units meet it.
    kw = dict(demand={"a": {"r1": {"need": 1}}})
    one = run(capabilities=[cap("u", existing=1, effect={"a": 1}, region_factor={"r1": 0.5})], **kw)
    assert one.score == approx(50.0)
    two = run(capabilities=[cap("u", existing=3, effect={"a": 1}, region_factor={"r1": 0.5})], **kw)
    assert two.score == approx(100.0)
    assert units(two) == approx(2.0)


def test_max_per_region_caps_units_over_all_tasks():
    # 2 units, at most 1 in r1 whatever the task; a and b each need 1 (equal
    # weights): only one need can be met -> 50.
    res = run(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("u", existing=2, max_per_region=1, effect={"a": 1, "b": 1})],
        demand={"a": {"r1": {"need": 1}}, "b": {"r1": {"need": 1}}},
    )
    assert res.score == approx(50.0)
    assert units(res, r="r1") == approx(1.0)


def test_max_per_region_spreads_units():
    # 3 units, cap 1 per region, need 3 in r1 and 1 in r2: 1 + 1 units.
    # S = (1/3, 1) -> 100 * (1/3 + 1) / 2.
    res = run(
        capabilities=[cap("u", existing=3, max_per_region=1, effect={"a": 1})],
        demand={"a": {"r1": {"need": 3}, "r2": {"need": 1}}},
        regions=("r1", "r2"),
    )
    assert res.score == approx(100.0 * (1 / 3 + 1) / 2)
    assert units(res, r="r1") == approx(1.0)
    assert units(res, r="r2") == approx(1.0)


# -- integer units -------------------------------------------------------------------

INTEGER_CASE = dict(
    capabilities=[cap("u", max_new=5, effect={"a": 1}, uses={"budget": 10})],
    demand={"a": {"r1": {"need": 4}}},
    resources=[resource("budget", "generated", 15)],
)


def test_continuous_units_use_the_whole_budget():
    # Budget 15 at 10 per unit: 1.5 units, S = 1.5 / 4 -> 37.5.
    res = run(**INTEGER_CASE)
    assert res.score == approx(37.5)
    assert res.generate == {"u": approx(1.5)}
    assert res.resources["budget"].used == approx(15.0)


def test_integer_units_change_the_answer():
    # Whole units only: 1 unit, S = 1/4 -> 25.
    res = run(**INTEGER_CASE, integer=True)
    assert res.score == approx(25.0)
    assert res.generate == {"u": 1.0}
    assert res.resources["budget"].used == approx(10.0)
    # With g fixed at 1, the budget row is slack: its price is 0.
    assert res.resources["budget"].shadow_price == approx(0.0)


# -- resource bases and shadow prices -----------------------------------------------------


def test_budget_shadow_price_when_binding():
    # score = 100 * g / 4 with g = capacity / 10: d score / d capacity = 100 / 40 = 2.5.
    res = run(**INTEGER_CASE)
    assert res.resources["budget"].shadow_price == pytest.approx(2.5, rel=1e-6)
    assert any(b.kind == "resource" and b.key == "budget" for b in res.binding)


def test_budget_shadow_price_zero_when_slack():
    # max_new 2 binds first: g = 2 costs 20 of 100 -> score 50, budget price 0.
    case = copy.deepcopy(INTEGER_CASE)
    case["capabilities"][0]["max_new"] = 2
    case["resources"] = [resource("budget", "generated", 100)]
    res = run(**case)
    assert res.score == approx(50.0)
    assert res.resources["budget"].used == approx(20.0)
    assert res.resources["budget"].shadow_price == approx(0.0)


def test_budget_shadow_price_matches_a_finite_difference():
    # The price should predict the gain of one more unit of budget (LP, no kink).
    s = build(**INTEGER_CASE)
    base = solve(s)
    more = solve(s.with_resource_capacity("budget", 16))
    assert more.score - base.score == pytest.approx(base.resources["budget"].shadow_price, rel=1e-6)


def test_fielded_resource_counts_existing_and_new_units():
    # Personnel: 20 per unit, ceiling 100; 3 units fielded use 60, so 2 new fit.
    # 5 units against a need of 10 -> 50. Price: +1 person = +1/20 unit = +0.5/10 S
    # -> 100 / 200 = 0.5 points per person.
    res = run(
        capabilities=[cap("u", existing=3, max_new=10, effect={"a": 1}, uses={"people": 20})],
        demand={"a": {"r1": {"need": 10}}},
        resources=[resource("people", "fielded", 100)],
    )
    assert res.score == approx(50.0)
    assert res.generate == {"u": approx(2.0)}
    assert res.resources["people"].used == approx(100.0)
    assert res.resources["people"].shadow_price == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize("periods", [1, 2])
def test_employed_resource_limits_each_period(periods):
    # Flight hours: 10 per unit employed, 30 per period: 3 of 5 units fly, S = 3/5 -> 60
    # in every period. One more hour per period = 0.1 unit = 0.02 S in every
    # period -> 2 points (the same with one or two equally weighted periods).
    res = run(
        capabilities=[cap("u", existing=5, effect={"a": 1}, uses={"hours": 10})],
        demand={"a": {"r1": {"need": 5}}},
        resources=[resource("hours", "employed", 30)],
        periods=periods,
    )
    assert res.score == approx(60.0)
    use = res.resources["hours"]
    assert use.used == approx(30.0)
    assert use.used_by_period == tuple(approx(30.0) for _ in range(periods))
    assert use.shadow_price == pytest.approx(2.0, rel=1e-6)
    for p in range(periods):
        assert units(res, p=f"p{p}") == approx(3.0)


# -- period weights ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "weights, score",
    [
        # The new unit works only in period 1: score = 100 * pw1 / (pw0 + pw1).
        ((3, 1), 25.0),
        ((1, 3), 75.0),
        ((0, 1), 100.0),
        ((1, 0), 0.0),
    ],
)
def test_period_weights(weights, score):
    res = run(
        capabilities=[cap("u", max_new=1, lead_time=1, effect={"a": 1}, uses={"budget": 1})],
        demand={"a": {"r1": {"need": 1}}},
        resources=[resource("budget", "generated", 1)],
        periods=2,
        period_weights=weights,
    )
    assert res.score == approx(score)


def test_task_scores_per_task():
    # Two tasks in two regions, two units, equal weights, one unit serves each
    # region. a: need 1 in r1 (met by one unit: 100). b: need 4 in r2 (one unit: 25).
    # Score = 100 * (0.5 * 1 + 0.5 * 0.25) = 62.5.
    res = run(
        tasks={"a": 1, "b": 1},
        capabilities=[cap("u", existing=2, effect={"a": 1, "b": 1})],
        demand={"a": {"r1": {"need": 1}}, "b": {"r2": {"need": 4}}},
        regions=("r1", "r2"),
    )
    assert res.score == approx(62.5)
    assert res.task_scores["a"] == approx(100.0)
    assert res.task_scores["b"] == approx(25.0)
