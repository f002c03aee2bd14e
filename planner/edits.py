"""Changes to a scenario's file data: add, rename and remove items, set values, convert rules.

Plain dicts in, plain dicts changed in place: the caller takes the file data
(``scenario_to_dict``), changes it here and checks the whole scenario again
(``scenario_from_dict``) before using it, so a change that breaks a rule of
the file is refused as a whole. What these functions refuse themselves, they
refuse with :class:`EditRefused`, naming items by their names.

Which fields name which kind of item is written once, in :data:`REFERENCES`,
so that renaming and removing follow the same references.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from .scenario import PLACES, RULE_COMMON, RULE_FIELDS, RULE_KINDS
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
#: Kinds that are named but not added or removed here.
_NAMED_LISTS = {**LIST_KEY, "period": "periods", "panel member": "panel"}
_KIND_OF = {v: k for k, v in _NAMED_LISTS.items()}
_NEEDED = ("task", "region", "capability")  # a scenario needs at least one of each


# -- where an item is named -------------------------------------------------------


class Ref(NamedTuple):
    """A field of the items of one list that names items of some kind."""

    holder: str  # the list holding the field: "capabilities"
    field: str
    shape: str  # "key": a mapping keyed by ids; "one": one id; "list": a list of ids


#: Every field naming an item of each kind (the demand, keyed by task and then
#: by region, is added by :func:`_keyed_by`).
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
_KEEP_EMPTY = ("effect", "region_factor", "uses", "weights")
#: The value of a field the file leaves out. A flag or a choice set to it is left out,
#: so that a file keeps to what an older program reads unless it needs more.
DEFAULTS: dict[str, Any] = {
    "camp": True, "personnel": False, "any": False, "stationing": False,
    "scope": "region", "count": "employed",
    "reach_km": 0, "edge_factor": 1, "max_repatriate": 0, "importance": 1,
}

_ID_RE = re.compile(ID_PATTERN)


def _items_of(data: dict, list_key: str) -> list[dict]:
    items = data.get(list_key)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _keyed_by(data: dict, kind: str) -> Iterator[tuple[dict, str]]:
    """(holder, field) of every mapping in ``data`` keyed by the ids of ``kind``."""
    for ref in REFERENCES.get(kind, ()):
        if ref.shape == "key":
            for holder in _items_of(data, ref.holder):
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
    """The ids of the items of ``kind`` in order ("category": the capabilities' categories)."""
    if kind == "category":
        return list(dict.fromkeys(c.get("category") for c in _items_of(data, "capabilities")))
    return [item["id"] for item in _items_of(data, _NAMED_LISTS[kind])]


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


# -- names ----------------------------------------------------------------------------


def _names(pairs: Iterable[tuple[str, str | None]]) -> dict[str, tuple[str, bool]]:
    """id -> (name, whether another item has the same name); an item without a name goes by its id."""
    named = [(item_id, name if isinstance(name, str) and name.strip() else item_id) for item_id, name in pairs]
    counts = Counter(name.strip().casefold() for _, name in named)
    return {item_id: (name, name != item_id and counts[name.strip().casefold()] > 1) for item_id, name in named}


def display_names(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """How a person tells the items apart: id -> name, or "name (id)" where names are shared.

    Parameters
    ----------
    pairs : iterable of (str, str or None)
        Each item's id and name, in order.

    Returns
    -------
    dict
    """
    return {i: f"{name} ({i})" if shared else name for i, (name, shared) in _names(pairs).items()}


def _pairs(data: dict, kind: str) -> list[tuple[str, str | None]]:
    if kind == "category":
        return [(c, c) for c in ids(data, kind)]
    return [(i.get("id"), i.get("name")) for i in _items_of(data, _NAMED_LISTS[kind])]


def names(data: dict, kind: str) -> dict[str, str]:
    """The display name of every item of ``kind`` in ``data``, by id (see :func:`display_names`)."""
    return display_names(_pairs(data, kind))


def item_label(data: dict, kind: str, item_id: str) -> str:
    """An item as a message names it: "'Utility helicopter'", "'Infantry' (inf_2)" where names
    are shared, "'xyz'" for an id that names no item."""
    name, shared = _names(_pairs(data, kind)).get(item_id, (item_id, False))
    return f"'{shown(name)}'" + (f" ({shown(item_id)})" if shared else "")


def named(data: dict, kind: str, item_id: str) -> str:
    """The kind and the label: "capability 'Utility helicopter'"."""
    return f"{kind} {item_label(data, kind, item_id)}"


def resolve(data: dict, kind: str, text: str) -> str:
    """The id of the item of ``kind`` that ``text`` names: by its id, its name or its display name.

    Parameters
    ----------
    data : dict
        The file data.
    kind : str
        "task", "region", "capability", "resource" or "rule".
    text : str
        What was typed or picked.

    Returns
    -------
    str

    Raises
    ------
    EditRefused
        When no item, or more than one, goes by ``text``.
    """
    pairs = _pairs(data, kind)
    known = [i for i, _ in pairs]
    if text in known:
        return text
    shown_as = display_names(pairs)
    folded = text.strip().casefold()
    by_display = [i for i, d in shown_as.items() if d.casefold() == folded]
    if by_display:
        return by_display[0]
    by_name = [i for i, name in pairs if isinstance(name, str) and name.strip().casefold() == folded]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise EditRefused(f"'{shown(text)}' names {len(by_name)} {kind}s: pick one of "
                          + ", ".join(shown(shown_as[i]) for i in by_name))
    if text.strip().lower() in known:
        return text.strip().lower()
    choices = [shown(shown_as[i]) for i in known[:8]] + (["…"] if len(known) > 8 else [])
    raise EditRefused(f"'{shown(text)}' is not a {kind}: use one of {', '.join(choices)}")


def resolve_list(data: dict, kind: str, text: str) -> list[str]:
    """The ids of the items a comma-separated text names (see :func:`resolve`); a name
    holding a comma is read whole.

    Raises
    ------
    EditRefused
        At the first part that names no item.
    """
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest run of parts that names an item
            try:
                out.append(resolve(data, kind, ", ".join(parts[i:j])))
            except EditRefused:
                if j == i + 1:
                    raise
                continue
            i = j
            break
    return out


def _rule_words(data: dict, rule_ids: list[str]) -> str:
    labels = [item_label(data, "rule", r) for r in rule_ids]
    if len(labels) == 1:
        return f"rule {labels[0]}; remove or change the rule first"
    return f"rules {', '.join(labels[:-1])} and {labels[-1]}; remove or change those rules first"


# -- renaming and removing ----------------------------------------------------------------


def rename_id(data: dict, kind: str, old: str, new: str) -> None:
    """Rename a task, region, capability, resource or rule, and every reference to it.

    Parameters
    ----------
    data : dict
        The file data, changed in place (every field of :data:`REFERENCES` follows).
    kind : str
        A key of :data:`LIST_KEY`.
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
    items = _items_of(data, LIST_KEY[kind])
    if new in (item["id"] for item in items):
        raise EditRefused(f"duplicate id '{new}': it is already the id of {named(data, kind, new)}")
    for item in items:
        if item["id"] == old:
            item["id"] = new
    for holder, field in _keyed_by(data, kind):
        holder[field] = _rename_key(holder[field], old, new)
    for ref in REFERENCES.get(kind, ()):
        for holder in _items_of(data, ref.holder):
            if ref.shape == "one" and holder.get(ref.field) == old:
                holder[ref.field] = new
            elif ref.shape == "list" and isinstance(holder.get(ref.field), list):
                holder[ref.field] = [new if x == old else x for x in holder[ref.field]]


def _names_item(holder: dict, ref: Ref, item_id: str) -> bool:
    value = holder.get(ref.field)
    if ref.shape == "one":
        return value == item_id
    return isinstance(value, (list, dict)) and item_id in value


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
    refs = [ref for ref in REFERENCES.get(kind, ()) if ref.holder == "rules"]
    return [r["id"] for r in _items_of(data, "rules") if any(_names_item(r, ref, item_id) for ref in refs)]


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
        capability, when a rule names it (or, for a region, the zone it is
        the last of), or when it is all a list names (a capability's only
        base): the rule or the list would silently change meaning.
    """
    key = LIST_KEY[kind]
    items = _items_of(data, key)
    if item_id not in (i["id"] for i in items):
        raise EditRefused(f"there is no {kind} '{shown(item_id)}'")
    what = named(data, kind, item_id)
    if kind in _NEEDED and len(items) <= 1:
        raise EditRefused(f"the scenario needs at least one {kind}; add another before removing {what}")
    users = rules_using(data, kind, item_id)
    if users:
        raise EditRefused(f"{what} is used by {_rule_words(data, users)}")
    if kind == "region":
        zone = next(i["zone"] for i in items if i["id"] == item_id)
        if not any(i["zone"] == zone and i["id"] != item_id for i in items):
            users = [r["id"] for r in _items_of(data, "rules") if r.get("zone") == zone]
            if users:
                raise EditRefused(
                    f"{what} is the last region of zone '{shown(zone)}', which is used by {_rule_words(data, users)}"
                )
    lists = [ref for ref in REFERENCES.get(kind, ()) if ref.holder != "rules" and ref.shape == "list"]
    for ref in lists:
        for holder in _items_of(data, ref.holder):
            if holder.get(ref.field) == [item_id]:
                owner = named(data, _KIND_OF[ref.holder], holder["id"])
                raise EditRefused(f"{what} is the only one of the {ref.field.replace('_', ' ')} of {owner}; "
                                  f"give it another first, or clear its {ref.field.replace('_', ' ')}")
    data[key] = [i for i in data[key] if not (isinstance(i, dict) and i.get("id") == item_id)]
    for ref in lists:
        for holder in _items_of(data, ref.holder):
            if isinstance(holder.get(ref.field), list):
                holder[ref.field] = [x for x in holder[ref.field] if x != item_id]
    demand = data.get("demand")
    for holder, field in _keyed_by(data, kind):
        mapping = holder[field]
        if item_id in mapping:
            del mapping[item_id]
            # a task with no demand left in any region has no demand entry at all,
            # and an optional mapping emptied is left out
            if not mapping and (holder is demand or field not in _KEEP_EMPTY):
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
    """Insert a new item (see :func:`new_item`) after row ``after`` (at the end when None).

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    kind : str
        The kind of the new item, a key of :data:`LIST_KEY`.
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


# -- setting values ---------------------------------------------------------------------


def find_item(data: dict, kind: str, item_id: str) -> dict:
    """The file data of one item (changes to it change ``data``).

    Raises
    ------
    EditRefused
        When there is no such item.
    """
    for item in _items_of(data, LIST_KEY[kind]):
        if item.get("id") == item_id:
            return item
    raise EditRefused(f"there is no {kind} '{shown(item_id)}'")


def _leaves_out(field: str, value: Any) -> bool:
    """Whether ``value`` is what the file means by leaving ``field`` out: a flag or choice at its default."""
    default = DEFAULTS.get(field)
    return isinstance(value, (bool, str)) and type(value) is type(default) and value == default


def set_value(data: dict, kind: str, item_id: str, field: str, value: Any, key: str | None = None) -> None:
    """Set one field of an item, or (with ``key``) one entry of a mapping field.

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    kind, item_id : str
        The item: its kind (a key of :data:`LIST_KEY`) and id.
    field : str
        The file key ("reach_km", "based_at").
    value : Any
        The new value; None (or an empty list) leaves the field, or the entry, out.
        A flag or a choice set to its default (:data:`DEFAULTS`) is left out too.
    key : str, optional
        The entry of a mapping: a new one goes in the order of the items it names.

    Raises
    ------
    EditRefused
        When there is no such item.
    """
    item = find_item(data, kind, item_id)
    if key is not None:
        mapping = item.get(field)
        mapping = dict(mapping) if isinstance(mapping, dict) else {}
        if value is None:
            mapping.pop(key, None)
            if not mapping and not (field in item and field in _KEEP_EMPTY):
                item.pop(field, None)
                return
        else:
            mapping = put_key(mapping, key, value, ids(data, MAP_KEYS.get(field, "task")))
        item[field] = mapping
        return
    if value is None or value == [] or _leaves_out(field, value):
        item.pop(field, None)
    else:
        item[field] = value
    if kind == "rule" and field == "count":
        # the distance goes with counting enablers where they are based, and only with that
        if item.get("count") == "based_within":
            item.setdefault("within_km", 0)
        else:
            item.pop("within_km", None)


def set_place(data: dict, rule_id: str, field: str | None, value: Any) -> None:
    """Where a rule applies: one of :data:`~planner.scenario.PLACES`, the others cleared.

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    rule_id : str
    field : str or None
        "region", "regions" or "zone"; None: nowhere in particular (everywhere, where the kind allows).
    value : Any
        A region id, a list of them, or a zone.
    """
    rule = find_item(data, "rule", rule_id)
    for place in PLACES:
        rule.pop(place, None)
    if field is not None:
        set_value(data, "rule", rule_id, field, value)


def _demand_pair(data: dict, task_id: str, region_id: str) -> dict | None:
    per = (data.get("demand") or {}).get(task_id)
    return per.get(region_id) if isinstance(per, dict) else None


def set_need(data: dict, task_id: str, region_id: str, need: float | None) -> None:
    """Set the need of a task in a region; None removes the demand there.

    Parameters
    ----------
    data : dict
        The file data, changed in place.
    task_id, region_id : str
    need : float or None
        A new pair goes in the order of the tasks and regions; a task left
        without demand in any region has no demand entry at all.
    """
    demand = data.setdefault("demand", {})
    per = demand.get(task_id)
    if need is None:
        if isinstance(per, dict) and region_id in per:
            del per[region_id]
            if not per:
                del demand[task_id]
        return
    pair = _demand_pair(data, task_id, region_id)
    if pair is not None:
        pair["need"] = need
        return
    per = put_key(per or {}, region_id, {"need": need}, ids(data, "region"))
    data["demand"] = put_key(demand, task_id, per, ids(data, "task"))


def set_importance(data: dict, task_id: str, region_id: str, importance: float | None) -> None:
    """Set how much a need matters; None: the default (1).

    Raises
    ------
    EditRefused
        When the task has no demand in the region.
    """
    pair = _demand_pair(data, task_id, region_id)
    if pair is None:
        raise EditRefused(f"{named(data, 'task', task_id)} has no demand in "
                          f"{named(data, 'region', region_id)}: give it a need first")
    if importance is None:
        pair.pop("importance", None)
    else:
        pair["importance"] = importance


def set_setting(data: dict, name: str, on: bool) -> None:
    """Turn a setting ("integer_units", "stationing") on or off."""
    settings = data.setdefault("settings", {})
    if _leaves_out(name, bool(on)):
        settings.pop(name, None)
    else:
        settings[name] = bool(on)


# -- rules ----------------------------------------------------------------------------

#: The field holding each kind's value (a forbid rule has none; a requires rule's are its needs).
RULE_VALUE = {"floor": "min_satisfaction", "max_share": "max_share", "min_units": "units"}
#: Values that bind nothing: a floor of 0, a max share of 100%, 0 units.
_RULE_NEUTRAL = {"min_satisfaction": 0, "max_share": 1, "units": 0}
#: A requires rule's first enabler needs this many per unit of its capability.
_FIRST_RATIO = 1


def _demand_regions(data: dict, task_id: str | None) -> list[str]:
    per = (data.get("demand") or {}).get(task_id) or {}
    return [r for r, d in per.items() if d.get("importance", 1) > 0]


def _rule_regions(rule: dict, data: dict) -> set[str]:
    if rule.get("zone") is not None:
        return {r["id"] for r in _items_of(data, "regions") if r.get("zone") == rule["zone"]}
    return set(rule.get("regions") or ()) | ({rule["region"]} if rule.get("region") else set())


def convert_rule(rule: dict, kind: str, data: dict) -> dict:
    """The rule as another kind: keeps what still applies, fills what is needed.

    The value starts where it binds nothing (a floor of 0, a max share of
    100%, 0 units) rather than carrying over: a floor's "at least 40%" is not a
    max share's "at most 40%". The user then types the value meant. A requires
    rule has no such value: it starts needing one unit of the first other
    capability per unit of its own.

    Parameters
    ----------
    rule : dict
        The rule's file data (not changed).
    kind : str
        One of :data:`~planner.scenario.RULE_KINDS`.
    data : dict
        The file data, to pick a task and regions with demand.

    Returns
    -------
    dict
        The converted rule (``rule`` itself when it already is of ``kind``).

    Raises
    ------
    EditRefused
        For a requires rule in a scenario of one capability.
    """
    if kind == rule.get("kind"):
        return rule
    fields = RULE_FIELDS[kind]
    values = {*RULE_VALUE.values(), "needs"}
    out = {k: v for k, v in rule.items() if k in RULE_COMMON}
    out["kind"] = kind
    for k in fields.allowed:
        if k in rule and k not in RULE_COMMON and k not in values:
            out[k] = rule[k]
    # one capability <-> a list of them; a forbid rule's one region from a list of one
    if "capability" in fields.allowed and "capability" not in out and rule.get("capabilities"):
        out["capability"] = rule["capabilities"][0]
    if "capabilities" in fields.allowed and rule.get("capability"):
        out.setdefault("capabilities", [rule["capability"]])
    if kind == "forbid" and "region" not in out and len(rule.get("regions") or ()) == 1:
        out["region"] = rule["regions"][0]
    if kind in RULE_VALUE:
        out[RULE_VALUE[kind]] = _RULE_NEUTRAL[RULE_VALUE[kind]]
    tasks = ids(data, "task")
    if "task" in fields.required and not out.get("task"):
        with_demand = [t for t in tasks if _demand_regions(data, t)]
        where = _rule_regions(out, data)
        there = [t for t in with_demand if where & set(_demand_regions(data, t))]
        out["task"] = (there or with_demand or tasks)[0]
    if "capability" in fields.required and not out.get("capability"):
        out["capability"] = ids(data, "capability")[0]
    if kind == "requires":
        others = [c for c in ids(data, "capability") if c != out["capability"]]
        if not others:
            raise EditRefused("a requires rule links two capabilities: add another capability first")
        out["needs"] = {others[0]: _FIRST_RATIO}
    if fields.place == "one" and not any(out.get(p) is not None for p in PLACES):
        candidates = _demand_regions(data, out.get("task")) if kind == "floor" else []
        out["regions"] = [(candidates or ids(data, "region"))[0]]
    if kind == "floor":
        candidates = _demand_regions(data, out["task"])
        if candidates and not _rule_regions(out, data) & set(candidates):
            for place in PLACES:
                out.pop(place, None)
            out["regions"] = [candidates[0]]
    return out


def set_rule_kind(data: dict, rule_id: str, kind: str) -> None:
    """Make a rule of ``data`` (changed in place) another kind, as :func:`convert_rule` does.

    ``kind`` is read as typed: "max share" and "Max_Share" are "max_share".

    Raises
    ------
    EditRefused
        For a kind that is not one.
    """
    wanted = kind.strip().lower().replace(" ", "_")
    if wanted not in RULE_KINDS:
        raise EditRefused(f"'{shown(kind)}' is not a kind of rule: use one of {', '.join(RULE_KINDS)}")
    rule = find_item(data, "rule", rule_id)
    rules = data["rules"]
    rules[rules.index(rule)] = convert_rule(rule, wanted, data)
