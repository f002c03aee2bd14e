"""Changes to the scenario's file data: add, rename and remove items, convert rules.

Plain dicts in, plain dicts changed in place, no Qt: a model takes the file
data from ``Document.data()``, changes it here and hands it back to the
document, which checks the whole scenario before anything changes.

Which fields name which kind of item is written once, in the tables below,
so that renaming and removing follow the same references.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from typing import Any

from planner.schema import ID_PATTERN
from planner.text import shown

from .numbers import EditRefused

#: The list of the file data that holds each kind of item.
LIST_KEY = {
    "task": "tasks",
    "region": "regions",
    "capability": "capabilities",
    "resource": "resources",
    "rule": "rules",
}
_NEEDED = ("task", "region", "capability")  # a scenario needs at least one of each

# -- where an item is named -------------------------------------------------------

#: The mappings keyed by the ids of each kind, as (list, field): every
#: capability's "effect" is keyed by task, for instance. The demand, keyed by
#: task and then by region, is added by _keyed_by.
_ID_KEYED_MAPS = {
    "task": (("capabilities", "effect"), ("panel", "weights")),
    "region": (("capabilities", "region_factor"),),
    "resource": (("capabilities", "uses"),),
}
#: The rule fields that name an item of each kind: (one id, a list of ids).
_NAMED_BY_RULES = {
    "task": ("task", None),
    "region": ("region", "regions"),
    "capability": ("capability", "capabilities"),
}

_ID_RE = re.compile(ID_PATTERN)


def _keyed_by(data: dict, kind: str) -> Iterator[tuple[dict, str]]:
    """(holder, field) of every mapping in ``data`` keyed by the ids of ``kind``."""
    for list_key, field in _ID_KEYED_MAPS.get(kind, ()):
        for holder in data.get(list_key) or []:
            if isinstance(holder.get(field), dict):
                yield holder, field
    demand = data.get("demand")
    if not isinstance(demand, dict):
        return
    if kind == "task":
        yield data, "demand"
    elif kind == "region":
        for task_id in list(demand):  # the caller may drop a task's emptied demand
            yield demand, task_id


def _rename_key(mapping: dict, old: str, new: str) -> dict:
    return {new if k == old else k: v for k, v in mapping.items()}


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
    """The ids of the items of ``kind``, in order."""
    return [item["id"] for item in data.get(LIST_KEY[kind]) or []]


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


def rename_id(data: dict, kind: str, old: str, new: str) -> None:
    """Rename a task, region, capability, resource or rule, and every reference to it.

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    kind : str
        "task", "region", "capability", "resource" or "rule".
    old, new : str
        The ids; renaming to the same id changes nothing.

    Raises
    ------
    EditRefused
        When ``new`` is not a valid id, or another item of ``kind`` has it.
    """
    if new == old:
        return
    check_id(new)
    items = data.get(LIST_KEY[kind]) or []
    if new in (item["id"] for item in items):
        raise EditRefused(f"duplicate id '{new}': there is already a {kind} '{new}'")
    for item in items:
        if item["id"] == old:
            item["id"] = new
    for holder, field in _keyed_by(data, kind):
        holder[field] = _rename_key(holder[field], old, new)
    one, many = _NAMED_BY_RULES.get(kind, (None, None))
    for r in data.get("rules") or []:
        if one and r.get(one) == old:
            r[one] = new
        if many and r.get(many):
            r[many] = [new if x == old else x for x in r[many]]


def _rule_words(rule_ids: list[str]) -> str:
    quoted = [f"'{r}'" for r in rule_ids]
    if len(quoted) == 1:
        return f"rule {quoted[0]}; remove or change the rule first"
    return f"rules {', '.join(quoted[:-1])} and {quoted[-1]}; remove or change those rules first"


def rules_using(data: dict, kind: str, item_id: str) -> list[str]:
    """The ids of the rules that name a task, region or capability.

    Parameters
    ----------
    data : dict
        The file data.
    kind : str
        The kind of item; resources and rules are named by no rule.
    item_id : str

    Returns
    -------
    list of str
    """
    one, many = _NAMED_BY_RULES.get(kind, (None, None))
    return [
        r["id"] for r in data.get("rules") or []
        if (one and r.get(one) == item_id) or (many and item_id in (r.get(many) or ()))
    ]


def remove_item(data: dict, kind: str, item_id: str) -> None:
    """Remove an item and the references that only make sense with it.

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    kind : str
        "task", "region", "capability", "resource" or "rule".
    item_id : str

    Raises
    ------
    EditRefused
        When there is no such item, when it is the last task, region or
        capability, or when a rule names it (or, for a region, the zone it
        is the last of): the rule would silently change meaning.
    """
    key = LIST_KEY[kind]
    items = data.get(key) or []
    if item_id not in (i["id"] for i in items):
        raise EditRefused(f"there is no {kind} '{item_id}'")
    if kind in _NEEDED and len(items) <= 1:
        raise EditRefused(f"the scenario needs at least one {kind}; add another before removing '{item_id}'")
    users = rules_using(data, kind, item_id)
    if users:
        raise EditRefused(f"{kind} '{item_id}' is used by {_rule_words(users)}")
    if kind == "region":
        zone = next(i["zone"] for i in items if i["id"] == item_id)
        if not any(i["zone"] == zone and i["id"] != item_id for i in items):
            users = [r["id"] for r in data.get("rules") or [] if r.get("zone") == zone]
            if users:
                raise EditRefused(
                    f"region '{item_id}' is the last region of zone '{zone}', which is used by "
                    f"{_rule_words(users)}"
                )
    data[key] = [i for i in items if i["id"] != item_id]
    demand = data.get("demand")
    for holder, field in _keyed_by(data, kind):
        mapping = holder[field]
        if item_id in mapping:
            del mapping[item_id]
            # a task with no demand left in any region has no demand entry at all
            if not mapping and holder is demand:
                del holder[field]


# -- adding ---------------------------------------------------------------------------

#: A new item of each kind, but for its id: defaults that change no result by themselves.
_NEW_ITEM = {
    "task": {"name": "New task", "weight": 1},
    "region": {"name": "New region", "zone": "zone"},
    "capability": {"name": "New capability", "category": "other",
                   "existing": 0, "max_new": 0, "lead_time": 0, "effect": {}},
    "resource": {"name": "New resource", "basis": "generated", "capacity": 0, "unit": ""},
    # a task may take up to 100% of the employment: a rule that binds nothing yet
    # (its task, the first, is filled in by new_item)
    "rule": {"name": "New rule", "kind": "max_share", "task": None, "max_share": 1},
}
#: The field a new item copies from the item it is added after (else the last
#: one): a region added next to Gao is most likely in Gao's zone.
_LIKE_NEIGHBOUR = {"region": "zone", "capability": "category"}


def fresh_id(existing: Sequence[str], stem: str) -> str:
    """``stem_N``, with the first N from ``len(existing) + 1`` that is not taken."""
    n = len(existing) + 1
    while f"{stem}_{n}" in existing:
        n += 1
    return f"{stem}_{n}"


def new_item(data: dict, kind: str, near: dict | None = None) -> dict:
    """A new item with a fresh id and defaults that change no result by themselves.

    Parameters
    ----------
    data : dict
        The file data (not changed).
    kind : str
        "task", "region", "capability", "resource" or "rule".
    near : dict, optional
        The item it is added after: a new region takes its zone, a new
        capability its category.

    Returns
    -------
    dict
        The item's file data.
    """
    item = {"id": fresh_id(ids(data, kind), kind), **copy.deepcopy(_NEW_ITEM[kind])}
    field = _LIKE_NEIGHBOUR.get(kind)
    if field:
        neighbour = near or (data[LIST_KEY[kind]] or [{}])[-1]
        item[field] = neighbour.get(field, item[field])
    if kind == "rule":
        item["task"] = data["tasks"][0]["id"]
    return item


def add_item(data: dict, kind: str, after: int | None = None) -> int:
    """Insert a new item after row ``after`` (at the end when None).

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    kind : str
        "task", "region", "capability", "resource" or "rule".
    after : int, optional
        The row to add it after; None or a row that does not exist: at the end.

    Returns
    -------
    int
        The new item's row.
    """
    key = LIST_KEY[kind]
    items = data.get(key)
    if items is None:
        items = data[key] = []
    near = items[after] if after is not None and 0 <= after < len(items) else None
    row = len(items) if near is None else after + 1
    items.insert(row, new_item(data, kind, near))
    return row


# -- rules ----------------------------------------------------------------------------

#: The fields each kind of rule has, besides id, name, note and kind.
RULE_FIELDS = {
    "floor": ("task", "regions", "zone", "min_satisfaction", "from_period", "to_period"),
    "max_share": ("task", "capabilities", "max_share"),
    "forbid": ("capability", "task", "region"),
    "min_units": ("capability", "regions", "zone", "units", "from_period", "to_period"),
}
#: The field holding each kind's value (a forbid rule has none).
RULE_VALUE = {"floor": "min_satisfaction", "max_share": "max_share", "min_units": "units"}
_RULE_NEUTRAL = {"min_satisfaction": 0, "max_share": 1, "units": 0}
#: Each kind of rule in words.
KIND_WORDS = {"floor": "floor", "max_share": "max share", "forbid": "forbid", "min_units": "min units"}


def _demand_regions(data: dict, task_id: str | None) -> list[str]:
    per = (data.get("demand") or {}).get(task_id) or {}
    return [r for r, d in per.items() if d.get("importance", 1) > 0]


def convert_rule(rule: dict, kind: str, data: dict) -> dict:
    """The rule as another kind: keeps what still applies, fills what is needed.

    The value starts where it binds nothing (a floor of 0, a max share of
    100%, 0 units) rather than carrying over: a floor's "at least 40%" is not a
    max share's "at most 40%". The user then types the value meant.

    Parameters
    ----------
    rule : dict
        The rule's file data (not changed).
    kind : str
        "floor", "max_share", "forbid" or "min_units".
    data : dict
        The file data, to pick a task and regions with demand.

    Returns
    -------
    dict
        The converted rule (``rule`` itself when it already is of ``kind``).
    """
    if kind == rule.get("kind"):
        return rule
    out = {k: v for k, v in rule.items() if k in ("id", "name", "note", "extra")}
    out["kind"] = kind
    wanted = RULE_FIELDS[kind]
    for k in wanted:
        if k in rule and k not in RULE_VALUE.values():
            out[k] = rule[k]
    if kind == "forbid" and "region" not in out and len(rule.get("regions") or ()) == 1:
        out["region"] = rule["regions"][0]
    if kind in ("floor", "min_units") and rule.get("region") and "zone" not in out:
        out.setdefault("regions", [rule["region"]])
    if kind == "max_share" and rule.get("capability"):
        out.setdefault("capabilities", [rule["capability"]])
    if kind in ("forbid", "min_units") and "capability" not in out and rule.get("capabilities"):
        out["capability"] = rule["capabilities"][0]
    if kind in RULE_VALUE:
        out[RULE_VALUE[kind]] = _RULE_NEUTRAL[RULE_VALUE[kind]]
    tasks = ids(data, "task")
    if kind in ("floor", "max_share") and not out.get("task"):
        with_demand = [t for t in tasks if _demand_regions(data, t)]
        where = set(out.get("regions") or ())
        there = [t for t in with_demand if where & set(_demand_regions(data, t))]
        out["task"] = (there or with_demand or tasks)[0]
    if kind == "min_units" and not out.get("capability"):
        out["capability"] = ids(data, "capability")[0]
    if kind in ("floor", "min_units") and "regions" not in out and "zone" not in out:
        candidates = _demand_regions(data, out.get("task")) if kind == "floor" else []
        out["regions"] = [(candidates or ids(data, "region"))[0]]
    if kind == "floor" and "regions" in out:
        candidates = _demand_regions(data, out["task"])
        if candidates and not set(out["regions"]) & set(candidates):
            out["regions"] = [candidates[0]]
    return out
