"""Scenario files of format version 2 (MODEL.md, "Contract v2" and "Refinements (v2)"):
every field loads to its object and saves back byte for byte, every new validation
message, and the version a save writes."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from planner import schema as schema_mod
from planner.fileio import (
    CURRENT_VERSION,
    ScenarioError,
    dumps_scenario,
    file_keys,
    load_scenario,
    loads_scenario,
    save_scenario,
    saved_version,
    scenario_from_dict,
    scenario_to_dict,
    uses_v2,
)
from planner.scenario import (
    RULE_FIELDS,
    Capability,
    Demand,
    Location,
    PanelMember,
    Period,
    Region,
    Resource,
    Rule,
    Scenario,
    Settings,
    Task,
    frozen_map,
)

from conftest import V1_SCENARIOS
from test_planner_files import (
    FULL,
    TINY,
    _drop,
    _schema_errors,
    _set,
    assert_refused_with,
    problems_of,
    reversed_keys,
)

V2 = Path(__file__).resolve().parent / "data" / "v2"
POSTURE = V2 / "posture.json"
V1_WITH_V2_FIELDS = V2 / "v1_with_v2_fields.json"
V1_FILES = V1_SCENARIOS + [TINY]  # the fixed version-1 MINUSMA files: the bundled ones may be v2
V1_IDS = [p.name for p in V1_FILES]


def posture() -> dict:
    return json.loads(POSTURE.read_text(encoding="utf-8"))


# -- the full version 2 fixture ------------------------------------------------------------


def test_every_v2_field_loads_to_its_object():
    s = load_scenario(POSTURE)
    assert s.version == 2 and uses_v2(s) and s.stationing

    q3, q4, q1, q2 = s.periods
    assert q3.effect_factor == {"air": 0.8} and q3.factor("air") == 0.8 and q3.factor("ground") == 1.0
    assert q4.effect_factor is None and q4.factor("air") == 1.0
    assert q1.effect_factor == {"ground": 0.5, "air": 1.0} and q1.effective_weight == 1.5
    assert q2.effect_factor == {}

    mopti, segou, timbuktu, kidal = s.regions
    assert mopti == Region(
        "mopti", "Mopti", "center", Location(14.49, -4.18),
        camp=True, camp_capacity=3000.0, camp_limits=frozen_map({"air": 6.0, "ground": 2.5}),
    )
    assert segou.camp is None and segou.is_camp and segou.camp_capacity is None
    assert timbuktu.camp_capacity == 1500.5
    assert kidal.camp is False and not kidal.is_camp and kidal.note == "no camp this cycle"

    heli, mtf, surgical = s.capabilities
    assert (heli.reach_km, heli.edge_factor, heli.max_repatriate) == (600.0, 0.3, 2.0)
    assert heli.uses_per_km == {"flight_hours": 0.05}
    assert heli.bases == ("mopti", "timbuktu")
    assert heli.based_at == {"mopti": 5.0, "timbuktu": 3.0}
    assert heli.move_uses == {"new_budget": 250000.0, "flight_hours": 10.0}
    assert (mtf.reach_km, mtf.effective_edge_factor, mtf.effective_max_repatriate) == (150.5, 1.0, 0.5)
    assert mtf.bases is None and mtf.based_at == {"mopti": 1.5} and mtf.move_uses is None
    assert surgical.effective_reach_km == 0.0 and surgical.edge_factor is None
    assert surgical.bases == ("segou",) and surgical.move_uses == {} and surgical.max_repatriate is None

    mopti_poc = s.demand["poc_center"]["mopti"]
    assert mopti_poc == Demand(40.0, 1.5, frozen_map({"q1-2021": 55.5}))
    assert mopti_poc.need_in("q1-2021") == 55.5 and mopti_poc.need_in("q3-2020") == 40.0
    assert s.demand["poc_center"]["segou"].need_by_period is None
    assert s.demand["peace_agreement"]["timbuktu"].need_by_period == {"q3-2020": 10.0, "q4-2020": 15.0}

    assert [(q.basis, q.personnel) for q in s.resources] == [
        ("generated", None), ("fielded", True), ("employed", False), ("in_service", None),
    ]

    lift, medevac, anywhere, floor = s.rules
    assert lift == Rule(
        "mtf-lift", "requires", name="MTF needs lift beyond its ground reach",
        capability="mobile_task_force", zone="center", from_period=1, to_period=3,
        needs=frozen_map({"utility_helicopter": 0.5}), scope="zone", via_task="lift", beyond_km=50.0,
        note="half a helicopter per company",
    )
    assert medevac.regions == ("mopti", "segou") and medevac.effective_scope == "region"
    assert medevac.needs == {"surgical_team": 1.0, "utility_helicopter": 2.0}
    assert (medevac.count, medevac.within_km, medevac.any) == ("based_within", 250.0, True)
    assert (anywhere.effective_count, anywhere.any, anywhere.effective_scope) == ("employed", False, "region")
    assert anywhere.region is anywhere.regions is anywhere.zone is None
    assert floor.kind == "floor" and floor.needs is None

    assert s.settings == Settings(integer_units=False, stationing=True)


def test_the_v2_fixture_round_trips_byte_for_byte(tmp_path):
    original = POSTURE.read_bytes()
    s = load_scenario(POSTURE)
    assert dumps_scenario(s).encode("utf-8") == original
    out = tmp_path / "posture.json"
    save_scenario(s, out)
    assert out.read_bytes() == original
    assert load_scenario(out) == s
    assert scenario_to_dict(s) == posture()


def test_the_v2_fixture_saves_canonically_whatever_the_key_order():
    data = posture()
    shuffled = reversed_keys(data)
    assert list(shuffled) != list(data)
    assert list(shuffled["capabilities"][0]) != list(data["capabilities"][0])
    text = dumps_scenario(scenario_from_dict(shuffled))
    assert text == POSTURE.read_text(encoding="utf-8")
    # the order of the keys a save writes for each object (mappings of ids aside)
    assert list(json.loads(text)["capabilities"][0]) == [
        "id", "name", "category", "existing", "max_new", "lead_time", "max_per_region", "effect",
        "region_factor", "uses", "reach_km", "edge_factor", "uses_per_km", "bases", "based_at",
        "move_uses", "max_repatriate",
    ]
    assert list(json.loads(text)["rules"][0]) == [
        "id", "name", "kind", "capability", "zone", "from_period", "to_period", "needs", "scope",
        "via_task", "beyond_km", "note",
    ]


def test_whole_numbers_in_v2_fields_are_written_as_integers():
    text = POSTURE.read_text(encoding="utf-8")
    for line in ('"reach_km": 600,', '"camp_capacity": 3000,', '"within_km": 250,', '"beyond_km": 50',
                 '"mopti": 5,', '"q3-2020": 10,', '"air": 1'):
        assert line in text, line
    for line in ('"reach_km": 150.5,', '"mopti": 1.5', '"q1-2021": 55.5', '"edge_factor": 0.3,'):
        assert line in text, line


def test_the_json_schema_accepts_the_v2_fixtures():
    assert _schema_errors(posture()) == []
    assert _schema_errors(json.loads(V1_WITH_V2_FIELDS.read_text(encoding="utf-8"))) == []


def test_the_shipped_schema_knows_the_v2_fields():
    shipped = json.loads((Path(schema_mod.__file__).parent / "scenario.schema.json").read_text("utf-8"))
    defs = shipped["$defs"]
    assert {"reach_km", "edge_factor", "bases", "based_at", "move_uses", "max_repatriate",
            "uses_per_km"} <= set(defs["CapabilityModel"]["properties"])
    assert "in_service" in defs["ResourceModel"]["properties"]["basis"]["enum"]
    assert "requires" in defs["RuleModel"]["properties"]["kind"]["enum"]
    assert shipped["properties"]["version"]["maximum"] == CURRENT_VERSION == 2


# -- versions ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", V1_FILES, ids=V1_IDS)
def test_v1_files_stay_version_1(path):
    s = load_scenario(path)
    assert s.version == 1 and not uses_v2(s) and saved_version(s) == 1
    assert json.loads(dumps_scenario(s))["version"] == 1


def test_the_v1_full_case_stays_version_1():
    s = scenario_from_dict(copy.deepcopy(FULL))
    assert not uses_v2(s) and dumps_scenario(s) == dumps_scenario(loads_scenario(dumps_scenario(s)))
    assert scenario_to_dict(s)["version"] == 1


def _edit_first(s: Scenario, attr: str, **changes) -> Scenario:
    items = getattr(s, attr)
    return dataclasses.replace(s, **{attr: (dataclasses.replace(items[0], **changes), *items[1:])})


def _edit_demand(s: Scenario, **changes) -> Scenario:
    task, per = next(iter(s.demand.items()))
    region, d = next(iter(per.items()))
    per = frozen_map({**per, region: dataclasses.replace(d, **changes)})
    return dataclasses.replace(s, demand=frozen_map({**s.demand, task: per}))


def _add_rule(s: Scenario, rule: Rule) -> Scenario:
    return dataclasses.replace(s, rules=(*s.effective_rules, rule))


# Every v2 addition, made to the tiny v1 scenario: each alone makes the save version 2 (only the
# version is looked at here; some of these need more to make a valid scenario).
V2_EDITS = {
    "period effect_factor": lambda s: _edit_first(s, "periods", effect_factor=frozen_map({"air": 0.5})),
    "region camp": lambda s: _edit_first(s, "regions", camp=True),
    "region camp_capacity": lambda s: _edit_first(s, "regions", camp_capacity=100.0),
    "region camp_limits": lambda s: _edit_first(s, "regions", camp_limits=frozen_map({"air": 2.0})),
    "capability reach_km": lambda s: _edit_first(s, "capabilities", reach_km=0.0),
    "capability edge_factor": lambda s: _edit_first(s, "capabilities", edge_factor=0.5),
    "capability uses_per_km": lambda s: _edit_first(s, "capabilities", uses_per_km=frozen_map()),
    "capability bases": lambda s: _edit_first(s, "capabilities", bases=("mopti",)),
    "capability based_at": lambda s: _edit_first(s, "capabilities", based_at=frozen_map({"mopti": 1.0})),
    "capability move_uses": lambda s: _edit_first(s, "capabilities", move_uses=frozen_map({"budget": 1.0})),
    "capability max_repatriate": lambda s: _edit_first(s, "capabilities", max_repatriate=1.0),
    "demand need_by_period": lambda s: _edit_demand(s, need_by_period=frozen_map({"p1": 3.0})),
    "resource personnel": lambda s: _edit_first(s, "resources", personnel=False),
    "resource basis in_service": lambda s: _edit_first(s, "resources", basis="in_service"),
    "rule requires": lambda s: _add_rule(
        s, Rule("r", "requires", capability="heli", needs=frozen_map({"heli": 1.0}))
    ),
    "settings stationing": lambda s: dataclasses.replace(s, settings=Settings(False, stationing=False)),
}


@pytest.mark.parametrize("edit", V2_EDITS.values(), ids=V2_EDITS.keys())
def test_a_v1_scenario_edited_to_use_a_v2_field_saves_as_version_2(edit):
    v1 = load_scenario(TINY)
    edited = edit(v1)
    assert edited.version == 1 and uses_v2(edited)
    assert scenario_to_dict(edited)["version"] == 2
    assert json.loads(dumps_scenario(edited))["version"] == 2
    assert not uses_v2(v1) and scenario_to_dict(v1)["version"] == 1  # the original is untouched


def test_every_v2_field_has_an_edit_that_shows_it():
    # The list above covers every field MODEL.md v2 adds to each kind of object.
    fields = {
        "period": ("effect_factor",), "region": ("camp", "camp_capacity", "camp_limits"),
        "capability": ("reach_km", "edge_factor", "uses_per_km", "bases", "based_at", "move_uses",
                       "max_repatriate"),
        "demand": ("need_by_period",), "resource": ("personnel", "basis in_service"),
        "rule": ("requires",), "settings": ("stationing",),
    }
    assert set(V2_EDITS) == {f"{kind} {name}" for kind, names in fields.items() for name in names}


def test_a_v1_file_using_v2_fields_loads_and_saves_as_version_2(tmp_path):
    # The choice documented in fileio: v2 fields are optional additions, so a file that has
    # them under "version": 1 is read, and saved with the version that can hold them.
    s = load_scenario(V1_WITH_V2_FIELDS)
    assert s.version == 1 and uses_v2(s)
    assert s.rules[0].kind == "requires" and s.resources[1].basis == "in_service"
    assert s.capabilities[1].max_repatriate == 1.0
    out = tmp_path / "saved.json"
    save_scenario(s, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    assert {k: v for k, v in saved.items() if k != "version"} == {
        k: v for k, v in json.loads(V1_WITH_V2_FIELDS.read_text(encoding="utf-8")).items() if k != "version"
    }
    again = load_scenario(out)
    assert again.version == 2 and dumps_scenario(again) == out.read_text(encoding="utf-8")


def test_a_version_2_file_without_v2_fields_stays_version_2():
    data = json.loads(TINY.read_text(encoding="utf-8"))
    data["version"] = 2
    s = scenario_from_dict(data)
    assert not uses_v2(s) and s.version == 2 and scenario_to_dict(s)["version"] == 2


def test_a_v1_file_rid_of_its_v2_fields_is_saved_as_version_1_again():
    s = load_scenario(V1_WITH_V2_FIELDS)
    plain = dataclasses.replace(
        s, rules=(), resources=s.resources[:1],
        capabilities=(s.capabilities[0], dataclasses.replace(s.capabilities[1], max_repatriate=None)),
    )
    assert not uses_v2(plain) and scenario_to_dict(plain)["version"] == 1


def test_newer_versions_are_refused():
    data = posture()
    data["version"] = 3
    assert problems_of(data) == [
        ("version", "the file is format version 3, newer than this program reads (up to 2); "
                    "update Mandate Planner to open it"),
    ]


# -- one table of fields -------------------------------------------------------------------

MODELS = [
    (Scenario, schema_mod.ScenarioModel), (Period, schema_mod.PeriodModel), (Task, schema_mod.TaskModel),
    (Location, schema_mod.LocationModel), (Region, schema_mod.RegionModel),
    (Capability, schema_mod.CapabilityModel), (Demand, schema_mod.DemandModel),
    (Resource, schema_mod.ResourceModel), (Rule, schema_mod.RuleModel),
    (Settings, schema_mod.SettingsModel), (PanelMember, schema_mod.PanelMemberModel),
]


@pytest.mark.parametrize("cls, model", MODELS, ids=[c.__name__ for c, _ in MODELS])
def test_the_schema_models_have_the_fields_of_the_objects(cls, model):
    header = ("format", "version") if cls is Scenario else ()
    assert set(model.model_fields) == set(header + file_keys(cls))


def test_the_rule_kinds_are_one_table():
    # every field of a rule is a file key that some kind takes, and no kind takes another
    rule_fields = {f.name for f in dataclasses.fields(Rule)}
    assert set(file_keys(Rule)) == rule_fields
    assert set().union(*(fields.allowed for fields in RULE_FIELDS.values())) == rule_fields
    kinds = schema_mod.json_schema()["$defs"]["RuleModel"]["properties"]["kind"]["enum"]
    assert tuple(kinds) == tuple(RULE_FIELDS)


@pytest.mark.parametrize(
    "rule",
    [
        {"id": "r", "kind": "requires", "capability": "mobile_task_force"},
        {"id": "r", "kind": "requires", "capability": "mobile_task_force", "needs": {"surgical_team": 1},
         "task": "lift"},
        {"id": "r", "kind": "requires", "capability": "mobile_task_force", "needs": {"surgical_team": 1},
         "region": "mopti", "zone": "center"},
        {"id": "r", "kind": "requires", "capability": "mobile_task_force", "needs": {"surgical_team": 1},
         "count": "based_within"},
        {"id": "r", "kind": "requires", "capability": "mobile_task_force", "needs": {"surgical_team": 1},
         "within_km": 5},
        {"id": "r", "kind": "floor", "task": "poc_center", "min_satisfaction": 0.1},
        {"id": "r", "kind": "floor", "task": "poc_center", "zone": "center", "min_satisfaction": 0.1,
         "needs": {"surgical_team": 1}},
    ],
    ids=["no-needs", "task", "two-places", "based-within-without-km", "km-without-based-within",
         "floor-without-place", "floor-with-needs"],
)
def test_the_json_schema_checks_each_rule_kinds_fields(rule):
    data = posture()
    data["rules"] = [rule]
    assert _schema_errors(data)
    assert problems_of(data)  # and the program refuses the same files


# -- validation messages -------------------------------------------------------------------


def _all(*mutations):
    def mutate(d):
        for m in mutations:
            m(d)

    return mutate


STATIONING_ONLY = 'needs "stationing": true in "settings"'

CASES = [
    # (case id, mutation of the posture fixture, (path, message) matched in full)
    # -- structure
    ("negative reach", _set(("capabilities", 0, "reach_km"), -1),
     ("capabilities[0].reach_km", "must not be negative (found -1)")),
    ("edge factor 0", _set(("capabilities", 0, "edge_factor"), 0),
     ("capabilities[0].edge_factor", "must be more than 0 (found 0)")),
    ("edge factor above 1", _set(("capabilities", 0, "edge_factor"), 1.5),
     ("capabilities[0].edge_factor", "must be at most 1 (found 1.5)")),
    ("negative use per km", _set(("capabilities", 0, "uses_per_km", "flight_hours"), -0.1),
     ("capabilities[0].uses_per_km.flight_hours", "must not be negative (found -0.1)")),
    ("negative move use", _set(("capabilities", 0, "move_uses", "new_budget"), -5),
     ("capabilities[0].move_uses.new_budget", "must not be negative (found -5)")),
    ("negative based_at", _set(("capabilities", 0, "based_at", "mopti"), -1),
     ("capabilities[0].based_at.mopti", "must not be negative (found -1)")),
    ("negative max_repatriate", _set(("capabilities", 0, "max_repatriate"), -1),
     ("capabilities[0].max_repatriate", "must not be negative (found -1)")),
    ("bases not a list", _set(("capabilities", 0, "bases"), "mopti"),
     ("capabilities[0].bases", "'mopti' is not a list")),
    ("base not an id", _set(("capabilities", 0, "bases"), ["Mopti"]),
     ("capabilities[0].bases[0]", "'Mopti': an id must be 1-64 characters of a-z, 0-9, '_' or '-'")),
    ("camp not a bool", _set(("regions", 0, "camp"), "yes"),
     ("regions[0].camp", "'yes' is not true or false")),
    ("negative camp capacity", _set(("regions", 0, "camp_capacity"), -1),
     ("regions[0].camp_capacity", "must not be negative (found -1)")),
    ("negative camp limit", _set(("regions", 0, "camp_limits", "air"), -2),
     ("regions[0].camp_limits.air", "must not be negative (found -2)")),
    ("negative effect factor", _set(("periods", 0, "effect_factor", "air"), -0.5),
     ("periods[0].effect_factor.air", "must not be negative (found -0.5)")),
    ("need by period 0", _set(("demand", "poc_center", "mopti", "need_by_period", "q1-2021"), 0),
     ("demand.poc_center.mopti.need_by_period.q1-2021", "must be more than 0 (found 0)")),
    ("personnel not a bool", _set(("resources", 1, "personnel"), 1),
     ("resources[1].personnel", "1 is not true or false")),
    ("unknown basis", _set(("resources", 3, "basis"), "per_period"),
     ("resources[3].basis", "'per_period' is not one of 'generated', 'fielded', 'employed', 'in_service'")),
    ("ratio 0", _set(("rules", 0, "needs", "utility_helicopter"), 0),
     ("rules[0].needs.utility_helicopter", "must be more than 0 (found 0)")),
    ("negative ratio", _set(("rules", 0, "needs", "utility_helicopter"), -0.5),
     ("rules[0].needs.utility_helicopter", "must be more than 0 (found -0.5)")),
    ("unknown scope", _set(("rules", 0, "scope"), "theatre"),
     ("rules[0].scope", "'theatre' is not one of 'region', 'zone'")),
    ("unknown count", _set(("rules", 1, "count"), "used"),
     ("rules[1].count", "'used' is not one of 'employed', 'based_within'")),
    ("negative beyond_km", _set(("rules", 0, "beyond_km"), -50),
     ("rules[0].beyond_km", "must not be negative (found -50)")),
    ("negative within_km", _set(("rules", 1, "within_km"), -1),
     ("rules[1].within_km", "must not be negative (found -1)")),
    ("any not a bool", _set(("rules", 1, "any"), "yes"), ("rules[1].any", "'yes' is not true or false")),
    ("stationing not a bool", _set(("settings", "stationing"), "on"),
     ("settings.stationing", "'on' is not true or false")),
    ("unknown key in a requires rule", _set(("rules", 0, "neds"), {}),
     ("rules[0].neds", "unknown key (check the spelling)")),
    ("unknown key in a region", _set(("regions", 0, "camp_limit"), {}),
     ("regions[0].camp_limit", "unknown key (check the spelling)")),
    ("unknown key in a demand", _set(("demand", "poc_center", "segou", "need_by_quarter"), {}),
     ("demand.poc_center.segou.need_by_quarter", "unknown key (check the spelling)")),
    ("unknown key in settings", _set(("settings", "stationed"), True),
     ("settings.stationed", "unknown key (check the spelling)")),
    # -- stationing and camps
    ("stationing without a location", _drop(("regions", 1, "location")),
     ("regions[1].location", 'missing: with "stationing": true in "settings" every region needs one '
                             "(distances are measured between locations)")),
    ("base unknown", _set(("capabilities", 0, "bases"), ["mopti", "gao"]),
     ("capabilities[0].bases[1]", "unknown region 'gao'")),
    ("base not a camp", _set(("capabilities", 0, "bases"), ["mopti", "kidal"]),
     ("capabilities[0].bases[1]", "region 'kidal' is not a camp (it has \"camp\": false)")),
    ("bases empty", _set(("capabilities", 0, "bases"), []),
     ("capabilities[0].bases", "an empty list: leave 'bases' out to allow every camp")),
    ("base twice", _set(("capabilities", 0, "bases"), ["mopti", "timbuktu", "mopti"]),
     ("capabilities[0].bases[2]", "'mopti' appears twice (also bases[0])")),
    ("based_at unknown", _set(("capabilities", 1, "based_at"), {"gao": 1}),
     ("capabilities[1].based_at.gao", "unknown region 'gao'")),
    ("based_at not a camp", _set(("capabilities", 1, "based_at"), {"kidal": 1}),
     ("capabilities[1].based_at.kidal", "region 'kidal' is not a camp (it has \"camp\": false)")),
    ("based_at outside the bases", _set(("capabilities", 0, "based_at"), {"mopti": 5, "segou": 3}),
     ("capabilities[0].based_at.segou", "'segou' is not one of the capability's 'bases'")),
    ("based_at more than existing", _set(("capabilities", 0, "based_at", "timbuktu"), 3.5),
     ("capabilities[0].based_at", "the units based sum to 8.5, more than the 8 existing")),
    ("max_repatriate more than existing", _set(("capabilities", 1, "max_repatriate"), 2.5),
     ("capabilities[1].max_repatriate", "2.5 is more than the 2 existing units")),
    ("uses_per_km unknown resource", _set(("capabilities", 0, "uses_per_km"), {"fuel": 1}),
     ("capabilities[0].uses_per_km.fuel", "unknown resource 'fuel'")),
    ("move_uses unknown resource", _set(("capabilities", 0, "move_uses"), {"fuel": 1}),
     ("capabilities[0].move_uses.fuel", "unknown resource 'fuel'")),
    ("two personnel resources", _set(("resources", 3, "personnel"), True),
     ("resources[3].personnel", 'only one resource may have "personnel": true (resources[1] has it too)')),
    ("camp capacity without personnel", _set(("resources", 1, "personnel"), False),
     ("regions[0].camp_capacity", 'counts persons, but no resource has "personnel": true (found 3000)')),
    ("camp limit of an unknown category", _set(("regions", 0, "camp_limits", "aire"), 1),
     ("regions[0].camp_limits.aire", "unknown category 'aire': no capability has it")),
    # -- time-varying demand and effect
    ("effect factor of an unknown category", _set(("periods", 0, "effect_factor", "naval"), 1),
     ("periods[0].effect_factor.naval", "unknown category 'naval': no capability has it")),
    ("need by an unknown period", _set(("demand", "poc_center", "mopti", "need_by_period", "q3-2021"), 9),
     ("demand.poc_center.mopti.need_by_period.q3-2021", "unknown period 'q3-2021'")),
    # -- requires
    ("requires without needs", _drop(("rules", 0, "needs")),
     ("rules[0].needs", "a requires rule needs 'needs'")),
    ("requires without a capability", _drop(("rules", 1, "capability")),
     ("rules[1].capability", "a requires rule needs 'capability'")),
    ("requires of an unknown capability", _set(("rules", 0, "capability"), "mtf"),
     ("rules[0].capability", "unknown capability 'mtf'")),
    ("needs an unknown capability", _set(("rules", 0, "needs"), {"jet": 1}),
     ("rules[0].needs.jet", "unknown capability 'jet'")),
    ("needs itself", _set(("rules", 0, "needs"), {"utility_helicopter": 0.5, "mobile_task_force": 1}),
     ("rules[0].needs.mobile_task_force",
      "'mobile_task_force' is the rule's own capability: it cannot be its own enabler")),
    ("needs nothing", _set(("rules", 0, "needs"), {}),
     ("rules[0].needs", "an empty object: name at least one enabler and its ratio")),
    ("unknown via_task", _set(("rules", 0, "via_task"), "lfit"),
     ("rules[0].via_task", "unknown task 'lfit'")),
    ("requires in an unknown zone", _set(("rules", 0, "zone"), "south"),
     ("rules[0].zone", "unknown zone 'south'")),
    ("requires in an unknown region", _set(("rules", 1, "regions"), ["mopti", "gao"]),
     ("rules[1].regions[1]", "unknown region 'gao'")),
    ("requires in an unknown single region", _set(("rules", 2, "region"), "gao"),
     ("rules[2].region", "unknown region 'gao'")),
    ("requires in two places", _set(("rules", 0, "region"), "mopti"),
     ("rules[0]", "a requires rule takes at most one of 'region', 'regions' or 'zone'")),
    ("requires from a period out of range", _set(("rules", 0, "from_period"), 4),
     ("rules[0].from_period", "period index 4 is out of range (the scenario has 4 periods, 0 to 3)")),
    ("requires to a period out of range", _set(("rules", 0, "to_period"), 7),
     ("rules[0].to_period", "period index 7 is out of range (the scenario has 4 periods, 0 to 3)")),
    ("requires with periods reversed", _set(("rules", 0, "to_period"), 0),
     ("rules[0]", "from_period 1 is after to_period 0")),
    ("task on a requires rule", _set(("rules", 0, "task"), "lift"),
     ("rules[0].task", "'task' does not apply to a requires rule")),
    ("needs on a floor", _set(("rules", 3, "needs"), {"surgical_team": 1}),
     ("rules[3].needs", "'needs' does not apply to a floor rule")),
    ("scope on a min_units",
     _set(("rules", 3), {"id": "m", "kind": "min_units", "capability": "surgical_team", "region": "segou",
                         "units": 1, "scope": "zone"}),
     ("rules[3].scope", "'scope' does not apply to a min_units rule")),
    ("based_within without within_km", _drop(("rules", 1, "within_km")),
     ("rules[1].within_km", "a requires rule with \"count\": \"based_within\" needs 'within_km'")),
    ("within_km with count employed", _set(("rules", 2, "within_km"), 100),
     ("rules[2].within_km",
      "applies only with \"count\": \"based_within\" (found 100 with count 'employed')")),
    ("within_km without a count", _set(("rules", 0, "within_km"), 100),
     ("rules[0].within_km", "applies only with \"count\": \"based_within\" (found 100 with no count)")),
    # -- what needs stationing (stationing off, one field at a time)
    ("edge_factor without stationing", _all(_set(("settings", "stationing"), False),
                                            _set(("capabilities", 1, "edge_factor"), 0.5)),
     ("capabilities[1].edge_factor", f"{STATIONING_ONLY} (found 0.5)")),
    ("uses_per_km without stationing", _drop(("settings", "stationing")),
     ("capabilities[0].uses_per_km", f"{STATIONING_ONLY} (found an object)")),
    ("camp_limits without stationing", _drop(("settings", "stationing")),
     ("regions[0].camp_limits", f"{STATIONING_ONLY} (found an object)")),
    ("beyond_km without stationing", _drop(("settings", "stationing")),
     ("rules[0].beyond_km", f"{STATIONING_ONLY} (found 50)")),
    ("based_within without stationing", _drop(("settings",)),
     ("rules[1].count", f"{STATIONING_ONLY} (found 'based_within')")),
]


@pytest.mark.parametrize("mutate, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_v2_validation_message(mutate, expected):
    data = posture()
    mutate(data)
    assert_refused_with(data, expected)


def test_the_posture_fixture_is_valid_before_each_mutation():
    assert load_scenario(POSTURE).name.startswith("Posture")


def test_without_stationing_exactly_the_stationing_fields_are_named():
    data = posture()
    data["settings"]["stationing"] = False
    assert sorted(problems_of(data)) == sorted([
        ("capabilities[0].edge_factor", f"{STATIONING_ONLY} (found 0.3)"),
        ("capabilities[0].uses_per_km", f"{STATIONING_ONLY} (found an object)"),
        ("capabilities[1].edge_factor", f"{STATIONING_ONLY} (found 1)"),
        ("regions[0].camp_limits", f"{STATIONING_ONLY} (found an object)"),
        ("rules[0].beyond_km", f"{STATIONING_ONLY} (found 50)"),
        ("rules[1].count", f"{STATIONING_ONLY} (found 'based_within')"),
    ])


def test_the_rest_of_posture_and_the_enabler_rules_work_without_stationing():
    data = posture()
    del data["settings"]["stationing"]
    for region in data["regions"]:
        del region["location"]
        region.pop("camp_limits", None)
    for cap in data["capabilities"]:
        cap.pop("edge_factor", None)
        cap.pop("uses_per_km", None)
    del data["rules"][0]["beyond_km"]
    data["rules"][1] = {k: v for k, v in data["rules"][1].items() if k not in ("count", "within_km")}
    s = scenario_from_dict(data)
    assert not s.stationing and uses_v2(s) and s.capabilities[0].bases == ("mopti", "timbuktu")


def test_a_wrong_stationing_value_is_named_once():
    data = posture()
    data["settings"]["stationing"] = "on"
    assert problems_of(data) == [("settings.stationing", "'on' is not true or false")]


def test_several_v2_problems_are_reported_at_once():
    data = posture()
    data["capabilities"][0]["edge_factor"] = 2  # structural
    data["capabilities"][0]["bases"] = ["kidal", "timbuktu"]  # not a camp, and mopti's units are outside
    data["rules"][0]["needs"] = {"mobile_task_force": 1}  # itself
    data["regions"][3]["location"] = None  # stationing
    assert {p for p, _ in problems_of(data)} == {
        "capabilities[0].edge_factor", "capabilities[0].bases[0]", "capabilities[0].based_at.mopti",
        "rules[0].needs.mobile_task_force", "regions[3].location",
    }


# -- no input gets a traceback ---------------------------------------------------------------

V2_PLACES = [
    ("periods", 0, "effect_factor"), ("regions", 0, "camp"), ("regions", 0, "camp_capacity"),
    ("regions", 0, "camp_limits"), ("capabilities", 0, "reach_km"), ("capabilities", 0, "edge_factor"),
    ("capabilities", 0, "uses_per_km"), ("capabilities", 0, "bases"), ("capabilities", 0, "based_at"),
    ("capabilities", 0, "move_uses"), ("capabilities", 0, "max_repatriate"),
    ("demand", "poc_center", "mopti", "need_by_period"), ("resources", 0, "personnel"),
    ("rules", 1, "needs"), ("rules", 1, "scope"), ("rules", 1, "via_task"), ("rules", 0, "beyond_km"),
    ("rules", 1, "count"), ("rules", 1, "within_km"), ("rules", 1, "any"), ("rules", 1, "capability"),
    ("settings", "stationing"), ("regions", 0, "location"),
]
ODD_VALUES = [None, True, 0, -1, 1e12, "x", "Mopti", "", [], [1], [["mopti"]], [{"a": 1}], {}, {"a": "b"},
              {"mopti": [1]}, {"Bad Key": 1}, {"mopti": None}]


@pytest.mark.parametrize("where", V2_PLACES, ids=lambda w: ".".join(map(str, w)))
def test_odd_values_in_v2_fields_are_problems_not_crashes(where):
    for value in ODD_VALUES:
        data = posture()
        _set(where, copy.deepcopy(value))(data)
        try:
            scenario_from_dict(data)
        except ScenarioError as exc:
            assert exc.problems and all(isinstance(m, str) and "\n" not in m for _, m in exc.problems)
