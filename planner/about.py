"""The scenario and the model in plain words, for the window and the briefing.

:func:`about_scenario` lists what a scenario says about itself: its
description, every source, and each object's note. :func:`how_the_plan_is_chosen`
says what the score means and does not mean, how the returns segments shape
it, and what an allocation model leaves out. :func:`assumptions_text` is the
one line of assumptions every exported slide carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scenario import Scenario
from .summary import format_amount


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...]


_NOTED = (("periods", "Periods"), ("tasks", "Mandate tasks"), ("regions", "Regions"),
          ("capabilities", "Capabilities"), ("resources", "Resources"), ("rules", "Rules"))


def about_scenario(s: Scenario) -> list[Section]:
    """The scenario's own account of itself: description, sources, notes."""
    sections = [Section(s.name, (
        "Illustrative data: the numbers are assumptions unless a source says otherwise."
        if s.is_illustrative else "The numbers come from the sources below.",
        s.description or "The scenario has no description.",
    ))]
    sources = tuple(s.sources or ())
    sections.append(Section(f"Sources ({len(sources)})", sources or ("The scenario names no source.",)))
    for attr, title in _NOTED:
        items = getattr(s, attr) or ()
        notes = tuple(f"{item.name if getattr(item, 'name', None) else item.id}: {item.note}"
                      for item in items if getattr(item, "note", None))
        if notes:
            sections.append(Section(title, notes))
    return sections


def _percent(x: float) -> str:
    return f"{100 * x:.0f}\u00a0%"  # a non-breaking space: a wrapped line never starts with "%"


def how_the_plan_is_chosen(s: Scenario) -> list[Section]:
    """What the score is, how the plan is found, and what the model does not see."""
    returns = s.effective_returns
    k = len(returns)
    steps = ", ".join(f"the {'first' if i == 0 else 'next'} {_percent(1 / k)} of a need counts "
                      f"{returns[i]:g}" for i in range(k))
    return [
        Section("The delivery score (0 to 100)", (
            "Each mandate task has a weight: the planner's priority. In every region where a task has "
            "a need, and in every period, the plan meets a share of that need. The score is the "
            "weighted average of those shares, scaled so that 100 means every weighted need fully met "
            "in every period.",
            "The score is a weighted coverage, not a measure of success: it is comparable only between "
            "plans under the same weights. Raising one task's weight can lower the score while the plan "
            "does more for that task, because the average is now taken with other weights.",
        )),
        Section("Why coverage tops out", (
            f"Needs are met with diminishing returns: {steps}. So the last part of a need is worth least, "
            "and a plan spreads units to cover many needs part-way before it covers one need fully. "
            "Coverage often stops at a segment's end (for three segments: 33 % or 67 %), where the next "
            "unit buys less than it would elsewhere.",
        )),
        Section("How the plan is found", (
            "A linear program decides how many new units of each capability to generate"
            + (" (in whole units)" if s.integer_units else "")
            + ", and where, on which task and in which period every unit works, so as to give the "
            "highest score that the budget, the personnel ceiling, the flight hours and the rules allow. "
            "Among plans with the same score it prefers fewer repatriations, fewer new units, fewer "
            "moves and fewer employed units: no idle purchases, no make-work.",
            "The insights name the limits that hold the score back and what one more unit of each "
            "resource would be worth. When no plan meets every rule, the diagnosis names what would "
            "have to give, where and when.",
        )),
        Section("What the model leaves out", (
            "Good offices, political dialogue, the mission's legitimacy and the consent of the parties "
            "are not units to allocate; the model sees them only through the weights and needs a "
            "planner gives.",
            "It cannot settle the questions the mandate debates turn on: how far the mission should "
            "support the G5 Sahel Joint Force, whether protection in the centre should come before the "
            "peace agreement in the north, or what the host state must do itself. It shows what each "
            "answer would cost in the rest of the mandate.",
            "Effects, needs and costs are estimates; where the scenario says it is illustrative, read "
            "the plan as an argument about priorities, not as a forecast.",
        )),
    ]


def _short_name(name: str) -> str:
    """A task's name without its parenthesis: ``Political process`` for ``Political process (2015 ...)``."""
    head = name.split(" (", 1)[0].strip()
    return head or name


def assumptions_text(s: Scenario) -> str:
    """What a plan of ``s`` assumes, in one line: the weights as shares, every capacity,
    whole units or not (``Weights: Political process 35 %, ... · Budget $762.6M · ...``)."""
    total = sum(t.weight for t in s.tasks)
    if total > 0:
        weights = ", ".join(f"{_short_name(t.name)} {100 * t.weight / total:.0f}\u00a0%" for t in s.tasks)
    else:
        weights = "all zero"
    parts = [f"Weights: {weights}"]
    parts += [f"{q.name} {format_amount(q.capacity, q.unit)}" for q in s.resources]
    parts.append("whole units" if s.integer_units else "fractions of units allowed")
    return "  ·  ".join(parts)
