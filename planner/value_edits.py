"""Setting values in the file data: one field of an item, a need, an importance, a setting.

A value set to what the file means by leaving it out (None, an empty list, a
flag or a choice at its default) is left out, so that a file keeps to what an
older program reads unless it needs more. Adding, renaming and removing items
is :mod:`planner.item_edits`'s.
"""

from __future__ import annotations

from typing import Any

from .item_names import named
from .item_refs import DEFAULTS, KEEP_EMPTY, MAP_KEYS, EditRefused, find_item, ids, put_key
from .scenario import PLACES


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
            if not mapping and not (field in item and field in KEEP_EMPTY):
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
