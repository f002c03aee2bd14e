"""Adding, renaming and removing the items of the file data, with every reference following.

A rename follows every field of :data:`~planner.item_refs.REFERENCES`; a
removal takes the references that only made sense with the item, and is
refused where a rule, or a list that names nothing else, would silently
change meaning. Values of an item are set in :mod:`planner.value_edits`,
a rule's kind in :mod:`planner.rule_edits`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from .item_names import item_label, named
from .item_refs import KEEP_EMPTY, KIND_OF, LIST_KEY, REFERENCES, EditRefused, Ref, check_id, ids, items_of, keyed_by
from .text import shown

# -- renaming and removing ----------------------------------------------------------------

_NEEDED = ("task", "region", "capability")  # a scenario needs at least one of each


def _rename_key(mapping: dict, old: str, new: str) -> dict:
    return {new if k == old else k: v for k, v in mapping.items()}


def _rule_words(data: dict, rule_ids: list[str]) -> str:
    labels = [item_label(data, "rule", r) for r in rule_ids]
    if len(labels) == 1:
        return f"rule {labels[0]}; remove or change the rule first"
    return f"rules {', '.join(labels[:-1])} and {labels[-1]}; remove or change those rules first"


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
    items = items_of(data, LIST_KEY[kind])
    if new in (item["id"] for item in items):
        raise EditRefused(f"duplicate id '{new}': it is already the id of {named(data, kind, new)}")
    for item in items:
        if item["id"] == old:
            item["id"] = new
    for holder, field in keyed_by(data, kind):
        holder[field] = _rename_key(holder[field], old, new)
    for ref in REFERENCES.get(kind, ()):
        for holder in items_of(data, ref.holder):
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
    return [r["id"] for r in items_of(data, "rules") if any(_names_item(r, ref, item_id) for ref in refs)]


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
    items = items_of(data, key)
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
            users = [r["id"] for r in items_of(data, "rules") if r.get("zone") == zone]
            if users:
                raise EditRefused(
                    f"{what} is the last region of zone '{shown(zone)}', which is used by {_rule_words(data, users)}"
                )
    lists = [ref for ref in REFERENCES.get(kind, ()) if ref.holder != "rules" and ref.shape == "list"]
    for ref in lists:
        for holder in items_of(data, ref.holder):
            if holder.get(ref.field) == [item_id]:
                owner = named(data, KIND_OF[ref.holder], holder["id"])
                raise EditRefused(f"{what} is the only one of the {ref.field.replace('_', ' ')} of {owner}; "
                                  f"give it another first, or clear its {ref.field.replace('_', ' ')}")
    data[key] = [i for i in data[key] if not (isinstance(i, dict) and i.get("id") == item_id)]
    for ref in lists:
        for holder in items_of(data, ref.holder):
            if isinstance(holder.get(ref.field), list):
                holder[ref.field] = [x for x in holder[ref.field] if x != item_id]
    demand = data.get("demand")
    for holder, field in keyed_by(data, kind):
        mapping = holder[field]
        if item_id in mapping:
            del mapping[item_id]
            # a task with no demand left in any region has no demand entry at all,
            # and an optional mapping emptied is left out
            if not mapping and (holder is demand or field not in KEEP_EMPTY):
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
