"""Slides as PNG files, rendered by Agg alone: no window, no Qt, no pyplot.

:func:`render_slide` makes every picture, plans and analyses alike: a Figure of
the slide's pixel size under the slide fonts (:func:`planner.plots.style.slide_rc`),
the slide header over the chart. :func:`save_slide` writes it atomically, so that
an export that fails half-way leaves any earlier file whole.
"""

from __future__ import annotations

import dataclasses
import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from planner.about import assumptions_text
from planner.fileio import write_atomic
from planner.result import Result
from planner.scenario import Scenario

from .registry import ANALYSIS_CHARTS, CHARTS
from .style import TITLE_CHARS, elide, font_size, slide_header, slide_rc, tx


def render_slide(scenario: Scenario, title: str, draw_body, size: tuple[int, int] = (1920, 1080),
                 dpi: float = 150, date=None, *, predraw: bool = True) -> Figure:
    """A new Figure of ``size`` pixels at ``dpi``: a slide header over a body.

    The header holds ``title``, the scenario's name, the date (today by default)
    and, for illustrative scenarios, the caveat; the footer, what the plan
    assumes (:func:`planner.about.assumptions_text`). ``draw_body(body)`` draws
    into the body sub-figure under the same export sizes. With ``predraw`` the
    figure is drawn once on an Agg canvas so its text sizes and layout are fixed.
    """
    w, h = int(size[0]), int(size[1])
    if w <= 0 or h <= 0 or dpi <= 0:
        raise ValueError(f"size and dpi must be positive, not {size} at {dpi}")
    with matplotlib.rc_context(slide_rc((w, h), dpi)):
        fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, layout="constrained", facecolor="white")
        FigureCanvasAgg(fig)
        draw_body(slide_footer(slide_header(fig, scenario, title, (w, h), date), scenario, (w, h)))
        if predraw:
            fig.canvas.draw()  # create ticks and lay out under these sizes
    return fig


# The footer: its font as a share of the slide's base font (a sixtieth of the height, slide_rc),
# about this many characters per em of width at that font, and at most this many lines.
FOOTER_FONT = 0.8
FOOTER_CHARS_PER_EM = 1.8
FOOTER_LINES = 2


def slide_footer(area, scenario: Scenario, size: tuple[int, int]):
    """Split ``area`` (a slide's body) into the chart and a footer of assumptions; return the chart's part."""
    w, h = size
    em_px = FOOTER_FONT * h / 60.0  # the footer's font, in pixels
    width = max(40, int(FOOTER_CHARS_PER_EM * w / em_px))
    lines = textwrap.wrap("Assumptions — " + assumptions_text(scenario), width)[:FOOTER_LINES]
    if not lines:
        return area
    foot_px = em_px * (1.35 * len(lines) + 0.6)
    share = min(0.2, foot_px / (h * 0.8))
    body, foot = area.subfigures(2, 1, height_ratios=[1.0 - share, share], hspace=0.0)
    foot.text(0.9 * (h / 60.0) / w, 0.5, tx("\n".join(lines)), ha="left", va="center",
              fontsize=FOOTER_FONT * font_size(), color="#555555", linespacing=1.25)
    return body


def save_slide(fig: Figure, path, size: tuple[int, int], dpi: float) -> Path:
    """Save a figure from :func:`render_slide` as a PNG of exactly ``size`` pixels."""
    path = Path(path)
    buf = io.BytesIO()
    with matplotlib.rc_context(slide_rc((int(size[0]), int(size[1])), dpi)):
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    write_atomic(path, buf.getvalue())
    return path


# -- plan charts ---------------------------------------------------------------------------------


def _check_chart(chart: str) -> tuple[str, Callable]:
    try:
        return CHARTS[chart]
    except KeyError:
        raise ValueError(f"unknown chart '{chart}' (choose from {', '.join(CHARTS)})") from None


def render_figure(result: Result, chart: str, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                  title: str | None = None, date=None, *, _predraw: bool = True, **options) -> Figure:
    """A slide of ``chart`` for ``result`` (see :func:`render_slide`).

    ``options`` go to the drawing function (``by="capability"`` for the allocation).
    """
    chart_title, draw = _check_chart(chart)
    if chart == "allocation" and options.get("by") == "capability":
        chart_title = "Units employed by region and capability"
    measure = options.get("measure", "units") if chart == "allocation" else "units"
    counted = next((q.name for q in result.scenario.resources if q.id == measure), None)
    if counted is not None:
        chart_title += f", counted in {elide(counted, TITLE_CHARS // 2)}"
    return render_slide(result.scenario, title or chart_title, lambda body: draw(body, result, **options),
                        size, dpi, date, predraw=_predraw)


def export_png(result: Result, chart: str, path, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
               title: str | None = None, date=None, **options) -> Path:
    """Render ``chart`` for a slide and save it as a PNG of exactly ``size`` pixels."""
    # savefig draws under the same sizes: no need to draw the figure twice
    fig = render_figure(result, chart, size=size, dpi=dpi, title=title, date=date, _predraw=False, **options)
    return save_slide(fig, path, size, dpi)


# -- analysis charts -----------------------------------------------------------------------------


def _check_kind(kind: str) -> tuple[str, Callable]:
    try:
        return ANALYSIS_CHARTS[kind]
    except KeyError:
        raise ValueError(f"unknown analysis chart '{kind}' (choose from {', '.join(ANALYSIS_CHARTS)})") from None


def scenario_of(result_obj) -> Scenario:
    """The scenario an analysis result speaks of (a comparison: its base, marked
    illustrative if any compared scenario is)."""
    s = getattr(result_obj, "scenario", None)
    if s is not None:
        return s
    outcomes = getattr(result_obj, "outcomes", None)
    if outcomes:
        scens = [o.result.scenario for o in outcomes]
        base = scens[0]
        if not base.is_illustrative and any(x.is_illustrative for x in scens):
            base = dataclasses.replace(base, illustrative=True)
        return base
    raise TypeError(f"cannot tell the scenario of a {type(result_obj).__name__}: pass scenario=")


def _title_for(result_obj, kind: str) -> str:
    title = ANALYSIS_CHARTS[kind][0]
    if kind == "budget":
        return f"Score against the {elide(result_obj.resource_name, TITLE_CHARS)}"
    return title


def render_analysis_figure(result_obj, kind: str, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                           scenario: Scenario | None = None, title: str | None = None, date=None,
                           *, _predraw: bool = True) -> Figure:
    """A slide of an analysis chart, with the header every exported picture has."""
    _, draw = _check_kind(kind)
    s = scenario if scenario is not None else scenario_of(result_obj)
    return render_slide(s, title or _title_for(result_obj, kind), lambda body: draw(body, result_obj),
                        size, dpi, date, predraw=_predraw)


def export_analysis_png(result_obj, kind: str, path, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                        scenario: Scenario | None = None, title: str | None = None, date=None) -> Path:
    """Render an analysis chart for a slide and save it as a PNG of exactly ``size`` pixels."""
    fig = render_analysis_figure(result_obj, kind, size=size, dpi=dpi, scenario=scenario, title=title,
                                 date=date, _predraw=False)
    return save_slide(fig, path, size, dpi)
