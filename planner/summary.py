"""The plan in a planner's words: one screen of plain language."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .money import is_money
from .result import OPTIMAL, Result
from .rule_text import rule_label

if TYPE_CHECKING:  # the model and the solver load with the first re-solve (the window starts without them)
    from .model import LinearModel


def format_amount(value: float, unit: str) -> str:
    """``$9.0M``, ``1,250 persons``, ``300 hours``."""
    if is_money(unit):
        if abs(value) >= 1e6:
            return f"${value / 1e6:,.1f}M"
        if abs(value) >= 1e3:
            return f"${value / 1e3:,.0f}k"
        return f"${value:,.0f}"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f} {unit}"
    return f"{value:,.3g} {unit}"


def capacity_step(capacity: float) -> float:
    """A round step to talk about ('another $1M'): a tenth of the leading power of ten."""
    if capacity <= 0:
        return 1.0
    return max(1.0, 10.0 ** (math.floor(math.log10(capacity)) - 1))


def arrival_text(s, cap) -> str:
    """When new units of a capability can first be used, in words."""
    if cap.lead_time < len(s.periods):
        return f"from {s.periods[cap.lead_time].name}"
    return "not within this cycle"


def format_points(p: float) -> str:
    """Score points with as many decimals as make them readable."""
    return f"{p:.1f}" if abs(p) >= 0.95 else f"{p:.2f}"


def format_units(u: float) -> str:
    return f"{u:,.0f}" if abs(u - round(u)) < 1e-6 else f"{u:,.1f}"


def pair_contributions(result: Result) -> np.ndarray:
    """Score points each (task, region) adds, summed over periods: a (T, R) array."""
    s = result.scenario
    T, R, P = result.satisfaction.shape
    rho = np.asarray(s.effective_returns, float)
    K = rho.size
    sat = np.nan_to_num(result.satisfaction)  # (T, R, P)
    k = np.arange(K) / K
    seg = np.clip(sat[..., None] - k, 0.0, 1.0 / K)  # greedy fill: (T, R, P, K)
    value = (seg * rho).sum(-1)
    pw = np.array([p.effective_weight for p in s.periods])
    w = np.array([t.weight for t in s.tasks], float)
    w_hat = w / w.sum() if w.sum() > 0 else w
    imp = np.zeros((T, R))
    t_ix = {t.id: i for i, t in enumerate(s.tasks)}
    r_ix = {r.id: i for i, r in enumerate(s.regions)}
    for t, per in s.demand.items():
        for r, d in per.items():
            imp[t_ix[t], r_ix[r]] = d.effective_importance
    z = (value * pw).sum(-1) * imp * w_hat[:, None]
    z_max = (pw.sum() * imp * w_hat[:, None]).sum() * rho.sum() / K
    return 100.0 * z / z_max if z_max > 0 else np.zeros((T, R))


@dataclass(frozen=True)
class MarginalGain:
    resource: str
    step: float
    points: float
    task: str | None  # where most of the gain goes
    region: str | None


def marginal_gain(model: LinearModel, result: Result, resource_id: str, step: float | None = None) -> MarginalGain:
    """Re-solve with ``step`` more of a resource and say where the gain goes."""
    s = model.scenario
    q = s.resource(resource_id)
    step = capacity_step(q.capacity) if step is None else step
    b = model.b.copy()
    b[model.block("resource", resource_id).rows] += step
    from .solve import solve_model

    more = solve_model(model, b, status_quo=False)
    if not more.ok:
        return MarginalGain(resource_id, step, 0.0, None, None)
    delta = pair_contributions(more) - pair_contributions(result)
    t, r = np.unravel_index(int(np.argmax(delta)), delta.shape)
    gain = more.score - result.score
    where = delta[t, r] > 1e-6
    return MarginalGain(
        resource_id, step, gain,
        s.tasks[t].id if where else None, s.regions[r].id if where else None,
    )


# A shadow price above this makes a marginal gain worth working out.
PRICED = 1e-9


def marginal_gains(model: LinearModel, result: Result, progress=None) -> list[MarginalGain] | None:
    """:func:`marginal_gain` of every resource the plan prices (shadow price above
    :data:`PRICED`), in the scenario's order; None for a result without an optimal plan.
    ``progress(fraction)`` is called before each re-solve; when it returns False the work
    stops and None is returned."""
    if result.status != OPTIMAL:
        return None
    priced = [q.id for q in model.scenario.resources if result.resources[q.id].shadow_price > PRICED]
    gains = []
    for i, resource_id in enumerate(priced):
        if progress is not None and progress(i / len(priced)) is False:
            return None
        gains.append(marginal_gain(model, result, resource_id))
    return gains


def summary(result: Result, model: LinearModel | None = None, gains: bool = True) -> str:
    """A readable one-screen account of the plan."""
    s = result.scenario
    lines = [s.name, "=" * min(len(s.name), 78)]
    if s.is_illustrative:
        lines.append("Illustrative data: the numbers are assumptions, not official figures.")
    if not result.ok:
        lines.append(f"No plan: {result.status}.")
        for d in result.diagnosis:
            lines.append(f"  - {d.message}")
        if not result.diagnosis:
            lines.append(f"  {result.message}")
        return "\n".join(lines) + "\n"

    for w in result.warnings:
        lines.append(f"Warning: {w}.")
    lines.append(f"Mandate delivery score: {result.score:.1f} / 100"
                 + ("" if result.status == OPTIMAL else f"  ({result.message})"))
    if result.status_quo is not None:
        closes = "" if result.gap_closed is None else f"; the plan closes {result.gap_closed:.0%} of the remaining gap"
        lines.append(f"Status quo (no new units, no repatriation): {result.status_quo.score:.1f} / 100{closes}")
    elif result.status_quo_reason:
        lines.append(f"Status quo: none ({result.status_quo_reason})")
    lines.append("")
    lines.append("Task scores (100 = every need fully met):")
    width = max(len(t.name) for t in s.tasks)
    total_w = sum(t.weight for t in s.tasks) or 1.0
    sq = result.status_quo
    for t in s.tasks:
        sc = result.task_scores.get(t.id)
        shown = "no demand" if sc is None else f"{sc:5.1f}"
        before = None if sq is None or sc is None else sq.task_scores.get(t.id)
        delta = "" if before is None else f"   {sc - before:+5.1f} on the status quo"
        lines.append(f"  {t.name:<{width}}  {shown}   (weight {100 * t.weight / total_w:>3.0f}%){delta}")
    moved = coverage_changes(result)
    if moved:
        lines.append("")
        lines.append("Where the plan changes coverage most, against the status quo (need met, mean over periods):")
        for t, r, before, after in moved:
            lines.append(f"  {s.tasks[t].name} in {s.regions[r].name}: {before:.0%} → {after:.0%}")

    lines.append("")
    budget = [q for q in s.resources if q.basis == "generated"]
    if result.generate:
        parts = []
        for cid, n in result.generate.items():
            cap = s.capability(cid)
            parts.append(f"{format_units(n)} {cap.name} ({arrival_text(s, cap)})")
        cost = "; ".join(
            f"{format_amount(result.resources[q.id].used, q.unit)} of {format_amount(q.capacity, q.unit)}"
            for q in budget
        )
        lines.append("Generate: " + ", ".join(parts) + (f"  [{cost}]" if cost else ""))
    else:
        lines.append("Generate: nothing new; the existing force carries the plan.")
    if result.repatriate:
        lines.append("Repatriate: " + ", ".join(f"{format_units(n)} {s.capability(cid).name}"
                                                for cid, n in result.repatriate.items()))
    if s.stationing:
        lines.extend(_basing_lines(result))

    lines.append("")
    lines.append("Where the units work (average units per period, main tasks):")
    units = result.units_array()  # (C, R, T, P)
    P = len(s.periods)
    by_rt = units.sum(axis=(0, 3)) / max(P, 1)  # (R, T)
    for zone in s.zones():
        for ri, reg in enumerate(s.regions):
            if reg.zone != zone or by_rt[ri].sum() < 1e-6:
                continue
            top = [(by_rt[ri, ti], t) for ti, t in enumerate(s.tasks) if by_rt[ri, ti] > 1e-6]
            top.sort(key=lambda a: -a[0])
            detail = ", ".join(f"{t.name} {format_units(u)}" for u, t in top[:3])
            lines.append(f"  {reg.name} ({zone}): {format_units(by_rt[ri].sum())} — {detail}")

    lines.append("")
    lines.append("Resources:")
    for q in s.resources:
        use = result.resources[q.id]
        what = "peak per period " if q.basis == "employed" else ""
        share = f" ({100 * use.share:.0f}%)" if q.capacity > 0 else ""
        lines.append(f"  {q.name}: {what}{format_amount(use.used, q.unit)} of "
                     f"{format_amount(q.capacity, q.unit)}{share}")

    if gains and result.status == OPTIMAL:
        from .model import build_model

        model = model or build_model(s)
        said = False
        for g in marginal_gains(model, result):
            q = s.resource(g.resource)
            if g.points < 0.005:  # too small to be worth a line
                continue
            if not said:
                lines.append("")
                lines.append("What limits the plan:")
                said = True
            where = ""
            if g.task:
                where = f", mostly {s.task(g.task).name} in {s.region(g.region).name}"
            lines.append(f"  Another {format_amount(g.step, q.unit)} of {q.name} would add "
                         f"{format_points(g.points)} points{where}.")
        for b in result.binding:
            text = rule_cost_text(result, b) if b.kind == "rule" and not b.message else None
            if b.message and b.shadow_price >= 0.005:  # a camp or an enabler rule, in its own words
                text = f"{b.message[0].upper()}{b.message[1:]}."
            if text is not None:
                if not said:
                    lines.append("")
                    lines.append("What limits the plan:")
                    said = True
                lines.append("  " + text)
    return "\n".join(lines) + "\n"


# A change of coverage (need met, mean over the periods) worth a line, and at most this many lines.
COVERAGE_CHANGE_SHOWN = 0.05
COVERAGE_CHANGES = 5


def coverage_changes(result: Result, limit: int = COVERAGE_CHANGES) -> list[tuple[int, int, float, float]]:
    """The (task, region) pairs whose coverage the plan changes most against the status quo:
    ``(task index, region index, status quo's, plan's)``, gains first then losses, each at
    least :data:`COVERAGE_CHANGE_SHOWN` (a share of the need); empty without a status quo.

    The score is a weighted mean over the whole mandate, so a plan that adds two points of
    score may raise protection in one region by a third: this says where.
    """
    sq = result.status_quo
    if sq is None or sq.satisfaction is None or result.satisfaction is None or not result.ok:
        return []
    with warnings.catch_warnings():  # a pair without demand is NaN in every period
        warnings.simplefilter("ignore", RuntimeWarning)
        before, after = np.nanmean(sq.satisfaction, axis=2), np.nanmean(result.satisfaction, axis=2)
    delta = after - before
    pairs = [(int(t), int(r)) for t, r in zip(*np.nonzero(np.abs(np.nan_to_num(delta)) >= COVERAGE_CHANGE_SHOWN))]
    gains = sorted((p for p in pairs if delta[p] > 0), key=lambda p: -delta[p])
    losses = sorted((p for p in pairs if delta[p] < 0), key=lambda p: delta[p])
    chosen = (gains[: max(limit - min(len(losses), 2), 0)] + losses)[:limit]
    return [(t, r, float(before[t, r]), float(after[t, r])) for t, r in chosen]


def _basing_lines(result: Result) -> list[str]:
    """Where the units are based (average units per period) and how many move in the cycle."""
    s = result.scenario
    P = max(len(s.periods), 1)
    out = ["", "Where the units are based (average units per period):"]
    basing = result.basing
    for h in sorted(set(basing.base.tolist()), key=lambda h: s.regions[h].name):
        here = basing.base == h
        per_cap = np.bincount(basing.capability[here], basing.units[here], minlength=len(s.capabilities)) / P
        # under 0.05 a unit on average would read "0.0"
        detail = ", ".join(f"{format_units(u)} {s.capabilities[c].name}" for c, u in enumerate(per_cap) if u >= 0.05)
        out.append(f"  {s.regions[h].name}: {detail}")
    if len(out) == 2:
        out.append("  no unit is based anywhere")
    moved = float(result.moves.units.sum())
    if moved > 1e-6:
        out.append(f"  {format_units(moved)} unit moves between bases in the cycle")
    return out


def rule_cost_text(result: Result, binding) -> str | None:
    """What a binding rule costs, in words (None when it costs too little to mention)."""
    s = result.scenario
    rule = next((r for r in s.effective_rules if r.id == binding.key), None)
    if rule is None:
        return None
    if rule.kind == "floor":
        step, what = 0.05, "lowering it by 5 percentage points"
    elif rule.kind == "max_share":
        # The row is  x_task - share * x_all <= 0: a higher share relaxes it by x_all.
        ids = set(rule.capabilities or (c.id for c in s.capabilities))
        mask = np.array([s.capabilities[c].id in ids for c in result.alloc_capability.tolist()], bool)
        step = 0.05 * float(result.alloc_units[mask].sum()) if mask.size else 0.0
        what = "raising the cap by 5 percentage points"
    elif rule.kind == "min_units":
        step, what = 1.0, "one unit less"
    else:
        return None
    points = binding.shadow_price * step
    if points < 0.005:
        return None
    return f"Rule '{rule_label(s, rule)}' costs score: {what} would add about {format_points(points)} points."
