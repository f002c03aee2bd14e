"""Weight stability: a tornado of the weight shares over which the plan stays the same."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planner.scenario import Scenario

from .parts import draw_message, hbars, prepare, style_axes
from .style import (
    CURRENT_COLOR, MUTED_TEXT, TRACK_COLOR, chars_across, elide, font_size, name_label, pct, task_color_or_grey, tx,
)


EDGE = 1e-9  # a change this close to a share of 0 or 1 happens at that end, not beyond it


def _cap_names(s: Scenario, ids) -> list[str]:
    names = {c.id: c.name for c in s.capabilities}
    return [names.get(i, i) for i in ids]


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


TICK_COLOR = "#1A1A1A"


def _method_caption(stability) -> str:
    """One line: how the ends and ticks were found, and with whole units how exact that is."""
    method = getattr(stability, "method", "grid")
    if method != "exact":
        return (f"Ends found by bisection, each to within {100 * stability.tolerance:g} points of share "
                "(between the shares solved)")
    if getattr(stability, "whole_units", False):
        return ("Exact breakpoints between the whole-unit plans a branch and bound finds at evenly spaced shares, "
                "each checked by a branch and bound")
    return "Exact breakpoints, from the optimal bases, of every change seen at evenly spaced shares"


def _note_lines(fig, n: int, height: float) -> int:
    """How many lines of the small font fit between a bar and the next (about: the axes take
    some three quarters of the figure's height, their rows ``max(n, 3) + 0.95`` units)."""
    unit_px = 0.75 * fig.bbox.height / (max(n, 3) + 0.95)
    line_px = 0.83 * font_size() * fig.dpi / 72.0 * 1.15 * 1.25
    return max(1, int((1.0 - height - 0.1) * unit_px / line_px))


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

    prepare(fig)
    ax = fig.add_subplot()
    style_axes(ax, "x")
    y = np.arange(n)
    height = 0.42
    room = chars_across(fig, 0.66, 0.83)  # the notes under the bars, in the small font
    fit = _note_lines(fig, n, height)
    demand = np.array([r.has_demand for r in ranges])
    hbars(ax, y[demand], 100.0, height, TRACK_COLOR, zorder=1)
    for yi, r in zip(y, ranges):
        color = task_color_or_grey(s, r.task)
        if not r.has_demand:
            ax.text(0.0, yi, "no demand: its weight does not change the plan", va="center", ha="left",
                    fontsize="small", color=MUTED_TEXT, zorder=3, in_layout=False)
            continue
        lo, hi = 100 * r.low_share, 100 * r.high_share
        hbars(ax, yi, max(hi - lo, 0.4), height, color, left=lo, gid=f"task:{r.task}",
               edgecolor="#333333", lw=0.6)
        ticks = [100 * b.share for b in r.breakpoints if getattr(stability, "method", "grid") == "exact"]
        if ticks:  # every change of plan found, the ends of the bar among them
            ax.vlines(ticks, yi - 0.36 * height, yi + 0.36 * height, colors=TICK_COLOR, lw=1.1, zorder=3.5)
        ax.plot([100 * r.share] * 2, [yi - 0.62 * height, yi + 0.62 * height], color=CURRENT_COLOR,
                lw=2.6, solid_capstyle="butt", zorder=4)
        # the share at each closed end, outside the bar where there is room, else inside it
        inside = dict(fontsize="small", color="#222222", zorder=3, in_layout=False, va="center",
                      bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.75))
        if not r.low_open:
            if lo >= 7:
                ax.text(lo - 0.8, yi, pct(r.low_share), ha="right", **inside)
            else:
                ax.text(lo + 0.8, yi, pct(r.low_share), ha="left", **inside)
        if not r.high_open:
            if hi <= 92:
                ax.text(hi + 0.8, yi, pct(r.high_share), ha="left", **inside)
            else:
                ax.text(hi - 0.8, yi, pct(r.high_share), ha="right", **inside)
        notes = []
        if not r.low_open and r.below is not None:
            where = "at 0% (this task's weight 0)" if r.low_share <= EDGE else f"below {pct(r.low_share)}"
            notes.append(f"{where}: {_set_change(s, stability.current_generated, r.below)}")
        if not r.high_open and r.above is not None:
            # At 100% every other task weighs 0: a plan for this task alone, not a share beyond it.
            where = "at 100% (every other task 0)" if r.high_share >= 1.0 - EDGE else f"above {pct(r.high_share)}"
            notes.append(f"{where}: {_set_change(s, stability.current_generated, r.above)}")
        if not notes:
            notes.append("the same new capabilities at any weight")
        elif len(ticks) > 2:
            notes.append(f"{len(ticks)} changes in all (ticks)")
        note = "   ·   ".join(notes)
        if len(note) > room:  # one line each, rather than off the edge, as many as fit above the next bar
            if len(notes) > fit and len(notes) > 2:
                notes = notes[:2]  # the count of changes goes first: the ticks show it
            if len(notes) <= fit:
                note = "\n".join(textwrap.shorten(x, room, placeholder="…") for x in notes)
            else:
                note = textwrap.shorten(note, room, placeholder="…")
        ax.text(0.0, yi + height / 2 + 0.06, tx(note), ha="left", va="top", linespacing=1.15,
                fontsize="small", color=MUTED_TEXT, zorder=3, in_layout=False)

    total_w = sum(r.weight for r in ranges) or 1.0
    labels = [f"{name_label(r.name, 30)}\nweight now {pct(r.weight / total_w)}" for r in ranges]
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(n, 3) - 0.35, -0.6)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    caption = "\n".join(textwrap.wrap(_method_caption(stability), chars_across(fig, 0.62)))  # within the axes
    ax.set_xlabel("Task's share of the total weight (the other tasks rescaled in proportion)\n"
                  + tx(caption), linespacing=1.5)
    handles = [Patch(facecolor="#BBBBBB", edgecolor="#333333", linewidth=0.6,
                     label="Same new capabilities as now"),
               Line2D([], [], color=CURRENT_COLOR, lw=2.6, label="Current share"),
               Patch(facecolor=TRACK_COLOR, label="The plan changes")]
    if getattr(stability, "method", "grid") == "exact":
        handles.append(Line2D([], [], color=TICK_COLOR, lw=1.1, label="A change of plan"))
    # One row where the labels fit across the chart (about 8 characters per handle and gap), else two.
    across = sum(len(h.get_label()) + 8 for h in handles)
    ncols = len(handles) if across <= chars_across(fig, 0.7, 0.83) else (len(handles) + 1) // 2
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=ncols, frameon=False,
              borderaxespad=0.3, fontsize="small", handlelength=1.4)
