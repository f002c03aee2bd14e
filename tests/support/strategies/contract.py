"""Contract v1's fields as the corruptions need them, and walking a scenario dict.

``FIELDS`` maps every object type to its keys and their kinds (a leaf type, a
list, a map keyed by ids, a nested object, or a verbatim ``extra``);
:func:`walk` lists every node of a scenario dict with its role, so a
corruption can pick a place of a given kind and name it by its JSON path.
"""

from __future__ import annotations

from planner.check_messages import path_join

from dataclasses import dataclass

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
    """A JSON path the way the planner writes them: ``capabilities[3].effect.poc``
    (keys escaped and shortened as every message shows them)."""
    out = ""
    for p in parts:
        out = path_join(out, p)
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
