"""Where the file data names items: the lists, the fields that refer to items, and ids.

The raw file data (plain dicts) as the edits see it: which list holds each kind
of item (:data:`LIST_KEY`), every field that names an item of another kind
(:data:`REFERENCES`), the defaults a file leaves out, the ids in order, a
valid id, one item's data, and the regions a rule or a task's demand names
(which the scenario check reads too). The error every edit refuses with,
:class:`EditRefused`, is here too. Names as a person reads them are in
:mod:`planner.item_names`; the edits themselves in :mod:`planner.edits`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from .schema import ID_PATTERN
from .text import shown


class EditRefused(ValueError):
    """An edit refused before the scenario is even checked, with the reason in words."""


#: The list of the file data that holds each kind of item.
LIST_KEY = {
    "task": "tasks",
    "region": "regions",
    "capability": "capabilities",
    "resource": "resources",
    "rule": "rules",
}
#: Every list of named items: those above, and kinds that are named but not added or removed.
NAMED_LISTS = {**LIST_KEY, "period": "periods", "panel member": "panel"}
#: The kind of the items each list holds.
KIND_OF = {v: k for k, v in NAMED_LISTS.items()}


# -- where an item is named -------------------------------------------------------


class Ref(NamedTuple):
    """A field of the items of one list that names items of some kind."""

    holder: str  # the list holding the field: "capabilities"
    field: str
    shape: str  # "key": a mapping keyed by ids; "one": one id; "list": a list of ids


#: Every field naming an item of each kind (the demand, keyed by task and then
#: by region, is added by :func:`keyed_by`).
REFERENCES: dict[str, tuple[Ref, ...]] = {
    "task": (
        Ref("capabilities", "effect", "key"), Ref("panel", "weights", "key"),
        Ref("rules", "task", "one"), Ref("rules", "via_task", "one"),
    ),
    "region": (
        Ref("capabilities", "region_factor", "key"), Ref("capabilities", "based_at", "key"),
        Ref("capabilities", "bases", "list"),
        Ref("rules", "region", "one"), Ref("rules", "regions", "list"),
    ),
    "capability": (
        Ref("rules", "capability", "one"), Ref("rules", "capabilities", "list"), Ref("rules", "needs", "key"),
    ),
    "resource": (
        Ref("capabilities", "uses", "key"), Ref("capabilities", "uses_per_km", "key"),
        Ref("capabilities", "move_uses", "key"),
    ),
}
#: The kind of item that keys each mapping of the file data.
MAP_KEYS: dict[str, str] = {
    **{ref.field: kind for kind, refs in REFERENCES.items() for ref in refs if ref.shape == "key"},
    "camp_limits": "category", "effect_factor": "category", "need_by_period": "period",
}
#: Mappings a file may spell out empty; an emptied one stays (a load and a save give the same bytes).
KEEP_EMPTY = ("effect", "region_factor", "uses", "weights")
#: The value of a field the file leaves out. A flag or a choice set to it is left out,
#: so that a file keeps to what an older program reads unless it needs more.
DEFAULTS: dict[str, Any] = {
    "camp": True, "personnel": False, "any": False, "stationing": False,
    "scope": "region", "count": "employed",
    "reach_km": 0, "edge_factor": 1, "max_repatriate": 0, "importance": 1,
}

_ID_RE = re.compile(ID_PATTERN)


def items_of(data: dict, list_key: str) -> list[dict]:
    """The items of one list that are objects (a file not yet checked may hold anything)."""
    items = data.get(list_key)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def keyed_by(data: dict, kind: str) -> Iterator[tuple[dict, str]]:
    """(holder, field) of every mapping in ``data`` keyed by the ids of ``kind``."""
    for ref in REFERENCES.get(kind, ()):
        if ref.shape == "key":
            for holder in items_of(data, ref.holder):
                if isinstance(holder.get(ref.field), dict):
                    yield holder, ref.field
    demand = data.get("demand")
    if not isinstance(demand, dict):
        return
    if kind == "task":
        yield data, "demand"
    elif kind == "region":
        for task_id in list(demand):  # the caller may drop a task's emptied demand
            yield demand, task_id


def rule_region_ids(data: dict, rule: dict) -> list[str] | None:
    """The ids of the regions a rule's place names: its region, its regions, or its zone's.

    Read defensively (a file not yet checked): a place of the wrong type names
    nothing. None when the rule names no place.
    """
    if isinstance(rule.get("region"), str):
        return [rule["region"]]
    if isinstance(rule.get("regions"), list):
        return [r for r in rule["regions"] if isinstance(r, str)]
    if isinstance(rule.get("zone"), str):
        return [v["id"] for v in items_of(data, "regions")
                if v.get("zone") == rule["zone"] and isinstance(v.get("id"), str)]
    return None


def regions_with_demand(data: dict, task_id: Any) -> list[str]:
    """The regions where a task has demand that counts (importance above 0), in the file's order.

    Read defensively: a demand whose importance is not a number is counted,
    and left for the checks to name.
    """
    demand = data.get("demand")
    per_region = demand.get(task_id) if isinstance(demand, dict) and isinstance(task_id, str) else None
    if not isinstance(per_region, dict):
        return []
    out = []
    for region_id, d in per_region.items():
        importance = d.get("importance", 1) if isinstance(d, dict) else None
        if not isinstance(importance, (int, float)) or isinstance(importance, bool) or importance > 0:
            out.append(region_id)
    return out


def put_key(mapping: dict, key: str, value: Any, order: Sequence[str]) -> dict:
    """``mapping`` with ``key`` set; a new key goes where ``order`` puts it.

    Parameters
    ----------
    mapping : dict
        Changed in place when ``key`` is already there.
    key : str
        The id to set.
    value : Any
    order : sequence of str
        The ids in the order the scenario lists them, so that a file keeps
        its effects, factors and demand in the order of its tasks and regions.

    Returns
    -------
    dict
        ``mapping`` itself, or a new dict with ``key`` in its place.
    """
    if key in mapping:
        mapping[key] = value
        return mapping
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(rank))
    out: dict = {}
    placed = False
    for k, v in mapping.items():
        if not placed and rank.get(k, len(rank) + 1) > mine:
            out[key] = value
            placed = True
        out[k] = v
    if not placed:
        out[key] = value
    return out


def ids(data: dict, kind: str) -> list[str]:
    """The ids of the items of ``kind`` in order ("category": the capabilities' categories)."""
    if kind == "category":
        return list(dict.fromkeys(c.get("category") for c in items_of(data, "capabilities")))
    return [item["id"] for item in items_of(data, NAMED_LISTS[kind])]


def slug(text: str) -> str:
    """A valid id resembling ``text`` ("Gao region" -> "gao_region")."""
    s = re.sub(r"[^a-z0-9_-]+", "_", text.strip().lower()).strip("_")
    return s[:64] or "item"


def check_id(text: str, what: str = "id") -> str:
    """``text`` if it is a valid id; else refuse, suggesting one.

    Parameters
    ----------
    text : str
    what : str, optional
        What the text is for ("id", "zone name"), for the refusal.

    Returns
    -------
    str
        ``text``.

    Raises
    ------
    EditRefused
    """
    if not _ID_RE.fullmatch(text):
        raise EditRefused(
            f"'{shown(text)}' is not a valid {what}: use 1-64 characters of a-z, 0-9, '_' or '-' "
            f"(for example '{shown(slug(text))}')"
        )
    return text


def find_item(data: dict, kind: str, item_id: str) -> dict:
    """The file data of one item (changes to it change ``data``).

    Raises
    ------
    EditRefused
        When there is no such item.
    """
    for item in items_of(data, LIST_KEY[kind]):
        if item.get("id") == item_id:
            return item
    raise EditRefused(f"there is no {kind} '{shown(item_id)}'")
