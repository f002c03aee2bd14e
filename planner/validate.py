"""Checks a scenario file's meaning: ids that must resolve, rules that must
make sense. Works on the raw JSON data, defensively, so that it can run beside
the structural checks and every problem is reported at once."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Iterator

from .scenario import PLACES, REQUIRES_COUNTS, RULE_FIELDS
from .schema import ID_PATTERN, MAX_NAME_CHARS, RuleModel
from .text import SHOWN_LIMIT, shown

Problem = tuple[str, str]  # (JSON path, message)


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
    if not (isinstance(key, str) and len(key) <= _ID_LENGTH and key.isascii() and key.isprintable()):
        # a field name or an id is shown as it is, without the cost of looking
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


@dataclass
class _Known:
    """What references in a scenario file may name, gathered once."""

    tasks: set[str]
    regions: set[str]
    resources: set[str]
    capabilities: set[str]
    periods: set[str]
    zones: set[str]
    categories: set[str]  # the capabilities' categories
    not_camps: set[str]  # regions with "camp": false
    n_periods: int | None
    # None below: given, but not as true or false (the structural check names it)
    stationing: bool | None
    personnel: bool | None  # some resource has "personnel": true

    @classmethod
    def of(cls, data: dict) -> _Known:
        regions = [v for _, v in _items(data, "regions")]
        periods = data.get("periods")
        settings = data.get("settings")
        stationing = settings.get("stationing", False) if isinstance(settings, dict) else False
        personnel = [v.get("personnel") for _, v in _items(data, "resources")]
        return cls(
            tasks=_ids(data, "tasks"),
            regions=_ids(data, "regions"),
            resources=_ids(data, "resources"),
            capabilities=_ids(data, "capabilities"),
            periods=_ids(data, "periods"),
            zones={v["zone"] for v in regions if isinstance(v.get("zone"), str)},
            categories={
                v["category"] for _, v in _items(data, "capabilities") if isinstance(v.get("category"), str)
            },
            not_camps={v["id"] for v in regions if v.get("camp") is False and isinstance(v.get("id"), str)},
            n_periods=len(periods) if isinstance(periods, list) else None,
            stationing=_flag([stationing]),
            personnel=_flag(personnel),
        )


def _flag(values: list) -> bool | None:
    """Whether any of these file values is true; None when one is not true or false (or null)."""
    if any(v is True for v in values):
        return True
    return False if all(v is False or v is None for v in values) else None


def _unknown(path: str, value: Any, known: set[str], what: str) -> Iterator[Problem]:
    """A reference that does not resolve (one that cannot be an id is the structural check's)."""
    if _is_id(value) and value not in known:
        yield (path, f"unknown {what} {quoted(value)}")


def _unknown_keys(path: str, mapping: Any, known: set[str], what: str) -> Iterator[Problem]:
    """The keys of an id-keyed object that do not resolve."""
    if isinstance(mapping, dict):
        for key in mapping:
            if key not in known:  # the path only for a problem: most keys resolve
                yield from _unknown(path_join(path, key), key, known, what)


def _unknown_categories(path: str, mapping: Any, known: _Known) -> Iterator[Problem]:
    if isinstance(mapping, dict):
        for key in mapping:
            if len(key) <= MAX_NAME_CHARS and key not in known.categories:
                yield (path_join(path, key), f"unknown category {quoted(key)}: no capability has it")


_STATIONING = '"stationing": true in "settings"'
_STATIONING_ONLY = f"needs {_STATIONING}"


def _stationing_only(path: str, value: Any, known: _Known) -> Iterator[Problem]:
    """A field that means something only when units are based (MODEL.md, Clarifications)."""
    if value is not None and known.stationing is False:
        yield (path, f"{_STATIONING_ONLY} (found {found(value)})")


def _period_index(path: str, value: Any, known: _Known) -> Iterator[Problem]:
    if isinstance(value, int) and not isinstance(value, bool) and known.n_periods is not None:
        if value >= known.n_periods:
            yield (path, f"period index {found(value)} is out of range "
                         f"(the scenario has {known.n_periods} periods, 0 to {known.n_periods - 1})")


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

    known = _Known.of(data)
    task_items = _items(data, "tasks")
    weights = [_num(t.get("weight")) for _, t in task_items]
    if task_items and all(w is not None for w in weights) and sum(weights) <= 0:
        yield ("tasks", "every task weight is 0: give at least one task a positive weight")

    for i, period in _items(data, "periods"):
        yield from _unknown_categories(f"periods[{i}].effect_factor", period.get("effect_factor"), known)
    for i, region in _items(data, "regions"):
        yield from _check_region(f"regions[{i}]", region, known)
    for i, cap in _items(data, "capabilities"):
        yield from _check_capability(f"capabilities[{i}]", cap, known)
    yield from _check_demand(data.get("demand"), known)
    yield from _check_personnel(data)

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
        yield from _check_rule(f"rules[{i}]", rule, data, known)

    for i, member in _items(data, "panel"):
        w = member.get("weights")
        if isinstance(w, dict):
            yield from _unknown_keys(f"panel[{i}].weights", w, known.tasks, "task")
            values = [_num(v) for v in w.values()]
            if all(v is not None for v in values) and sum(values) <= 0:
                yield (f"panel[{i}].weights", "every weight is 0")


def _check_region(base: str, region: dict, known: _Known) -> Iterator[Problem]:
    if known.stationing and region.get("location") is None:
        yield (path_join(base, "location"),
               f"missing: with {_STATIONING} every region needs one (distances are measured between "
               "locations)")
    limits = region.get("camp_limits")
    yield from _stationing_only(path_join(base, "camp_limits"), limits, known)
    yield from _unknown_categories(path_join(base, "camp_limits"), limits, known)
    capacity = region.get("camp_capacity")
    if capacity is not None and known.personnel is False:
        yield (path_join(base, "camp_capacity"),
               f'counts persons, but no resource has "personnel": true (found {found(capacity)})')


def _check_capability(base: str, cap: dict, known: _Known) -> Iterator[Problem]:
    for key, names, what in (
        ("effect", known.tasks, "task"),
        ("region_factor", known.regions, "region"),
        ("uses", known.resources, "resource"),
        ("uses_per_km", known.resources, "resource"),
        ("move_uses", known.resources, "resource"),
    ):
        yield from _unknown_keys(path_join(base, key), cap.get(key), names, what)
    for key in ("edge_factor", "uses_per_km"):
        yield from _stationing_only(path_join(base, key), cap.get(key), known)

    bases = cap.get("bases")
    if isinstance(bases, list):
        if not bases:
            yield (path_join(base, "bases"), "an empty list: leave 'bases' out to allow every camp")
        seen: dict[str, int] = {}
        for j, region in enumerate(bases):
            path = f"{path_join(base, 'bases')}[{j}]"
            yield from _camp(path, region, known)
            if not _is_id(region):
                continue
            if region in seen:
                yield (path, f"{quoted(region)} appears twice (also bases[{seen[region]}])")
            else:
                seen[region] = j
    based_at = cap.get("based_at")
    if isinstance(based_at, dict):
        allowed = set(bases) if isinstance(bases, list) and all(_is_id(b) for b in bases) else None
        for region in based_at:
            path = path_join(path_join(base, "based_at"), region)
            yield from _camp(path, region, known)
            if allowed is not None and region in known.regions and region not in allowed:
                yield (path, f"{quoted(region)} is not one of the capability's 'bases'")

    existing = _num(cap.get("existing"))
    if existing is None:
        return
    units = [_num(v) for v in based_at.values()] if isinstance(based_at, dict) else []
    if units and all(u is not None for u in units) and sum(units) > existing + _SLACK * max(1.0, existing):
        yield (path_join(base, "based_at"),
               f"the units based sum to {sum(units):g}, more than the {existing:g} existing")
    repatriate = _num(cap.get("max_repatriate"))
    if repatriate is not None and repatriate > existing:
        yield (path_join(base, "max_repatriate"),
               f"{found(cap['max_repatriate'])} is more than the {existing:g} existing units")


_SLACK = 1e-9  # relative: sums of fractions need not add up exactly


def _camp(path: str, region: Any, known: _Known) -> Iterator[Problem]:
    """A region named as a base: it must be one, and a camp."""
    yield from _unknown(path, region, known.regions, "region")
    if _is_id(region) and region in known.not_camps:
        yield (path, f'region {quoted(region)} is not a camp (it has "camp": false)')


def _check_demand(demand: Any, known: _Known) -> Iterator[Problem]:
    if not isinstance(demand, dict):
        return
    for task_id, per_region in demand.items():
        base = path_join("demand", task_id)
        yield from _unknown(base, task_id, known.tasks, "task")
        if not isinstance(per_region, dict):
            continue
        for region_id, d in per_region.items():
            path = path_join(base, region_id)
            yield from _unknown(path, region_id, known.regions, "region")
            if isinstance(d, dict):
                yield from _unknown_keys(path_join(path, "need_by_period"), d.get("need_by_period"),
                                         known.periods, "period")


def _check_personnel(data: dict) -> Iterator[Problem]:
    first = None
    for i, resource in _items(data, "resources"):
        if resource.get("personnel") is True:
            if first is None:
                first = i
            else:
                yield (f"resources[{i}].personnel",
                       f'only one resource may have "personnel": true (resources[{first}] has it too)')


# References a rule's fields make: field -> (what it names, the attribute of _Known).
_RULE_REFERENCES = {
    "task": ("task", "tasks"),
    "via_task": ("task", "tasks"),
    "capability": ("capability", "capabilities"),
    "region": ("region", "regions"),
    "zone": ("zone", "zones"),
}
_RULE_LISTS = {"regions": ("region", "regions"), "capabilities": ("capability", "capabilities")}


def _one_of(names) -> str:
    quoted_names = [f"'{n}'" for n in names]
    return f"{', '.join(quoted_names[:-1])} or {quoted_names[-1]}"


def _check_rule(base: str, rule: dict, data: dict, known: _Known) -> Iterator[Problem]:
    kind = rule.get("kind")
    if not isinstance(kind, str) or kind not in RULE_FIELDS:
        return  # the structural check names the bad kind
    fields = RULE_FIELDS[kind]
    for key in rule:
        if key in RuleModel.model_fields and key not in fields.allowed:  # others are unknown keys
            yield (path_join(base, key), f"{quoted(key)} does not apply to a {kind} rule")
    for key in fields.required:
        if rule.get(key) is None:
            yield (path_join(base, key), f"a {kind} rule needs '{key}'")

    for key, (what, attr) in _RULE_REFERENCES.items():
        yield from _unknown(path_join(base, key), rule.get(key), getattr(known, attr), what)
    for key, (what, attr) in _RULE_LISTS.items():
        values = rule.get(key)
        if isinstance(values, list):
            for j, value in enumerate(values):
                yield from _unknown(f"{base}.{key}[{j}]", value, getattr(known, attr), what)
            if not values:
                yield (path_join(base, key), f"an empty list of {key}")

    places = [k for k in PLACES if rule.get(k) is not None]
    if fields.place == "one" and len(places) != 1:
        yield (base, f"a {kind} rule needs exactly one of {_one_of(PLACES)}")
    if fields.place == "any" and len(places) > 1:
        yield (base, f"a {kind} rule takes at most one of {_one_of(PLACES)}")
    if fields.needs_one_optional and not any(rule.get(k) is not None for k in fields.optional):
        yield (base, f"a {kind} rule needs at least one of {', '.join(repr(k) for k in fields.optional)}")
    if "from_period" in fields.optional:
        lo, hi = rule.get("from_period"), rule.get("to_period")
        yield from _period_index(path_join(base, "from_period"), lo, known)
        yield from _period_index(path_join(base, "to_period"), hi, known)
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            yield (base, f"from_period {found(lo)} is after to_period {found(hi)}")
    if kind == "floor":
        yield from _check_floor_matches(base, rule, data, known.tasks)
    if kind == "requires":
        yield from _check_requires(base, rule, known)


def _check_requires(base: str, rule: dict, known: _Known) -> Iterator[Problem]:
    needs = rule.get("needs")
    if isinstance(needs, dict):
        if not needs:
            yield (path_join(base, "needs"), "an empty object: name at least one enabler and its ratio")
        yield from _unknown_keys(path_join(base, "needs"), needs, known.capabilities, "capability")
        capability = rule.get("capability")
        if isinstance(capability, str) and capability in needs:
            yield (path_join(path_join(base, "needs"), capability),
                   f"{quoted(capability)} is the rule's own capability: it cannot be its own enabler")
    yield from _stationing_only(path_join(base, "beyond_km"), rule.get("beyond_km"), known)
    count, within = rule.get("count"), rule.get("within_km")
    if count == "based_within":
        yield from _stationing_only(path_join(base, "count"), count, known)
        if within is None:
            yield (path_join(base, "within_km"),
                   "a requires rule with \"count\": \"based_within\" needs 'within_km'")
    elif within is not None and (count is None or count in REQUIRES_COUNTS):
        yield (path_join(base, "within_km"),
               f"applies only with \"count\": \"based_within\" (found {found(within)} with "
               f"{'no count' if count is None else 'count ' + found(count)})")


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
