"""A rule as a planner reads it, built from its current values.

A rule's stored ``name`` is a label its author gave ("PoC in the centre");
the values it holds can change after that (the floor raised to 95 %). So the
text every message, chart and slide shows is built from the values each time:
``"PoC in the centre: Protection of civilians ≥ 95 % in the centre, from
Oct-Dec 2020"``. The name stays as a prefix, unless it states values of
its own (``"... >= 40%"``), which would go stale; it is never the only text.
"""

from __future__ import annotations

import re

from .scenario import Rule, Scenario


def _names(items) -> dict[str, str]:
    return {item.id: item.name for item in items or ()}


def _place(s: Scenario, rule: Rule) -> str:
    regions = _names(s.regions)
    if rule.region is not None:
        return f"in {regions.get(rule.region, rule.region)}"
    if rule.regions is not None:
        listed = [regions.get(r, r) for r in rule.regions]
        return "in " + (", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else "".join(listed))
    if rule.zone is not None:
        return f"in the {rule.zone} zone"
    return "everywhere"


def _periods(s: Scenario, rule: Rule) -> str:
    names = [p.name for p in s.periods]
    lo, hi = rule.from_period, rule.to_period
    if (lo is None or lo == 0) and (hi is None or hi == len(names) - 1):
        return ""
    first = names[lo] if lo is not None and 0 <= lo < len(names) else None
    last = names[hi] if hi is not None and 0 <= hi < len(names) else None
    if first and last:
        return f", {first} to {last}" if first != last else f", in {first}"
    if first:
        return f", from {first}"
    return f", until {last}" if last else ""


def _percent(x: float | None) -> str:
    return "?" if x is None else f"{100 * x:.0f} %"


def rule_values(s: Scenario, rule: Rule) -> str:
    """What the rule asks, in words, from its values now."""
    tasks, caps = _names(s.tasks), _names(s.capabilities)
    task = tasks.get(rule.task, rule.task) if rule.task else None
    cap = caps.get(rule.capability, rule.capability) if rule.capability else None
    if rule.kind == "floor":
        return f"{task} ≥ {_percent(rule.min_satisfaction)} of its need {_place(s, rule)}{_periods(s, rule)}"
    if rule.kind == "max_share":
        of = ", ".join(caps.get(c, c) for c in rule.capabilities) if rule.capabilities else "all units"
        return f"{task} ≤ {_percent(rule.max_share)} of the employment of {of}"
    if rule.kind == "forbid":
        where = f" in {_names(s.regions).get(rule.region, rule.region)}" if rule.region else ""
        return f"no {cap or 'unit'} on {task or 'any task'}{where}"
    if rule.kind == "min_units":
        units = "?" if rule.units is None else f"{rule.units:g}"
        return f"at least {units} {cap} {_place(s, rule)}{_periods(s, rule)}"
    if rule.kind == "requires":
        needs = rule.needs or {}
        joined = (" or " if rule.any else " and ").join(f"{ratio:g} {caps.get(b, b)}" for b, ratio in needs.items())
        scope = "zone" if rule.effective_scope == "zone" else "region"
        extra = ""
        if rule.beyond_km is not None:
            extra += f", beyond {rule.beyond_km:g} km of its base"
        if rule.effective_count == "based_within" and rule.within_km is not None:
            extra += f" (enablers based within {rule.within_km:g} km count)"
        via = f", on {tasks.get(rule.via_task, rule.via_task)}" if rule.via_task else ""
        place = _place(s, rule)
        place = "" if place == "everywhere" else f", {place}"
        return f"each {cap} needs {joined}{via} per unit in the same {scope}{place}{extra}{_periods(s, rule)}"
    return rule.kind


# A name that states a comparison or a share ("PoC in the centre >= 40%") goes stale when
# the values change: such a name is left out, and the values say it all. Other numbers in a
# name ("G5 support", "Kidal held since 2013") are the name's own.
_STATES_VALUES = re.compile(r"[<>=≤≥%]")


def rule_label(s: Scenario, rule: Rule) -> str:
    """The rule's name (if it has one that states no values) and what it asks now."""
    values = rule_values(s, rule)
    if rule.name and not _STATES_VALUES.search(rule.name):
        return f"{rule.name}: {values}"
    return values[:1].upper() + values[1:]
