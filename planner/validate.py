"""Checks a scenario file's meaning: ids that must resolve, rules that must
make sense. Works on the raw JSON data, defensively, so that it can run beside
the structural checks and every problem is reported at once.

Here: the size limits, duplicate ids, and the checks of periods, regions,
capabilities (bases, laydown, repatriation), demand, resources and the panel.
The rules' checks are in :mod:`planner.validate_rules`, what a reference may
name in :mod:`planner.validate_known`, and how a message quotes the file in
:mod:`planner.check_messages` (re-exported here, where the loaders import it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .check_messages import Problem, found, path_join, quoted, visible
from .validate_known import (
    STATIONING, Known, as_number, is_id, items_with_index, stationing_only, unknown, unknown_categories, unknown_keys,
)
from .validate_rules import check_rule

__all__ = ["LIMITS", "MAX_CELLS", "Problem", "check_limits", "check_references", "found", "path_join", "quoted",
           "visible"]

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
        for i, item in items_with_index(data, key):
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

    known = Known.of(data)
    task_items = items_with_index(data, "tasks")
    weights = [as_number(t.get("weight")) for _, t in task_items]
    if task_items and all(w is not None for w in weights) and sum(weights) <= 0:
        yield ("tasks", "every task weight is 0: give at least one task a positive weight")

    for i, period in items_with_index(data, "periods"):
        yield from unknown_categories(f"periods[{i}].effect_factor", period.get("effect_factor"), known)
    for i, region in items_with_index(data, "regions"):
        yield from _check_region(f"regions[{i}]", region, known)
    for i, cap in items_with_index(data, "capabilities"):
        yield from _check_capability(f"capabilities[{i}]", cap, known)
    yield from _check_demand(data.get("demand"), known)
    yield from _check_personnel(data)

    returns = data.get("returns")
    if isinstance(returns, list):
        values = [as_number(v) for v in returns]
        if all(v is not None for v in values):
            for k in range(1, len(values)):
                if values[k] > values[k - 1]:
                    yield (
                        f"returns[{k}]",
                        f"returns must not increase ({values[k]:g} after {values[k - 1]:g})",
                    )

    for i, rule in items_with_index(data, "rules"):
        yield from check_rule(f"rules[{i}]", rule, data, known)

    for i, member in items_with_index(data, "panel"):
        w = member.get("weights")
        if isinstance(w, dict):
            yield from unknown_keys(f"panel[{i}].weights", w, known.tasks, "task")
            values = [as_number(v) for v in w.values()]
            if all(v is not None for v in values) and sum(values) <= 0:
                yield (f"panel[{i}].weights", "every weight is 0")


def _check_region(base: str, region: dict, known: Known) -> Iterator[Problem]:
    if known.stationing and region.get("location") is None:
        yield (path_join(base, "location"),
               f"missing: with {STATIONING} every region needs one (distances are measured between "
               "locations)")
    limits = region.get("camp_limits")
    yield from stationing_only(path_join(base, "camp_limits"), limits, known)
    yield from unknown_categories(path_join(base, "camp_limits"), limits, known)
    capacity = region.get("camp_capacity")
    if capacity is not None and known.personnel is False:
        yield (path_join(base, "camp_capacity"),
               f'counts persons, but no resource has "personnel": true (found {found(capacity)})')


def _check_capability(base: str, cap: dict, known: Known) -> Iterator[Problem]:
    for key, names, what in (
        ("effect", known.tasks, "task"),
        ("region_factor", known.regions, "region"),
        ("uses", known.resources, "resource"),
        ("uses_per_km", known.resources, "resource"),
        ("move_uses", known.resources, "resource"),
    ):
        yield from unknown_keys(path_join(base, key), cap.get(key), names, what)
    for key in ("edge_factor", "uses_per_km"):
        yield from stationing_only(path_join(base, key), cap.get(key), known)

    bases = cap.get("bases")
    if isinstance(bases, list):
        if not bases:
            yield (path_join(base, "bases"), "an empty list: leave 'bases' out to allow every camp")
        seen: dict[str, int] = {}
        for j, region in enumerate(bases):
            path = f"{path_join(base, 'bases')}[{j}]"
            yield from _camp(path, region, known)
            if not is_id(region):
                continue
            if region in seen:
                yield (path, f"{quoted(region)} appears twice (also bases[{seen[region]}])")
            else:
                seen[region] = j
    based_at = cap.get("based_at")
    if isinstance(based_at, dict):
        allowed = set(bases) if isinstance(bases, list) and all(is_id(b) for b in bases) else None
        for region in based_at:
            path = path_join(path_join(base, "based_at"), region)
            yield from _camp(path, region, known)
            if allowed is not None and region in known.regions and region not in allowed:
                yield (path, f"{quoted(region)} is not one of the capability's 'bases'")

    existing = as_number(cap.get("existing"))
    if existing is None:
        return
    units = [as_number(v) for v in based_at.values()] if isinstance(based_at, dict) else []
    if units and all(u is not None for u in units) and sum(units) > existing + _SLACK * max(1.0, existing):
        yield (path_join(base, "based_at"),
               f"the units based sum to {sum(units):g}, more than the {existing:g} existing")
    repatriate = as_number(cap.get("max_repatriate"))
    if repatriate is not None and repatriate > existing:
        yield (path_join(base, "max_repatriate"),
               f"{found(cap['max_repatriate'])} is more than the {existing:g} existing units")


_SLACK = 1e-9  # relative: sums of fractions need not add up exactly


def _camp(path: str, region: Any, known: Known) -> Iterator[Problem]:
    """A region named as a base: it must be one, and a camp."""
    yield from unknown(path, region, known.regions, "region")
    if is_id(region) and region in known.not_camps:
        yield (path, f'region {quoted(region)} is not a camp (it has "camp": false)')


def _check_demand(demand: Any, known: Known) -> Iterator[Problem]:
    if not isinstance(demand, dict):
        return
    for task_id, per_region in demand.items():
        base = path_join("demand", task_id)
        yield from unknown(base, task_id, known.tasks, "task")
        if not isinstance(per_region, dict):
            continue
        for region_id, d in per_region.items():
            path = path_join(base, region_id)
            yield from unknown(path, region_id, known.regions, "region")
            if isinstance(d, dict):
                yield from unknown_keys(path_join(path, "need_by_period"), d.get("need_by_period"),
                                         known.periods, "period")


def _check_personnel(data: dict) -> Iterator[Problem]:
    first = None
    for i, resource in items_with_index(data, "resources"):
        if resource.get("personnel") is True:
            if first is None:
                first = i
            else:
                yield (f"resources[{i}].personnel",
                       f'only one resource may have "personnel": true (resources[{first}] has it too)')
