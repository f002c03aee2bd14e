"""Rule texts are built from the rule's values now, never only from a stored name."""

from __future__ import annotations

import dataclasses

from planner.rule_text import rule_label
from planner.scenario import Capability, Demand, Period, Region, Rule, Scenario, Task, frozen_map


def scenario(*rules) -> Scenario:
    return Scenario(
        name="t", periods=(Period("p0", "Jul-Sep"), Period("p1", "Oct-Dec")),
        tasks=(Task("poc", "Protection", 1.0),),
        regions=(Region("mopti", "Mopti", "centre"), Region("segou", "Ségou", "centre")),
        capabilities=(Capability("inf", "Infantry battalion", "ground", 2, 0, 0, effect=frozen_map({"poc": 1})),
                      Capability("heli", "Utility helicopter", "air", 1, 0, 0, effect=frozen_map({"poc": 1}))),
        demand=frozen_map({"poc": frozen_map({"mopti": Demand(1.0)})}), resources=(), rules=rules,
    )


def test_a_floor_reads_its_current_value_with_its_name_as_a_prefix():
    floor = Rule("f", "floor", name="PoC in the centre", task="poc", zone="centre",
                 min_satisfaction=0.4, from_period=1)
    s = scenario(floor)
    assert rule_label(s, floor) == "PoC in the centre: Protection ≥ 40 % of its need in the centre zone, from Oct-Dec"
    raised = dataclasses.replace(floor, min_satisfaction=0.95)
    assert "≥ 95 %" in rule_label(s, raised) and "40 %" not in rule_label(s, raised)


def test_a_presence_rule_without_a_name_reads_in_names_not_ids():
    presence = Rule("m", "min_units", capability="inf", region="mopti", units=10)
    assert rule_label(scenario(presence), presence) == "At least 10 Infantry battalion in Mopti"


def test_an_enabler_rule_names_its_enablers_and_distances():
    rule = Rule("r", "requires", capability="inf", needs=frozen_map({"heli": 0.5}), beyond_km=120)
    text = rule_label(scenario(rule), rule)
    assert text == "Each Infantry battalion needs 0.5 Utility helicopter per unit in the same region, beyond 120 km of its base"
