"""Scenario files: canonical round trips, every validation message, atomic saves,
and the JSON Schema."""

from __future__ import annotations

import copy
import json
import math
import os
import re
from pathlib import Path

import pytest

from conftest import V1_SCENARIOS
from planner import schema as schema_mod
from planner.fileio import (
    ScenarioError,
    dumps_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_to_dict,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUNDLED = sorted((ROOT / "scenarios").glob("*.json"))  # whatever the program ships
TINY = DATA / "tiny.json"
# The shipped files and the fixed version-1 copies of the MINUSMA scenarios: all canonical.
CANONICAL = BUNDLED + V1_SCENARIOS
FILES = CANONICAL + [TINY]
FILE_IDS = [p.name for p in FILES]


# -- a small valid scenario, and one with every optional field -----------------------


def base() -> dict:
    return {
        "format": "mandate-planner-scenario",
        "version": 1,
        "name": "t",
        "periods": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"}],
        "tasks": [{"id": "poc_center", "name": "PoC", "weight": 1}],
        "regions": [{"id": "mopti", "name": "Mopti", "zone": "center"}],
        "capabilities": [
            {"id": "heli", "name": "Helicopter", "category": "air", "existing": 1, "max_new": 2,
             "lead_time": 1, "effect": {"poc_center": 1}, "uses": {"budget": 10}}
        ],
        "demand": {"poc_center": {"mopti": {"need": 4}}},
        "resources": [
            {"id": "budget", "name": "Budget", "basis": "generated", "capacity": 20, "unit": "USD"}
        ],
    }


FULL = {
    "format": "mandate-planner-scenario",
    "version": 1,
    "name": "Every field — Mopti, Ségou",
    "description": "All optional fields, unicode, small and large numbers.",
    "illustrative": True,
    "sources": ["S/2019/983 paras 60-61", "A/74/745 p. 3"],
    "periods": [
        {"id": "q3", "name": "Jul-Sep", "weight": 1.5, "note": "a note", "extra": {"k": [1, {"n": None}]}},
        {"id": "q4", "name": "Oct-Dec"},
    ],
    "tasks": [
        {"id": "poc", "name": "Protection", "weight": 30, "note": "n", "extra": {"colour": "#123456"}},
        {"id": "pa", "name": "Peace agreement", "weight": 0.1},
    ],
    "regions": [
        {"id": "mopti", "name": "Mopti", "zone": "center", "location": {"lat": 14.49, "lon": -4.18},
         "note": "capital", "extra": {}},
        {"id": "kidal", "name": "Kidal", "zone": "north"},
    ],
    "capabilities": [
        {"id": "heli", "name": "Helicopter", "category": "air", "existing": 8, "max_new": 4, "lead_time": 1,
         "max_per_region": 2.5, "effect": {"poc": 3, "pa": 1e-07}, "region_factor": {"kidal": 0.8},
         "uses": {"budget": 4500000, "people": 25, "hours": 120}, "note": "x", "extra": {"a": True}},
        {"id": "inf", "name": "Infantry", "category": "ground", "existing": 2, "max_new": 0, "lead_time": 0,
         "effect": {}, "region_factor": {}, "uses": {}},
    ],
    "demand": {"poc": {"mopti": {"need": 40, "importance": 1.25}, "kidal": {"need": 1e11}}},
    "resources": [
        {"id": "budget", "name": "Budget", "basis": "generated", "capacity": 58000000, "unit": "USD",
         "note": "A/74/745", "extra": {"x": 1}},
        {"id": "people", "name": "Troops", "basis": "fielded", "capacity": 13289, "unit": "persons"},
        {"id": "hours", "name": "Flight hours", "basis": "employed", "capacity": 1000.5, "unit": "h"},
    ],
    "returns": [1, 0.6, 0.3],
    "rules": [
        {"id": "f", "name": "PoC floor", "kind": "floor", "task": "poc", "zone": "center",
         "min_satisfaction": 0.4, "from_period": 1, "to_period": 1, "note": "n", "extra": {"y": 2}},
        {"id": "f2", "kind": "floor", "task": "poc", "regions": ["mopti", "kidal"], "min_satisfaction": 0},
        {"id": "s", "kind": "max_share", "task": "pa", "capabilities": ["heli"], "max_share": 0.25},
        {"id": "x", "kind": "forbid", "task": "pa", "capability": "inf", "region": "kidal"},
        {"id": "m", "kind": "min_units", "capability": "inf", "regions": ["kidal"], "units": 1},
    ],
    "settings": {"integer_units": True},
    "panel": [{"id": "chair", "name": "Chair", "weights": {"poc": 2, "pa": 1}, "extra": {"z": "w"}}],
    "extra": {"anything": {"kept": ["verbatim", 1.5, None]}},
}


# Fields whose keys are ids (data, kept in the user's order), not field names.
_ID_MAPS = {"effect": 1, "region_factor": 1, "uses": 1, "weights": 1, "demand": 2, "extra": 99,
            # format version 2
            "effect_factor": 1, "camp_limits": 1, "uses_per_km": 1, "based_at": 1, "move_uses": 1,
            "need_by_period": 1, "needs": 1}


def reversed_keys(value, keep_levels=0):
    """The same data with every object's field names in reverse order (id-keyed
    mappings and ``extra`` keep their order: that order is the user's data)."""
    if isinstance(value, dict):
        keys = list(value) if keep_levels else list(reversed(list(value)))
        return {
            k: reversed_keys(value[k], keep_levels - 1 if keep_levels else _ID_MAPS.get(k, 0))
            for k in keys
        }
    if isinstance(value, list):
        return [reversed_keys(v, keep_levels) for v in value]
    return value


def problems_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return info.value.problems


# -- round trips --------------------------------------------------------------------------


def test_bundled_scenarios_are_found():
    # Not a hard requirement while the folder is being written; only a sanity check
    # that the glob looks in the right place.
    assert (ROOT / "scenarios").is_dir()


@pytest.mark.parametrize("path", CANONICAL, ids=[p.name for p in CANONICAL])
def test_bundled_scenario_load_save_is_byte_identical(path, tmp_path):
    original = path.read_bytes()
    s = load_scenario(path)
    assert dumps_scenario(s).encode("utf-8") == original
    out = tmp_path / path.name
    save_scenario(s, out)
    assert out.read_bytes() == original


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_save_load_save_is_idempotent(path, tmp_path):
    first = dumps_scenario(load_scenario(path))
    out = tmp_path / "again.json"
    out.write_text(first, encoding="utf-8")
    assert dumps_scenario(load_scenario(out)) == first
    # and nothing of the file's content was lost on the way
    assert json.loads(first) == json.loads(path.read_text(encoding="utf-8"))


def test_tiny_canonical_form_is_byte_identical(tmp_path):
    # tiny.json is hand-written (compact lines); once saved, it is canonical.
    canonical = tmp_path / "tiny.json"
    save_scenario(load_scenario(TINY), canonical)
    text = canonical.read_bytes()
    save_scenario(load_scenario(canonical), canonical)
    assert canonical.read_bytes() == text


def test_every_field_survives_a_round_trip():
    s = scenario_from_dict(copy.deepcopy(FULL))
    assert scenario_to_dict(s) == FULL
    text = dumps_scenario(s)
    assert dumps_scenario(loads_scenario(text)) == text
    assert json.loads(text) == FULL


def test_saved_text_is_canonical_whatever_the_key_order():
    text = dumps_scenario(scenario_from_dict(copy.deepcopy(FULL)))
    shuffled = reversed_keys(FULL)
    assert list(shuffled) != list(FULL)
    assert dumps_scenario(scenario_from_dict(shuffled)) == text
    # 2-space indentation, one trailing newline, UTF-8 text kept readable
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.splitlines()[1] == '  "format": "mandate-planner-scenario",'
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0
    assert "Ségou" in text
    # whole numbers are written as integers, fractions as they are
    data = json.loads(text)
    assert '"existing": 8,' in text
    assert data["capabilities"][0]["effect"]["pa"] == 1e-07
    assert data["demand"]["poc"]["kidal"]["need"] == 1e11


def test_saved_file_is_utf8(tmp_path):
    out = tmp_path / "s.json"
    save_scenario(scenario_from_dict(copy.deepcopy(FULL)), out)
    out.read_bytes().decode("utf-8")  # raises if not UTF-8
    assert "Ségou".encode() in out.read_bytes()


def test_utf8_bom_is_accepted():
    raw = TINY.read_bytes()
    assert dumps_scenario(loads_scenario(b"\xef\xbb\xbf" + raw)) == dumps_scenario(loads_scenario(raw))


# -- validation messages -------------------------------------------------------------------

ID_MSG = "an id must be 1-64 characters of a-z, 0-9, '_' or '-'"


def _set(path, value):
    """A mutation setting data[path...] = value (path as a tuple of keys)."""

    def mutate(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(path):
    def mutate(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _rules(*rules):
    return _set(("rules",), list(rules))


FLOOR = {"id": "f", "kind": "floor", "task": "poc_center", "regions": ["mopti"], "min_satisfaction": 0.4}

CASES = [
    # (case id, mutation, expected (path, message) — the message matched in full)
    ("unknown top-level key", _set(("nmae",), "x"), ("nmae", "unknown key (check the spelling)")),
    ("unknown capability key", _set(("capabilities", 0, "effct"), {}),
     ("capabilities[0].effct", "unknown key (check the spelling)")),
    ("wrong type", _set(("capabilities", 0, "existing"), "1"),
     ("capabilities[0].existing", "'1' is not a number")),
    ("bool is not a number", _set(("capabilities", 0, "existing"), True),
     ("capabilities[0].existing", "true is not a number")),
    ("null is not a number", _set(("capabilities", 0, "existing"), None),
     ("capabilities[0].existing", "null is not a number")),
    ("a list is not a number", _set(("tasks", 0, "weight"), [1]),
     ("tasks[0].weight", "a list is not a number")),
    ("mapping expected", _set(("capabilities", 0, "effect"), 1),
     ("capabilities[0].effect", "1 is not an object")),
    ("object expected", _set(("regions", 0, "location"), [14.5, -4.2]),
     ("regions[0].location", "a list is not an object")),
    ("item not an object", _set(("periods",), ["p0"]), ("periods[0]", "'p0' is not an object")),
    ("list expected", _set(("sources",), "S/2019/983"), ("sources", "'S/2019/983' is not a list")),
    ("text expected", _set(("tasks", 0, "name"), 5), ("tasks[0].name", "5 is not text")),
    ("text expected, got an object", _set(("name",), {"en": "t"}), ("name", "an object is not text")),
    ("NaN", _set(("capabilities", 0, "existing"), math.nan),
     ("capabilities[0].existing", "must be a finite number")),
    ("Infinity", _set(("resources", 0, "capacity"), math.inf),
     ("resources[0].capacity", "must be a finite number")),
    ("missing field", _drop(("capabilities", 0, "name")),
     ("capabilities[0].name", "required field is missing")),
    ("missing list", _drop(("regions",)), ("regions", "required field is missing")),
    ("duplicate id", lambda d: d["tasks"].append({"id": "poc_center", "name": "again", "weight": 1}),
     ("tasks[1].id", "duplicate id 'poc_center' (also tasks[0])")),
    ("dangling effect", _set(("capabilities", 0, "effect"), {"poc_cente": 1}),
     ("capabilities[0].effect.poc_cente", "unknown task 'poc_cente'")),
    ("dangling region_factor", _set(("capabilities", 0, "region_factor"), {"mopt": 1}),
     ("capabilities[0].region_factor.mopt", "unknown region 'mopt'")),
    ("dangling uses", _set(("capabilities", 0, "uses"), {"budgt": 1}),
     ("capabilities[0].uses.budgt", "unknown resource 'budgt'")),
    ("dangling demand task", _set(("demand", "poc"), {"mopti": {"need": 1}}),
     ("demand.poc", "unknown task 'poc'")),
    ("dangling demand region", _set(("demand", "poc_center", "gao"), {"need": 1}),
     ("demand.poc_center.gao", "unknown region 'gao'")),
    ("dangling rule task", _rules(dict(FLOOR, task="poc")), ("rules[0].task", "unknown task 'poc'")),
    ("dangling rule region list", _rules(dict(FLOOR, regions=["mopti", "gao"])),
     ("rules[0].regions[1]", "unknown region 'gao'")),
    ("dangling rule zone", _rules({k: v for k, v in dict(FLOOR, zone="west").items() if k != "regions"}),
     ("rules[0].zone", "unknown zone 'west'")),
    ("dangling forbid capability", _rules({"id": "x", "kind": "forbid", "capability": "jet"}),
     ("rules[0].capability", "unknown capability 'jet'")),
    ("dangling forbid region", _rules({"id": "x", "kind": "forbid", "region": "gao"}),
     ("rules[0].region", "unknown region 'gao'")),
    ("dangling max_share capabilities",
     _rules({"id": "s", "kind": "max_share", "task": "poc_center", "max_share": 0.5,
             "capabilities": ["jet"]}),
     ("rules[0].capabilities[0]", "unknown capability 'jet'")),
    ("empty capability list",
     _rules({"id": "s", "kind": "max_share", "task": "poc_center", "max_share": 0.5, "capabilities": []}),
     ("rules[0].capabilities", "an empty list of capabilities")),
    ("bad id", _set(("capabilities", 0, "id"), "Heli 2"), ("capabilities[0].id", f"'Heli 2': {ID_MSG}")),
    ("bad id as a key", _set(("demand", "poc_center", "Mopti"), {"need": 1}),
     ("demand.poc_center.Mopti", f"{ID_MSG} (as a key)")),
    ("id too long", _set(("tasks", 0, "id"), "a" * 65), ("tasks[0].id", f"'{'a' * 65}': {ID_MSG}")),
    ("id far too long", _set(("tasks", 0, "id"), "a" * 1000),
     ("tasks[0].id", f"'{'a' * 59}… (1,000 characters)': {ID_MSG}")),
    ("negative count", _set(("capabilities", 0, "existing"), -1),
     ("capabilities[0].existing", "must not be negative (found -1)")),
    ("negative capacity", _set(("resources", 0, "capacity"), -0.5),
     ("resources[0].capacity", "must not be negative (found -0.5)")),
    ("zero need", _set(("demand", "poc_center", "mopti", "need"), 0),
     ("demand.poc_center.mopti.need", "must be more than 0 (found 0)")),
    ("fractional lead time", _set(("capabilities", 0, "lead_time"), 1.5),
     ("capabilities[0].lead_time", "1.5 is not a whole number")),
    ("text lead time", _set(("capabilities", 0, "lead_time"), "1"),
     ("capabilities[0].lead_time", "'1' is not a whole number")),
    ("returns increasing", _set(("returns",), [1, 0.5, 0.8]),
     ("returns[2]", "returns must not increase (0.8 after 0.5)")),
    ("returns not positive", _set(("returns",), [1, 0]),
     ("returns[1]", "must be more than 0 (found 0)")),
    ("all weights zero", _set(("tasks", 0, "weight"), 0),
     ("tasks", "every task weight is 0: give at least one task a positive weight")),
    ("unknown basis", _set(("resources", 0, "basis"), "monthly"),
     ("resources[0].basis", "'monthly' is not one of 'generated', 'fielded', 'employed', 'in_service'")),
    ("unknown rule kind", _rules({"id": "x", "kind": "teleport"}),
     ("rules[0].kind", "'teleport' is not one of 'floor', 'max_share', 'forbid', 'min_units', 'requires'")),
    ("rule kind of the wrong type", _rules({"id": "x", "kind": ["floor"]}),
     ("rules[0].kind", "a list is not one of 'floor', 'max_share', 'forbid', 'min_units', 'requires'")),
    ("rule kind null", _rules({"id": "x", "kind": None}),
     ("rules[0].kind", "null is not one of 'floor', 'max_share', 'forbid', 'min_units', 'requires'")),
    ("share above 1", _rules(dict(FLOOR, min_satisfaction=1.5)),
     ("rules[0].min_satisfaction", "must be at most 1 (found 1.5)")),
    ("number above the limit", _set(("resources", 0, "capacity"), 2e12),
     ("resources[0].capacity", "must be at most 1e+12 (found 2000000000000.0)")),
    ("integer too big for a number", _set(("resources", 0, "capacity"), 10**400),
     ("resources[0].capacity", "a whole number of 401 digits is too large for a number")),
    ("floor without demand", lambda d: (
        d["regions"].append({"id": "gao", "name": "Gao", "zone": "north"}),
        d.update(rules=[dict(FLOOR, regions=["gao"])])),
     ("rules[0]", "the floor matches no region where task 'poc_center' has demand")),
    ("floor where importance is 0", lambda d: (
        d["demand"]["poc_center"]["mopti"].update(importance=0), d.update(rules=[FLOOR])),
     ("rules[0]", "the floor matches no region where task 'poc_center' has demand")),
    ("rule missing its field", _rules({k: v for k, v in FLOOR.items() if k != "min_satisfaction"}),
     ("rules[0].min_satisfaction", "a floor rule needs 'min_satisfaction'")),
    ("max_share missing its share", _rules({"id": "s", "kind": "max_share", "task": "poc_center"}),
     ("rules[0].max_share", "a max_share rule needs 'max_share'")),
    ("min_units missing units",
     _rules({"id": "m", "kind": "min_units", "capability": "heli", "zone": "center"}),
     ("rules[0].units", "a min_units rule needs 'units'")),
    ("field that does not apply", _rules(
        {"id": "s", "kind": "max_share", "task": "poc_center", "max_share": 0.5, "regions": ["mopti"]}),
     ("rules[0].regions", "'regions' does not apply to a max_share rule")),
    ("floor field on a forbid",
     _rules({"id": "x", "kind": "forbid", "task": "poc_center", "min_satisfaction": 0.1}),
     ("rules[0].min_satisfaction", "'min_satisfaction' does not apply to a forbid rule")),
    ("forbid with nothing", _rules({"id": "x", "kind": "forbid"}),
     ("rules[0]", "a forbid rule needs at least one of 'capability', 'task', 'region'")),
    ("floor with no place", _rules({k: v for k, v in FLOOR.items() if k != "regions"}),
     ("rules[0]", "a floor rule needs exactly one of 'region', 'regions' or 'zone'")),
    ("floor with two places", _rules(dict(FLOOR, zone="center")),
     ("rules[0]", "a floor rule needs exactly one of 'region', 'regions' or 'zone'")),
    ("period out of range", _rules(dict(FLOOR, from_period=2)),
     ("rules[0].from_period", "period index 2 is out of range (the scenario has 2 periods, 0 to 1)")),
    ("to_period out of range",
     _rules({"id": "m", "kind": "min_units", "capability": "heli", "zone": "center", "units": 1,
             "to_period": 5}),
     ("rules[0].to_period", "period index 5 is out of range (the scenario has 2 periods, 0 to 1)")),
    ("periods reversed", _rules(dict(FLOOR, from_period=1, to_period=0)),
     ("rules[0]", "from_period 1 is after to_period 0")),
    ("negative period", _rules(dict(FLOOR, from_period=-1)),
     ("rules[0].from_period", "must not be negative (found -1)")),
    ("no periods", _set(("periods",), []),
     ("periods", "list should have at least 1 item after validation, not 0")),
    ("latitude", _set(("regions", 0, "location"), {"lat": 91, "lon": 0}),
     ("regions[0].location.lat", "must be at most 90 (found 91)")),
    ("integer_units type", _set(("settings",), {"integer_units": "yes"}),
     ("settings.integer_units", "'yes' is not true or false")),
    ("wrong format", _set(("format",), "other"),
     ("format", '\'other\': not a Mandate Planner scenario (expected "format": "mandate-planner-scenario")')),
    ("format of the wrong type", _set(("format",), 1),
     ("format", '1: not a Mandate Planner scenario (expected "format": "mandate-planner-scenario")')),
    ("missing format", _drop(("format",)),
     ("format", 'not a Mandate Planner scenario (expected "format": "mandate-planner-scenario")')),
    ("newer version", _set(("version",), 3),
     ("version", "the file is format version 3, newer than this program reads (up to 2); "
                 "update Mandate Planner to open it")),
    ("version not a number", _set(("version",), "1"),
     ("version", "'1' is not a whole number (the file format version)")),
    ("version missing", _drop(("version",)),
     ("version", "required field is missing (the file format version)")),
    ("version 0", _set(("version",), 0), ("version", "unknown format version 0")),
]


def assert_refused_with(data, expected) -> list[tuple[str, str]]:
    """``data`` is refused with the ``(path, message)`` expected among its problems (each one
    line), said as a user reads it; returns every problem."""
    path, message = expected
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: {message}")) as info:
        scenario_from_dict(data, source="case.json")
    assert expected in info.value.problems
    assert all("\n" not in m for _, m in info.value.problems)
    assert info.value.source == "case.json"
    assert str(info.value).startswith("case.json: ")
    return info.value.problems


@pytest.mark.parametrize("mutate, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_message(mutate, expected):
    data = base()
    mutate(data)
    assert_refused_with(data, expected)


def test_base_case_is_valid():
    # The mutations above start from a valid scenario.
    s = scenario_from_dict(base())
    assert [c.id for c in s.capabilities] == ["heli"]


def test_floor_and_min_units_accept_a_single_region():
    data = base()
    data["rules"] = [
        {"id": "f", "kind": "floor", "task": "poc_center", "region": "mopti", "min_satisfaction": 0.1},
        {"id": "m", "kind": "min_units", "capability": "heli", "region": "mopti", "units": 1},
    ]
    s = scenario_from_dict(data)
    assert s.rules[0].region == "mopti"


@pytest.mark.parametrize(
    "rule, path",
    [
        # Malformed values of the wrong JSON type (a list where a string belongs)
        # must be reported, not crash the checker.
        ({"id": "x", "kind": ["floor"]}, "rules[0].kind"),
        (dict(FLOOR, task=["poc_center"]), "rules[0].task"),
        (dict(FLOOR, regions=[["mopti"]]), "rules[0].regions[0]"),
        ({"id": "m", "kind": "min_units", "capability": {"id": "heli"}, "zone": "center", "units": 1},
         "rules[0].capability"),
    ],
    ids=["kind-list", "task-list", "nested-regions", "capability-object"],
)
def test_wrong_json_types_in_rules_are_problems_not_crashes(rule, path):
    data = base()
    data["rules"] = [rule]
    problems = problems_of(data)
    assert any(p == path for p, _ in problems), problems


def test_several_problems_are_reported_at_once():
    data = base()
    data["nmae"] = "typo"  # 1
    data["capabilities"][0]["existing"] = -1  # 2
    data["capabilities"][0]["effect"] = {"poc_cente": 1}  # 3
    data["tasks"].append({"id": "poc_center", "name": "dup", "weight": 1})  # 4
    data["demand"]["poc_center"]["gao"] = {"need": 1}  # 5
    with pytest.raises(ScenarioError, match=r"^case\.json: 5 problems\n") as info:
        scenario_from_dict(data, source="case.json")
    problems = info.value.problems
    assert len(problems) == 5
    assert {p for p, _ in problems} == {
        "nmae", "capabilities[0].existing", "capabilities[0].effect.poc_cente", "tasks[1].id",
        "demand.poc_center.gao",
    }
    # one line per problem, each naming its path
    lines = str(info.value).splitlines()[1:]
    assert len(lines) == 5
    assert all(line.startswith("  ") and ": " in line for line in lines)


@pytest.mark.parametrize(
    "text, message",
    [
        (b'{"format": "mandate', "not valid JSON: Unterminated string starting at (line 1, column 12)"),
        (b'{"a": 1,', "not valid JSON: "),
        (b"", "not valid JSON: Expecting value (line 1, column 1)"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 0 cannot be decoded)"),
        (b"[]", "a scenario file must hold one JSON object"),
        (b'"text"', "a scenario file must hold one JSON object"),
    ],
    ids=["truncated-string", "truncated", "empty", "non-utf8", "array", "string"],
)
def test_unreadable_text(text, message):
    with pytest.raises(ScenarioError, match=re.escape(message)) as info:
        loads_scenario(text, source="x.json")
    assert len(info.value.problems) == 1
    path, msg = info.value.problems[0]
    assert path == "" and msg.startswith(message)


@pytest.mark.parametrize(
    "text, problem",
    [
        (b'{"a": NaN}', ("a", "NaN is not allowed: numbers must be finite (line 1, column 7)")),
        (b'{"a": Infinity}', ("a", "Infinity is not allowed: numbers must be finite (line 1, column 7)")),
        (b'{"a": [-Infinity]}', ("a[0]", "-Infinity is not allowed: numbers must be finite (line 1, column 8)")),
        (b'{"a": 1, "a": 2}', ("", "key 'a' appears twice in one object (line 1, column 10)")),
    ],
    ids=["nan", "inf", "-inf", "duplicate-key"],
)
def test_json_that_is_refused_is_named_by_path_and_line(text, problem):
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, source="x.json")
    assert info.value.problems == [problem]


def test_duplicate_key_deep_in_the_file():
    text = TINY.read_text().replace('"existing": 1,', '"existing": 1, "existing": 2,')
    assert text != TINY.read_text()
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text)
    assert info.value.problems == [
        ("capabilities[0]", "key 'existing' appears twice in one object (line 9, column 76)")
    ]


def test_truncated_bundled_file(tmp_path):
    path = tmp_path / "cut.json"
    path.write_bytes(TINY.read_bytes()[:-40])
    with pytest.raises(ScenarioError, match=r"^cut\.json: not valid JSON: "):
        load_scenario(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.json")
    with pytest.raises(ScenarioError, match="this is a folder, not a scenario file"):
        load_scenario(tmp_path)


def test_failed_load_leaves_the_file_untouched(tmp_path):
    data = base()
    data["capabilities"][0]["effect"] = {"poc_cente": 1}
    path = tmp_path / "bad.json"
    raw = (json.dumps(data, indent=4) + "\n\n").encode()
    path.write_bytes(raw)
    before = path.stat()
    expected = "capabilities[0].effect.poc_cente: unknown task 'poc_cente'"
    with pytest.raises(ScenarioError, match=re.escape(expected)):
        load_scenario(path)
    after = path.stat()
    assert path.read_bytes() == raw
    assert after.st_mtime_ns == before.st_mtime_ns
    assert sorted(os.listdir(tmp_path)) == ["bad.json"]


# -- atomic saves ---------------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("fail", ["replace", "fsync"])
def test_atomic_save_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch, fail):
    path = tmp_path / "plan.json"
    old = b"old contents\n"
    path.write_bytes(old)
    s = scenario_from_dict(base())
    monkeypatch.setattr(os, fail, _boom)
    with pytest.raises(OSError, match="No space left"):
        save_scenario(s, path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["plan.json"], "a temporary file was left behind"


def test_atomic_save_into_a_new_file_that_fails_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", _boom)
    with pytest.raises(OSError):
        save_scenario(scenario_from_dict(base()), tmp_path / "new.json")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_save_replaces_the_file_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    s = scenario_from_dict(base())
    save_scenario(s, path)
    assert os.listdir(tmp_path) == ["plan.json"]
    assert path.read_text(encoding="utf-8") == dumps_scenario(s)
    assert path.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions
    assert load_scenario(path) == s


# -- the JSON Schema -----------------------------------------------------------------------------


class _MiniValidator:
    """The subset of JSON Schema that pydantic emits, for when jsonschema is absent."""

    TYPES = {
        "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    }

    def __init__(self, schema):
        self.root = schema

    def errors(self, value, schema=None, path="$"):
        schema = self.root if schema is None else schema
        out = []
        if "$ref" in schema:
            node = self.root
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            return self.errors(value, node, path)
        if "anyOf" in schema:
            if all(self.errors(value, sub, path) for sub in schema["anyOf"]):
                out.append(f"{path}: matches no alternative")
            return out
        t = schema.get("type")
        if t == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif t == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif t is not None:
            ok = isinstance(value, self.TYPES[t])
        else:
            ok = True
        if not ok:
            return [f"{path}: not {t}"]
        if "const" in schema and value != schema["const"]:
            out.append(f"{path}: not {schema['const']!r}")
        if "enum" in schema and value not in schema["enum"]:
            out.append(f"{path}: not one of {schema['enum']}")
        if isinstance(value, str):
            if "pattern" in schema and not re.search(schema["pattern"], value):
                out.append(f"{path}: does not match {schema['pattern']}")
            if len(value) > schema.get("maxLength", math.inf):
                out.append(f"{path}: too long")
        if t in ("number", "integer"):
            if value < schema.get("minimum", -math.inf) or value > schema.get("maximum", math.inf):
                out.append(f"{path}: out of range")
            if "exclusiveMinimum" in schema and not value > schema["exclusiveMinimum"]:
                out.append(f"{path}: not above {schema['exclusiveMinimum']}")
        if isinstance(value, list):
            if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", math.inf):
                out.append(f"{path}: wrong length")
            for i, item in enumerate(value):
                out += self.errors(item, schema.get("items", {}), f"{path}[{i}]")
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    out.append(f"{path}: missing {key}")
            props = schema.get("properties", {})
            patterns = schema.get("patternProperties", {})
            for key, item in value.items():
                subs = [props[key]] if key in props else []
                subs += [sub for pat, sub in patterns.items() if re.search(pat, key)]
                if not subs:
                    extra = schema.get("additionalProperties", True)
                    if extra is False:
                        out.append(f"{path}.{key}: not allowed")
                    elif isinstance(extra, dict):
                        subs = [extra]
                for sub in subs:
                    out += self.errors(item, sub, f"{path}.{key}")
        return out


def _schema_errors(instance) -> list[str]:
    schema = schema_mod.json_schema()
    try:
        import jsonschema
    except ImportError:
        return _MiniValidator(schema).errors(instance)
    validator = jsonschema.Draft202012Validator(schema)
    return [e.message for e in validator.iter_errors(instance)]


def test_schema_is_a_draft_2020_12_object_schema():
    schema = schema_mod.json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {
        "format", "version", "name", "periods", "tasks", "regions", "capabilities", "demand", "resources",
    }
    assert set(schema["properties"]) >= set(FULL)
    json.dumps(schema)  # serialisable


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_schema_validates_bundled_files(path):
    assert _schema_errors(json.loads(path.read_text(encoding="utf-8"))) == []


def test_schema_accepts_every_field_and_rejects_bad_files():
    assert _schema_errors(FULL) == []
    for mutate in (
        _set(("nmae",), 1),
        _set(("capabilities", 0, "existing"), -1),
        _set(("capabilities", 0, "id"), "Bad Id"),
        _set(("resources", 0, "basis"), "monthly"),
        _drop(("tasks",)),
        _set(("returns",), [1, 0]),
    ):
        data = base()
        mutate(data)
        assert _schema_errors(data), data


def test_shipped_schema_file_matches_the_code():
    # README: the schema is printed by `main.py schema` and kept in planner/scenario.schema.json.
    shipped = ROOT / "planner" / "scenario.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema_mod.json_schema()
