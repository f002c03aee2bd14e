"""Checks a scenario file's meaning: ids that must resolve, rules that must
make sense. Works on the raw JSON data, defensively, so that it can run beside
the structural checks and every problem is reported at once."""

from __future__ import annotations

import math
import re
from typing import Any
from collections.abc import Iterator

from .schema import ID_PATTERN
from .text import SHOWN_LIMIT, shown

Problem = tuple[str, str]  # (JSON path, message)

_RULE_FIELDS = {
    "floor": ({"task", "min_satisfaction"}, {"region", "regions", "zone", "from_period", "to_period"}),
    "max_share": ({"task", "max_share"}, {"capabilities"}),
    "forbid": (set(), {"capability", "task", "region"}),
    "min_units": ({"capability", "units"}, {"region", "regions", "zone", "from_period", "to_period"}),
}
_RULE_COMMON = {"id", "name", "kind", "note", "extra"}


_ID = re.compile(ID_PATTERN)
_ID_LENGTH = 64  # the longest id: a key that may be one is never shortened in a path
_CUT_NOTE = 25  # what shortening adds: "… (1,000,000 characters)"


def visible(text: str, limit: int = SHOWN_LIMIT) -> str:
    """``text`` as a message shows it (see :func:`planner.text.shown`): shortened only
    where that makes it shorter, and with lone surrogates escaped as well, so that the
    message can always be printed."""
    out = shown(text, limit if len(text) > limit + _CUT_NOTE else len(text))
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        out = out.encode("utf-8", "backslashreplace").decode("utf-8")
    return out


def quoted(text: str) -> str:
    """Text from the file, quoted for a message: ``'poc'``."""
    return f"'{visible(text)}'"


def found(value: Any) -> str:
    """A value from the file as a message names it: ``'abc'``, ``1.5``, ``true``,
    ``null``, ``a list``; never more than a line."""
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        if value.bit_length() <= 128:
            return str(value)
        digits = int((value.bit_length() - 1) * math.log10(2)) + 1  # exact or one short
        if abs(value) >= 10**digits:
            digits += 1
        return f"a whole number of {digits:,} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return visible(repr(value))


def path_join(base: str, key: Any) -> str:
    """``base`` extended by a list index or an object key (escaped, and shortened when
    longer than any id)."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    key = visible(key, _ID_LENGTH) if isinstance(key, str) else visible(repr(key))
    return f"{base}.{key}" if base else key


def _is_id(value: Any) -> bool:
    """Whether ``value`` could be an id. Only such references are looked up: one that
    cannot be an id is already named by the structural check, once."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _ids(data: dict, key: str) -> set[str]:
    return {v["id"] for _, v in _items(data, key) if isinstance(v.get("id"), str)}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too big for a float: the structural check names it
        return None


# Beyond these a scenario is not a planning case but a hostile or broken file.
LIMITS = {"periods": 120, "tasks": 200, "regions": 1000, "capabilities": 2000, "resources": 200,
          "rules": 10_000, "panel": 1000, "sources": 10_000}
MAX_CELLS = 20_000_000  # capabilities x regions x tasks x periods


def check_limits(data: dict) -> Iterator[Problem]:
    """Yield a problem for each list longer than the program handles."""
    for key, most in LIMITS.items():
        value = data.get(key)
        if isinstance(value, list) and len(value) > most:
            yield (key, f"{len(value):,} items: at most {most:,} are allowed")
    sizes = [len(data.get(k)) if isinstance(data.get(k), list) else 0
             for k in ("capabilities", "regions", "tasks", "periods")]
    cells = sizes[0] * sizes[1] * sizes[2] * sizes[3]
    if cells > MAX_CELLS:
        yield ("", f"the scenario is too large: {cells:,} capability x region x task x period "
                   f"combinations (at most {MAX_CELLS:,})")


def check_references(data: dict) -> Iterator[Problem]:
    """Yield every semantic problem of a scenario file's data."""
    limits = list(check_limits(data))
    if limits:
        yield from limits
        return  # do not spend time checking what will be refused anyway
    for key in ("periods", "tasks", "regions", "capabilities", "resources", "rules", "panel"):
        seen: dict[str, int] = {}
        for i, item in _items(data, key):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                yield (
                    path_join(f"{key}[{i}]", "id"),
                    f"duplicate id {quoted(item_id)} (also {key}[{seen[item_id]}])",
                )
            else:
                seen[item_id] = i

    tasks, regions = _ids(data, "tasks"), _ids(data, "regions")
    resources, capabilities = _ids(data, "resources"), _ids(data, "capabilities")
    zones = {
        v["zone"] for _, v in _items(data, "regions") if isinstance(v.get("zone"), str)
    }
    periods = data.get("periods")
    n_periods = len(periods) if isinstance(periods, list) else None

    task_items = _items(data, "tasks")
    weights = [_num(t.get("weight")) for _, t in task_items]
    if task_items and all(w is not None for w in weights) and sum(weights) <= 0:
        yield ("tasks", "every task weight is 0: give at least one task a positive weight")

    for i, cap in _items(data, "capabilities"):
        base = f"capabilities[{i}]"
        for field, known, what in (
            ("effect", tasks, "task"),
            ("region_factor", regions, "region"),
            ("uses", resources, "resource"),
        ):
            mapping = cap.get(field)
            if isinstance(mapping, dict):
                for key in mapping:
                    if _is_id(key) and key not in known:
                        yield (path_join(path_join(base, field), key), f"unknown {what} {quoted(key)}")

    demand = data.get("demand")
    if isinstance(demand, dict):
        for task_id, per_region in demand.items():
            base = path_join("demand", task_id)
            if _is_id(task_id) and task_id not in tasks:
                yield (base, f"unknown task {quoted(task_id)}")
            if isinstance(per_region, dict):
                for region_id in per_region:
                    if _is_id(region_id) and region_id not in regions:
                        yield (path_join(base, region_id), f"unknown region {quoted(region_id)}")

    returns = data.get("returns")
    if isinstance(returns, list):
        values = [_num(v) for v in returns]
        if all(v is not None for v in values):
            for k in range(1, len(values)):
                if values[k] > values[k - 1]:
                    yield (
                        f"returns[{k}]",
                        f"returns must not increase ({values[k]:g} after {values[k - 1]:g})",
                    )

    for i, rule in _items(data, "rules"):
        yield from _check_rule(
            f"rules[{i}]", rule, data, tasks, regions, capabilities, zones, n_periods
        )

    for i, member in _items(data, "panel"):
        w = member.get("weights")
        if isinstance(w, dict):
            for key in w:
                if _is_id(key) and key not in tasks:
                    yield (path_join(f"panel[{i}].weights", key), f"unknown task {quoted(key)}")
            values = [_num(v) for v in w.values()]
            if all(v is not None for v in values) and sum(values) <= 0:
                yield (f"panel[{i}].weights", "every weight is 0")


def _check_rule(base, rule, data, tasks, regions, capabilities, zones, n_periods):
    kind = rule.get("kind")
    if not isinstance(kind, str) or kind not in _RULE_FIELDS:
        return  # the structural check names the bad kind
    required, optional = _RULE_FIELDS[kind]
    for key in rule:
        if key not in required | optional | _RULE_COMMON:
            yield (path_join(base, key), f"{quoted(key)} does not apply to a {kind} rule")
    for key in sorted(required):
        if rule.get(key) is None:
            yield (path_join(base, key), f"a {kind} rule needs '{key}'")

    def ref(key, known, what):
        value = rule.get(key)
        if _is_id(value) and value not in known:
            return (path_join(base, key), f"unknown {what} {quoted(value)}")
        return None

    for key, known, what in (
        ("task", tasks, "task"),
        ("capability", capabilities, "capability"),
        ("region", regions, "region"),
        ("zone", zones, "zone"),
    ):
        problem = ref(key, known, what)
        if problem:
            yield problem
    for key, known, what in (("regions", regions, "region"), ("capabilities", capabilities, "capability")):
        values = rule.get(key)
        if isinstance(values, list):
            for j, value in enumerate(values):
                if _is_id(value) and value not in known:
                    yield (f"{base}.{key}[{j}]", f"unknown {what} {quoted(value)}")
            if not values:
                yield (path_join(base, key), f"an empty list of {key}")

    if kind in ("floor", "min_units"):
        given = [k for k in ("region", "regions", "zone") if rule.get(k) is not None]
        if len(given) != 1:
            yield (base, f"a {kind} rule needs exactly one of 'region', 'regions' or 'zone'")
        lo, hi = rule.get("from_period"), rule.get("to_period")
        for key, value in (("from_period", lo), ("to_period", hi)):
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and n_periods is not None
                and value >= n_periods
            ):
                yield (
                    path_join(base, key),
                    f"period index {found(value)} is out of range "
                    f"(the scenario has {n_periods} periods, 0 to {n_periods - 1})",
                )
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            yield (base, f"from_period {found(lo)} is after to_period {found(hi)}")
    if kind == "forbid" and not any(rule.get(k) is not None for k in ("capability", "task", "region")):
        yield (base, "a forbid rule needs at least one of 'capability', 'task', 'region'")
    if kind == "floor":
        yield from _check_floor_matches(base, rule, data, tasks)


def _check_floor_matches(base, rule, data, tasks):
    task = rule.get("task")
    demand = data.get("demand")
    if not isinstance(task, str) or task not in tasks or not isinstance(demand, dict):
        return
    if isinstance(rule.get("region"), str):
        targets = {rule["region"]}
    elif isinstance(rule.get("regions"), list):
        targets = {r for r in rule["regions"] if isinstance(r, str)}
    elif isinstance(rule.get("zone"), str):
        targets = {
            v["id"] for _, v in _items(data, "regions")
            if v.get("zone") == rule["zone"] and isinstance(v.get("id"), str)
        }
    else:
        return
    per_region = demand.get(task)
    with_demand = set()
    if isinstance(per_region, dict):
        for region_id, d in per_region.items():
            imp = _num(d.get("importance", 1)) if isinstance(d, dict) else None
            if imp is None or imp > 0:
                with_demand.add(region_id)
    if not targets & with_demand:
        yield (base, f"the floor matches no region where task {quoted(task)} has demand")
