"""The planner's words for the rows of contract v2: camps and enabler (``requires``) rules.

Shared by the shadow prices of a plan (:mod:`planner.solve`) and the
diagnosis of a scenario without one (:mod:`planner.diagnose`): both read a
row's two sides from a point ``v`` (:func:`row_sides`) and say what is full
or missing where.
"""

from __future__ import annotations

import numpy as np

from .model import LinearModel, RowBlock
from .scenario import Rule, Scenario


def row_sides(model: LinearModel, blk: RowBlock, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positive and the negative part (as an amount >= 0) of ``A[row] @ v``, per row of the block."""
    A = model.A[blk.rows]
    pos = A.multiply(A > 0) @ v
    neg = -(A.multiply(A < 0) @ v)
    return np.asarray(pos).ravel(), np.asarray(neg).ravel()


def rule_of(s: Scenario, rule_id: str) -> Rule:
    return next(r for r in s.effective_rules if r.id == rule_id)


def personnel_unit(s: Scenario) -> str:
    return next((q.unit for q in s.resources if q.personnel), "persons")


def camp_text(s: Scenario, blk: RowBlock, i: int, amount: float, limit: float, over: bool = False) -> str:
    """``camp Mopti is full: 2,400 of 2,400 persons``, or ``... 6 of 6 air units`` for a camp limit;
    ``over`` (a diagnosis): how much it would have to hold."""
    region = s.regions[int(blk.index["region"][i])]
    amount = max(amount, 0.0) + 0.0
    what = personnel_unit(s) if blk.kind == "camp" else f"{blk.key} units"
    fmt = (lambda a: f"{a:,.0f}") if blk.kind == "camp" else (lambda a: f"{a:,.3g}")
    if over:
        return f"camp {region.name} would have to hold {fmt(amount)} {what}, with room for {fmt(limit)}"
    return f"camp {region.name} is full: {fmt(amount)} of {fmt(limit)} {what}"


def requires_place(s: Scenario, blk: RowBlock, i: int) -> str:
    r = int(blk.index["region"][i])
    if r >= 0:
        return s.regions[r].name
    return f"the {s.zones()[int(blk.index['zone'][i])]} zone"


def requires_text(s: Scenario, rule: Rule, blk: RowBlock, i: int, have: float) -> str:
    """``Mobile task force company in Ségou needs 0.5 Utility helicopter per unit: only 0.8 within reach``.

    have: what counts in that row (the enabler's units; with ``any``, the units of the
    capability its enablers can support).
    """
    a = s.capability(rule.capability)
    have = max(have, 0.0) + 0.0  # no '-0'
    enabler = int(blk.index["capability"][i])
    needs = " or ".join(f"{ratio:g} {s.capability(b).name}" for b, ratio in rule.needs.items()
                        if rule.any or s.capabilities[enabler].id == b)
    if rule.effective_count == "based_within":
        how = f"based within {rule.within_km:g} km"
    elif rule.via_task is not None:
        how = f"on {s.task(rule.via_task).name}"
    else:
        how = "within reach" if s.stationing else "employed there"
    only = f"its enablers {how} support only {have:.3g} units" if rule.any else f"only {have:.3g} {how}"
    beyond = f" beyond {rule.beyond_km:g} km of its base" if rule.beyond_km is not None else ""
    return f"{a.name} in {requires_place(s, blk, i)}{beyond} needs {needs} per unit: {only}"
