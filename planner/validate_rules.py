"""The checks of a scenario file's rules: fields that apply to the kind, references, places, periods.

Like :mod:`planner.validate`, on the raw JSON data and defensively: a value
of the wrong type is left to the structural check.
"""

from __future__ import annotations

from collections.abc import Iterator

from .check_messages import Problem, found, path_join, quoted
from .item_refs import regions_with_demand, rule_region_ids
from .scenario import PLACES, REQUIRES_COUNTS, RULE_FIELDS
from .schema import RuleModel
from .validate_known import Known, period_index, stationing_only, unknown, unknown_keys

# References a rule's fields make: field -> (what it names, the attribute of Known).
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


def check_rule(base: str, rule: dict, data: dict, known: Known) -> Iterator[Problem]:
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
        yield from unknown(path_join(base, key), rule.get(key), getattr(known, attr), what)
    for key, (what, attr) in _RULE_LISTS.items():
        values = rule.get(key)
        if isinstance(values, list):
            for j, value in enumerate(values):
                yield from unknown(f"{base}.{key}[{j}]", value, getattr(known, attr), what)
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
        yield from period_index(path_join(base, "from_period"), lo, known)
        yield from period_index(path_join(base, "to_period"), hi, known)
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            yield (base, f"from_period {found(lo)} is after to_period {found(hi)}")
    if kind == "floor":
        yield from _check_floor_matches(base, rule, data, known.tasks)
    if kind == "requires":
        yield from _check_requires(base, rule, known)


def _check_requires(base: str, rule: dict, known: Known) -> Iterator[Problem]:
    needs = rule.get("needs")
    if isinstance(needs, dict):
        if not needs:
            yield (path_join(base, "needs"), "an empty object: name at least one enabler and its ratio")
        yield from unknown_keys(path_join(base, "needs"), needs, known.capabilities, "capability")
        capability = rule.get("capability")
        if isinstance(capability, str) and capability in needs:
            yield (path_join(path_join(base, "needs"), capability),
                   f"{quoted(capability)} is the rule's own capability: it cannot be its own enabler")
    yield from stationing_only(path_join(base, "beyond_km"), rule.get("beyond_km"), known)
    count, within = rule.get("count"), rule.get("within_km")
    if count == "based_within":
        yield from stationing_only(path_join(base, "count"), count, known)
        if within is None:
            yield (path_join(base, "within_km"),
                   "a requires rule with \"count\": \"based_within\" needs 'within_km'")
    elif within is not None and (count is None or count in REQUIRES_COUNTS):
        yield (path_join(base, "within_km"),
               f"applies only with \"count\": \"based_within\" (found {found(within)} with "
               f"{'no count' if count is None else 'count ' + found(count)})")


def _check_floor_matches(base, rule, data, tasks):
    task = rule.get("task")
    if not isinstance(task, str) or task not in tasks or not isinstance(data.get("demand"), dict):
        return
    targets = rule_region_ids(data, rule)
    if targets is not None and not set(targets) & set(regions_with_demand(data, task)):
        yield (base, f"the floor matches no region where task {quoted(task)} has demand")
