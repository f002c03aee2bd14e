"""The bundled MINUSMA 2020-21 case, asked what a mission planner asks of it.

Each test's name is the question. The answers are read from the solved plans and
checked against what must hold whatever the data's figures (a cut cannot raise the
score, a rule holds in every quarter, a unit far from its camp flies with its lift);
the figures themselves are in the scenario notes and the closing notes, not here.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from conftest import SCENARIOS

from planner.fileio import scenario_from_dict
from planner.geo import distance_matrix
from planner.solve import solve_scenario

TOL = 1e-6


def data(name: str) -> dict:
    return json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def default():
    return solve_scenario(scenario_from_dict(data("minusma_2020")))


def solved(d: dict):
    return solve_scenario(scenario_from_dict(d))


def capability(d: dict, cap_id: str) -> dict:
    return next(c for c in d["capabilities"] if c["id"] == cap_id)


def resource(d: dict, res_id: str) -> dict:
    return next(q for q in d["resources"] if q["id"] == res_id)


def employed(result, cap_id: str, region_id: str, period: int) -> float:
    s = result.scenario
    c = next(i for i, x in enumerate(s.capabilities) if x.id == cap_id)
    r = next(i for i, x in enumerate(s.regions) if x.id == region_id)
    rows = (result.alloc_capability == c) & (result.alloc_region == r) & (result.alloc_period == period)
    return float(result.alloc_units[rows].sum())


def test_what_does_the_adaptation_budget_buy_over_the_force_as_it_is(default):
    s = default.scenario
    assert default.ok and default.status_quo is not None
    assert default.score > default.status_quo.score + 0.1  # the new units add to the mandate's delivery
    assert 0.0 < default.gap_closed < 1.0
    assert default.generate, "the adaptation budget buys nothing"
    for cap_id, units in default.generate.items():
        assert units == round(units) and 0 < units <= s.capability(cap_id).max_new  # whole units, within limits
    budget = default.resources["mission_budget"]
    assert budget.used <= budget.capacity * (1 + 1e-9)


def test_without_the_58m_adaptation_envelope_the_plan_scores_less():
    d = data("minusma_2020")
    full = solved(d)
    resource(d, "mission_budget")["capacity"] -= 58_000_000
    less = solved(d)
    assert less.ok
    assert less.score < full.score - TOL
    assert less.resources["mission_budget"].used <= less.resources["mission_budget"].capacity * (1 + 1e-9)


def test_what_does_the_fifth_committee_cut_drop(default):
    cut = solved(data("minusma_2020_budget_cut"))
    assert cut.ok
    cut_budget, budget = cut.resources["mission_budget"], default.resources["mission_budget"]
    assert cut_budget.capacity < budget.capacity
    # The default plan spends the whole budget, so any cut must change the plan and cost score.
    assert budget.used == pytest.approx(budget.capacity, rel=1e-9)
    assert cut.score < default.score - TOL
    dropped = {c: default.generate.get(c, 0) - cut.generate.get(c, 0) for c in default.generate}
    repatriated = sum(cut.repatriate.values()) - sum(default.repatriate.values())
    assert any(v > 0 for v in dropped.values()) or repatriated > 0, (default.generate, cut.generate)


def test_does_the_covid_rotation_freeze_delay_every_new_unit_by_a_quarter_and_cost_score(default):
    d, covid_d = data("minusma_2020"), data("minusma_2020_covid")
    for c in covid_d["capabilities"]:
        if c.get("max_new", 0) > 0:
            assert c["lead_time"] == capability(d, c["id"])["lead_time"] + 1, c["id"]
    covid = solved(covid_d)
    assert covid.ok and covid.status_quo is not None
    assert covid.score <= default.score + TOL


def test_is_kidal_still_held_when_insecurity_spreads_west():
    d = data("minusma_2020_west")
    rule = next(r for r in d["rules"] if r["id"] == "kidal-presence")
    west = solved(d)
    assert west.ok
    for p in range(len(west.scenario.periods)):
        assert employed(west, rule["capability"], rule["region"], p) >= rule["units"] - TOL, p
    assert {"kayes", "koulikoro", "sikasso"} <= {r.id for r in west.scenario.regions}


def _far_from_camp(result, cap_id: str, km: float):
    """Allocation rows of ``cap_id`` employed more than ``km`` from the base they work from."""
    s = result.scenario
    D = distance_matrix(s)
    c = next(i for i, x in enumerate(s.capabilities) if x.id == cap_id)
    rows = np.flatnonzero((result.alloc_capability == c) & (result.alloc_units > TOL))
    return [i for i in rows if D[result.alloc_base[i], result.alloc_region[i]] > km + 1e-9]


def _douentza_held_by_the_mtf() -> dict:
    """The default with a company of the Mobile Task Force pool employed in Douentza every quarter
    (134 km from Mopti, the nearest of its camps): the plan must send it beyond 120 km."""
    d = data("minusma_2020")
    d["rules"].append({"id": "douentza-mtf", "name": "Douentza held by the MTF", "kind": "min_units",
                       "capability": "quick_reaction_company", "region": "douentza", "units": 1})
    return d


@pytest.mark.parametrize("name", ["minusma_2020", "minusma_2020_covid", "minusma_2020_west", "douentza"])
def test_does_the_mobile_task_force_go_beyond_its_camps_only_with_its_lift(name):
    d = _douentza_held_by_the_mtf() if name == "douentza" else data(name)
    rule = next(r for r in d["rules"] if r["id"] == "mtf-lift")
    (enabler, ratio), = rule["needs"].items()
    plan = solved(d)
    assert plan.ok
    s = plan.scenario
    lift = next(i for i, t in enumerate(s.tasks) if t.id == rule["via_task"])
    heli = next(i for i, c in enumerate(s.capabilities) if c.id == enabler)
    far_rows = _far_from_camp(plan, rule["capability"], rule["beyond_km"])
    if name == "douentza":
        assert far_rows, "a company held in Douentza works from a camp within 120 km"
    for i in far_rows:
        r, p = plan.alloc_region[i], plan.alloc_period[i]
        far = sum(plan.alloc_units[j] for j in _far_from_camp(plan, rule["capability"], rule["beyond_km"])
                  if plan.alloc_region[j] == r and plan.alloc_period[j] == p)
        on_lift = plan.alloc_units[(plan.alloc_capability == heli) & (plan.alloc_task == lift)
                                   & (plan.alloc_region == r) & (plan.alloc_period == p)].sum()
        assert on_lift >= ratio * far - TOL, (s.regions[r].id, p, far, on_lift)


def test_without_helicopters_no_mobile_task_force_company_works_beyond_its_camps():
    d = data("minusma_2020")
    rule = next(r for r in d["rules"] if r["id"] == "mtf-lift")
    (enabler, _), = rule["needs"].items()
    heli = capability(d, enabler)
    heli["existing"], heli["max_new"] = 0, 0
    heli.pop("based_at", None)
    plan = solved(d)
    assert plan.ok
    assert _far_from_camp(plan, rule["capability"], rule["beyond_km"]) == []


def test_do_dearer_moves_cost_score_and_free_moves_gain_it(default):
    d = data("minusma_2020")
    free, dear = copy.deepcopy(d), copy.deepcopy(d)
    for c in free["capabilities"]:
        c.pop("move_uses", None)
    for c in dear["capabilities"]:
        if c.get("move_uses"):
            c["move_uses"] = {k: 10 * v for k, v in c["move_uses"].items()}
    free_plan, dear_plan = solved(free), solved(dear)
    assert dear_plan.score <= default.score + TOL <= free_plan.score + 2 * TOL
    assert dear_plan.moves.units.sum() <= default.moves.units.sum() + TOL
