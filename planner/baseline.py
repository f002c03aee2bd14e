"""A pinned plan against the plan now: what the planner changed and what it did to the plan.

:func:`baseline_delta` takes two solved results (the baseline and now) and
says, in the planner's words: the inputs that differ (weights, capacities,
rules, data), the score and each task's score with their deltas, and what is
added to or dropped from the generate list with what each line costs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .result import Result
from .rule_text import rule_label, rule_values
from .scenario import Scenario
from .summary import format_amount

CHANGE = 1e-9  # a value differing by less than this (relative) is the same


@dataclass(frozen=True)
class GenerateChange:
    capability: str  # id
    name: str
    before: float
    now: float
    cost: tuple[str, ...]  # what the change costs or saves, per resource, in words

    @property
    def delta(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class BaselineDelta:
    base_name: str
    inputs: tuple[str, ...]  # one line per changed input
    score_before: float | None
    score_now: float | None
    tasks: tuple[tuple[str, float | None, float | None], ...]  # (task name, before, now)
    generate: tuple[GenerateChange, ...]

    @property
    def score_delta(self) -> float | None:
        if self.score_before is None or self.score_now is None:
            return None
        return self.score_now - self.score_before


def _differs(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) > CHANGE * max(1.0, abs(a), abs(b))
    return a != b


def _by_id(items) -> dict:
    return {item.id: item for item in items or ()}


def input_changes(base: Scenario, now: Scenario) -> list[str]:
    """The inputs that differ, one line each, in names."""
    lines = []
    for t_id, t in _by_id(now.tasks).items():
        old = _by_id(base.tasks).get(t_id)
        if old is not None and _differs(old.weight, t.weight):
            lines.append(f"Weight of {t.name}: {old.weight:g} → {t.weight:g}")
    for q_id, q in _by_id(now.resources).items():
        old = _by_id(base.resources).get(q_id)
        if old is not None and _differs(old.capacity, q.capacity):
            lines.append(f"{q.name}: {format_amount(old.capacity, q.unit)} → {format_amount(q.capacity, q.unit)}")
    if base.integer_units != now.integer_units:
        lines.append("Whole units: " + ("on" if now.integer_units else "off"))
    old_rules, new_rules = _by_id(base.rules), _by_id(now.rules)
    for r_id in new_rules.keys() - old_rules.keys():
        lines.append(f"Rule added: {rule_label(now, new_rules[r_id])}")
    for r_id in old_rules.keys() - new_rules.keys():
        lines.append(f"Rule removed: {rule_label(base, old_rules[r_id])}")
    for r_id in new_rules.keys() & old_rules.keys():
        if new_rules[r_id] != old_rules[r_id]:
            lines.append(f"Rule changed: {rule_label(base, old_rules[r_id])} → {rule_values(now, new_rules[r_id])}")
    for attr, what in (("capabilities", "Capability"), ("regions", "Region"), ("periods", "Period")):
        old_items, new_items = _by_id(getattr(base, attr)), _by_id(getattr(now, attr))
        for i in new_items.keys() - old_items.keys():
            lines.append(f"{what} added: {new_items[i].name}")
        for i in old_items.keys() - new_items.keys():
            lines.append(f"{what} removed: {old_items[i].name}")
        changed = [new_items[i].name for i in new_items.keys() & old_items.keys()
                   if new_items[i] != old_items[i]]
        if changed:
            lines.append(f"{what} data changed: {', '.join(sorted(changed))}")
    if base.demand != now.demand:
        lines.append("Needs (demand) changed")
    rest = {"tasks", "resources", "rules", "capabilities", "regions", "periods", "demand", "settings",
            "name", "description", "sources", "extra", "version"}
    other = [f.name for f in dataclasses.fields(Scenario)
             if f.name not in rest and getattr(base, f.name) != getattr(now, f.name)]
    if other:
        lines.append("Other settings changed: " + ", ".join(other))
    return lines


def _costs(s: Scenario, capability_id: str, delta: float) -> tuple[str, ...]:
    cap = s.capability(capability_id)
    out = []
    for q in s.resources:
        per = cap.uses.get(q.id, 0.0)
        if per and q.basis in ("generated", "fielded", "in_service"):
            amount = per * delta
            verb = "costs" if amount > 0 else "saves"
            out.append(f"{verb} {format_amount(abs(amount), q.unit)} of {q.name}")
    return tuple(out)


def baseline_delta(base: Result, now: Result, base_name: str = "baseline") -> BaselineDelta:
    """What changed between the pinned plan and the plan now."""
    s_base, s_now = base.scenario, now.scenario
    tasks = []
    for t in s_now.tasks:
        before = base.task_scores.get(t.id) if base.ok else None
        tasks.append((t.name, before, now.task_scores.get(t.id) if now.ok else None))
    generate = []
    ids = list(dict.fromkeys([*base.generate, *now.generate]))
    for c in ids:
        before, after = float(base.generate.get(c, 0.0)), float(now.generate.get(c, 0.0))
        if not _differs(before, after):
            continue
        owner = s_now if any(x.id == c for x in s_now.capabilities) else s_base
        generate.append(GenerateChange(c, owner.capability(c).name, before, after,
                                       _costs(owner, c, after - before)))
    return BaselineDelta(
        base_name=base_name, inputs=tuple(input_changes(s_base, s_now)),
        score_before=base.score if base.ok else None, score_now=now.score if now.ok else None,
        tasks=tuple(tasks), generate=tuple(generate),
    )
