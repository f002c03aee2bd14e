"""The analyses in a planner's words: a few lines each, for the command line and the GUI."""

from __future__ import annotations

from ..summary import format_amount, format_units
from .alternatives import Alternatives
from .budget import BudgetCurve, describe_cut
from .compare import Comparison
from .panel import PanelAnalysis
from .pareto import ParetoFrontier
from .smaa import SmaaResult
from .stability import WeightStability


NO_PLAN = "no plan"


def _names(s, ids) -> str:
    return ", ".join(s.capability(c).name for c in ids) or "nothing new"


def describe(result) -> str:
    """A short plain-language account of any analysis result."""
    from .registry import analysis_of

    return _DESCRIBERS[analysis_of(result).kind](result).rstrip() + "\n"


def _budget(c: BudgetCurve) -> str:
    s = c.scenario
    cur = c.current
    lines = [f"Budget curve: the score against {c.resource_name}, from 0 to "
             f"{format_amount(2 * c.current_capacity, c.unit)}"]
    now = format_amount(c.current_capacity, c.unit)
    if cur.feasible:
        lines.append(f"  Now: {now} gives {cur.score:.1f} points (generating {_names(s, cur.generate)}).")
    else:
        lines.append(f"  Now: {now} allows no plan that meets every rule; "
                     f"from {format_amount(_first_feasible(c).capacity, c.unit)} one does.")
    previous = None
    for p in c.points:
        score = NO_PLAN if p.score is None else f"{p.score:6.1f}"
        gain = ""
        if p.score is not None and previous is not None and previous.score is not None:
            gain = f"   {p.score - previous.score:+.2f} for this step"
        mark = "  <- now" if p is cur else ""
        lines.append(f"  {format_amount(p.capacity, c.unit):>12}  {score}{gain}{mark}")
        previous = p
    below = [p for p in c.points if p.capacity < c.current_capacity and p.feasible]
    if below:
        lines.append("  " + describe_cut(c, below[len(below) // 2].capacity))
    return "\n".join(lines)


def _first_feasible(c: BudgetCurve):
    return next(p for p in c.points if p.feasible)  # budget_curve refuses a curve without any


def _stability(st: WeightStability) -> str:
    lines = [f"Weight stability: how far each weight can move (the others rescaled) before the "
             f"generated capabilities change. Now: {st.current_score:.1f} points, generating "
             f"{_names(st.scenario, st.current_generated)}."]
    if st.method_text:
        lines.append(f"  ({st.method_text}.)")
    for r in st.ranges:
        if not r.has_demand:
            lines.append(f"  {r.name}: no demand, its weight changes nothing")
            continue
        lo = f"{100 * r.low_share:.1f}%" + ("" if not r.low_open else " (and below)")
        hi = f"{100 * r.high_share:.1f}%" + ("" if not r.high_open else " (and above)")
        lines.append(f"  {r.name}: now {100 * r.share:.0f}% of the weight; the plan holds from {lo} to {hi}")
        if st.method == "exact" and r.breakpoints:
            changes = [f"{100 * b.share:.1f}% {_change(st.scenario, b)}" for b in r.breakpoints[:MAX_BREAKPOINTS]]
            more = len(r.breakpoints) - MAX_BREAKPOINTS
            lines.append("    changes at " + "; ".join(changes) + (f"; and {more} more" if more > 0 else ""))
    return "\n".join(lines)


MAX_BREAKPOINTS = 8  # listed per task


def _change(s, b) -> str:
    """``(+ Armed helicopter, − MALE UAS)``: what starts and stops being generated at a breakpoint."""
    parts = [f"+ {s.capability(c).name}" for c in b.added] + [f"− {s.capability(c).name}" for c in b.dropped]
    return f"({', '.join(parts) or 'other numbers of new units'})"


def _smaa(r: SmaaResult) -> str:
    how = {"simplex": "uniformly over every weighting", "around": f"within ±{100 * (r.spread or 0):.0f}% of "
           "the current weights", "panel": "from the stakeholder panel"}.get(r.mode, r.mode)
    lines = [f"Robustness: {r.solved:,} weightings sampled {how}.", f"  ({r.method_text}.)"]
    if r.solved < r.samples:
        lines.append(f"  {r.samples - r.solved:,} of the {r.samples:,} samples could not be solved and are left out "
                     "of every figure below.")
    lines.append(f"  The current set of capabilities is optimal in {100 * r.current_class_probability:.0f}% of them.")
    lines.append("  Probability each capability is generated (median units when it is):")
    for c in sorted(r.capabilities, key=lambda c: -c.probability):
        if c.probability <= 0 and c.current_units <= 0:
            continue
        mid = c.units_quantiles[len(c.units_quantiles) // 2] if c.units_quantiles else c.mean_units
        lines.append(f"    {c.name:<40} {100 * c.probability:5.1f}%   {format_units(mid)} "
                     + ("unit" if format_units(mid) == "1" else "units"))
    lines.append("  Task scores across the samples (middle 80%):")
    for t in r.tasks:
        if t.quantiles:
            lines.append(f"    {t.name:<40} {t.quantiles[0]:5.1f} to {t.quantiles[-1]:5.1f}")
    return "\n".join(lines)


def _pareto(f: ParetoFrontier) -> str:
    lines = [f"Pareto frontier between {f.name_a} and {f.name_b}:"]
    for p in f.points:
        lines.append(f"  {f.name_a} {p.score_a:5.1f}   {f.name_b} {p.score_b:5.1f}   (score {p.score:.1f})")
    where = ("on the frontier" if f.current_on_frontier
             else f"{f.current_gap:.1f} points inside the frontier")
    lines.append(f"  The current plan ({f.current.score_a:.1f}, {f.current.score_b:.1f}) is {where}.")
    return "\n".join(lines)


def _panel(p: PanelAnalysis) -> str:
    lines = [f"Stakeholder panel: the compromise (mean weights) scores {p.compromise_score:.1f}, "
             f"generating {_names(p.scenario, p.compromise_generate)}."]
    for m in p.members:
        lines.append(f"  {m.name:<30} own optimum {m.own_score:5.1f}, under the compromise "
                     f"{m.compromise_score:5.1f}: regret {m.regret:.1f}")
    lines.append(f"  Largest regret {p.max_regret:.1f}, mean {p.mean_regret:.1f}.")
    return "\n".join(lines)


def _compare(c: Comparison) -> str:
    names = [o.name for o in c.outcomes]
    base = c.outcomes[0].result.scenario

    def task_name(i):
        return next((t.name for t in base.tasks if t.id == i), i)

    def cap_name(i):
        return next((x.name for x in base.capabilities if x.id == i), i)

    def region_name(i):
        return next((r.name for r in base.regions if r.id == i), i)

    def units(values):
        return " | ".join(NO_PLAN if v is None else format_units(v) for v in values)

    lines = ["Scenario comparison: " + " | ".join(names)]
    lines.append("  score: "
                 + " | ".join(NO_PLAN if o.score is None else f"{o.score:.1f}" for o in c.outcomes))
    for o in c.outcomes:
        if o.score is None:
            lines.append(f"  {o.name} has no plan: {o.message}")
    for d in c.task_scores:
        if d.changed:
            lines.append(f"  {task_name(d.key[0])}: "
                         + " | ".join("–" if v is None else f"{v:.1f}" for v in d.values))  # no plan or no demand
    for d in c.generate:
        if d.changed:
            lines.append(f"  generate {cap_name(d.key[0])}: {units(d.values)}")
    changed = c.changed_allocation
    lines.append(f"  {len(changed)} capability x region allocations differ"
                 + (":" if changed else "."))
    for d in changed[:15]:
        lines.append(f"    {cap_name(d.key[0])} in {region_name(d.key[1])}: {units(d.values)}")
    return "\n".join(lines)


def _alternatives(r: Alternatives) -> str:
    s = r.scenario
    n = len(r.alternatives)
    plans = "1 whole-unit plan" if n == 1 else f"{n} whole-unit plans"
    how = "the complete list" if r.complete else r.message
    lines = [f"Near-optimal alternatives: {plans} within {r.within:g} points of the best ({how})."]
    if r.whole_units_assumed:
        lines.append("  The scenario plans fractional units; alternatives are for whole units, so these "
                     "are its whole-unit plans (as solve --integer).")
    best = r.best
    for a in r.alternatives:
        if a.is_best:
            what = "the plan: " + (_unit_list(s, a.generate, a.repatriate) or "no new units, no repatriation")
            lines.append(f"  {a.rank:>3}. {a.score:6.2f}            {what}")
            continue
        cost = _resource_changes(s, a, best)
        idle = "" if a.extends is None else f"; adds units to #{a.extends} for no more score"
        lines.append(f"  {a.rank:>3}. {a.score:6.2f}  {-a.gap:+8.3f}  {_unit_changes(s, a)}"
                     + (f"   ({cost}{idle})" if cost or idle else ""))
    among = "every plan listed" if r.complete else f"the {n} plans listed"
    if n > 1:
        decided = [f"{s.capability(c).name} {_alike(best, c)}" for c in r.decided]
        lines.append(f"  Alike in {among}: " + ("; ".join(decided) if decided else "no new unit"))
        varying = [f"{s.capability(c).name} ({_spread(r, c)})" for c in r.varying]
        lines.append(f"  Open within {r.within:g} points: " + "; ".join(varying))
    else:
        lines.append(f"  No other whole-unit plan comes within {r.within:g} points: the data decides every unit.")
    return "\n".join(lines)


def _unit_list(s, generate, repatriate) -> str:
    parts = [f"{u} {s.capability(c).name}" for c, u in generate.items()]
    parts += [f"repatriate {u} {s.capability(c).name}" for c, u in repatriate.items()]
    return ", ".join(parts)


def _unit_changes(s, a) -> str:
    parts = [f"{d:+d} {s.capability(c).name}" for c, d in a.generate_change.items()]
    parts += [f"repatriate {d:+d} {s.capability(c).name}" for c, d in a.repatriate_change.items()]
    return ", ".join(parts) or "the same units"


def _resource_changes(s, a, best) -> str:
    """The resources (cycle totals) this plan uses otherwise than the best, with the difference."""
    parts = []
    for q in s.resources:
        if q.basis == "employed":
            continue  # a peak per period, not what the units cost
        used, was = a.resources.get(q.id, 0.0), best.resources.get(q.id, 0.0)
        if abs(used - was) > 1e-6 * max(1.0, abs(was)):
            sign = "+" if used > was else "-"
            parts.append(f"{q.name} {format_amount(used, q.unit)} ({sign}{format_amount(abs(used - was), q.unit)})")
    return "; ".join(parts)


def _alike(best, c) -> str:
    g, z = best.generate.get(c, 0), best.repatriate.get(c, 0)
    return ", ".join(p for p in (f"{g} new" if g else "", f"{z} repatriated" if z else "") if p)


def _spread(r: Alternatives, c: str) -> str:
    parts = []
    for what, get in (("new", lambda a: a.generate.get(c, 0)), ("repatriated", lambda a: a.repatriate.get(c, 0))):
        values = sorted({get(a) for a in r.alternatives})
        if len(values) > 1 or values[0]:
            parts.append(f"{values[0]}-{values[-1]} {what}" if len(values) > 1 else f"{values[0]} {what}")
    return ", ".join(parts)


#: kind (as in registry.ANALYSES) -> the function that tells its result in words.
_DESCRIBERS = {
    "budget": _budget, "stability": _stability, "smaa": _smaa,
    "pareto": _pareto, "panel": _panel, "compare": _compare,
    "alternatives": _alternatives,
}
