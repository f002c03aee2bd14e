"""Every text that names a rule says what the rule asks now, not what its author once wrote
(issue: a floor raised to 95 % was still reported under its old 40 %)."""

from __future__ import annotations

import dataclasses

from conftest import V1_DEFAULT

from planner.baseline import input_changes
from planner.fileio import load_scenario
from planner.solve import solve_scenario
from planner.summary import rule_cost_text


def with_rule(s, rule_id, **values):
    rules = tuple(dataclasses.replace(r, **values) if r.id == rule_id else r for r in s.rules)
    return dataclasses.replace(s, rules=rules)


def floor_rule(s):
    return next(r for r in s.rules if r.kind == "floor")


def test_an_impossible_presence_is_reported_with_its_value_now():
    s = load_scenario(V1_DEFAULT)
    rule = next(r for r in s.rules if r.kind == "min_units")
    s = with_rule(s, rule.id, name="Infantry in Mopti >= 2 battalions", units=400.0)
    res = solve_scenario(s)
    assert res.status == "infeasible"
    named = [p.message for p in res.diagnosis if p.key == rule.id]
    assert named, [p.message for p in res.diagnosis]
    assert all("at least 400 " in m.lower() and "of 400 " in m for m in named), named  # the value as it is now


def test_a_binding_rule_and_its_cost_are_named_from_their_values():
    s = load_scenario(V1_DEFAULT)
    rule = floor_rule(s)  # named "PoC in the centre >= 40%" in the file
    assert "40%" in rule.name
    s = with_rule(s, rule.id, min_satisfaction=0.7)  # binds at 70 %
    res = solve_scenario(s)
    assert res.ok
    named = [b for b in res.binding if b.key == rule.id]
    assert named, [b.key for b in res.binding]
    assert "70 %" in named[0].label and "40" not in named[0].label, named[0].label
    text = rule_cost_text(res, named[0])
    assert text is not None and "70 %" in text and "40" not in text, text


def test_a_name_without_values_stays_as_the_prefix():
    s = load_scenario(V1_DEFAULT)
    rule = floor_rule(s)
    s = with_rule(s, rule.id, name="PoC floor in the centre", min_satisfaction=0.7)
    res = solve_scenario(s)
    named = [b for b in res.binding if b.key == rule.id]
    assert named and named[0].label.startswith("PoC floor in the centre: "), named


def test_a_changed_rule_shows_the_old_and_the_new_values():
    base = load_scenario(V1_DEFAULT)
    rule = floor_rule(base)
    now = with_rule(base, rule.id, min_satisfaction=0.95)
    changed = [line for line in input_changes(base, now) if line.startswith("Rule changed")]
    assert len(changed) == 1, changed
    old, new = changed[0].split(" → ")
    assert f"{100 * rule.min_satisfaction:.0f} %" in old and "95 %" in new, changed


def test_only_a_name_that_states_a_comparison_or_a_share_is_left_out():
    from planner.rule_text import rule_label

    s = load_scenario(V1_DEFAULT)
    rule = floor_rule(s)
    for name, kept in (("G5 support cap", True), ("Kidal held since 2013", True),
                       ("PoC >= 40%", False), ("PoC at 40%", False), ("PoC ≥ forty", False)):
        label = rule_label(s, dataclasses.replace(rule, name=name))
        assert label.startswith(name + ": ") == kept, (name, label)
