"""The analyses as charts: drawing functions shared by the GUI and the PNG export.

Every ``draw_<name>(fig, result)`` clears ``fig`` (a matplotlib ``Figure`` or
``SubFigure``) and draws one result of :mod:`planner.analyses` on it, the way
:mod:`ui.charts` draws a plan: no Qt and no pyplot, the same colours (a task
keeps its colour in every chart), the same fonts (relative sizes, so the slide
export scales them) and the same slide header (:func:`export_analysis_png`).

- budget: score against a resource's capacity, and what each step buys;
- stability: a tornado of the weight shares over which the plan stays the same;
- smaa: how often each capability is generated, and the spread of task scores;
- pareto: the frontier between two tasks' scores;
- panel: each stakeholder's regret, their own optimum against the compromise;
- compare: scenarios side by side.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from planner.scenario import Scenario
from planner.summary import format_amount

from .charts import (
    BAR_COLOR,
    BINDING_COLOR,
    MUTED_TEXT,
    NEW_COLOR,
    TITLE_CHARS,
    TRACK_COLOR,
    _fmt_units,
    _prepare,
    _rects,
    _style_axes,
    _tx,
    _wrap,
    draw_message,
    elide,
    name_label,
    render_slide,
    save_slide,
    task_color,
)

#: The base scenario of a comparison, then Paul Tol's "bright" scheme for the others.
BASE_COLOR = "#555555"
SCENARIO_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
CURRENT_COLOR = "#111111"  # the current plan / current weight: black marks
INFEASIBLE_COLOR = BINDING_COLOR
INFEASIBLE_BAND = "#F7E1DD"
LINE_COLOR = "#4477AA"
REACHABLE_COLOR = "#E9F0F7"
REGRET_COLOR = "#CC6677"
REGRET_TEXT = "#A33A4E"  # the regret colour, dark enough for text
OWN_COLOR = "#332288"


# -- shared pieces --------------------------------------------------------------


def _fs() -> float:
    """The base font size (points) in effect: markers scale with it."""
    return float(matplotlib.rcParams["font.size"])


def _is_money(unit: str) -> bool:
    return unit.upper() in ("USD", "$", "US$")


def _amount(value: float, unit: str) -> str:
    """``$58M`` rather than ``$58.0M``: an axis or a step reads better round."""
    return re.sub(r"\.0(?=[Mk]\b)", "", format_amount(value, unit))


def _pct(share: float) -> str:
    """``38%``; near 0 and 100 with a decimal (``0.6%``, ``99.7%``), never rounded onto the end."""
    p = 100.0 * share
    if 0 < p < 0.05:
        return "<0.1%"
    if 99.95 <= p < 100:
        return ">99.9%"
    if 0 < p < 1 or 99 < p < 100:
        return f"{p:.1f}%"
    return f"{p:.0f}%"


def _cap_names(s: Scenario, ids) -> list[str]:
    names = {c.id: c.name for c in s.capabilities}
    return [names.get(i, i) for i in ids]


def _task_name(s: Scenario, task_id: str) -> str:
    return next((t.name for t in s.tasks if t.id == task_id), task_id)


def _color_of_task(s: Scenario, task_id: str) -> str:
    try:
        return task_color(s, task_id)
    except KeyError:
        return "#777777"


def _quantile_parts(qs, values):
    """(low, q1, median, q3, high) from reported quantiles, None where a level is missing.

    The outer pair is the widest reported, the box the next one in (if any),
    the median the level nearest 0.5.
    """
    q = np.asarray(qs, float)
    v = np.asarray(values, float)
    order = np.argsort(q)
    q, v = q[order], v[order]
    if q.size == 0:
        return None
    mid = int(np.argmin(np.abs(q - 0.5)))
    low, high = v[0], v[-1]
    q1 = v[1] if q.size >= 4 else None
    q3 = v[-2] if q.size >= 4 else None
    return low, q1, v[mid], q3, high, (q[0], q[-1]), (q[1], q[-2]) if q.size >= 4 else None


def _level(q: float) -> str:
    return f"{100 * q:g}"


def _chars_across(fig, fraction: float = 1.0, size: float = 1.0) -> int:
    """About how many characters of the base font (times ``size``) fit across ``fraction`` of ``fig``."""
    font_px = _fs() * size * fig.dpi / 72.0
    return max(20, int(fraction * fig.bbox.width / (0.58 * font_px)))


def _headline(fig, text: str) -> None:
    """A line or two above the chart, left aligned: the sentence a reader should take away."""
    wrapped = textwrap.fill(text, _chars_across(fig, 0.97), break_long_words=False)
    fig.suptitle(_tx(wrapped), x=0.01, ha="left", fontsize="medium", color="#222222")


def _hbars(ax, y, width, height, color, left=0.0, gid=None, zorder=2.0, edgecolor=None, lw=0.0):
    """Horizontal bars as one collection (a patch per bar costs milliseconds to add and draw).

    The axes limits are the caller's to set: the collection does not move them.
    """
    y = np.atleast_1d(np.asarray(y, float))
    width = np.broadcast_to(np.asarray(width, float), y.shape)
    left = np.broadcast_to(np.asarray(left, float), y.shape)
    colors = [color] * y.size if isinstance(color, str) else list(color)
    coll = _rects(left, y - height / 2, width, height, colors)
    coll.set_zorder(zorder)
    if edgecolor is not None:
        coll.set_edgecolor(edgecolor)
        coll.set_linewidth(lw)
    if gid:
        coll.set_gid(gid)
    ax.add_collection(coll, autolim=False)
    return coll


def _vbars(ax, x, height, width, color, bottom=0.0, zorder=2.0):
    """Vertical bars centred on ``x``, as one collection."""
    x = np.atleast_1d(np.asarray(x, float))
    width = np.broadcast_to(np.asarray(width, float), x.shape)
    bottom = np.broadcast_to(np.asarray(bottom, float), x.shape)
    coll = _rects(x - width / 2, bottom, width, np.asarray(height, float), [color] * x.size)
    coll.set_zorder(zorder)
    ax.add_collection(coll, autolim=False)
    return coll


def _panel_title(ax, text: str, **kw) -> None:
    """A bold title over the left edge of ``ax``; a plain text, as ``set_title`` costs
    milliseconds on every draw to keep clear of the axis labels above."""
    opts = dict(fontsize="medium", fontweight="bold", color="#111111")
    opts.update(kw)
    ax.annotate(_tx(text), (0.0, 1.0), xycoords="axes fraction", xytext=(0.0, 0.5 * _fs()),
                textcoords="offset points", ha="left", va="bottom", **opts)


def _no_rows(ax, text: str) -> None:
    ax.text(0.5, 0.5, _tx(text), transform=ax.transAxes, ha="center", va="center",
            fontsize="large", color=MUTED_TEXT)


# -- budget curve -------------------------------------------------------------------


def draw_budget_curve(fig, curve) -> None:
    """Score against the capacity of one resource, the current capacity marked, and
    below it the points one more step of capacity buys along the curve."""
    pts = curve.points
    if not pts:
        draw_message(fig, "No budget curve to show")
        return
    caps = np.array([p.capacity for p in pts], float)
    scores = np.array([np.nan if p.score is None else p.score for p in pts], float)
    feasible = np.array([p.feasible and p.score is not None for p in pts])
    unit, step = curve.unit, float(curve.step)
    money = _is_money(unit)
    step_text = _amount(step, unit)
    if not feasible.any():
        draw_message(fig, f"No plan at any {elide(curve.resource_name)} from {_amount(caps.min(), unit)} "
                          f"to {_amount(caps.max(), unit)}",
                     "The floors, presence rules or fielded resources cannot be met at any of these "
                     "capacities: see the diagnosis of the plan.")
        return

    _prepare(fig)
    ax, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2.6, 1.0])
    _style_axes(ax)
    _style_axes(ax2)
    fs = _fs()
    handles = []

    # runs of capacities without a plan: a band and a cross at the foot of the axes
    if (~feasible).any():
        gaps = np.diff(caps)
        half = (np.median(gaps) if gaps.size else 1.0) / 2
        for a in (ax, ax2):
            start = None
            for i, ok in enumerate(np.append(feasible, True)):
                if not ok and start is None:
                    start = i
                elif ok and start is not None:
                    lo = caps[start] - half if start > 0 else caps[start]
                    hi = caps[i - 1] + half if i - 1 < caps.size - 1 else caps[i - 1]
                    a.axvspan(lo, hi, color=INFEASIBLE_BAND, lw=0, zorder=0)
                    start = None
        ax.plot(caps[~feasible], np.full((~feasible).sum(), 0.04), ls="", marker="X",
                ms=0.9 * fs, color=INFEASIBLE_COLOR, transform=ax.get_xaxis_transform(),
                clip_on=False, zorder=4)
        handles.append(Line2D([], [], ls="", marker="X", ms=0.9 * fs, color=INFEASIBLE_COLOR,
                              label="No plan at this capacity (rules cannot be met)"))

    ax.plot(caps, scores, color=LINE_COLOR, lw=2.0, marker="o", ms=0.45 * fs, zorder=3)
    handles.insert(0, Line2D([], [], color=LINE_COLOR, lw=2.0, marker="o", ms=0.45 * fs,
                             label="Score of the best plan"))
    lo, hi = np.nanmin(scores), np.nanmax(scores)
    span = max(hi - lo, 2.0)
    ax.set_ylim(max(0.0, lo - 0.12 * span), min(100.0, hi + 0.12 * span) + 0.02 * span)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.set_ylabel("Overall score")

    cur = curve.current
    cap0 = float(curve.current_capacity)
    for a in (ax, ax2):
        a.axvline(cap0, color=CURRENT_COLOR, lw=1.0, ls=(0, (4, 3)), zorder=2.5)
    # text below and to the right of the point: a rising curve leaves that corner empty
    right = cap0 <= caps.min() + 0.7 * (caps.max() - caps.min())
    if cur.score is not None:
        ax.plot([cap0], [cur.score], ls="", marker="o", ms=1.0 * fs, mfc=CURRENT_COLOR, mec="white",
                mew=1.5, zorder=5)
        label, at, dy, va = f"Current: {_amount(cap0, unit)}\nscore {cur.score:.1f}", cur.score, -0.9, "top"
    else:  # over the crosses at the foot of the axes
        label, at, dy, va = f"Current: {_amount(cap0, unit)}\nno plan", ax.get_ylim()[0], 2.2, "bottom"
    ax.annotate(_tx(label), (cap0, at),
                xytext=(0.8 * fs if right else -0.8 * fs, dy * fs), textcoords="offset points",
                ha="left" if right else "right", va=va, fontsize="medium", fontweight="bold",
                color=CURRENT_COLOR, zorder=6, in_layout=False,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.8))
    handles.append(Line2D([], [], color=CURRENT_COLOR, lw=1.0, ls=(0, (4, 3)), marker="o",
                          ms=0.8 * fs, label="Current capacity"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(handles), frameon=False,
              fontsize="small", borderaxespad=0.3, handlelength=1.6)

    # what one more step buys, over each interval of the curve
    mids, widths, values = [], [], []
    for i in range(1, len(pts)):
        m = pts[i].marginal
        if m is None:
            continue
        mids.append((caps[i - 1] + caps[i]) / 2)
        widths.append(0.8 * (caps[i] - caps[i - 1]))
        values.append(m * step)
    if values:
        values = np.array(values)
        _vbars(ax2, mids, values, widths, BAR_COLOR)
        top = float(values.max())
        low = min(0.0, float(values.min()))
        ax2.set_ylim(low, top * 1.35 if top > 0 else 1.0)
    else:
        ax2.set_ylim(0, 1)
    below = pts[curve.current_index].marginal
    above = pts[curve.current_index + 1].marginal if curve.current_index + 1 < len(pts) else None
    side = []
    if below is not None:
        side.append(f"{step_text} less: −{below * step:.2f}")
    if above is not None:
        side.append(f"{step_text} more: +{above * step:.2f}")
    if side:
        ax2.text(cap0, 0.97, _tx(f" {' · '.join(side)} points "), ha="left" if right else "right",
                 va="top", transform=ax2.get_xaxis_transform(), fontsize="small", color=CURRENT_COLOR,
                 zorder=6, in_layout=False, bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none",
                                                      alpha=0.85))
    ax2.yaxis.set_major_locator(MaxNLocator(nbins=3))
    ax2.set_ylabel(_wrap(f"Points per {step_text}", 16))
    _panel_title(ax2, f"What another {step_text} buys (score gained per {step_text} over each step)",
                 fontsize="small", fontweight="normal", color=MUTED_TEXT)

    ax2.set_xlim(caps.min(), caps.max() + 0.01 * (caps.max() - caps.min() or 1.0))
    ax2.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
    if money:
        ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _tx(_amount(v, unit))))
        ax2.set_xlabel(_tx(elide(curve.resource_name, TITLE_CHARS)))
    else:
        ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax2.set_xlabel(_tx(f"{elide(curve.resource_name, TITLE_CHARS)} ({unit})"))


# -- weight stability -----------------------------------------------------------------


def _set_change(s: Scenario, current, other) -> str:
    """``+ Fixed-wing aircraft, − ISR UAS`` between two generated sets."""
    cur, oth = set(current), set(other)
    added = [i for i in (c.id for c in s.capabilities) if i in oth - cur]
    dropped = [i for i in (c.id for c in s.capabilities) if i in cur - oth]
    parts = ([f"+ {elide(n, 26)}" for n in _cap_names(s, added)]
             + [f"− {elide(n, 26)}" for n in _cap_names(s, dropped)])
    if not parts:
        return "other numbers of new units"
    if len(parts) > 2:
        parts = parts[:2] + [f"{len(parts) - 2} more changes"]
    return ", ".join(parts)


def draw_stability(fig, stability) -> None:
    """A tornado chart: per task, the bar spans the weight shares (of the total) over which
    the plan generates the same capabilities; the black mark is the current share and the
    note under each bar says what changes beyond its ends. Most sensitive task on top."""
    s = stability.scenario
    ranges = list(stability.ranges)
    if not ranges:
        draw_message(fig, "No tasks to vary")
        return
    # narrowest range first: the weight that matters most heads the chart
    ranges.sort(key=lambda r: (not r.has_demand, r.high_share - r.low_share))
    n = len(ranges)

    _prepare(fig)
    ax = fig.add_subplot()
    _style_axes(ax, "x")
    y = np.arange(n)
    height = 0.42
    room = _chars_across(fig, 0.66, 0.83)  # the notes under the bars, in the small font
    demand = np.array([r.has_demand for r in ranges])
    _hbars(ax, y[demand], 100.0, height, TRACK_COLOR, zorder=1)
    for yi, r in zip(y, ranges):
        color = _color_of_task(s, r.task)
        if not r.has_demand:
            ax.text(0.0, yi, "no demand: its weight does not change the plan", va="center", ha="left",
                    fontsize="small", color=MUTED_TEXT, zorder=3, in_layout=False)
            continue
        lo, hi = 100 * r.low_share, 100 * r.high_share
        _hbars(ax, yi, max(hi - lo, 0.4), height, color, left=lo, gid=f"task:{r.task}",
               edgecolor="#333333", lw=0.6)
        ax.plot([100 * r.share] * 2, [yi - 0.62 * height, yi + 0.62 * height], color=CURRENT_COLOR,
                lw=2.6, solid_capstyle="butt", zorder=4)
        # the share at each closed end, outside the bar where there is room, else inside it
        inside = dict(fontsize="small", color="#222222", zorder=3, in_layout=False, va="center",
                      bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.75))
        if not r.low_open:
            if lo >= 7:
                ax.text(lo - 0.8, yi, _pct(r.low_share), ha="right", **inside)
            else:
                ax.text(lo + 0.8, yi, _pct(r.low_share), ha="left", **inside)
        if not r.high_open:
            if hi <= 92:
                ax.text(hi + 0.8, yi, _pct(r.high_share), ha="left", **inside)
            else:
                ax.text(hi - 0.8, yi, _pct(r.high_share), ha="right", **inside)
        notes = []
        if not r.low_open and r.below is not None:
            notes.append(f"below {_pct(r.low_share)}: {_set_change(s, stability.current_generated, r.below)}")
        if not r.high_open and r.above is not None:
            notes.append(f"above {_pct(r.high_share)}: {_set_change(s, stability.current_generated, r.above)}")
        if not notes:
            notes.append("the same new capabilities at any weight")
        note = "   ·   ".join(notes)
        if len(note) > room:  # one line each, rather than off the edge
            note = "\n".join(textwrap.shorten(x, room, placeholder="…") for x in notes)
        ax.text(0.0, yi + height / 2 + 0.06, _tx(note), ha="left", va="top", linespacing=1.15,
                fontsize="small", color=MUTED_TEXT, zorder=3, in_layout=False)

    total_w = sum(r.weight for r in ranges) or 1.0
    labels = [f"{name_label(r.name, 30)}\nweight now {_pct(r.weight / total_w)}" for r in ranges]
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(n, 3) - 0.35, -0.6)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xlabel("Task's share of the total weight (the other tasks rescaled in proportion)")
    handles = [Patch(facecolor="#BBBBBB", edgecolor="#333333", linewidth=0.6,
                     label="Same new capabilities as now"),
               Line2D([], [], color=CURRENT_COLOR, lw=2.6, label="Current share"),
               Patch(facecolor=TRACK_COLOR, label="The plan changes")]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False,
              borderaxespad=0.3, fontsize="small", handlelength=1.4)


# -- SMAA ---------------------------------------------------------------------------------

_MODE_TEXT = {
    "simplex": "weights drawn uniformly over every weighting",
    "around": "weights within ±{spread:.0%} of the current ones",
    "panel": "weights mixed from the panel members'",
}


def draw_smaa(fig, smaa_result) -> None:
    """Robustness over sampled weights: how often each capability is generated (with
    the number of new units), and the spread of each task's score."""
    r = smaa_result
    s = r.scenario
    # capabilities that can never be generated (max_new 0) would only be rows of 0%
    caps = [c for c in r.capabilities
            if c.probability > 0 or c.current_units > 1e-6 or _can_generate(s, c.id)]
    caps.sort(key=lambda c: (-c.probability, -c.current_units))
    tasks = [t for t in r.tasks if t.quantiles is not None]
    if not caps and not tasks:
        draw_message(fig, "Nothing to show: no capability can be generated and no task has demand")
        return

    _prepare(fig)
    ax, ax_t = fig.subplots(1, 2, width_ratios=[1.0, 1.0])
    fs = _fs()
    mode = _MODE_TEXT.get(r.mode, r.mode).format(spread=r.spread or 0.0)
    _headline(fig, f"The current plan's set of new capabilities comes out in "
                   f"{_pct(r.current_class_probability)} of {r.solved:,} samples ({mode}).")

    # capabilities: probability bars, the new units as text to the right of the axes
    _style_axes(ax, "x")
    n = len(caps)
    y = np.arange(n)
    current = set(r.current_generated)
    probs = np.array([100 * c.probability for c in caps])
    colors = [NEW_COLOR if c.id in current else BAR_COLOR for c in caps]
    _hbars(ax, y, 100.0, 0.62, TRACK_COLOR, zorder=1)
    _hbars(ax, y, probs, 0.62, colors, gid="capabilities")
    for yi, p, c in zip(y, probs, caps):
        inside = p >= 30
        ax.text(p - 2 if inside else p + 2, yi, _pct(c.probability), ha="right" if inside else "left",
                va="center", fontsize="small", fontweight="bold", color="white" if inside else "#222222",
                zorder=3, in_layout=False)
    parts = [_quantile_parts(r.quantiles, c.units_quantiles) for c in caps]
    outer = next((q[5] for q in parts if q is not None), None)
    # in the layout: constrained layout keeps room for this column between the panels
    to_right = ax.get_yaxis_transform()
    head = "New units\nmedian"
    if outer is not None:
        head += f" ({_level(outer[0])}–{_level(outer[1])}%)"
    ax.text(1.04, -0.42, head, transform=to_right, ha="left", va="bottom", fontsize="small",
            fontweight="bold", color="#222222", linespacing=1.1)
    for yi, c, q in zip(y, caps, parts):
        if q is None or c.probability <= 0:
            text = "none"
        else:
            low, _, med, _, high = q[:5]
            text = _fmt_units(med)
            if high - low > 0.05:
                text += f" ({_fmt_units(low)}–{_fmt_units(high)})"
        if abs(c.current_units - (q[2] if q is not None else 0.0)) > 0.05:
            text += f"\nnow {_fmt_units(c.current_units)}"
        ax.text(1.04, yi, text, transform=to_right, ha="left", va="center", fontsize="small",
                color="#222222", linespacing=1.1)
    ax.set_yticks(y)
    ax.set_yticklabels([name_label(c.name, 20) for c in caps])
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(n, 3) - 0.5, -1.0)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 50, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xlabel("Share of samples that generate it")
    _panel_title(ax, "Capability generated")
    handles = [Patch(facecolor=col, label=label) for col, label in
               ((NEW_COLOR, "In the current plan"), (BAR_COLOR, "Not in the current plan")) if col in colors]

    # tasks: box and whiskers from the reported quantiles, the current score marked
    _style_axes(ax_t, "x")
    rows = [("Overall score", "#999999", r.quantiles, r.score_quantiles, r.current_score, None)]
    rows += [(t.name, _color_of_task(s, t.id), r.quantiles, t.quantiles, t.current_score, t.id)
             for t in tasks]
    yt = np.arange(len(rows))
    box_h = 0.5
    levels = None
    for yi, (_name, color, qs, vals, now, tid) in zip(yt, rows):
        q = _quantile_parts(qs, vals)
        if q is None:
            continue
        low, q1, med, q3, high, outer_lv, inner_lv = q
        levels = (outer_lv, inner_lv)
        cap = box_h / 3
        ax_t.plot([low, high, np.nan, low, low, np.nan, high, high],
                  [yi, yi, np.nan, yi - cap, yi + cap, np.nan, yi - cap, yi + cap],
                  color="#444444", lw=1.2, zorder=2)
        if q1 is not None:
            _hbars(ax_t, yi, max(q3 - q1, 0.3), box_h, color, left=q1, zorder=3,
                   gid=f"task:{tid}" if tid else "overall", edgecolor="#333333", lw=0.8)
        ax_t.plot([med, med], [yi - box_h / 2, yi + box_h / 2], color="#111111", lw=2.4, zorder=4,
                  solid_capstyle="butt")
        if now is not None:
            ax_t.plot([now], [yi - box_h / 2 - 0.02], ls="", marker="v", ms=0.85 * fs, mfc=CURRENT_COLOR,
                      mec="white", mew=0.8, zorder=5, clip_on=False)
    ax_t.set_yticks(yt)
    ax_t.set_yticklabels([name_label(row[0], 20) for row in rows])
    ax_t.get_yticklabels()[0].set_fontweight("bold")
    ax_t.tick_params(axis="y", length=0)
    ax_t.spines["left"].set_visible(False)
    ax_t.set_ylim(max(len(rows), 3) - 0.4, -0.75)
    ax_t.set_xlim(0, 102)
    ax_t.set_xticks([0, 25, 50, 75, 100] if _chars_across(fig) >= 80 else [0, 50, 100])
    ax_t.set_xlabel("Score, best plan per sample")
    _panel_title(ax_t, "Score spread")
    if levels is not None:
        outer_lv, inner_lv = levels
        if inner_lv is not None:
            handles.append(Patch(facecolor="#BBBBBB", edgecolor="#333333", linewidth=0.8,
                                 label=f"{_level(inner_lv[0])}–{_level(inner_lv[1])}% of samples"))
        handles.append(Line2D([], [], color="#444444", lw=1.2,
                              label=f"{_level(outer_lv[0])}–{_level(outer_lv[1])}%"))
    handles.append(Line2D([], [], color="#111111", lw=2.4, label="Median"))
    handles.append(Line2D([], [], ls="", marker="v", ms=0.85 * fs, mfc=CURRENT_COLOR, mec="white",
                          label="Current plan"))
    # one legend for both panels, under them: a legend under one axes wider than it
    # would widen that column's margin and squeeze the plots
    fig.legend(handles=handles, loc="outside lower center", ncols=3 if _chars_across(fig) < 120 else 6,
               frameon=False, fontsize="small", columnspacing=1.2, handlelength=1.4)


def _can_generate(s: Scenario, capability_id: str) -> bool:
    try:
        return s.capability(capability_id).max_new > 0
    except KeyError:
        return False


# -- Pareto frontier ------------------------------------------------------------------------


def draw_pareto(fig, frontier) -> None:
    """Task A's score against task B's along the frontier; the current plan marked, with
    what task A could gain at the same task B score if it lies inside the frontier
    (a gain the other tasks pay for: the frontier looks at these two only)."""
    f = frontier
    s = f.scenario
    if not f.points:
        draw_message(fig, "No frontier to show")
        return
    a = np.array([p.score_a for p in f.points])
    b = np.array([p.score_b for p in f.points])
    short_a, short_b = elide(f.name_a, 30), elide(f.name_b, 30)

    _prepare(fig)
    ax = fig.add_subplot()
    _style_axes(ax, "both")
    fs = _fs()
    col_a, col_b = _color_of_task(s, f.task_a), _color_of_task(s, f.task_b)
    c = f.current

    xs = np.append(a, c.score_a)
    ys = np.append(b, c.score_b)
    span_x = max(float(np.ptp(xs)), 6.0)
    span_y = max(float(np.ptp(ys)), 6.0)
    # room above and to the right for the labels of the ends (beyond the frontier nothing is drawn)
    x0, x1 = xs.min() - 0.08 * span_x, xs.max() + 0.3 * span_x
    y0, y1 = ys.min() - 0.1 * span_y, ys.max() + 0.16 * span_y

    # what can be reached lies under the frontier
    order = np.argsort(a)
    fx = np.concatenate([[x0], a[order], [a[order][-1]]])
    fy = np.concatenate([[b[order][0]], b[order], [y0]])
    ax.fill_between(fx, y0, fy, color=REACHABLE_COLOR, lw=0, zorder=0)
    ax.plot(a, b, color=LINE_COLOR, lw=2.2, marker="o", ms=0.55 * fs, mfc=LINE_COLOR, mec="white",
            mew=0.8, zorder=3)

    # ends: the plan best for each task, labelled on the unreachable side
    def note(x, y, text, dx, dy, ha, va, color):
        ax.annotate(_tx(text), (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    fontsize="small", color="#222222", zorder=6, in_layout=False,
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=color, lw=1.5))

    note(a[-1], b[-1], f"Best for {short_b}\n{a[-1]:.1f} / {b[-1]:.1f}", 0.7 * fs, 0.4 * fs,
         "left", "bottom", col_b)
    # task a's end is low on the right: its label goes to the left, inside the reachable area
    note(a[0], b[0], f"Best for {short_a}\n{a[0]:.1f} / {b[0]:.1f}", -1.0 * fs, 0.4 * fs,
         "right", "bottom", col_a)

    ax.plot([c.score_a], [c.score_b], ls="", marker="*", ms=1.9 * fs, mfc=CURRENT_COLOR, mec="white",
            mew=1.0, zorder=5)
    text = f"Current plan: {c.score_a:.1f} / {c.score_b:.1f}\n(overall score {c.score:.1f})"
    if not f.current_on_frontier:
        ax.annotate("", (c.score_a + f.current_gap, c.score_b), xytext=(c.score_a, c.score_b),
                    arrowprops=dict(arrowstyle="-|>", color=CURRENT_COLOR, lw=1.4, shrinkA=7, shrinkB=1,
                                    mutation_scale=1.2 * fs),
                    zorder=4)
        text += (f"\nThe frontier is {f.current_gap:.1f} points further right,\n"
                 f"at a cost to the other tasks")
    if f.current_on_frontier:  # beyond the frontier, where nothing else is drawn
        where = dict(xytext=(1.0 * fs, 0.6 * fs), ha="left", va="bottom")
    else:  # inside, below the star, on the side with room
        fx_ = (c.score_a - x0) / (x1 - x0)
        fy_ = (c.score_b - y0) / (y1 - y0)
        where = dict(xytext=(-0.6 * fs if fx_ < 0.55 else 0.6 * fs, -1.3 * fs if fy_ > 0.35 else 1.3 * fs),
                     ha="left" if fx_ < 0.55 else "right", va="top" if fy_ > 0.35 else "bottom")
    ax.annotate(_tx(text), (c.score_a, c.score_b), textcoords="offset points", fontsize="small",
                color=CURRENT_COLOR, zorder=6, in_layout=False, linespacing=1.25,
                bbox=dict(boxstyle="square,pad=0.2", fc="white", ec="none", alpha=0.85), **where)

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    # no ticks for scores no plan can have (the margins go past 0 and 100)
    score_ticks = FuncFormatter(lambda v, _: f"{v:g}" if -1e-9 <= v <= 100.0001 else "")
    ax.xaxis.set_major_formatter(score_ticks)
    ax.yaxis.set_major_formatter(score_ticks)
    ax.set_xlabel(_tx(f"{elide(f.name_a, TITLE_CHARS)}: score"))
    ax.set_ylabel(_wrap(f"{elide(f.name_b, TITLE_CHARS)}: score", 36))
    # the task colours on the axes they measure
    for side, col in (("bottom", col_a), ("left", col_b)):
        ax.spines[side].set_color(col)
        ax.spines[side].set_linewidth(0.3 * fs)
    ax.legend(handles=[
        Line2D([], [], color=LINE_COLOR, lw=2.2, marker="o", ms=0.55 * fs, mec="white",
               label="Frontier: the most of one task for each score of the other"),
        Patch(facecolor=REACHABLE_COLOR, label="Reachable"),
        Line2D([], [], ls="", marker="*", ms=1.3 * fs, mfc=CURRENT_COLOR, mec="white", label="Current plan"),
    ], loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False, fontsize="small",
        borderaxespad=0.3, handlelength=1.6)


# -- stakeholder panel --------------------------------------------------------------------------


def draw_panel(fig, panel) -> None:
    """Each panel member's regret (the points the compromise costs them, under their
    own weights), and their own optimum against their score under the compromise."""
    members = list(panel.members)
    if not members:
        draw_message(fig, "The panel has no members")
        return
    n = len(members)
    _prepare(fig)
    ax_r, ax_s = fig.subplots(1, 2, sharey=True, width_ratios=[0.8, 1.2])
    fs = _fs()
    worst = max(members, key=lambda m: m.regret)
    head = f"The compromise (the mean of the members' weights) scores {panel.compromise_score:.1f}; "
    if worst.regret < 0.05:
        head += "it costs no member anything: each scores as under their own best plan."
    else:
        head += f"it costs {elide(worst.name)} the most: {worst.regret:.1f} points."
    _headline(fig, head)
    y = np.arange(n)
    names = [name_label(m.name, 22) for m in members]

    _style_axes(ax_r, "x")
    regrets = np.array([m.regret for m in members])
    _hbars(ax_r, y, regrets, 0.6, REGRET_COLOR)
    top = float(regrets.max()) if n else 0.0
    right = top * 1.25 if top > 1e-9 else 1.0
    for yi, v in zip(y, regrets):
        ax_r.text(v + 0.02 * right, yi, f"{v:.1f}" if v >= 0.05 or v == 0 else "<0.1", ha="left",
                  va="center", fontsize="medium", fontweight="bold", color="#222222", in_layout=False)
    ax_r.set_xlim(0, right)
    ax_r.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax_r.set_yticks(y)
    ax_r.set_yticklabels(names)
    ax_r.tick_params(axis="y", length=0)
    ax_r.spines["left"].set_visible(False)
    ax_r.set_ylim(max(n, 3) - 0.5, -0.5)
    ax_r.set_xlabel("Regret (score points)")
    _panel_title(ax_r, "What the compromise costs")

    _style_axes(ax_s, "x")
    own = np.array([m.own_score for m in members])
    comp = np.array([m.compromise_score for m in members])
    ax_s.hlines(y, comp, own, color="#999999", lw=2.4, zorder=2)
    ms = 0.95 * fs
    # the ring larger than the dot: where they coincide (no regret) both stay visible
    ax_s.plot(comp, y, ls="", marker="o", ms=1.45 * ms, mfc="white", mec=REGRET_COLOR, mew=2.0, zorder=3)
    ax_s.plot(own, y, ls="", marker="o", ms=ms, mfc=OWN_COLOR, mec="white", mew=1.0, zorder=4)
    lo, hi = float(min(own.min(), comp.min())), float(max(own.max(), comp.max()))
    span = max(hi - lo, 4.0)
    for yi, o, c_ in zip(y, own, comp):
        ax_s.text(o + 0.04 * span, yi, f"{o:.1f}", ha="left", va="center", fontsize="small",
                  color=OWN_COLOR, in_layout=False)
        if abs(o - c_) > 0.05:
            ax_s.text(c_ - 0.04 * span, yi, f"{c_:.1f}", ha="right", va="center", fontsize="small",
                      color=REGRET_TEXT, in_layout=False)
    ax_s.set_xlim(lo - 0.25 * span, hi + 0.2 * span)  # room for the values beside the marks
    ax_s.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}" if -1e-9 <= v <= 100.0001 else ""))
    ax_s.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax_s.tick_params(axis="y", length=0)
    ax_s.spines["left"].set_visible(False)
    ax_s.set_xlabel("Score under the member's own weights")
    _panel_title(ax_s, "Their own best plan and the compromise")
    fig.legend(handles=[
        Line2D([], [], ls="", marker="o", ms=ms, mfc=OWN_COLOR, mec="white", label="Their own best plan"),
        Line2D([], [], ls="", marker="o", ms=1.45 * ms, mfc="white", mec=REGRET_COLOR, mew=2.0,
               label="The compromise"),
    ], loc="outside lower center", ncols=2, frameon=False, fontsize="small")


# -- comparison -------------------------------------------------------------------------------


_PUNCT = ":-–—·,;"


def _short_names(names: list[str]) -> list[str]:
    """Scenario names without the words they all share at the start and the end
    ("MINUSMA 2020-21: Fifth Committee cut (illustrative)" -> "Fifth Committee cut")."""
    if len(names) < 2:
        return list(names)
    words = [n.split() for n in names]

    def same(ws):  # "2020-21" and "2020-21:" are the same word
        return len({w.strip(_PUNCT).casefold() for w in ws}) == 1

    k = 0
    while all(len(w) > k for w in words) and same(w[k] for w in words):
        k += 1
    e = 0
    while all(len(w) > k + e for w in words) and same(w[len(w) - 1 - e] for w in words):
        e += 1
    out = []
    for w in words:
        core = " ".join(w[k: len(w) - e]).strip(_PUNCT + " ")
        if not core:
            return list(names)
        out.append(core[:1].upper() + core[1:])
    return out if len(set(out)) == len(out) else list(names)


def _grouped(ax, labels, values, colors, gids, value_fmt, xmax=None, tolerance=0.0):
    """Horizontal grouped bars: one row per label, one bar per scenario (base on top).

    The base's values are written beside its bars, the others' only where they
    differ from the base by more than ``tolerance``: equal bars say it themselves.
    """
    n_rows, k = len(labels), len(colors)
    y = np.arange(n_rows)
    h = min(0.8 / max(k, 1), 0.3)
    offs = (np.arange(k) - (k - 1) / 2) * h
    vals = np.array([[np.nan if v is None else v for v in row] for row in values], float).reshape(n_rows, k)
    top = np.nanmax(vals) if np.isfinite(vals).any() else 1.0
    right = xmax if xmax is not None else (top * 1.18 if top > 0 else 1.0)
    for j in range(k):
        col = vals[:, j]
        have = ~np.isnan(col)
        _hbars(ax, y[have] + offs[j], col[have], h * 0.92, colors[j], gid=gids[j])
        base = vals[:, 0]
        label = have & ((j == 0) | np.isnan(base) | (np.abs(col - base) > tolerance + 1e-9))
        for yi, v in zip(y[label] + offs[j], col[label]):
            ax.text(v + 0.01 * right, yi, value_fmt(v), ha="left", va="center", fontsize="small",
                    color="#333333", zorder=3, in_layout=False)
        for yi in (y[~have] + offs[j]):
            ax.text(0.01 * right, yi, "no plan", ha="left", va="center", fontsize="small",
                    color=MUTED_TEXT, style="italic", zorder=3, in_layout=False)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(n_rows, 3) - 0.5, -0.5)
    ax.set_xlim(0, right)


def draw_comparison(fig, comparison) -> None:
    """Scenarios side by side, the base first: overall and task scores, and the new
    units generated per capability (those that any scenario generates)."""
    outcomes = list(comparison.outcomes)
    if not outcomes:
        draw_message(fig, "No scenarios to compare")
        return
    scens = [o.result.scenario for o in outcomes]
    k = len(outcomes)
    short = _short_names([o.name for o in outcomes])
    colors = [BASE_COLOR] + [SCENARIO_COLORS[i % len(SCENARIO_COLORS)] for i in range(k - 1)]
    gids = [f"scenario:{i}" for i in range(k)]

    def task_name(tid):
        for sc in scens:
            for t in sc.tasks:
                if t.id == tid:
                    return t.name
        return tid

    def cap_name(cid):
        for sc in scens:
            for c in sc.capabilities:
                if c.id == cid:
                    return c.name
        return cid

    _prepare(fig)
    ax_s, ax_g = fig.subplots(1, 2, width_ratios=[1.0, 1.0])
    _style_axes(ax_s, "x")
    _style_axes(ax_g, "x")

    rows_s = [("Overall score", [o.score for o in outcomes])]
    # a task without demand has no score in any plan: no row
    rows_s += [(task_name(d.key[0]), list(d.values)) for d in comparison.task_scores
               if any(v is not None for v in d.values)]
    labels = [name_label(name, 24) for name, _ in rows_s]
    tol = float(comparison.tolerance)
    _grouped(ax_s, labels, [v for _, v in rows_s], colors, gids, lambda v: f"{v:.1f}", xmax=112,
             tolerance=max(tol, 0.05))  # scores show one decimal
    ax_s.get_yticklabels()[0].set_fontweight("bold")
    ax_s.set_xticks([0, 20, 40, 60, 80, 100])
    ax_s.set_xlabel("Score (100 = every need fully met)")
    _panel_title(ax_s, "Scores")

    gen = [d for d in comparison.generate if any(v for v in d.values if v is not None)]
    if gen:
        _grouped(ax_g, [name_label(cap_name(d.key[0]), 24) for d in gen], [list(d.values) for d in gen],
                 colors, gids, _fmt_units, tolerance=max(tol, 0.05))
        ax_g.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    else:
        ax_g.set_yticks([])
        ax_g.spines["left"].set_visible(False)
        _no_rows(ax_g, "No scenario generates new units")
    ax_g.set_xlabel("New units generated")
    _panel_title(ax_g, "New units")

    handles, widths = [], []
    for j, (o, name) in enumerate(zip(outcomes, short)):
        label = elide(name) + (" (base)" if j == 0 else "")
        if o.score is None:
            label += f" — no plan ({o.status})"
        handles.append(Patch(facecolor=colors[j], label=_tx(label), gid=gids[j]))
        widths.append(len(label) + 6)  # the patch and the gap, in characters
    room = _chars_across(fig, 0.95, 0.83)  # the legend is in the small font
    ncols = k
    while ncols > 1 and max(widths) * ncols > room:
        ncols -= 1
    ncols = -(-k // -(-k // ncols))  # as many rows, filled evenly: 4 in 2 x 2 rather than 3 + 1
    leg = fig.legend(handles=handles, loc="outside upper center", ncols=ncols, frameon=False, fontsize="small",
                     title="Values are written where they differ from the base", title_fontsize="small")
    leg.get_title().set_color(MUTED_TEXT)


# -- registry and export ----------------------------------------------------------------------

#: kind -> (title, draw function), in the order the GUI shows them.
ANALYSIS_CHARTS: dict[str, tuple[str, Callable[..., None]]] = {
    "budget": ("Score against capacity", draw_budget_curve),
    "stability": ("How far each task's weight can move", draw_stability),
    "smaa": ("Robustness to uncertain weights", draw_smaa),
    "pareto": ("Trade-off between two tasks", draw_pareto),
    "panel": ("Stakeholder panel: what the compromise costs", draw_panel),
    "compare": ("Scenarios compared", draw_comparison),
}


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


__all__ = [
    "ANALYSIS_CHARTS", "draw_budget_curve", "draw_stability", "draw_smaa", "draw_pareto", "draw_panel",
    "draw_comparison", "render_analysis_figure", "export_analysis_png", "scenario_of",
]
