"""A briefing deck (.pptx): the plan as planners brief it.

Slides: the title (scenario, date, the illustrative caveat); the assumptions (weights,
capacities, whole units, rules); the plan in words (what to generate or repatriate, where
the units are based and work, what it costs); the plan charts; the baseline against the
plan, given a baseline; what limits the plan; the sources. The words are the product's
own: the plan's summary (:func:`planner.summary.summary`), the baseline delta, the
scenario's sources and notes (:func:`planner.about.about_scenario`). Charts are the plan
charts of :data:`planner.plots.CHARTS`, drawn headless as high-resolution pictures.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from .about import about_scenario
from .atomic import write_atomic
from .baseline import baseline_delta
from .rule_text import rule_label
from .deck_layout import BODY_H, BODY_W, Deck, Para, clean, heading
from .plots import CHARTS, ILLUSTRATIVE_CAVEAT
from .plots.style import date_text, elide, slide_rc
from .result import Result
from .summary import arrival_text, format_amount, format_units, summary

#: The plan charts a briefing shows, in order.
DECK_CHARTS = ("allocation", "coverage", "timeline", "resources", "map")
CHART_DPI = 200
CHART_FONTS_PT = (10.0, 8.5, 7.0)  # the charts' base font on the slide; smaller for a crowded chart
_BASIS_WORDS = {"generated": "new units", "fielded": "whole force", "employed": "each period",
                "in_service": "units in service"}


@dataclass(frozen=True)
class Section:
    head: str  # as the summary writes it: "Where the units work (average units per period, main tasks)"
    lines: list[str]  # the text after "Head:" first, then the lines under it


def summary_sections(result: Result) -> dict[str, Section]:
    """The plan's summary by section, keyed by its heading's words before any bracket
    ("Resources", "Where the units work", "What limits the plan", ...)."""
    sections: dict[str, Section] = {}
    current = None
    for line in summary(result).splitlines():
        if line.startswith("  ") and current is not None:
            current.lines.append(line.strip())
            continue
        head, colon, tail = line.partition(":")
        current = None
        if colon and line.strip():
            key = head.split(" (")[0].strip()
            current = sections.setdefault(key, Section(head.strip(), []))
            current.lines.extend([tail.strip()] if tail.strip() else [])
    return sections


def _points(head: str, lines: list[str]) -> list[Para]:
    """A heading and its points; nothing when there are no points."""
    return [heading(head), *(Para(line) for line in lines)] if lines else []


def _section(sections: dict[str, Section], key: str, otherwise: list[str] | None = None) -> list[Para]:
    """A section of the summary as a heading and its points (``otherwise`` when it has none)."""
    found = sections.get(key)
    return _points(found.head if found else key, (found.lines if found else []) or otherwise or [])


def _crowded(fig: Figure) -> bool:
    """Whether a drawn chart did not fit: its layout gave up, or a legend runs off the picture."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    if any("constrained_layout not applied" in str(w.message) for w in caught):
        return True
    renderer, box = fig.canvas.get_renderer(), fig.bbox
    return any(not (box.y0 - 1 <= e.y0 and e.y1 <= box.y1 + 1 and box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1)
               for e in (legend.get_window_extent(renderer) for legend in fig.findobj(Legend)))


def chart_png(result: Result, chart: str, size: tuple[int, int] | None = None, dpi: int = CHART_DPI) -> bytes:
    """A plan chart as a picture for a deck's body: no header (the slide's title says it), the
    body's size at ``dpi``; fonts of the first of :data:`CHART_FONTS_PT` at which it fits."""
    w, h = size or (int(BODY_W / 914400 * dpi), int(BODY_H / 914400 * dpi))
    _, draw = CHARTS[chart]
    for font_pt in CHART_FONTS_PT:
        rc_height = 60 * font_pt * dpi / 72  # slide_rc's base font is a sixtieth of this height
        with matplotlib.rc_context(slide_rc((w, rc_height), dpi)):
            fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, layout="constrained", facecolor="white")
            FigureCanvasAgg(fig)
            draw(fig, result)
            if font_pt == CHART_FONTS_PT[-1] or not _crowded(fig):
                buf = io.BytesIO()
                with warnings.catch_warnings():  # crowded at the smallest size: drawn as it can be
                    warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
                    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
                return buf.getvalue()


# -- the slides ----------------------------------------------------------------------------------


def _assumptions(deck: Deck, result: Result) -> None:
    s = result.scenario
    total = sum(t.weight for t in s.tasks) or 1.0
    tasks = (["Mandate task", "Weight", "Share"],
             [[t.name, f"{t.weight:g}", f"{100 * t.weight / total:.0f}%"] for t in s.tasks])
    resources = (["Resource", "Capacity", "Charged on"],
                 [[q.name, format_amount(q.capacity, q.unit), _BASIS_WORDS.get(q.basis, q.basis)]
                  for q in s.resources])
    first, last = s.periods[0].name, s.periods[-1].name
    settings = [
        f"Whole units: {'yes, new units are generated whole' if s.integer_units else 'no, fractions allowed'}"
        f"  ·  Stationing: {'on, units work within reach of their bases' if s.stationing else 'off'}",
        f"Cycle: {first} to {last} ({len(s.periods)} periods)  ·  Diminishing returns: "
        + ", ".join(f"{r:g}" for r in s.effective_returns),
    ]
    deck.tables("Assumptions", [tasks, resources] if s.resources else [tasks], [Para(x) for x in settings])
    rules = s.effective_rules
    if rules:
        deck.text("Rules the plan keeps", [Para(rule_label(s, r) + (f" — {r.note}" if r.note else "")) for r in rules])


def _generate_lines(result: Result, sections: dict[str, Section]) -> list[str]:
    s = result.scenario
    lines = [f"{format_units(n)} {s.capability(c).name} ({arrival_text(s, s.capability(c))})"
             for c, n in result.generate.items()]
    if not lines and sections.get("Generate"):
        said = sections["Generate"].lines[0]
        lines = [said[:1].upper() + said[1:]]
    return lines


def _plan(deck: Deck, result: Result, sections: dict[str, Section]) -> None:
    s = result.scenario
    score = [f"Mandate delivery score: {result.score:.1f} / 100"]
    if "Status quo" in sections:
        score.append(f"{sections['Status quo'].head}: {sections['Status quo'].lines[0]}")
    repatriate = [f"{format_units(n)} {s.capability(c).name}" for c, n in result.repatriate.items() if n > 1e-6]
    deck.text("The plan", [
        *_points("Score", score),
        *_points("Generate", _generate_lines(result, sections)),
        *_points("Repatriate", repatriate),
        *_points("What it costs and uses", sections["Resources"].lines if "Resources" in sections else []),
    ])
    based = "Where the units are based" in sections
    deck.text("The plan by base and region" if based else "The plan by region", [
        *_section(sections, "Where the units are based"),
        *_section(sections, "Where the units work", ["No unit is employed."]),
    ])


def _limits(deck: Deck, result: Result, sections: dict[str, Section]) -> None:
    lines = sections["What limits the plan"].lines if "What limits the plan" in sections else [
        "No resource or rule holds the score back enough to mention: more of any would add little."]
    deck.text("What limits the plan", [*_points("At the margin", lines),
                                       *_points("Warnings", list(result.warnings))])


def _no_plan(deck: Deck, result: Result) -> None:
    reasons = [d.message for d in result.diagnosis] or [result.message]
    deck.text(f"No plan: {result.status.value}", _points("What would have to give", reasons))


def _signed(before: float | None, now: float | None) -> str:
    return "" if before is None or now is None else f"{now - before:+.1f}"


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _against(deck: Deck, base: Result, result: Result, base_name: str) -> None:
    delta = baseline_delta(base, result, base_name)
    rows = [["Score", _shown(delta.score_before), _shown(delta.score_now),
             _signed(delta.score_before, delta.score_now)]]
    rows += [[name, _shown(before), _shown(now), _signed(before, now)] for name, before, now in delta.tasks]
    table = (["", "Baseline", "Plan", "Change"], rows)
    units = [f"{'Adds' if g.delta > 0 else 'Drops'} {format_units(abs(g.delta))} {g.name}: "
             f"{format_units(g.before)} → {format_units(g.now)}" + (f" ({'; '.join(g.cost)})" if g.cost else "")
             for g in delta.generate] or ["The same new units as the baseline."]
    title = f"Against {elide(base_name, 60)}"
    deck.tables(title, [table], [])
    deck.text(f"{title}: what changed", [
        *_points("What changed in the inputs", list(delta.inputs) or ["Nothing: the inputs are those of the baseline."]),
        *_points("New units", units),
    ])


def _sources(deck: Deck, result: Result) -> None:
    """The scenario's description and sources; then, as an annex, each object's note."""
    about, sources, *notes = about_scenario(result.scenario)
    deck.text("Sources", [*_points(about.title, list(about.paragraphs)),
                          *_points(sources.title, list(sources.paragraphs))], sizes=(18, 16, 14, 12))
    if notes:
        deck.text("Annex: where the numbers come from",
                  [p for section in notes for p in _points(section.title, list(section.paragraphs))],
                  sizes=(14, 12))


def _briefing(result: Result, baseline: Result | None, baseline_name: str, date) -> Deck:
    s = result.scenario
    when = date_text(date)
    caveat = ILLUSTRATIVE_CAVEAT if s.is_illustrative else None
    deck = Deck(f"{elide(s.name, 70)}  ·  {when}", caveat)
    status = (f"Mandate delivery score {result.score:.1f} / 100" if result.ok
              else f"No plan: {result.status.value}")
    deck.title_slide(s.name, [f"Briefing  ·  {when}", status], caveat)
    _assumptions(deck, result)
    if result.ok:
        sections = summary_sections(result)
        _plan(deck, result, sections)
        for chart in DECK_CHARTS:
            deck.picture(CHARTS[chart][0], chart_png(result, chart))
    else:
        _no_plan(deck, result)
    if baseline is not None:
        _against(deck, baseline, result, baseline_name)
    if result.ok:
        _limits(deck, result, sections)
    _sources(deck, result)
    deck.prs.core_properties.title = clean(s.name)[:255]
    return deck


def briefing_bytes(result: Result, baseline: Result | None = None, baseline_name: str = "the baseline",
                   date=None) -> bytes:
    """The briefing deck of a solved plan (and, given one, its baseline) as .pptx bytes."""
    return _briefing(result, baseline, baseline_name, date).save()


def write_briefing(result: Result, path: str | os.PathLike, baseline: Result | None = None,
                   baseline_name: str = "the baseline", date=None) -> int:
    """Write the briefing deck atomically (an earlier file stays whole if anything fails);
    return how many slides it has."""
    deck = _briefing(result, baseline, baseline_name, date)
    write_atomic(Path(path), deck.save())
    return len(deck.prs.slides)
