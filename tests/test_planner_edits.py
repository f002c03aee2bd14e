"""Edits of the file data and problems in words: the core's, with no Qt."""

from __future__ import annotations

import copy

import pytest

from planner.edits import (
    EditRefused,
    add_item,
    convert_rule,
    display_names,
    item_label,
    remove_item,
    rename_id,
    resolve,
    resolve_list,
    rules_using,
    set_importance,
    set_need,
    set_place,
    set_rule_kind,
    set_setting,
    set_value,
)
from planner.fileio import ScenarioError, scenario_from_dict, scenario_to_dict, uses_v2
from planner.problems import change_text, describe_problem, describe_problems, field_words

SMALL = {
    "format": "mandate-planner-scenario",
    "version": 1,
    "name": "Small test scenario",
    "periods": [{"id": "p0", "name": "Q1"}, {"id": "p1", "name": "Q2"}, {"id": "p2", "name": "Q3"}],
    "tasks": [
        {"id": "poc", "name": "Protection of civilians", "weight": 3},
        {"id": "peace", "name": "Peace agreement", "weight": 2, "note": "first priority"},
        {"id": "rights", "name": "Human rights", "weight": 1},
    ],
    "regions": [
        {"id": "mopti", "name": "Mopti", "zone": "center", "location": {"lat": 14.49, "lon": -4.18}},
        {"id": "segou", "name": "Ségou", "zone": "center"},
        {"id": "gao", "name": "Gao", "zone": "north"},
    ],
    "capabilities": [
        {"id": "infantry", "name": "Infantry battalion", "category": "ground", "existing": 4, "max_new": 0,
         "lead_time": 0, "max_per_region": 3, "effect": {"poc": 3, "peace": 2, "rights": 0.5},
         "uses": {"personnel": 650}},
        {"id": "heli", "name": "Utility helicopter", "category": "air", "existing": 2, "max_new": 4,
         "lead_time": 1, "effect": {"poc": 2, "peace": 1}, "region_factor": {"gao": 0.8},
         "uses": {"budget": 4500000, "personnel": 25}},
    ],
    "demand": {
        "poc": {"mopti": {"need": 10}, "segou": {"need": 6, "importance": 0.5}},
        "peace": {"gao": {"need": 8}},
        "rights": {"mopti": {"need": 2}, "gao": {"need": 2}},
    },
    "resources": [
        {"id": "budget", "name": "Adaptation budget", "basis": "generated", "capacity": 20000000,
         "unit": "USD"},
        {"id": "personnel", "name": "Troop ceiling", "basis": "fielded", "capacity": 5000,
         "unit": "personnel"},
    ],
    "rules": [
        {"id": "poc-floor", "name": "PoC in the centre >= 40%", "kind": "floor", "task": "poc",
         "zone": "center", "min_satisfaction": 0.4, "from_period": 1},
        {"id": "no-heli-rights", "kind": "forbid", "capability": "heli", "task": "rights"},
        {"id": "gao-presence", "kind": "min_units", "capability": "infantry", "regions": ["gao"], "units": 1},
    ],
    "panel": [{"id": "chair", "name": "Chair", "weights": {"poc": 2, "peace": 1, "rights": 1}}],
}


def stationed(posture: bool = True) -> dict:
    """SMALL with stationing on: every region located, a resource counting persons and,
    with ``posture``, a laydown, reach, move costs and an enabler rule."""
    data = copy.deepcopy(SMALL)
    data["version"] = 2
    data["settings"] = {"integer_units": False, "stationing": True}
    data["regions"][1]["location"] = {"lat": 13.43, "lon": -6.26}
    data["regions"][2]["location"] = {"lat": 16.27, "lon": -0.04}
    data["resources"][1]["personnel"] = True
    if posture:
        data["capabilities"][1].update(
            reach_km=300, bases=["mopti", "gao"], based_at={"gao": 1},
            move_uses={"budget": 100000}, uses_per_km={"budget": 10},
        )
        data["rules"].append({"id": "lift", "name": "Lift for the infantry", "kind": "requires",
                              "capability": "infantry", "needs": {"heli": 0.5}})
    return data


@pytest.fixture
def data():
    return copy.deepcopy(SMALL)


def _refused(change, *expected) -> str:
    with pytest.raises(EditRefused) as info:
        change()
    for words in expected:
        assert words in str(info.value), str(info.value)
    return str(info.value)


def _problems(data: dict) -> str:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return describe_problems(info.value.problems, data)


# -- names -------------------------------------------------------------------------------


def test_items_go_by_name_with_the_id_only_where_names_are_shared(data):
    data["tasks"][2]["name"] = "Peace agreement"
    assert display_names([("a", "Gao"), ("b", "Mopti"), ("c", None)]) == {"a": "Gao", "b": "Mopti", "c": "c"}
    assert item_label(data, "task", "poc") == "'Protection of civilians'"
    assert item_label(data, "task", "peace") == "'Peace agreement' (peace)"
    assert item_label(data, "rule", "no-heli-rights") == "'no-heli-rights'"  # a rule without a name
    assert item_label(data, "task", "nowhere") == "'nowhere'"
    assert item_label(data, "task", "\x1b[2J") == "'\\x1b[2J'"  # shown, never a terminal escape


def test_resolve_takes_ids_names_and_display_names(data):
    assert resolve(data, "region", "gao") == "gao"
    assert resolve(data, "region", " ségou ") == "segou"
    assert resolve(data, "capability", "Utility Helicopter") == "heli"
    data["regions"][2]["name"] = "Mopti"
    assert resolve(data, "region", "Mopti (gao)") == "gao"
    _refused(lambda: resolve(data, "region", "Mopti"), "'Mopti' names 2 regions", "Mopti (mopti)", "Mopti (gao)")
    _refused(lambda: resolve(data, "region", "Kidal"), "'Kidal' is not a region", "Ségou")
    data["regions"][1]["name"] = "Ségou, Bla"
    assert resolve_list(data, "region", "Ségou, Bla, gao;mopti") == ["segou", "gao", "mopti"]


# -- renaming and removing -------------------------------------------------------------------


def test_rename_follows_every_v2_reference():
    data = stationed()
    data["rules"].append({"id": "via", "kind": "requires", "capability": "infantry", "needs": {"heli": 1},
                          "via_task": "peace"})
    rename_id(data, "region", "gao", "gao_region")
    heli = data["capabilities"][1]
    assert heli["bases"] == ["mopti", "gao_region"]
    assert heli["based_at"] == {"gao_region": 1}
    rename_id(data, "resource", "budget", "new_budget")
    assert heli["move_uses"] == {"new_budget": 100000} and heli["uses_per_km"] == {"new_budget": 10}
    rename_id(data, "capability", "heli", "utility_heli")
    assert data["rules"][3]["needs"] == {"utility_heli": 0.5}
    rename_id(data, "task", "peace", "peace_agreement")
    assert data["rules"][4]["via_task"] == "peace_agreement"
    scenario_from_dict(data)  # every reference still resolves
    _refused(lambda: rename_id(data, "task", "poc", "rights"), "duplicate id 'rights'", "task 'Human rights'")


def test_removals_refused_in_names_and_nothing_changed():
    data = stationed()
    before = copy.deepcopy(data)
    assert rules_using(data, "capability", "heli") == ["no-heli-rights", "lift"]
    _refused(lambda: remove_item(data, "capability", "heli"),
             "capability 'Utility helicopter' is used by rules 'no-heli-rights' and 'Lift for the infantry'")
    _refused(lambda: remove_item(data, "task", "poc"),
             "task 'Protection of civilians' is used by rule 'PoC in the centre >= 40%'")
    data["capabilities"][1]["bases"] = ["mopti"]
    before["capabilities"][1]["bases"] = ["mopti"]
    _refused(lambda: remove_item(data, "region", "mopti"), "region 'Mopti'", "only one of the bases",
             "capability 'Utility helicopter'")
    assert data == before


def test_removing_a_region_or_resource_takes_its_v2_entries_with_it():
    data = stationed()
    data["rules"] = [r for r in data["rules"] if r["id"] not in ("gao-presence",)]
    remove_item(data, "region", "gao")
    heli = data["capabilities"][1]
    assert heli["bases"] == ["mopti"]
    assert "based_at" not in heli  # emptied: left out, not written as {}
    remove_item(data, "resource", "budget")
    assert "move_uses" not in heli and "uses_per_km" not in heli
    assert heli["uses"] == {"personnel": 25}
    scenario_from_dict(data)


def test_add_item_names_and_places_new_items(data):
    row = add_item(data, "region", after=2)
    assert data["regions"][row] == {"id": "region_4", "name": "New region", "zone": "north"}
    assert item_label(data, "region", "region_4") == "'New region'"
    add_item(data, "region")
    assert item_label(data, "region", "region_5") == "'New region' (region_5)"


# -- setting values ----------------------------------------------------------------------------


def test_set_value_keeps_entries_in_order_and_leaves_out_what_is_empty_or_default():
    data = stationed(posture=False)
    set_value(data, "capability", "heli", "move_uses", 50, key="personnel")
    set_value(data, "capability", "heli", "move_uses", 100000, key="budget")
    assert list(data["capabilities"][1]["move_uses"]) == ["budget", "personnel"]  # the resources' order
    set_value(data, "capability", "heli", "move_uses", None, key="budget")
    set_value(data, "capability", "heli", "move_uses", None, key="personnel")
    assert "move_uses" not in data["capabilities"][1]
    set_value(data, "capability", "infantry", "uses", None, key="personnel")
    assert data["capabilities"][0]["uses"] == {}  # a version 1 mapping stays as the file spelled it
    set_value(data, "region", "gao", "camp", False)
    assert data["regions"][2]["camp"] is False
    set_value(data, "region", "gao", "camp", True)  # the default: left out
    assert "camp" not in data["regions"][2]
    set_value(data, "capability", "heli", "bases", [])
    assert "bases" not in data["capabilities"][1]
    _refused(lambda: set_value(data, "task", "nowhere", "weight", 1), "there is no task 'nowhere'")


def test_counting_enablers_where_based_brings_its_distance():
    data = stationed()
    set_value(data, "rule", "lift", "count", "based_within")
    assert data["rules"][3]["within_km"] == 0
    scenario_from_dict(data)
    set_value(data, "rule", "lift", "within_km", 250)
    set_value(data, "rule", "lift", "count", "employed")  # the default: left out, with its distance
    assert "count" not in data["rules"][3] and "within_km" not in data["rules"][3]
    set_place(data, "lift", "zone", "north")
    set_place(data, "lift", "regions", ["gao"])
    assert "zone" not in data["rules"][3] and data["rules"][3]["regions"] == ["gao"]
    scenario_from_dict(data)


def test_need_and_importance(data):
    set_need(data, "poc", "gao", 4)
    assert list(data["demand"]["poc"]) == ["mopti", "segou", "gao"]
    set_need(data, "peace", "gao", None)
    assert "peace" not in data["demand"]
    set_need(data, "peace", "mopti", 3)
    assert list(data["demand"]) == ["poc", "peace", "rights"]
    set_importance(data, "poc", "segou", None)
    assert data["demand"]["poc"]["segou"] == {"need": 6}
    _refused(lambda: set_importance(data, "rights", "segou", 2),
             "task 'Human rights' has no demand in region 'Ségou'")


def test_stationing_setting_round_trips_to_a_version_1_file(data):
    set_setting(data, "stationing", False)
    assert not uses_v2(scenario_from_dict(data))
    data = stationed(posture=False)
    set_setting(data, "stationing", False)
    assert "stationing" not in data["settings"]
    set_setting(data, "stationing", True)
    assert data["settings"]["stationing"] is True


# -- rules -----------------------------------------------------------------------------------------


def test_a_rule_becomes_requires_and_back(data):
    presence = data["rules"][2]
    requires = convert_rule(presence, "requires", data)
    assert requires == {"id": "gao-presence", "kind": "requires", "capability": "infantry",
                        "regions": ["gao"], "needs": {"heli": 1}}
    floor = convert_rule(requires, "floor", data)
    assert (floor["task"], floor["regions"], floor["min_satisfaction"]) == ("peace", ["gao"], 0)
    share = convert_rule(convert_rule(data["rules"][1], "requires", data), "max_share", data)
    assert share["capabilities"] == ["heli"] and share["max_share"] == 1
    set_rule_kind(data, "gao-presence", "Requires")
    scenario_from_dict(data)
    _refused(lambda: set_rule_kind(data, "gao-presence", "sometimes"), "'sometimes' is not a kind of rule")
    data["capabilities"] = data["capabilities"][:1]
    _refused(lambda: convert_rule(presence, "requires", data), "add another capability first")



@pytest.mark.parametrize("kind", ["floor", "max_share", "min_units", "forbid", "requires"])
def test_every_rule_made_another_kind_passes_the_check(data, kind):
    # the conversion and the check read a rule's regions and a task's demand the same way
    for rule in [r["id"] for r in data["rules"]]:
        changed = copy.deepcopy(data)
        set_rule_kind(changed, rule, kind)
        scenario_from_dict(changed)

# -- words ------------------------------------------------------------------------------------------


def test_change_texts_name_items_and_fields_in_words(data):
    assert change_text(data, "rule", "poc-floor", "min_satisfaction") == (
        "Change 'PoC in the centre >= 40%': minimum satisfaction")
    assert change_text(data, "capability", "heli", "uses_per_km", "budget") == (
        "Change 'Utility helicopter': use per km of resource 'Adaptation budget'")
    assert field_words("camp_limits", data, "air") == "camp limit for category 'air'"
    assert field_words("based_at") == "laydown (units based at the start)"


def test_problems_are_described_by_name():
    data = copy.deepcopy(SMALL)
    assert describe_problem("tasks[0].weight", "input should be greater than or equal to 0", data) == (
        "task 'Protection of civilians' weight: must not be negative")
    assert describe_problem("capabilities[1].effect.pocc", "unknown task 'pocc'", data) == (
        "capability 'Utility helicopter' effect on task 'pocc': unknown task 'pocc'")
    assert describe_problem("demand.poc.mopti.need", "input should be greater than 0", data).startswith(
        "need of task 'Protection of civilians' in region 'Mopti': must be more than 0")
    assert describe_problem("rules[0].zone", "unknown zone 'x'", data) == (
        "rule 'PoC in the centre >= 40%' zone: unknown zone 'x'")


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["capabilities"][1]["based_at"].update(mopti=2),
     "capability 'Utility helicopter' laydown (units based at the start): the units based sum to 3, "
     "more than the 2 existing"),
    (lambda d: d["capabilities"][1].update(edge_factor=0),
     "capability 'Utility helicopter' edge factor: must be more than 0 (found 0) (the share of its effect"),
    (lambda d: d["rules"][3]["needs"].update(infantry=1),
     "rule 'Lift for the infantry' needs capability 'Infantry battalion': that is the rule's own capability"),
    (lambda d: d["rules"][3]["needs"].update(heli=0), "needs capability 'Utility helicopter': must be more "
     "than 0 (found 0) (enablers per unit of the rule's capability)"),
    (lambda d: d["resources"][0].update(personnel=True),
     "resource 'Troop ceiling' counts persons: only one resource may count persons (resource "
     "'Adaptation budget' does too)"),
    (lambda d: d["regions"][2].update(camp=False),
     "capability 'Utility helicopter' bases: region 'Gao' is not a camp"),
    (lambda d: d["regions"][2].pop("location"), "region 'Gao' location: missing: with stationing on, every "
     "region needs a location"),
    (lambda d: d["settings"].update(stationing=False) or d["regions"][0].update(camp_limits={"air": 2}),
     "region 'Mopti' camp limits: works only with stationing on: turn stationing on, or clear it"),
    (lambda d: d["rules"][3].update(count="based_within"),
     "rule 'Lift for the infantry' within (km): counting enablers where they are based needs a distance"),
    (lambda d: d["capabilities"][1].update(max_repatriate=3),
     "capability 'Utility helicopter' max repatriation: 3 is more than the 2 existing units"),
])
def test_v2_problems_read_in_the_users_words(change, words):
    data = stationed()
    change(data)
    assert words in _problems(data)


def test_edited_data_round_trips_through_the_file_format():
    data = stationed()
    set_value(data, "capability", "heli", "edge_factor", 0.3)
    set_value(data, "capability", "heli", "max_repatriate", 1)
    set_value(data, "region", "mopti", "camp_capacity", 2000)
    set_value(data, "region", "mopti", "camp_limits", 4, key="air")
    set_value(data, "resource", "budget", "basis", "in_service")
    s = scenario_from_dict(data)
    assert s.capability("heli").edge_factor == 0.3 and s.region("mopti").camp_limits == {"air": 4}
    assert scenario_to_dict(scenario_from_dict(scenario_to_dict(s))) == scenario_to_dict(s)
