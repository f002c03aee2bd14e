"""Budget curve: the score against a resource's capacity, and what each step of capacity buys."""

from __future__ import annotations

import re

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from planner.money import is_money
from planner.summary import format_amount

from .parts import draw_message, panel_title, prepare, style_axes, vbars
from .style import (
    BAR_COLOR, CURRENT_COLOR, INFEASIBLE_BAND, INFEASIBLE_COLOR, LINE_COLOR, MUTED_TEXT, TITLE_CHARS, elide,
    font_size, tx, wrap,
)


def _amount(value: float, unit: str) -> str:
    """``$58M`` rather than ``$58.0M``: an axis or a step reads better round."""
    return re.sub(r"\.0(?=[Mk]\b)", "", format_amount(value, unit))


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
    money = is_money(unit)
    step_text = _amount(step, unit)
    if not feasible.any():
        draw_message(fig, f"No plan at any {elide(curve.resource_name)} from {_amount(caps.min(), unit)} "
                          f"to {_amount(caps.max(), unit)}",
                     "The floors, presence rules or fielded resources cannot be met at any of these "
                     "capacities: see the diagnosis of the plan.")
        return

    prepare(fig)
    ax, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2.6, 1.0])
    style_axes(ax)
    style_axes(ax2)
    fs = font_size()
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
    ax.annotate(tx(label), (cap0, at),
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
        vbars(ax2, mids, values, widths, BAR_COLOR)
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
        ax2.text(cap0, 0.97, tx(f" {' · '.join(side)} points "), ha="left" if right else "right",
                 va="top", transform=ax2.get_xaxis_transform(), fontsize="small", color=CURRENT_COLOR,
                 zorder=6, in_layout=False, bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none",
                                                      alpha=0.85))
    ax2.yaxis.set_major_locator(MaxNLocator(nbins=3))
    ax2.set_ylabel(wrap(f"Points per {step_text}", 16))
    panel_title(ax2, f"What another {step_text} buys (score gained per {step_text} over each step)",
                 fontsize="small", fontweight="normal", color=MUTED_TEXT)

    ax2.set_xlim(caps.min(), caps.max() + 0.01 * (caps.max() - caps.min() or 1.0))
    ax2.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
    if money:
        ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tx(_amount(v, unit))))
        ax2.set_xlabel(tx(elide(curve.resource_name, TITLE_CHARS)))
    else:
        ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax2.set_xlabel(tx(f"{elide(curve.resource_name, TITLE_CHARS)} ({unit})"))
