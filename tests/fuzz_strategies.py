"""Hypothesis strategies for fuzzing Mandate Planner, and an independent plan checker.

Three families:

* :func:`scenario_dicts` -- VALID scenario dicts of every shape contract v1
  (``/work/shared/MODEL.md``) allows: all four rule kinds with every selector,
  all three resource bases, lead times up to and past the number of periods,
  region caps, zero region factors / importances / period weights / task
  weights, 1-4 non-increasing return segments, whole units on and off,
  optional fields present or absent, notes and verbatim ``extra`` objects.
  ``wild=True`` draws arbitrary finite floats (subnormals, 17-digit values)
  for the file round trip; the default draws "planner" numbers the solver
  properties can check tightly.
* :func:`corruptions` -- a valid file broken in one way, as the bytes a user
  could feed to ``loads_scenario``, with what a correct loader must do about
  it (:class:`Corruption`).
* :func:`extreme_scenarios` -- valid files with a few numbers pushed to the
  edges of what the contract allows (1e308, subnormals, lead times of 10**20).

The checker (:func:`check_plan`, :func:`reference_optimum`) recomputes every
constraint and the score of MODEL.md from the scenario dict and the plan
alone; it never looks at the solver's matrices. It extends the one in
``test_planner_properties.py`` to every rule selector (region / regions /
zone, period ranges), forbid rules, whole units and resource scales, and adds
an independently built LP for the optimum.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

FORMAT = "mandate-planner-scenario"
ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-"
DEFAULT_RETURNS = [1.0, 0.6, 0.3]
RULE_KINDS = ("floor", "max_share", "forbid", "min_units")
BASES = ("generated", "fielded", "employed")
#: the largest number the planner accepts (planner.schema.MAX_NUMBER; not in contract v1, which
#: bounds nothing: valid scenarios stay below it, extreme_scenarios() probes past it)
from planner.schema import MAX_NUMBER  # noqa: E402  (1e12)

# =============================================================================
# Basic values
# =============================================================================

#: ids: short ones collide across lists (a task and a region both called "a"),
#: long ones hit the 64-character limit.
ids = st.one_of(
    st.sampled_from(["a", "b", "c", "x", "0", "-", "_", "q3-2020", "poc_center", "extra", "id"]),
    st.text(ID_CHARS, min_size=1, max_size=12),
    st.text(ID_CHARS, min_size=64, max_size=64),
)


def unique_ids(n: int):
    return st.lists(ids, min_size=n, max_size=n, unique=True)


texts = st.text(max_size=16)  # any Unicode scalar value (no lone surrogates)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
#: anything JSON can hold (finite numbers), for ``extra`` objects.
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
extra_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=3)


def _steps(hi: float, step: float, lo: float = 0.0):
    """Multiples of ``step`` in [lo, hi]: numbers a planner types, exact in binary or nearly."""
    return st.integers(int(round(lo / step)), int(round(hi / step))).map(lambda k: round(k * step, 10))


def nonneg(wild: bool, hi: float = 10.0, step: float = 0.5):
    nice = st.one_of(st.just(0), st.integers(0, int(hi)), _steps(hi, step))
    if not wild:
        return nice
    return st.one_of(
        nice,
        st.floats(0, hi * 10, allow_nan=False, allow_infinity=False, allow_subnormal=True),
        st.floats(0, 1e12, allow_nan=False, allow_infinity=False),
        st.integers(0, int(MAX_NUMBER)),  # the schema's MAX_NUMBER
    )


def positive(wild: bool, hi: float = 10.0, step: float = 0.5):
    nice = st.one_of(st.integers(1, max(1, int(hi))), _steps(hi, step, lo=step))
    if not wild:
        return nice
    return st.one_of(
        nice,
        st.floats(0, hi * 10, exclude_min=True, allow_nan=False, allow_infinity=False, allow_subnormal=True),
        st.integers(1, int(MAX_NUMBER)),
    )


def shares(wild: bool):
    nice = st.one_of(st.sampled_from([0, 1, 0.0, 1.0]), _steps(1, 0.05))
    return st.one_of(nice, st.floats(0, 1, allow_nan=False)) if wild else nice


def _opt(draw, obj: dict, key: str, strategy) -> None:
    """Add an optional field half of the time."""
    if draw(st.booleans()):
        obj[key] = draw(strategy)


def _notes(draw, obj: dict) -> None:
    _opt(draw, obj, "note", texts)
    if draw(st.integers(0, 3)) == 0:
        obj["extra"] = draw(extra_objects)


# =============================================================================
# Valid scenarios
# =============================================================================


def _period_range(draw, rule: dict, P: int) -> None:
    choice = draw(st.sampled_from(["none", "from", "to", "both"]))
    lo = draw(st.integers(0, P - 1))
    hi = draw(st.integers(lo, P - 1))
    if choice in ("from", "both"):
        rule["from_period"] = lo
    if choice in ("to", "both"):
        rule["to_period"] = hi


def _selector(draw, rule: dict, regions: list[str], zone_of: dict, must_include: str | None = None):
    """One of region / regions / zone; when must_include is given, it is covered."""
    kind = draw(st.sampled_from(["region", "regions", "zone", "zone"]))
    anchor = must_include if must_include is not None else draw(st.sampled_from(regions))
    if kind == "region":
        rule["region"] = anchor
    elif kind == "regions":
        others = draw(st.lists(st.sampled_from(regions), max_size=3))
        rule["regions"] = draw(st.permutations(others + [anchor]))
    else:
        rule["zone"] = zone_of[anchor]


@st.composite
def scenario_dicts(
    draw,
    wild: bool = False,
    max_periods: int = 4,
    max_tasks: int = 3,
    max_regions: int = 4,
    max_capabilities: int = 4,
    max_resources: int = 3,
    max_rules: int = 5,
):
    """A VALID scenario dict (contract v1). ``wild``: arbitrary finite floats."""
    P = draw(st.integers(1, max_periods))
    T = draw(st.integers(1, max_tasks))
    R = draw(st.integers(1, max_regions))
    C = draw(st.integers(1, max_capabilities))
    Q = draw(st.integers(0, max_resources))
    period_ids, task_ids, region_ids = draw(unique_ids(P)), draw(unique_ids(T)), draw(unique_ids(R))
    cap_ids, res_ids = draw(unique_ids(C)), draw(unique_ids(Q))
    scale = draw(st.sampled_from([1, 1, 1, 1000, 1_000_000]))  # resource units: people, USD

    d: dict = {"format": FORMAT, "version": 1, "name": draw(texts)}
    _opt(draw, d, "description", st.text(max_size=40))
    _opt(draw, d, "illustrative", st.booleans())
    _opt(draw, d, "sources", st.lists(texts, max_size=3))

    periods = []
    for pid in period_ids:
        p = {"id": pid, "name": draw(texts)}
        _opt(draw, p, "weight", nonneg(wild, 3))
        _notes(draw, p)
        periods.append(p)
    d["periods"] = periods

    tasks = []
    for tid in task_ids:
        t = {"id": tid, "name": draw(texts), "weight": draw(nonneg(wild, 50, 5))}
        _notes(draw, t)
        tasks.append(t)
    if all(t["weight"] == 0 for t in tasks):
        tasks[draw(st.integers(0, T - 1))]["weight"] = draw(positive(wild, 50, 5))
    d["tasks"] = tasks

    zones = draw(st.lists(ids, min_size=1, max_size=min(R, 3), unique=True))
    regions, zone_of = [], {}
    for rid in region_ids:
        r = {"id": rid, "name": draw(texts), "zone": draw(st.sampled_from(zones))}
        zone_of[rid] = r["zone"]
        if draw(st.booleans()):
            r["location"] = {
                "lat": draw(st.floats(-90, 90) if wild else _steps(90, 0.01, -90)),
                "lon": draw(st.floats(-180, 180) if wild else _steps(180, 0.01, -180)),
            }
        _notes(draw, r)
        regions.append(r)
    d["regions"] = regions

    bases = [draw(st.sampled_from(BASES)) for _ in res_ids]
    capabilities = []
    for cid in cap_ids:
        c = {
            "id": cid,
            "name": draw(texts),
            "category": draw(st.sampled_from(["ground", "air", "isr", ""]) | texts),
            "existing": draw(nonneg(wild, 4)),
            "max_new": draw(nonneg(wild, 4)),
            # lead >= P: the new units never arrive this cycle
            "lead_time": draw(st.integers(0, P + 2)),
        }
        _opt(draw, c, "max_per_region", nonneg(wild, 3))  # 0 included
        if draw(st.integers(0, 4)):  # "effect" defaults to {}
            c["effect"] = {
                t: draw(nonneg(wild, 3)) for t in draw(st.lists(st.sampled_from(task_ids), unique=True))
            }
        if draw(st.booleans()):
            c["region_factor"] = {
                r: draw(st.sampled_from([0, 0.5, 1, 1.5]) | nonneg(wild, 2))
                for r in draw(st.lists(st.sampled_from(region_ids), unique=True))
            }
        if res_ids and draw(st.integers(0, 3)):
            c["uses"] = {
                q: min(draw(nonneg(wild, 5)) * scale, MAX_NUMBER)
                for q in draw(st.lists(st.sampled_from(res_ids), unique=True))
            }
        elif draw(st.integers(0, 5)) == 0:
            c["uses"] = {}
        _notes(draw, c)
        capabilities.append(c)
    d["capabilities"] = capabilities

    demand: dict = {}
    for t in task_ids:
        for r in region_ids:
            if draw(st.booleans()):
                dm = {"need": draw(positive(wild, 10))}
                _opt(draw, dm, "importance", st.sampled_from([0, 1, 2]) | nonneg(wild, 2))
                demand.setdefault(t, {})[r] = dm
        if t not in demand and draw(st.integers(0, 5)) == 0:
            demand[t] = {}
    d["demand"] = demand

    resources = []
    for qid, basis in zip(res_ids, bases):
        q = {
            "id": qid,
            "name": draw(texts),
            "basis": basis,
            "unit": draw(st.sampled_from(["USD", "persons", "h", ""])),
        }
        if basis == "fielded":
            # a ceiling near what is already fielded: sometimes room, sometimes exactly full, sometimes short
            fielded = sum(c.get("uses", {}).get(qid, 0) * c["existing"] for c in capabilities)
            margin = draw(st.sampled_from([-1, 0, 0.5, 1, 2, 5, 100])) * scale
            q["capacity"] = min(max(0, fielded + margin), MAX_NUMBER)
        else:
            q["capacity"] = min(draw(nonneg(wild, 30)) * scale, MAX_NUMBER)
        _notes(draw, q)
        resources.append(q)
    d["resources"] = resources

    if draw(st.integers(0, 3)):
        k = draw(st.integers(1, 4))
        vals = draw(st.lists(positive(wild, 2, 0.1), min_size=k, max_size=k))
        d["returns"] = sorted(vals, reverse=True)  # > 0 and non-increasing

    rule_state = draw(st.sampled_from(["absent", "empty", "some", "some", "some", "some"]))
    if rule_state != "absent":
        d["rules"] = []
    if rule_state == "some":
        n_rules = draw(st.integers(1, max_rules))
        rule_ids = draw(unique_ids(n_rules))
        with_demand = [
            (t, r) for t, per in demand.items() for r, dm in per.items() if dm.get("importance", 1) > 0
        ]
        for rid in rule_ids:
            kind = draw(st.sampled_from(RULE_KINDS + ("floor",)))  # floors carry the most validation
            rule: dict = {"id": rid, "kind": kind}
            _opt(draw, rule, "name", texts)
            if kind == "floor":
                if not with_demand:
                    continue  # a floor must match a region where its task has demand
                t, r = draw(st.sampled_from(with_demand))
                rule["task"] = t
                _selector(draw, rule, region_ids, zone_of, must_include=r)
                rule["min_satisfaction"] = draw(
                    st.sampled_from([0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9, 1]) | shares(wild)
                )
                _period_range(draw, rule, P)
            elif kind == "max_share":
                rule["task"] = draw(st.sampled_from(task_ids))
                if draw(st.booleans()):
                    rule["capabilities"] = draw(st.lists(st.sampled_from(cap_ids), min_size=1, unique=True))
                rule["max_share"] = draw(shares(wild))
            elif kind == "forbid":
                keys = draw(st.sets(st.sampled_from(["capability", "task", "region"]), min_size=1))
                pools = {"capability": cap_ids, "task": task_ids, "region": region_ids}
                for key in sorted(keys):
                    rule[key] = draw(st.sampled_from(pools[key]))
            else:
                rule["capability"] = draw(st.sampled_from(cap_ids))
                _selector(draw, rule, region_ids, zone_of)
                rule["units"] = draw(st.sampled_from([0, 0.5, 1, 2]) | nonneg(wild, 3))
                _period_range(draw, rule, P)
            _notes(draw, rule)
            d["rules"].append(rule)

    settings_state = draw(st.sampled_from(["absent", "empty", "off", "on"]))
    if settings_state == "empty":
        d["settings"] = {}
    elif settings_state != "absent":
        d["settings"] = {"integer_units": settings_state == "on"}

    if draw(st.integers(0, 4)) == 0:
        panel = []
        for pid in draw(st.lists(ids, max_size=2, unique=True)):
            weights = {
                t: draw(nonneg(wild, 10))
                for t in draw(st.lists(st.sampled_from(task_ids), min_size=1, unique=True))
            }
            if all(v == 0 for v in weights.values()):
                weights[next(iter(weights))] = 1
            member = {"id": pid, "name": draw(texts), "weights": weights}
            if draw(st.booleans()):
                member["extra"] = draw(extra_objects)
            panel.append(member)
        d["panel"] = panel
    if draw(st.integers(0, 3)) == 0:
        d["extra"] = draw(extra_objects)
    return d


# =============================================================================
# The schema, as far as the corruptions need it
# =============================================================================

# leaf types: str, id, ref, bool, num (>= 0), pos (> 0), int (>= 0), pidx (period index),
# share, lat, lon, version, enum:<what>
LEAF = "leaf"
FIELDS: dict[str, dict[str, tuple]] = {
    "scenario": {
        "format": (LEAF, "enum:format"),
        "version": (LEAF, "version"),
        "name": (LEAF, "str"),
        "description": (LEAF, "str"),
        "illustrative": (LEAF, "bool"),
        "sources": ("list", (LEAF, "str")),
        "periods": ("list", ("object", "period")),
        "tasks": ("list", ("object", "task")),
        "regions": ("list", ("object", "region")),
        "capabilities": ("list", ("object", "capability")),
        "demand": ("map", "task", ("map", "region", ("object", "demand"))),
        "resources": ("list", ("object", "resource")),
        "returns": ("list", (LEAF, "pos")),
        "rules": ("list", ("object", "rule")),
        "settings": ("object", "settings"),
        "panel": ("list", ("object", "panel")),
        "extra": ("extra",),
    },
    "period": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "weight": (LEAF, "num"),
        "note": (LEAF, "str"),
        "extra": ("extra",),
    },
    "task": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "weight": (LEAF, "num"),
        "note": (LEAF, "str"),
        "extra": ("extra",),
    },
    "region": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "zone": (LEAF, "id"),
        "location": ("object", "location"),
        "note": (LEAF, "str"),
        "extra": ("extra",),
    },
    "location": {"lat": (LEAF, "lat"), "lon": (LEAF, "lon")},
    "capability": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "category": (LEAF, "str"),
        "existing": (LEAF, "num"),
        "max_new": (LEAF, "num"),
        "lead_time": (LEAF, "int"),
        "max_per_region": (LEAF, "num"),
        "effect": ("map", "task", (LEAF, "num")),
        "region_factor": ("map", "region", (LEAF, "num")),
        "uses": ("map", "resource", (LEAF, "num")),
        "note": (LEAF, "str"),
        "extra": ("extra",),
    },
    "demand": {"need": (LEAF, "pos"), "importance": (LEAF, "num")},
    "resource": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "basis": (LEAF, "enum:basis"),
        "capacity": (LEAF, "num"),
        "unit": (LEAF, "str"),
        "note": (LEAF, "str"),
        "extra": ("extra",),
    },
    "rule": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "kind": (LEAF, "enum:kind"),
        "task": (LEAF, "ref"),
        "capability": (LEAF, "ref"),
        "region": (LEAF, "ref"),
        "regions": ("list", (LEAF, "ref")),
        "zone": (LEAF, "ref"),
        "capabilities": ("list", (LEAF, "ref")),
        "min_satisfaction": (LEAF, "share"),
        "max_share": (LEAF, "share"),
        "units": (LEAF, "num"),
        "from_period": (LEAF, "pidx"),
        "to_period": (LEAF, "pidx"),
        "note": (LEAF, "str"),
        "extra": ("extra",),
    },
    "settings": {"integer_units": (LEAF, "bool")},
    "panel": {
        "id": (LEAF, "id"),
        "name": (LEAF, "str"),
        "weights": ("map", "task", (LEAF, "num")),
        "extra": ("extra",),
    },
}
REQUIRED = {
    "scenario": (
        "format",
        "version",
        "name",
        "periods",
        "tasks",
        "regions",
        "capabilities",
        "demand",
        "resources",
    ),
    "period": ("id", "name"),
    "task": ("id", "name", "weight"),
    "region": ("id", "name", "zone"),
    "location": ("lat", "lon"),
    "capability": ("id", "name", "category", "existing", "max_new", "lead_time"),
    "demand": ("need",),
    "resource": ("id", "name", "basis", "capacity", "unit"),
    "rule": ("id", "kind"),
    "settings": (),
    "panel": ("id", "name", "weights"),
}
RULE_APPLIES = {
    "floor": {"task", "min_satisfaction", "region", "regions", "zone", "from_period", "to_period"},
    "max_share": {"task", "max_share", "capabilities"},
    "forbid": {"capability", "task", "region"},
    "min_units": {"capability", "units", "region", "regions", "zone", "from_period", "to_period"},
}
RULE_COMMON = {"id", "name", "kind", "note", "extra"}
SELECTORS = ("region", "regions", "zone")


@dataclass
class Node:
    parts: tuple
    value: object
    role: str  # object | list | map | leaf | extra | unknown
    spec: str = ""  # object type, leaf type, or map key type


def fmt_path(parts) -> str:
    """A JSON path the way the planner writes them: ``capabilities[3].effect.poc``."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out = f"{out}[{p}]"
        else:
            out = f"{out}.{p}" if out else str(p)
    return out


def walk(d: dict) -> list[Node]:
    """Every node the schema defines, without descending into ``extra`` objects."""
    out: list[Node] = []

    def visit(parts, value, spec):
        if spec[0] == "extra":
            out.append(Node(parts, value, "extra"))
        elif spec[0] == LEAF:
            out.append(Node(parts, value, "leaf", spec[1]))
        elif spec[0] == "list":
            out.append(Node(parts, value, "list"))
            if isinstance(value, list):
                for i, item in enumerate(value):
                    visit(parts + (i,), item, spec[1])
        elif spec[0] == "map":
            out.append(Node(parts, value, "map", spec[1]))
            if isinstance(value, dict):
                for k, item in value.items():
                    visit(parts + (k,), item, spec[2])
        else:  # object
            out.append(Node(parts, value, "object", spec[1]))
            if isinstance(value, dict):
                for k, item in value.items():
                    sub = FIELDS[spec[1]].get(k)
                    if sub is None:
                        out.append(Node(parts + (k,), item, "unknown"))
                    else:
                        visit(parts + (k,), item, sub)

    visit((), d, ("object", "scenario"))
    return out


def all_nodes(value, parts=()):
    """Every node of a JSON value, ``extra`` included."""
    yield parts, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from all_nodes(v, parts + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from all_nodes(v, parts + (i,))


def get_at(d, parts):
    for p in parts:
        d = d[p]
    return d


def set_at(d, parts, value):
    get_at(d, parts[:-1])[parts[-1]] = value


def del_at(d, parts):
    del get_at(d, parts[:-1])[parts[-1]]


def id_sets(d: dict) -> dict[str, set]:
    def of(key):
        return {x["id"] for x in d.get(key, []) or []}

    return {
        "task": of("tasks"),
        "region": of("regions"),
        "capability": of("capabilities"),
        "resource": of("resources"),
        "zone": {r["zone"] for r in d["regions"]},
        "period": of("periods"),
    }


def _missing_id(draw, taken: set) -> str:
    """A well-formed id that names nothing in ``taken``."""
    base = draw(
        st.sampled_from(["missing", "zz", "poc_cente", "kidall", "t9", "q5-2021"])
        | st.text(ID_CHARS, min_size=1, max_size=8)
    )
    candidate = base
    n = 0
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"[:64]
    return candidate


# =============================================================================
# Corruptions
# =============================================================================


@dataclass(frozen=True)
class Corruption:
    """A broken (or possibly still valid) scenario file and what loading it must do.

    must_fail: loading must raise ScenarioError (else: ScenarioError, or a
    scenario that saves and reloads to the same bytes).
    paths: when not empty, some problem's JSON path must lie under one of them.
    """

    kind: str
    detail: str
    data: bytes
    must_fail: bool
    paths: tuple[str, ...] = ()


def _dumps(draw, d) -> str:
    style = draw(st.sampled_from(["compact", "indent", "ascii"]))
    if style == "compact":
        return json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    if style == "indent":
        return json.dumps(d, ensure_ascii=False, indent=2)
    return json.dumps(d)  # \uXXXX escapes, surrogate pairs included


SENTINEL = "\u2063fuzz-sentinel\u2063"


def _with_literal(draw, d, parts, literal: str) -> bytes:
    """The JSON text of ``d`` with the value at ``parts`` replaced by a raw literal."""
    d = copy.deepcopy(d)
    set_at(d, parts, SENTINEL)
    return _replace_sentinel(_dumps(draw, d), literal).encode("utf-8")


def _replace_sentinel(text: str, literal: str) -> str:
    for token in (json.dumps(SENTINEL), json.dumps(SENTINEL, ensure_ascii=False)):
        if token in text:
            return text.replace(token, literal, 1)
    raise AssertionError("sentinel lost")


def _wrong_values(value, leaf: str):
    if isinstance(value, bool):
        return ["true", 1, 0, [value], {"v": value}]
    if isinstance(value, (int, float)):
        out = [str(value), [value], {"v": value}, True, False, "1"]
        if leaf in ("int", "pidx", "version"):
            out += [1.5, float(value) + 0.5]
        return out
    if isinstance(value, str):
        if leaf in ("id", "ref"):  # containers are what breaks code that hashes ids
            return [1, True, [value], {"v": value}, [value], {value: value}]
        return [1, 0.5, True, [value], {"v": value}, ["x"]]
    if isinstance(value, list):
        return [{}, "x", 1, True, {"0": value[0]} if value else {"a": 1}]
    if isinstance(value, dict):
        return [[], "x", 1, True, list(value.values())[:1] or [1]]
    return [1, "x", []]


def _c_wrong_type(draw, d):
    nodes = [n for n in walk(d) if n.parts and n.role in ("leaf", "list", "map", "object", "extra")]
    ids_ = [n for n in nodes if n.role == "leaf" and n.spec in ("id", "ref")]
    # ids and references a third of the time: the validator hashes and compares them
    n = draw(st.sampled_from(ids_ if ids_ and draw(st.integers(0, 2)) == 0 else nodes))
    new = draw(st.sampled_from(_wrong_values(n.value, n.spec)))
    if n.role == "extra" and not isinstance(new, (list, str, int, float, bool)):
        new = [new]
    d = copy.deepcopy(d)
    set_at(d, n.parts, new)
    return Corruption(
        "wrong_type",
        f"{fmt_path(n.parts)}: {type(n.value).__name__} -> {new!r}",
        _dumps(draw, d).encode(),
        True,
        (fmt_path(n.parts),),
    )


def _required_here(obj: dict, typ: str) -> list[tuple[str, str]]:
    """(key, path suffix rule) pairs whose removal must be refused: 'key' or 'self' for the object itself."""
    out = [(k, "key") for k in REQUIRED[typ] if k in obj]
    if typ == "rule":
        kind = obj.get("kind")
        if kind == "floor":
            out += [(k, "key") for k in ("task", "min_satisfaction") if k in obj]
        elif kind == "max_share":
            out += [(k, "key") for k in ("task", "max_share") if k in obj]
        elif kind == "min_units":
            out += [(k, "key") for k in ("capability", "units") if k in obj]
        if kind in ("floor", "min_units"):
            present = [k for k in SELECTORS if k in obj]
            if len(present) == 1:
                out.append((present[0], "self"))
        if kind == "forbid":
            present = [k for k in ("capability", "task", "region") if k in obj]
            if len(present) == 1:
                out.append((present[0], "self"))
    return out


def _c_missing_key(draw, d):
    options = []
    for n in walk(d):
        if n.role == "object" and isinstance(n.value, dict):
            for key, how in _required_here(n.value, n.spec):
                options.append((n.parts, key, how))
    parts, key, how = draw(st.sampled_from(options))
    d = copy.deepcopy(d)
    del get_at(d, parts)[key]
    here = fmt_path(parts)
    paths = (fmt_path(parts + (key,)),) + ((here,) if here else ())
    if how == "self":
        paths = (here,)
    return Corruption(
        "missing_key", f"{fmt_path(parts + (key,))} removed", _dumps(draw, d).encode(), True, paths
    )


def _typos(key: str) -> list[str]:
    out = [
        key[:-1],
        key + "s",
        key.upper(),
        key.capitalize(),
        key + " ",
        " " + key,
        key.replace("_", "-"),
        key.replace("_", ""),
        key[1:] + key[0],
        key + key[-1],
        "_" + key,
    ]
    if len(key) > 2:
        out.append(key[0] + key[2] + key[1] + key[3:])
    return out


def _c_unknown_key(draw, d):
    objects = [n for n in walk(d) if n.role == "object" and isinstance(n.value, dict)]
    n = draw(st.sampled_from(objects))
    known = set(FIELDS[n.spec])
    misplaced = []
    if n.spec == "rule" and n.value.get("kind") in RULE_APPLIES:
        # a key of another kind of rule: known to the schema, meaningless here
        misplaced = sorted(set(FIELDS["rule"]) - RULE_APPLIES[n.value["kind"]] - RULE_COMMON - set(n.value))
    typos = [k for base in sorted(known) for k in _typos(base) if k and k not in known]
    randoms = st.text(st.characters(codec="utf-8"), min_size=1, max_size=10).filter(lambda k: k not in known)
    if misplaced and draw(st.booleans()):
        key = draw(st.sampled_from(misplaced))
        value = {
            "capability": "x",
            "task": "x",
            "region": "x",
            "zone": "x",
            "regions": ["x"],
            "capabilities": ["x"],
            "min_satisfaction": 0.5,
            "max_share": 0.5,
            "units": 1,
            "from_period": 0,
            "to_period": 0,
        }[key]
        detail = "misplaced"
    else:
        key = draw(st.sampled_from(typos) | randoms)
        value = draw(json_values)
        detail = "typo"
    d = copy.deepcopy(d)
    get_at(d, n.parts)[key] = value
    path = fmt_path(n.parts + (key,))
    return Corruption("unknown_key", f"{detail}: {path!r}", _dumps(draw, d).encode(), True, (path,))


def _c_nonfinite(draw, d):
    """NaN / Infinity / -Infinity (and 1e999, which reads as infinity) anywhere, extra included."""
    numeric = [p for p, v in all_nodes(d) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    targets = numeric if numeric and draw(st.integers(0, 3)) else [p for p, _ in all_nodes(d) if p]
    parts = draw(st.sampled_from(targets))
    literal = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1E400", "-2e308"]))
    return Corruption(
        "nonfinite", f"{fmt_path(parts)} = {literal}", _with_literal(draw, d, parts, literal), True
    )


def _reference_sites(d):
    """(parts, kind of id, how): where a file refers to an id."""
    sites = []
    for n in walk(d):
        if n.role == "map" and isinstance(n.value, dict):
            sites.append((n.parts, n.spec, "key"))
        if n.role == "leaf" and n.spec == "ref":
            field = n.parts[-1] if isinstance(n.parts[-1], str) else n.parts[-2]
            what = {
                "task": "task",
                "capability": "capability",
                "region": "region",
                "regions": "region",
                "zone": "zone",
                "capabilities": "capability",
            }[field]
            sites.append((n.parts, what, "value"))
    return sites


def _c_dangling(draw, d):
    sites = _reference_sites(d)
    # forbid rules may also gain a reference
    for i, rule in enumerate(d.get("rules") or []):
        if rule["kind"] == "forbid":
            for key in ("capability", "task", "region"):
                sites.append((("rules", i, key), key, "add"))
    parts, what, how = draw(st.sampled_from(sites))
    missing = _missing_id(draw, id_sets(d)[what])
    d = copy.deepcopy(d)
    if how == "key":
        mapping = get_at(d, parts)
        if mapping and draw(st.booleans()):  # rename an existing key
            old = draw(st.sampled_from(sorted(mapping)))
            mapping[missing] = mapping.pop(old)
        elif parts == ("demand",):
            mapping[missing] = {}
        elif parts[0] == "demand":
            mapping[missing] = {"need": 1}
        else:
            mapping[missing] = 1
        path = fmt_path(parts + (missing,))
    else:
        set_at(d, parts, missing)
        path = fmt_path(parts)
    return Corruption(
        "dangling_id", f"{path} -> unknown {what} {missing!r}", _dumps(draw, d).encode(), True, (path,)
    )


def _c_duplicate_id(draw, d):
    lists = [
        k for k in ("periods", "tasks", "regions", "capabilities", "resources", "rules", "panel") if d.get(k)
    ]
    key = draw(st.sampled_from(lists))
    d = copy.deepcopy(d)
    items = d[key]
    if len(items) >= 2 and draw(st.booleans()):
        i = draw(st.integers(0, len(items) - 2))
        j = draw(st.integers(i + 1, len(items) - 1))
        items[j]["id"] = items[i]["id"]
    else:
        i = draw(st.integers(0, len(items) - 1))
        items.append(copy.deepcopy(items[i]))
        j = len(items) - 1
    path = f"{key}[{j}].id"
    return Corruption("duplicate_id", path, _dumps(draw, d).encode(), True, (path,))


BAD_IDS = ["", "Upper", "a b", "x" * 65, "é", "a.b", "tab\t", "ÄÖ", "a/b", "-" * 65, "0" * 100]


def _c_out_of_range(draw, d):
    """A value outside its allowed range, or a rule that cannot make sense."""
    P = len(d["periods"])
    options = []  # (label, mutate(d) -> None, paths)
    for n in walk(d):
        path = fmt_path(n.parts)
        if n.role == "leaf":
            bad = {
                "num": [-1, -0.5, -1e-9, -1e308, -(2**40)],
                "pos": [0, 0.0, -1, -1e-300],
                "int": [-1, -(2**40)],
                "pidx": [-1, P, P + 3, 10**6],
                "share": [1.0000001, 1.5, -0.25, 2, 1e308],
                "lat": [90.5, -91, 1e6],
                "lon": [180.01, -181, -1e6],
                "version": [2, 0, -1, 99, 10**6],
                "id": BAD_IDS,
                "ref": BAD_IDS,
                "enum:basis": ["monthly", "Generated", "", "employed "],
                "enum:kind": ["ceiling", "Floor", "", "max-share"],
                "enum:format": ["mandate-planner", "Mandate-Planner-Scenario", ""],
                "str": ["x" * 100_001],
            }.get(n.spec, [])
            for v in bad:
                options.append((f"{path} = {str(v)[:20]}", ("set", n.parts, v), (path,)))
        if n.role == "map" and n.spec in ("task", "region", "resource") and isinstance(n.value, dict):
            for v in BAD_IDS[:6]:
                options.append((f"{path} key {v!r}", ("addkey", n.parts, v), (fmt_path(n.parts + (v,)),)))
    returns = d.get("returns")
    if returns and len(returns) >= 2:
        k = len(returns) - 1
        options.append(
            ("returns increase", ("set", ("returns", k), returns[k - 1] * 2 + 1), (f"returns[{k}]",))
        )
    options.append(("21 returns", ("set", ("returns",), [1] * 21), ("returns",)))
    options.append(("all task weights 0", ("weights0",), ("tasks",)))
    for i, rule in enumerate(d.get("rules") or []):
        base = f"rules[{i}]"
        if rule["kind"] in ("floor", "min_units") and P >= 2:
            options.append((f"{base} from > to", ("range", i), (base,)))
        if rule["kind"] in ("floor", "min_units"):
            if "zone" in rule:
                second = ("region", d["regions"][0]["id"])
            else:
                second = ("zone", d["regions"][0]["zone"])
            options.append((f"{base} two selectors", ("set", ("rules", i, second[0]), second[1]), (base,)))
        if rule["kind"] == "forbid":
            options.append((f"{base} forbid nothing", ("forbid0", i), (base,)))
        if rule["kind"] == "floor":
            with_demand = {
                r for r, dm in (d["demand"].get(rule["task"]) or {}).items() if dm.get("importance", 1) > 0
            }
            without = [r["id"] for r in d["regions"] if r["id"] not in with_demand]
            if without:
                options.append((f"{base} floor matches no demand", ("nomatch", i, without[0]), (base,)))
    label, op, paths = draw(st.sampled_from(options))
    d = copy.deepcopy(d)
    if op[0] == "set":
        set_at(d, op[1], op[2])
    elif op[0] == "addkey":
        mapping = get_at(d, op[1])
        mapping[op[2]] = {} if op[1] == ("demand",) else {"need": 1} if op[1][0] == "demand" else 1
    elif op[0] == "weights0":
        for t in d["tasks"]:
            t["weight"] = 0
    elif op[0] == "range":
        rule = d["rules"][op[1]]
        rule["from_period"], rule["to_period"] = P - 1, 0
    elif op[0] == "forbid0":
        rule = d["rules"][op[1]]
        for key in ("capability", "task", "region"):
            rule.pop(key, None)
    elif op[0] == "nomatch":
        rule = d["rules"][op[1]]
        for key in SELECTORS:
            rule.pop(key, None)
        rule["region"] = op[2]
    return Corruption("out_of_range", label, _dumps(draw, d).encode(), True, paths)


def _c_truncated(draw, d):
    text = _dumps(draw, d).encode()
    cut = draw(st.integers(0, len(text) - 1))
    return Corruption("truncated", f"first {cut} of {len(text)} bytes", text[:cut], True)


INVALID_UTF8 = [
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc3\x28",
    b"\xc0\xaf",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xe9",
]


def _c_not_utf8(draw, d):
    text = _dumps(draw, d)
    how = draw(st.sampled_from(["insert", "insert", "utf16", "latin1"]))
    if how == "utf16":
        data = text.encode("utf-16")
    elif how == "latin1":  # a file saved by an editor in Latin-1
        d = copy.deepcopy(d)
        d["extra"] = {"town": "Ségou"}
        data = json.dumps(d, ensure_ascii=False).encode("latin-1", "replace")
    else:
        raw = text.encode()
        pos = draw(st.integers(0, len(raw)))
        data = raw[:pos] + draw(st.sampled_from(INVALID_UTF8)) + raw[pos:]
    try:
        data.decode("utf-8-sig")
        must_fail = False  # cannot happen with these bytes, but do not claim it
    except UnicodeDecodeError:
        must_fail = True
    return Corruption("not_utf8", how, data, must_fail)


def _json_with_duplicate(value, target, dup_value, position, parts=()):
    if isinstance(value, dict):
        items = [
            (k, _json_with_duplicate(v, target, dup_value, position, parts + (k,))) for k, v in value.items()
        ]
        if parts == target:
            k = items[position % len(items)][0]
            items.insert((position * 7) % (len(items) + 1), (k, json.dumps(dup_value)))
        return "{" + ", ".join(json.dumps(k) + ": " + v for k, v in items) + "}"
    if isinstance(value, list):
        return (
            "["
            + ", ".join(
                _json_with_duplicate(v, target, dup_value, position, parts + (i,))
                for i, v in enumerate(value)
            )
            + "]"
        )
    return json.dumps(value)


def _c_duplicate_json_key(draw, d):
    objects = [p for p, v in all_nodes(d) if isinstance(v, dict) and v]
    target = draw(st.sampled_from(objects))
    obj = get_at(d, target)
    position = draw(st.integers(0, 1000))
    key = list(obj)[position % len(obj)]
    same = draw(st.booleans())
    dup_value = obj[key] if same else draw(json_values)
    text = _json_with_duplicate(d, target, dup_value, position)
    return Corruption("duplicate_json_key", f"{fmt_path(target + (key,))} twice", text.encode(), True)


def _junk(depth: int, shape: str) -> str:
    if shape == "lists":
        return "[" * depth + "]" * depth
    if shape == "dicts":
        return '{"a":' * depth + "0" + "}" * depth
    return '[{"a":' * depth + "1" + "}]" * depth


def _c_deep_nesting(draw, d):
    depth = draw(
        st.sampled_from([2, 10, 100, 400, 490, 500, 900, 990, 1000, 1100, 3000, 100_000])
        | st.integers(2, 2000)
    )
    shape = draw(st.sampled_from(["lists", "dicts", "mixed"]))
    where = draw(st.sampled_from(["unknown_key", "replace", "in_extra"]))
    d = copy.deepcopy(d)
    if where == "unknown_key":
        objects = [n for n in walk(d) if n.role == "object" and isinstance(n.value, dict)]
        n = draw(st.sampled_from(objects))
        key = "junk"
        while key in FIELDS[n.spec]:
            key += "_"
        get_at(d, n.parts)[key] = SENTINEL
        parts, must_fail = n.parts + (key,), True
    elif where == "replace":
        nodes = [n for n in walk(d) if n.parts and n.role != "extra"]
        parts, must_fail = draw(st.sampled_from(nodes)).parts, False
    else:
        owners = [
            n
            for n in walk(d)
            if n.role == "object"
            and n.spec in ("scenario", "period", "task", "region", "capability", "resource", "rule", "panel")
        ]
        n = draw(st.sampled_from(owners))
        n.value.setdefault("extra", {})
        if not isinstance(n.value["extra"], dict):
            n.value["extra"] = {}
        parts, must_fail = n.parts + ("extra", "junk"), False
    set_at(d, parts, SENTINEL)
    data = _replace_sentinel(_dumps(draw, d), _junk(depth, shape)).encode()
    return Corruption(
        "deep_nesting", f"{shape} depth {depth} at {fmt_path(parts)} ({where})", data, must_fail
    )


HUGE_LITERALS = [
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "5e-324",
    "-5e-324",
    "1e-400",
    "-0.0",
    "0e0",
    "1" + "0" * 400,
    "-1" + "0" * 400,
    "9223372036854775808",
    "18446744073709551617",
    "1" + "0" * 4300,
    "123456789012345678901234567890.5",
]


def _c_huge_number(draw, d):
    numeric = [p for p, v in all_nodes(d) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numeric:
        numeric = [("capabilities", 0, "existing")]
    parts = draw(st.sampled_from(numeric))
    literal = draw(st.sampled_from(HUGE_LITERALS))
    return Corruption(
        "huge_number", f"{fmt_path(parts)} = {literal[:30]}", _with_literal(draw, d, parts, literal), False
    )


def _c_empty(draw, d):
    options = []
    for n in walk(d):
        if n.role in ("list", "map") and n.parts:
            path = fmt_path(n.parts)
            top = n.parts[0]
            if n.parts in (("periods",), ("tasks",), ("regions",), ("capabilities",), ("returns",)):
                options.append((n.parts, [], True, (path,)))
            elif len(n.parts) == 3 and top == "rules" and n.parts[2] in ("regions", "capabilities"):
                options.append((n.parts, [], True, (path,)))
            elif n.parts[-1] == "weights":
                options.append((n.parts, {}, True, (path,)))
            else:
                options.append((n.parts, [] if n.role == "list" else {}, False, ()))
    parts, value, must_fail, paths = draw(st.sampled_from(options))
    d = copy.deepcopy(d)
    set_at(d, parts, value)
    return Corruption("empty", fmt_path(parts), _dumps(draw, d).encode(), must_fail, paths)


def _c_not_an_object(draw, d):
    text = _dumps(draw, d)
    data = draw(
        st.sampled_from(
            [
                b"",
                b" ",
                b"\n\n",
                b"null",
                b"[]",
                b"{}",
                b"1",
                b'"scenario"',
                b"true",
                b"\xef\xbb\xbf",
                ("[" + text + "]").encode(),
                (text + text).encode(),
                (text + ",").encode(),
                b"{" + text.encode(),
            ]
        )
    )
    return Corruption("not_an_object", repr(data[:20]), data, True)


def _c_byte_noise(draw, d):
    """Random edits of the bytes: the result may even be valid."""
    data = bytearray(_dumps(draw, d).encode())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "replace"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete" and data:
            del data[pos]
        elif op == "insert":
            data[pos:pos] = draw(
                st.sampled_from(
                    [
                        b"{",
                        b"}",
                        b"[",
                        b"]",
                        b",",
                        b":",
                        b'"',
                        b"\\",
                        b"0",
                        b"-",
                        b"e",
                        b"\x00",
                        b" ",
                        b"null",
                        b"\xff",
                    ]
                )
            )
        elif data:
            data[pos] = draw(st.integers(0, 255))
    return Corruption("byte_noise", "", bytes(data), False)


def _c_lone_surrogate(draw, d):
    """A string holding an escaped lone surrogate ("\\ud800"): legal JSON, not encodable as UTF-8."""
    strings = [p for p, v in all_nodes(d) if p and isinstance(v, str)]
    parts = draw(st.sampled_from(strings))
    literal = draw(st.sampled_from(['"\\ud800"', '"x\\udc80y"', '"\\udfff\\ud800"', '"\\ud83d"']))
    return Corruption(
        "lone_surrogate", f"{fmt_path(parts)} = {literal}", _with_literal(draw, d, parts, literal), False
    )


CORRUPTIONS = {
    "wrong_type": _c_wrong_type,
    "missing_key": _c_missing_key,
    "unknown_key": _c_unknown_key,
    "nonfinite": _c_nonfinite,
    "dangling_id": _c_dangling,
    "duplicate_id": _c_duplicate_id,
    "out_of_range": _c_out_of_range,
    "truncated": _c_truncated,
    "not_utf8": _c_not_utf8,
    "duplicate_json_key": _c_duplicate_json_key,
    "deep_nesting": _c_deep_nesting,
    "huge_number": _c_huge_number,
    "empty": _c_empty,
    "not_an_object": _c_not_an_object,
    "byte_noise": _c_byte_noise,
    "lone_surrogate": _c_lone_surrogate,
}


@st.composite
def corruptions(draw, kinds: tuple[str, ...] = tuple(CORRUPTIONS)):
    """A valid scenario broken in one way (see :class:`Corruption`)."""
    d = draw(scenario_dicts(wild=True, max_rules=4))
    kind = draw(st.sampled_from(kinds))
    return CORRUPTIONS[kind](draw, d)


# =============================================================================
# Valid files at the edges of the number range
# =============================================================================

# Contract v1 bounds nothing above; the planner refuses numbers past schema.MAX_NUMBER (1e12),
# so values beyond it must be refused at their path, and values up to it must solve.
EXTREME = {
    "num": [
        0,
        0.0,
        5e-324,
        1e-300,
        1e-12,
        1e11,
        999_999_999_999,
        1e12,
        1e12 + 0.125,
        1e14,
        1e15,
        2**53,
        1e300,
        1.7976931348623157e308,
    ],
    "pos": [5e-324, 1e-300, 1e-12, 1e11, 1e12, 1e12 + 0.125, 1e15, 1e308, 1.7976931348623157e308],
    "int": [10**20, 2**63, 2**64, 10**100, 2**31 - 1, 2**31],  # lead times: never within the cycle
    "share": [0, 1, 5e-324, 1 - 1e-16],
    "lat": [-90, 90, 5e-324],
    "lon": [-180, 180, -5e-324],
}


@st.composite
def extreme_scenarios(draw):
    """(dict, changes): a valid scenario with 1-3 numbers at the edge of the allowed range."""
    d = draw(scenario_dicts())
    leaves = [n for n in walk(d) if n.role == "leaf" and n.spec in EXTREME]
    changes = []
    for n in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=3, unique_by=lambda n: n.parts)):
        # an importance of 0 could leave a floor without demand: keep importances positive
        v = draw(st.sampled_from(EXTREME["pos" if n.parts[-1] == "importance" else n.spec]))
        set_at(d, n.parts, v)
        changes.append((fmt_path(n.parts), v))
    if all(t["weight"] == 0 for t in d["tasks"]):
        d["tasks"][0]["weight"] = 1
    for member in d.get("panel", []):
        if all(v == 0 for v in member["weights"].values()):
            member["weights"][next(iter(member["weights"]))] = 1
    if "returns" in d:  # keep them non-increasing: a changed value may move
        d["returns"] = sorted(d["returns"], reverse=True)
        changes = [("returns", v) if path.startswith("returns[") else (path, v) for path, v in changes]
    return d, changes


# =============================================================================
# An independent plan checker
# =============================================================================

TOL = 1e-6


def _tol(*scales) -> float:
    """Absolute tolerance for a constraint whose terms reach ``scales``."""
    finite = [abs(float(s)) for s in scales if np.isfinite(s)]
    return TOL * max([1.0] + finite)


class Params:
    """The model's parameters read straight from the scenario dict (MODEL.md defaults applied)."""

    def __init__(self, d: dict):
        self.d = d
        self.tasks = [t["id"] for t in d["tasks"]]
        self.regions = [r["id"] for r in d["regions"]]
        self.caps = [c["id"] for c in d["capabilities"]]
        self.periods = [p["id"] for p in d["periods"]]
        self.zone = [r["zone"] for r in d["regions"]]
        C, R, T, P = len(self.caps), len(self.regions), len(self.tasks), len(self.periods)
        self.C, self.R, self.T, self.P = C, R, T, P
        self.eff = np.zeros((C, T))
        self.rf = np.ones((C, R))
        self.existing = np.zeros(C)
        self.max_new = np.zeros(C)
        self.lead = np.zeros(C)
        self.cap_r = np.full(C, np.inf)
        for i, c in enumerate(d["capabilities"]):
            for t, v in (c.get("effect") or {}).items():
                self.eff[i, self.tasks.index(t)] = v
            for r, v in (c.get("region_factor") or {}).items():
                self.rf[i, self.regions.index(r)] = v
            self.existing[i], self.max_new[i] = c["existing"], c["max_new"]
            self.lead[i] = min(c["lead_time"], P + 1)  # lead >= P: never
            if c.get("max_per_region") is not None:
                self.cap_r[i] = c["max_per_region"]
        self.need = np.ones((T, R))
        self.imp = np.zeros((T, R))
        for t, per in d["demand"].items():
            for r, dm in per.items():
                ti, ri = self.tasks.index(t), self.regions.index(r)
                self.need[ti, ri] = dm["need"]
                imp = dm.get("importance")
                self.imp[ti, ri] = 1.0 if imp is None else imp
        self.pw = np.array([1.0 if p.get("weight") is None else p["weight"] for p in d["periods"]], float)
        returns = d.get("returns")
        self.rho = np.array(DEFAULT_RETURNS if returns is None else returns, float)
        w = np.array([t["weight"] for t in d["tasks"]], float)
        self.w_hat = w / w.sum()
        self.rules = d.get("rules") or []
        self.integer = bool((d.get("settings") or {}).get("integer_units", False))
        # cells a unit may work in: an effect, a non-zero region factor, no forbid rule
        self.allowed = (self.eff[:, None, :] * self.rf[:, :, None]) > 0  # (C, R, T)
        for rule in self.rules:
            if rule["kind"] == "forbid":
                sel = tuple(
                    slice(None) if rule.get(key) is None else names.index(rule[key])
                    for key, names in (
                        ("capability", self.caps),
                        ("region", self.regions),
                        ("task", self.tasks),
                    )
                )
                self.allowed[sel] = False

    def use(self, qid: str) -> np.ndarray:
        return np.array([(c.get("uses") or {}).get(qid, 0.0) for c in self.d["capabilities"]], float)

    def rule_regions(self, rule: dict) -> list[int]:
        """Indices of the regions a floor / min_units rule names (a set: duplicates count once)."""
        if rule.get("region") is not None:
            return [self.regions.index(rule["region"])]
        if rule.get("regions") is not None:
            return sorted({self.regions.index(r) for r in rule["regions"]})
        return [i for i, z in enumerate(self.zone) if z == rule["zone"]]

    def rule_periods(self, rule: dict) -> range:
        lo = rule.get("from_period")
        hi = rule.get("to_period")
        return range(0 if lo is None else lo, (self.P - 1 if hi is None else hi) + 1)

    def z_max(self) -> float:
        K = self.rho.size
        return float(np.einsum("p,t,tr->", self.pw, self.w_hat, self.imp) * self.rho.sum() / K)


def recomputed_score(pr: Params, S: np.ndarray) -> float:
    """MODEL.md's score of satisfaction S (T, R, P), segments filled best first."""
    K = pr.rho.size
    seg = np.clip(S[..., None] - np.arange(K) / K, 0.0, 1.0 / K)  # (T, R, P, K)
    value = (seg * pr.rho).sum(-1)
    z = np.einsum("p,t,tr,trp->", pr.pw, pr.w_hat, pr.imp, value)
    z_max = pr.z_max()
    return 100.0 * z / z_max if z_max > 0 else 0.0


def check_plan(d: dict, res) -> None:
    """Every constraint of MODEL.md, recomputed from ``res.generate`` and the allocation rows."""
    pr = Params(d)
    C, R, T, P = pr.C, pr.R, pr.T, pr.P
    assert set(res.generate) <= set(pr.caps), res.generate
    g = np.array([res.generate.get(c, 0.0) for c in pr.caps], float)
    assert np.isfinite(g).all()
    # the allocation, from its rows (ids), not from the solver's index arrays
    U = np.zeros((C, R, T, P))
    for row in res.allocation_rows():
        assert row["units"] > 0 and np.isfinite(row["units"]), row
        key = (
            pr.caps.index(row["capability"]),
            pr.regions.index(row["region"]),
            pr.tasks.index(row["task"]),
            pr.periods.index(row["period"]),
        )
        assert U[key] == 0, f"two rows for one cell: {row}"
        U[key] = row["units"]
    assert np.allclose(U, res.units_array())

    # g in [0, max_new], whole under integer_units
    assert (g >= -TOL).all() and (g <= pr.max_new + _tol(*pr.max_new)).all(), (g, pr.max_new)
    if pr.integer:
        assert np.array_equal(g, np.round(g)), g
    # units only where a capability has an effect, can operate and is not forbidden
    assert (U[~pr.allowed] == 0).all(), (
        "units in a cell with no effect, a zero region factor or a forbid rule"
    )
    # 1. availability, with lead times
    avail = pr.existing[:, None] + (np.arange(P)[None, :] >= pr.lead[:, None]) * g[:, None]
    employed = U.sum(axis=(1, 2))  # (C, P)
    assert (employed <= avail + TOL * np.maximum(1, avail)).all(), (employed, avail)
    # 2. region caps
    by_region = U.sum(axis=2)  # (C, R, P)
    assert (
        by_region
        <= pr.cap_r[:, None, None]
        + TOL * np.maximum(1, np.where(np.isfinite(pr.cap_r), pr.cap_r, 0))[:, None, None]
    ).all()
    # 3. effect: need * S <= what the units deliver; S in [0, 1]; NaN where there is no demand
    delivered = np.einsum("ct,cr,crtp->trp", pr.eff, pr.rf, U)
    S = np.asarray(res.satisfaction, float)
    assert S.shape == (T, R, P)
    has = pr.imp > 0
    assert np.isnan(S[~has]).all(), "satisfaction reported where there is no demand"
    S0 = np.where(has[..., None], S, 0.0)
    assert not np.isnan(S0).any()
    assert (S0 >= -TOL).all() and (S0 <= 1 + TOL).all()
    assert (pr.need[..., None] * S0 <= delivered + TOL * np.maximum(1, pr.need[..., None])).all()
    # 4. resources, by basis
    assert set(res.resources) == {q["id"] for q in d["resources"]}
    for q in d["resources"]:
        use = pr.use(q["id"])
        if q["basis"] == "generated":
            used = float(use @ g)
            assert used <= q["capacity"] + _tol(q["capacity"], used), (q, used)
        elif q["basis"] == "fielded":
            used = float(use @ (pr.existing + g))
            assert used <= q["capacity"] + _tol(q["capacity"], used), (q, used)
        else:
            per_period = np.einsum("c,crtp->p", use, U)
            assert (per_period <= q["capacity"] + _tol(q["capacity"], *per_period)).all(), (q, per_period)
            used = float(per_period.max())
        got = res.resources[q["id"]]
        assert got.used == _approx(used, _tol(used, q["capacity"])), (q["id"], got.used, used)
        assert got.capacity == q["capacity"]
        assert got.shadow_price >= 0 and np.isfinite(got.shadow_price)
    # 5. rules
    for rule in pr.rules:
        kind = rule["kind"]
        if kind == "floor":
            t = pr.tasks.index(rule["task"])
            for r in pr.rule_regions(rule):
                if pr.imp[t, r] > 0:
                    for p in pr.rule_periods(rule):
                        assert S[t, r, p] >= rule["min_satisfaction"] - TOL, (rule, r, p, S[t, r, p])
        elif kind == "max_share":
            cs = [pr.caps.index(c) for c in rule.get("capabilities") or pr.caps]
            cs = sorted(set(cs))
            t = pr.tasks.index(rule["task"])
            total = U[cs].sum()
            assert U[cs][:, :, t].sum() <= rule["max_share"] * total + _tol(total), rule
        elif kind == "forbid":
            pass  # checked with the cells above
        elif kind == "min_units":
            c = pr.caps.index(rule["capability"])
            rs = pr.rule_regions(rule)
            for p in pr.rule_periods(rule):
                present = U[c][rs][:, :, p].sum()
                assert present >= rule["units"] - _tol(rule["units"]), (rule, p, present)
    # the score: in [0, 100] and what the satisfaction is worth by MODEL.md's formula
    assert 0.0 <= res.score <= 100.0, res.score
    assert abs(res.score - recomputed_score(pr, S0)) <= 1e-6, (res.score, recomputed_score(pr, S0))
    for tid, v in res.task_scores.items():
        assert v is None or 0.0 <= v <= 100.0 + 1e-9, (tid, v)


class _approx(float):
    """``x == _approx(y, tol)`` compares within tol (keeps the assert messages short)."""

    def __new__(cls, value, tol):
        obj = super().__new__(cls, value)
        obj.tol = tol
        return obj

    def __eq__(self, other):
        return abs(float(other) - float(self)) <= self.tol

    __hash__ = float.__hash__


def check_diagnosis(d: dict, res) -> None:
    assert res.status == "infeasible"
    assert res.diagnosis, f"an infeasible result must carry a diagnosis: {res.message!r}"
    assert res.message.strip() and res.message.strip().lower() != "infeasible"
    rule_ids = {r["id"] for r in d.get("rules") or []}
    res_ids = {q["id"] for q in d["resources"]}
    for problem in res.diagnosis:
        assert problem.message.strip(), problem
        assert problem.shortfall > 0 and math.isfinite(problem.shortfall), problem
        assert problem.kind in ("rule", "resource"), problem
        assert problem.key in (rule_ids if problem.kind == "rule" else res_ids), problem


# =============================================================================
# An independently built LP: the optimum to compare against
# =============================================================================


def reference_optimum(d: dict, time_limit: float = 20.0):
    """("optimal", score) | ("infeasible", None) | ("unknown", None), from a dense model built here."""
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    pr = Params(d)
    C, R, T, P, K = pr.C, pr.R, pr.T, pr.P, pr.rho.size
    pairs = [(t, r) for t in range(T) for r in range(R) if pr.imp[t, r] > 0]
    nx = C * R * T * P

    def X(c, r, t, p):
        return ((c * R + r) * T + t) * P + p

    def G(c):
        return nx + c

    def S(i, p, k):
        return nx + C + (i * P + p) * K + k

    n = nx + C + len(pairs) * P * K
    rows, rhs = [], []

    def row(coefs: dict, b: float):
        rows.append(coefs)
        rhs.append(b)

    for c in range(C):  # 1. availability
        for p in range(P):
            co = {X(c, r, t, p): 1.0 for r in range(R) for t in range(T)}
            if p >= pr.lead[c]:
                co[G(c)] = -1.0
            row(co, pr.existing[c])
    for c in range(C):  # 2. region caps
        if np.isfinite(pr.cap_r[c]):
            for r in range(R):
                for p in range(P):
                    row({X(c, r, t, p): 1.0 for t in range(T)}, pr.cap_r[c])
    for i, (t, r) in enumerate(pairs):  # 3. effect
        for p in range(P):
            co = {S(i, p, k): pr.need[t, r] for k in range(K)}
            for c in range(C):
                if pr.eff[c, t] * pr.rf[c, r] > 0:
                    co[X(c, r, t, p)] = -pr.eff[c, t] * pr.rf[c, r]
            row(co, 0.0)
    for q in d["resources"]:  # 4. resources
        use = pr.use(q["id"])
        if q["basis"] == "generated":
            row({G(c): use[c] for c in range(C)}, q["capacity"])
        elif q["basis"] == "fielded":
            row({G(c): use[c] for c in range(C)}, q["capacity"] - float(use @ pr.existing))
        else:
            for p in range(P):
                row(
                    {X(c, r, t, p): use[c] for c in range(C) for r in range(R) for t in range(T)},
                    q["capacity"],
                )
    pair_index = {pair: i for i, pair in enumerate(pairs)}
    for rule in pr.rules:  # 5. rules
        if rule["kind"] == "floor":
            t = pr.tasks.index(rule["task"])
            for r in pr.rule_regions(rule):
                if pr.imp[t, r] > 0:
                    for p in pr.rule_periods(rule):
                        row({S(pair_index[(t, r)], p, k): -1.0 for k in range(K)}, -rule["min_satisfaction"])
        elif rule["kind"] == "max_share":
            cs = sorted({pr.caps.index(c) for c in rule.get("capabilities") or pr.caps})
            t0 = pr.tasks.index(rule["task"])
            row(
                {
                    X(c, r, t, p): (1.0 if t == t0 else 0.0) - rule["max_share"]
                    for c in cs
                    for r in range(R)
                    for t in range(T)
                    for p in range(P)
                },
                0.0,
            )
        elif rule["kind"] == "min_units":
            c = pr.caps.index(rule["capability"])
            for p in pr.rule_periods(rule):
                row({X(c, r, t, p): -1.0 for r in pr.rule_regions(rule) for t in range(T)}, -rule["units"])

    A = np.zeros((len(rows), n))
    for i, co in enumerate(rows):
        for j, v in co.items():
            A[i, j] += v
    b = np.array(rhs, float)
    upper = np.empty(n)
    for c in range(C):
        for r in range(R):
            for t in range(T):
                for p in range(P):
                    upper[X(c, r, t, p)] = np.inf if pr.allowed[c, r, t] else 0.0
        upper[G(c)] = pr.max_new[c]
    upper[nx + C :] = 1.0 / K
    cost = np.zeros(n)
    z_max = pr.z_max()
    if z_max > 0:
        for i, (t, r) in enumerate(pairs):
            for p in range(P):
                for k in range(K):
                    cost[S(i, p, k)] = -100.0 * pr.pw[p] * pr.w_hat[t] * pr.imp[t, r] * pr.rho[k] / z_max
    if pr.integer:
        integrality = np.zeros(n)
        integrality[nx : nx + C] = 1
        out = milp(
            cost,
            constraints=LinearConstraint(A, -np.inf, b) if len(rows) else None,
            integrality=integrality,
            bounds=Bounds(np.zeros(n), upper),
            options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
        )
    else:
        out = linprog(
            cost,
            A_ub=A if len(rows) else None,
            b_ub=b if len(rows) else None,
            bounds=np.column_stack([np.zeros(n), upper]),
            method="highs",
        )
    if out.status == 0:
        return "optimal", float(-out.fun) if z_max > 0 else 0.0
    if out.status == 2:
        return "infeasible", None
    return "unknown", None
